"""`use`, `context`, `clear`: what is selected, so that `[ID]` arguments can be left out."""

from __future__ import annotations

import argparse

import cmd2

from ..context import KINDS
from ..render import fields
from .base import CfShellCommandSet, add_output_options, new_parser

USE_KINDS = ("streaming", "distribution", "oai", "oac", "key", "key-group", "bucket")


def _use_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Select a resource: later commands act on it when their ID is left out.",
        "example:\n  use streaming E2QWRUHAPOMQZL\n  use bucket my-video-bucket",
    )
    parser.add_argument("kind", choices=USE_KINDS, help="kind of resource")
    parser.add_argument("id", help="its ID (a bucket: its name)")
    return parser


def _context_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser("Show the mode and what is selected.", "example:\n  context --output json")
    return add_output_options(parser)


def _clear_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Forget the selection of one kind, or of every kind.", "example:\n  clear oai\n  clear"
    )
    parser.add_argument("kind", nargs="?", choices=USE_KINDS, help="kind to forget (default: all)")
    return parser


class ContextCommands(CfShellCommandSet):
    """Selection commands: `use KIND ID`, `context`, `clear [KIND]`."""

    DEFAULT_CATEGORY = "Context"

    @cmd2.with_argparser(_use_parser)
    def do_use(self, args: argparse.Namespace) -> None:
        """Select a resource of a kind."""
        self.context.select(args.kind, args.id)
        selected = self.context.get(args.kind)
        self.say(f"using {KINDS[args.kind]} {selected}")

    @cmd2.with_argparser(_context_parser)
    def do_context(self, args: argparse.Namespace) -> None:
        """Show the mode and the selection."""
        data = {
            "Mode": self.session.mode,
            "Target": self.session.mode_label,
            "Selected": self.context.as_dict(),
        }
        if self.json_output(args) or args.query:
            self.show(self.renderer.value(data, query=args.query, output=args.output))
            return
        rows = [
            {"Kind": kind, "Id": resource_id, "Label": self.context.label(kind)}
            for kind, resource_id in self.context.items()
        ]
        self.say(f"mode: {self.session.mode} ({self.session.mode_label})")
        self.show_rows(rows, fields("Kind", "Id", "Label"), args, empty="nothing selected")

    @cmd2.with_argparser(_clear_parser)
    def do_clear(self, args: argparse.Namespace) -> None:
        """Forget a selection."""
        self.context.clear(args.kind)
        self.say(f"cleared {KINDS[args.kind]}" if args.kind else "cleared the selection")
