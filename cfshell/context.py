"""What the user is working on: the selected resource of each kind.

Every `create` selects what it made and every `[ID]` argument defaults to the selection, so the
seed's workflow needs no IDs typed. Stdlib only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .errors import NothingSelected, UsageError

# Kind -> how a user names it. Order is the order `context` shows them in.
KINDS: dict[str, str] = {
    "streaming": "streaming distribution",
    "distribution": "distribution",
    "oai": "OAI",
    "oac": "OAC",
    "key": "public key",
    "key-group": "key group",
    "bucket": "bucket",
}

# Kinds whose IDs are CloudFront IDs (uppercase letters and digits); key groups and OACs
# use other forms (UUIDs), buckets are names.
_CLOUDFRONT_ID = re.compile(r"^[A-Z0-9]{8,32}$")
_ANY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_CLOUDFRONT_ID_KINDS = {"streaming", "distribution", "oai", "oac", "key"}


def check_id(kind: str, value: str) -> str:
    """Return `value` if it is shaped like an ID of `kind`, else raise a UsageError."""
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    if kind == "bucket":
        from .names import bucket_name  # local: only buckets need the name rules

        return bucket_name(value)
    pattern = _CLOUDFRONT_ID if kind in _CLOUDFRONT_ID_KINDS else _ANY_ID
    if not pattern.match(value or ""):
        hint = (
            " (uppercase letters and digits, like E2QWRUHAPOMQZL)"
            if pattern is _CLOUDFRONT_ID
            else ""
        )
        raise UsageError(f"{value!r} is not a valid {KINDS[kind]} ID{hint}")
    return value


class Context:
    """The selection: at most one ID per kind, plus an optional label shown with it.

    Listeners (e.g. the prompt) are called after every change.
    """

    def __init__(self) -> None:
        self._selected: dict[str, str] = {}
        self._labels: dict[str, str] = {}
        self._listeners: list[Callable[[], None]] = []

    def on_change(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    def select(self, kind: str, resource_id: str, label: str = "") -> None:
        """Select `resource_id` as the current `kind` (validated)."""
        self._selected[kind] = check_id(kind, resource_id)
        if label:
            self._labels[kind] = label
        else:
            self._labels.pop(kind, None)
        self._changed()

    def get(self, kind: str) -> str | None:
        return self._selected.get(kind)

    def label(self, kind: str) -> str:
        return self._labels.get(kind, "")

    def clear(self, kind: str | None = None) -> None:
        """Forget the selection of `kind`, or of every kind."""
        if kind is None:
            self._selected.clear()
            self._labels.clear()
        else:
            if kind not in KINDS:
                raise UsageError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
            self._selected.pop(kind, None)
            self._labels.pop(kind, None)
        self._changed()

    def forget(self, kind: str, resource_id: str) -> None:
        """Drop the selection of `kind` if it is `resource_id` (after a delete)."""
        if self._selected.get(kind) == resource_id:
            self.clear(kind)

    def require(self, kind: str, given_id: str | None = None) -> str:
        """The ID to act on: `given_id` if given (validated), else the selection, else an error."""
        if given_id:
            return check_id(kind, given_id)
        selected = self._selected.get(kind)
        if selected:
            return selected
        noun = KINDS.get(kind, kind)
        raise NothingSelected(f"no {noun} selected: give an ID or `use {kind} ID`")

    def items(self) -> Iterator[tuple[str, str]]:
        """(kind, id) for every selected kind, in KINDS order."""
        for kind in KINDS:
            if kind in self._selected:
                yield kind, self._selected[kind]

    def as_dict(self) -> dict[str, str]:
        return dict(self.items())

    def __bool__(self) -> bool:
        return bool(self._selected)
