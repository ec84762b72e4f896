"""An example cfshell plugin: `example` shows what is selected, with each resource's live state.

It uses what every cfshell command set gets from its constructor, the Session: the context (what
is selected), a boto3 client for the session's mode (`session.client`), and the renderer
(`session.renderer`, so `--output json` and `set output json` work as for built-in commands).
"""

from __future__ import annotations

import argparse

import cmd2

from cfshell.commands.base import CfShellCommandSet, add_output_options, new_parser
from cfshell.render import fields

VIEW = fields("Kind", "Id", "State")


def _parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Show what is selected, with the live status of distributions.",
        "example:\n  example\n  example --output json",
    )
    return add_output_options(parser)


class ExampleCommands(CfShellCommandSet):
    """The `example` command (entry point `example` in group `cfshell.plugins`)."""

    DEFAULT_CATEGORY = "Example plugin"

    @cmd2.with_argparser(_parser)
    def do_example(self, args: argparse.Namespace) -> None:
        """Show the selection, with live state."""
        rows = [
            {"Kind": kind, "Id": resource_id, "State": self._state(kind, resource_id)}
            for kind, resource_id in self.session.context.items()
        ]
        self.show(
            self.session.renderer.rows(
                rows, VIEW, output=args.output, query=args.query, empty="nothing selected"
            )
        )

    def _state(self, kind: str, resource_id: str) -> str:
        cf = self.session.client("cloudfront")
        if kind == "streaming":
            dist = self.call(cf.get_streaming_distribution, Id=resource_id, id=resource_id)
            return dist["StreamingDistribution"]["Status"]
        if kind == "distribution":
            dist = self.call(cf.get_distribution, Id=resource_id, id=resource_id)
            return dist["Distribution"]["Status"]
        return ""
