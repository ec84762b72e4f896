"""cfshell's command sets, one module per command group.

`DEFAULT_MODULES` lists the modules the app loads, in order (a set adding subcommands to another
set's command comes after it). Every `CfShellCommandSet` subclass defined in a listed module is
built with the Session and registered.
"""

from __future__ import annotations

import importlib
from typing import Any

DEFAULT_MODULES = (
    "selection",  # `use`, `context`, `clear`
    "streaming",
    "oai",
    "grants",
    "distribution",
    "oac",
    "keys",
    "sign",
    "audit",  # `audit`
    "migrate",  # `migrate ...`, `key rotate`, `key retire`: after `keys`
    "transcripts",  # `record`, `replay`
    "sim",
    "viewer",  # `sim get`: a subcommand of `sim`, so after it
    "rehearsal",  # `sim traffic`, `sim key-pair`: after `sim`
    "certs",  # `cert`
    "dns",  # `dns`, and `sim zone`, `sim cert`: after `sim`
    "account",  # `profile`, `region`
    "guide",  # `help workflow`, an example in every help
    "plugins",  # `plugin list|load|unload`
)


def default_command_sets(session: Any, modules: tuple[str, ...] = DEFAULT_MODULES) -> list[Any]:
    """One instance of every command set in `modules`, built with `session`."""
    from .base import CfShellCommandSet

    sets = []
    for short in modules:
        name = f"{__name__}.{short}"
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, CfShellCommandSet)
                and value.__module__ == name
                and not getattr(value, "ABSTRACT", False)
            ):
                sets.append(value(session))
    return sets
