"""`plugin list | load NAME | unload NAME`: third-party command sets at runtime.

Discovery, loading and unloading are cfshell.plugins'.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import cmd2

from ..errors import UsageError
from ..plugins import Plugin, PluginError, PluginManager
from ..render import fields
from .base import CfShellCommandSet, add_output_options, base_parser, new_parser

LIST_VIEW = fields("Name", "Status", "Commands", ("Target", "Entry point"), "Distribution", "Error")


def _list_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "List the installed plugins (entry-point group cfshell.plugins): loaded, not loaded or "
        "failed, with their commands.",
        "example:\n  plugin list\n  plugin list --output json",
    )
    return add_output_options(parser)


def _name_parser(description: str, example: str) -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(description, f"example:\n  {example}")
    parser.add_argument("name", metavar="NAME", help="the plugin's entry-point name")
    return parser


def _load_parser() -> cmd2.Cmd2ArgumentParser:
    return _name_parser(
        "Load an installed plugin (one installed since start-up too): its commands appear.",
        "plugin load example",
    )


def _unload_parser() -> cmd2.Cmd2ArgumentParser:
    return _name_parser("Unload a plugin: its commands go away.", "plugin unload example")


class PluginCommands(CfShellCommandSet):
    """`plugin list|load|unload`: the plugins of the app this set is registered in."""

    DEFAULT_CATEGORY = "Plugins"

    def manager(self) -> PluginManager:
        # A method, not a property: cmd2 inspects every attribute when it registers a set.
        return PluginManager.of(self._cmd, self.session)

    @cmd2.with_argparser(
        base_parser(
            "Third-party command sets (installed packages declaring the entry-point group "
            "cfshell.plugins)."
        )
    )
    def do_plugin(self, args: argparse.Namespace) -> None:
        """Third-party command sets."""
        args.cmd2_subcommand_func(args)

    @cmd2.as_subcommand_to("plugin", "list", _list_parser, help="list installed plugins")
    def _list(self, args: argparse.Namespace) -> None:
        self.manager().rescan()
        rows = [
            {
                "Name": p.name,
                "Status": p.status,
                "Commands": p.commands(),
                "Target": p.target,
                "Distribution": p.distribution,
                "Error": p.error,
            }
            for p in sorted(self.manager().plugins.values(), key=lambda p: p.name)
        ]
        self.show_rows(rows, LIST_VIEW, args, empty="no plugin is installed")

    @cmd2.as_subcommand_to("plugin", "load", _load_parser, help="load a plugin")
    def _load(self, args: argparse.Namespace) -> None:
        plugin = self._do(self.manager().load, args.name)
        self.say(f"loaded plugin {plugin.name}: {', '.join(plugin.commands()) or 'no commands'}")

    @cmd2.as_subcommand_to("plugin", "unload", _unload_parser, help="unload a plugin")
    def _unload(self, args: argparse.Namespace) -> None:
        plugin = self._do(self.manager().unload, args.name)
        self.say(f"unloaded plugin {plugin.name}")

    def _do(self, action: Callable[[str], Plugin], name: str) -> Plugin:
        try:
            return action(name)
        except PluginError as exc:
            raise UsageError(str(exc)) from None
