"""What the service layer changed: one `Effect` per resource created, modified or deleted.

Every function in cfshell.aws that writes calls `report(kind, id, action)` once the write has
succeeded, in the order the writes happen. Whoever wants to know what a command did (the
transcript recorder, a dry-run plan, a multi-step command's summary) opens `collect()` around
it and reads the list; nobody guesses from the selection or from the command's words.

`kind` is a kind name of the registry (cfshell.kinds: "streaming", "key-group", "bucket"...).
The log lives in a ContextVar, so two Sessions in one process (tests, embedding apps) never see
each other's effects, and a report made where nobody collects costs one lookup. A worker thread
has no collector of its own: report from the thread that called the service function. Stdlib only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

CREATED = "created"
MODIFIED = "modified"
DELETED = "deleted"
ACTIONS = (CREATED, MODIFIED, DELETED)


@dataclass(frozen=True)
class Effect:
    """One change: `kind` `id` was `action` (with a display `label`: a name, a domain...)."""

    kind: str
    id: str
    action: str
    label: str = ""


_log: ContextVar[list[Effect] | None] = ContextVar("cfshell_effects", default=None)


def report(kind: str, resource_id: str, action: str, label: str = "") -> Effect:
    """Tell the current collector (if any) that `kind` `resource_id` was `action`."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    effect = Effect(kind, resource_id, action, label)
    log = _log.get()
    if log is not None:
        log.append(effect)
    return effect


@contextlib.contextmanager
def collect() -> Iterator[list[Effect]]:
    """Collect the effects reported inside the block, in order (nested blocks see their own)."""
    log: list[Effect] = []
    token = _log.set(log)
    try:
        yield log
    finally:
        _log.reset(token)
        outer = _log.get()
        if outer is not None:
            outer.extend(log)  # an outer collector sees what an inner one saw
