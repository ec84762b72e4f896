"""History that never holds a secret: cmd2's History, each entry scrubbed as it is kept.

AWS access keys, secret keys, session tokens and PEM private keys typed on a command line are
replaced by REDACTED before an entry reaches `history` or the history file, with the same filter
as transcripts (cfshell.redact.scrub). Entries read from an older, unscrubbed file are scrubbed
on load. Where the file lives is cfshell.startup.history_path(); it is kept 0600
(`private_file`), as transcripts are. A number out of range (`history 999`) is one line.
"""

from __future__ import annotations

import os
from typing import Any

from cmd2.history import History, HistoryItem
from cmd2.parsing import Statement
from prompt_toolkit.auto_suggest import AutoSuggest, Suggestion

from .errors import UsageError
from .redact import scrub


def private_file(path: str) -> None:
    """Make `path` a file only its owner can read (created empty if missing); best effort."""
    path = os.path.expanduser(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    except OSError:
        return  # cmd2 reports a history file it cannot use
    try:
        os.fchmod(fd, 0o600)
    except OSError:
        pass
    finally:
        os.close(fd)


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [_scrub_value(v) for v in value]
    return value


def scrub_item(item: HistoryItem) -> HistoryItem:
    """`item`, or a copy with every secret in its command line replaced by REDACTED."""
    data = item.statement.to_dict()
    clean = {key: _scrub_value(value) for key, value in data.items()}
    if clean == data:
        return item
    return HistoryItem(Statement.from_dict(clean))


class ScrubbedHistory(History):
    """cmd2's History, scrubbing each entry as it is added (and those read from the file).

    A command that failed stays in this session's history (`history`, the up arrow: to fix
    it) but is not written to the history file, so no later session suggests it."""

    def __init__(self, seq: Any = ()) -> None:
        super().__init__(seq)
        # The items of commands that failed, by id() (held here, so no id is reused).
        self.failed: dict[int, HistoryItem] = {}

    @classmethod
    def of(cls, history: History) -> ScrubbedHistory:
        clean = cls(scrub_item(item) for item in history)
        clean.session_start_index = history.session_start_index
        return clean

    def mark_failed(self, item: HistoryItem) -> None:
        self.failed[id(item)] = item

    def to_json(self) -> str:
        """What the history file keeps: the commands that did not fail."""
        if not self.failed:
            return super().to_json()
        kept = History(item for item in self if id(item) not in self.failed)
        return kept.to_json()

    def get(self, index: int) -> HistoryItem:
        """cmd2's 1-based get; a number out of range is a UsageError of one line."""
        if index == 0 or abs(index) > len(self) or (index < 0 and -index > len(self)):
            held = f"1 to {len(self)}" if len(self) else "none yet"
            raise UsageError(f"no command {index} in the history (numbers: {held})")
        return super().get(index)

    def append(self, new: Statement | HistoryItem) -> None:  # type: ignore[override]
        item = HistoryItem(new) if isinstance(new, Statement) else new
        super().append(scrub_item(item))


class SuggestSucceeded(AutoSuggest):
    """prompt_toolkit's suggestion from history (the grey rest of a line), skipping lines that
    failed in this session: a mistyped ID is not offered again (those of earlier sessions are
    not in the history file, see ScrubbedHistory)."""

    def __init__(self, failed: set[str]) -> None:
        self.failed = failed  # lines as typed, stripped; the app keeps it up to date

    def get_suggestion(self, buffer: Any, document: Any) -> Suggestion | None:
        text = document.text.rsplit("\n", 1)[-1]
        if not text.strip():
            return None
        for string in reversed(list(buffer.history.get_strings())):
            for line in reversed(string.splitlines()):
                if line.startswith(text) and line.strip() not in self.failed:
                    return Suggestion(line[len(text) :])
        return None
