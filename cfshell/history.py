"""History that never holds a secret: cmd2's History, each entry scrubbed as it is kept.

AWS access keys, secret keys, session tokens and PEM private keys typed on a command line are
replaced by REDACTED before an entry reaches `history` or the history file, with the same filter
as transcripts (cfshell.redact.scrub). Entries read from an older, unscrubbed file are scrubbed
on load. Where the file lives is cfshell.startup.history_path().
"""

from __future__ import annotations

from typing import Any

from cmd2.history import History, HistoryItem
from cmd2.parsing import Statement

from .redact import scrub


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

    def append(self, new: Statement | HistoryItem) -> None:  # type: ignore[override]
        item = HistoryItem(new) if isinstance(new, Statement) else new
        super().append(scrub_item(item))
