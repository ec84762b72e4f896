"""`use`, `context`, `clear`: what is selected, so that `[ID]` arguments can be left out.

The kinds one can select are those of the registry (cfshell.kinds), read when a command runs:
a kind registered later (a plugin's) is selectable and completed at once.
"""

from __future__ import annotations

import argparse

import cmd2

from .. import kinds
from ..render import fields
from .base import CfShellCommandSet, add_output_options, new_parser


def _kind_names() -> list[str]:
    """The kinds `use` and `clear` take, in the registry's order."""
    return [kind.name for kind in kinds.selectable()]


def _kind(name: str) -> kinds.Kind:
    """The argument's type: a selectable kind of the registry as it is when the line runs."""
    kind = kinds.get(name)
    if kind is None or not kind.selectable:
        choices = ", ".join(repr(k) for k in _kind_names())
        raise argparse.ArgumentTypeError(f"invalid choice: {name!r} (choose from {choices})")
    return kind


def _use_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Select a resource: later commands act on it when their ID is left out.",
        "example:\n  use streaming E2QWRUHAPOMQZL\n  use bucket my-video-bucket",
    )
    parser.add_argument(
        "kind",
        metavar="KIND",
        type=_kind,
        choices_provider=SelectionCommands.choose_kind,
        help="kind of resource",
    )
    parser.add_argument(
        "id",
        metavar="ID",
        choices_provider=SelectionCommands.choose_id_of_kind,
        help="its ID (a bucket: its name)",
    )
    return parser


def _context_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser("Show the mode and what is selected.", "example:\n  context --output json")
    return add_output_options(parser)


def _clear_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Forget the selection of one kind, or of every kind.", "example:\n  clear oai\n  clear"
    )
    parser.add_argument(
        "kind",
        nargs="?",
        metavar="KIND",
        type=_kind,
        choices_provider=SelectionCommands.choose_kind,
        help="kind to forget (default: all)",
    )
    return parser


class SelectionCommands(CfShellCommandSet):
    """Selection commands: `use KIND ID`, `context`, `clear [KIND]`."""

    DEFAULT_CATEGORY = "Context"

    def choose_kind(self) -> cmd2.Choices:
        """The kinds one can select, each with its noun."""
        items = [cmd2.CompletionItem(k.name, display_meta=k.noun) for k in kinds.selectable()]
        return cmd2.Choices(items=items, is_sorted=False)

    def choose_id_of_kind(self, arg_tokens: dict[str, list[str]]) -> cmd2.Choices:
        """Live IDs of the kind named before them on the line."""
        return self.choose_live(kinds.get((arg_tokens.get("kind") or [""])[0]))

    @cmd2.with_argparser(_use_parser)
    def do_use(self, args: argparse.Namespace) -> None:
        """Select a resource of a kind."""
        kind = args.kind
        self.context.select(kind.name, args.id)
        selected = self.context.get(kind.name)
        self.say(f"using {kind.short} {selected}")

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
        if args.kind is None:
            self.context.clear()
            self.say("cleared the selection")
            return
        kind = args.kind
        self.context.clear(kind.name)
        self.say(f"cleared {kind.short}")
