"""Subcommand parsers built when their command is first used, not at start-up.

cmd2 4.x builds a command's own parser on first use (`Cmd.command_parsers.get`), but builds and
attaches every subcommand's parser when its command set registers: about 140 parsers, most of
which a run of one command never needs (a third of cfshell's start-up). `SubcommandsOnDemand`,
mixed into a cmd2.Cmd before it, keeps each subcommand's spec under its root command and
attaches them, in registration order, the first time cmd2 (or help, completion, a transcript)
asks for that root command's parser.

What stays eager, so that a clash is still refused when a set registers: the subcommand name's
validity, that its root command exists, and that no subcommand of the same name was registered
at the same place.
"""

from __future__ import annotations

import contextlib
from typing import Any

from cmd2 import constants
from cmd2.cmd2 import CommandParsers
from cmd2.exceptions import CommandSetRegistrationError
from cmd2.utils import strip_doc_annotations

Pending = tuple[Any, Any, Any]  # (owner, bound method, SubcommandSpec)


class _ParsersOnDemand(CommandParsers):
    """cmd2's parser store, attaching a root command's pending subcommands when it is built."""

    def get(self, command_method: Any) -> Any:
        parser = super().get(command_method)
        if parser is not None:
            name = getattr(command_method, "__name__", "")
            if name.startswith("do_"):
                self._cmd_app._attach_pending(name[3:])
        return parser


def _subcommand_methods(owner: Any) -> list[tuple[str, Any]]:
    """(name, bound method) of each subcommand `owner` defines, sorted by name as cmd2 does.

    Looked up on the class: inspect.getmembers on the instance checks every attribute
    against collections.abc.Callable, a noticeable share of start-up over 20 command sets."""
    cls = type(owner)
    found = []
    for name in dir(cls):
        attr = getattr(cls, name, None)
        if callable(attr) and hasattr(attr, constants.SUBCOMMAND_ATTR_SPEC):
            found.append((name, getattr(owner, name)))
    return found


class SubcommandsOnDemand:
    """Mixin for a cmd2.Cmd subclass (listed before cmd2.Cmd); see the module doc."""

    def _register_subcommands(self, owner: Any) -> None:
        app: Any = self
        if not isinstance(app.command_parsers, _ParsersOnDemand):
            # Called first from cmd2.Cmd.__init__, before any parser is built.
            app.command_parsers = _ParsersOnDemand(app)
            app._pending_subcommands = {}
            app._attached_roots = set()
            app._subcommand_places = set()
        if not (owner is app or owner in app._installed_command_sets):
            raise CommandSetRegistrationError(
                "Cannot register subcommands with an unregistered CommandSet"
            )
        for _name, method in _subcommand_methods(owner):
            spec = getattr(method, constants.SUBCOMMAND_ATTR_SPEC)
            valid, error = app.statement_parser.is_valid_command(spec.name, is_subcommand=True)
            if not valid:
                raise CommandSetRegistrationError(f"Subcommand {spec.name} is not valid: {error}")
            root = spec.command.split()[0]
            if app.get_command_func(root) is None:
                raise CommandSetRegistrationError(f"Root command '{root}' does not exist")
            places = {(spec.command, name) for name in (spec.name, *spec.aliases)}
            if places & app._subcommand_places:
                raise CommandSetRegistrationError(
                    f"Subcommand '{spec.name}' already exists for '{spec.command}'"
                )
            app._subcommand_places |= places
            if root in app._attached_roots:
                self._attach(owner, method, spec)  # its command is in use already
            else:
                app._pending_subcommands.setdefault(root, []).append((owner, method, spec))

    def _unregister_subcommands(self, owner: Any) -> None:
        app: Any = self
        for root, pending in list(app._pending_subcommands.items()):
            app._pending_subcommands[root] = [p for p in pending if p[0] is not owner]
        for _name, method in _subcommand_methods(owner):
            spec = getattr(method, constants.SUBCOMMAND_ATTR_SPEC)
            for name in (spec.name, *spec.aliases):
                app._subcommand_places.discard((spec.command, name))
            if spec.command.split()[0] in app._attached_roots:
                with contextlib.suppress(ValueError):
                    app.detach_subcommand(spec.command, spec.name)

    def _attach_pending(self, root: str) -> None:
        app: Any = self
        if root in app._attached_roots:
            return
        app._attached_roots.add(root)
        for owner, method, spec in app._pending_subcommands.pop(root, []):
            self._attach(owner, method, spec)

    def _attach(self, owner: Any, method: Any, spec: Any) -> None:
        """What cmd2.Cmd._register_subcommands does for one subcommand."""
        from cmd2.argparse_utils import SubcommandRecord

        app: Any = self
        parser = app._build_parser(owner, spec.parser_source)
        if parser.description is None and method.__doc__:
            parser.description = strip_doc_annotations(method.__doc__)
        parser.set_defaults(**{constants.NS_ATTR_SUBCOMMAND_FUNC: method})
        setattr(parser, constants.PARSER_ATTR_OWNER_ID, id(owner))
        record = SubcommandRecord(
            name=spec.name,
            command=spec.command,
            help=spec.help,
            aliases=spec.aliases,
            deprecated=spec.deprecated,
            parser=parser,
        )
        try:
            app.attach_subcommand(record)
        except ValueError as exc:
            raise CommandSetRegistrationError(str(exc)) from exc
