"""What the user is working on: the selected resource of each kind.

Every `create` selects what it made and every `[ID]` argument defaults to the selection, so the
seed's workflow needs no IDs typed. Stdlib only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NoReturn

from . import kinds
from .errors import NothingSelected, UsageError


def _unknown(name: str) -> NoReturn:
    choices = ", ".join(k.name for k in kinds.selectable())
    raise UsageError(f"unknown kind {name!r}: use one of {choices}")


def _kind(name: str) -> kinds.Kind:
    """The selectable kind `name` (a kind of the registry), or a UsageError."""
    kind = kinds.get(name)
    if kind is None or not kind.selectable:
        _unknown(name)
    return kind


def check_id(kind: str, value: str) -> str:
    """Return `value` (normalised) if it is shaped like an ID of `kind`, else raise a UsageError."""
    entry = kinds.get(kind) or _unknown(kind)
    checked = entry.validate(value)
    if checked is None:
        raise UsageError(f"{value!r} is not a valid {entry.short} ID{entry.id_hint}")
    return checked


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
        self._selected[_kind(kind).name] = check_id(kind, resource_id)
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
            _kind(kind)
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
        entry = kinds.get(kind)
        noun = entry.short if entry else kind
        raise NothingSelected(f"no {noun} selected: give an ID or `use {kind} ID`")

    def items(self) -> Iterator[tuple[str, str]]:
        """(kind, id) for every selected kind, in the registry's order."""
        for kind in kinds.KINDS:
            if kind in self._selected:
                yield kind, self._selected[kind]

    def as_dict(self) -> dict[str, str]:
        return dict(self.items())

    def __bool__(self) -> bool:
        return bool(self._selected)
