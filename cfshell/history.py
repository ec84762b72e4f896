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
    """cmd2's History, scrubbing each entry as it is added (and those read from the file)."""

    @classmethod
    def of(cls, history: History) -> ScrubbedHistory:
        clean = cls(scrub_item(item) for item in history)
        clean.session_start_index = history.session_start_index
        return clean

    def get(self, index: int) -> HistoryItem:
        """cmd2's 1-based get; a number out of range is a UsageError of one line."""
        if index == 0 or abs(index) > len(self) or (index < 0 and -index > len(self)):
            held = f"1 to {len(self)}" if len(self) else "none yet"
            raise UsageError(f"no command {index} in the history (numbers: {held})")
        return super().get(index)

    def append(self, new: Statement | HistoryItem) -> None:  # type: ignore[override]
        item = HistoryItem(new) if isinstance(new, Statement) else new
        super().append(scrub_item(item))
