"""Data -> what to print: rich tables by default, JSON on request, both after `--query`.

Commands hand plain data (dicts and lists of dicts, as the service layer returns them) and a
view (which fields, with which headings); the renderer returns a renderable and never prints.
JSON output is the data itself (not the view), so `--query` works on the same names
in both outputs: the JMESPath expression applies to the data first.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text

from .errors import UsageError

OUTPUTS = ("table", "json")


@dataclass(frozen=True)
class Field:
    """One column of a table, or one line of a record: the data key, its heading, a formatter."""

    key: str
    heading: str = ""
    fmt: Callable[[Any], str] | None = None

    @property
    def title(self) -> str:
        return self.heading or self.key


def fields(*specs: str | tuple[str, str] | Field) -> list[Field]:
    """`fields("Id", ("DomainName", "Domain"), Field(...))` -> a list of Field."""
    out = []
    for spec in specs:
        if isinstance(spec, Field):
            out.append(spec)
        elif isinstance(spec, tuple):
            out.append(Field(*spec))
        else:
            out.append(Field(spec))
    return out


def cell(value: Any) -> str:
    """How one value reads in a table."""
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={cell(v)}" for k, v in value.items())
    return str(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, default=_json_default, ensure_ascii=False)


def apply_query(data: Any, query: str | None) -> Any:
    if not query:
        return data
    import jmespath  # small, and only needed when a query is given
    from jmespath.exceptions import JMESPathError

    try:
        # Query the JSON form so that datetimes compare and print as strings.
        return jmespath.search(query, json.loads(to_json(data)))
    except JMESPathError as exc:
        first_line = (str(exc).splitlines() or [type(exc).__name__])[0].rstrip(": ")
        raise UsageError(f"--query {query!r} is not valid JMESPath: {first_line}") from None


class Renderer:
    """Turns data into renderables; `output` ("table" or "json") is the session's default."""

    def __init__(self, output: str = "table") -> None:
        self._output = "table"
        self.output = output

    @property
    def output(self) -> str:
        return self._output

    @output.setter
    def output(self, value: str) -> None:
        if value not in OUTPUTS:
            raise UsageError(f"output must be one of {', '.join(OUTPUTS)}, not {value!r}")
        self._output = value

    def _mode(self, output: str | None) -> str:
        mode = output or self._output
        if mode not in OUTPUTS:
            raise UsageError(f"output must be one of {', '.join(OUTPUTS)}, not {mode!r}")
        return mode

    def rows(
        self,
        rows: Sequence[dict[str, Any]],
        view: Sequence[Field],
        *,
        title: str | None = None,
        query: str | None = None,
        output: str | None = None,
        empty: str = "(none)",
    ) -> Any:
        """A list of records: a table with one row each, or a JSON list."""
        data = list(rows)
        if self._mode(output) == "json":
            return to_json(apply_query(data, query))
        if query:
            return self._generic(apply_query(data, query))
        if not data:
            return Text(empty)
        table = Table(title=title, title_justify="left")
        for f in view:
            table.add_column(f.title, overflow="fold")
        for row in data:
            table.add_row(*[(f.fmt or cell)(row.get(f.key)) for f in view])
        return table

    def record(
        self,
        record: dict[str, Any],
        view: Sequence[Field],
        *,
        query: str | None = None,
        output: str | None = None,
    ) -> Any:
        """One record: a two-column table of heading and value, or a JSON object."""
        if self._mode(output) == "json":
            return to_json(apply_query(record, query))
        if query:
            return self._generic(apply_query(record, query))
        # Plain aligned lines: no padding after the values, so output diffs and greps cleanly.
        width = max((len(f.title) for f in view), default=0)
        lines = [f"{f.title:<{width}}  {(f.fmt or cell)(record.get(f.key))}" for f in view]
        return Text("\n".join(lines))

    def value(self, data: Any, *, query: str | None = None, output: str | None = None) -> Any:
        """Anything else (e.g. a query result) in the current output form."""
        if self._mode(output) == "json":
            return to_json(apply_query(data, query))
        return self._generic(apply_query(data, query))

    def _generic(self, data: Any) -> Any:
        """A table for whatever shape a query returned."""
        if isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
            keys: list[str] = []
            for row in data:
                keys.extend(k for k in row if k not in keys)
            return self.rows(data, fields(*keys), output="table")
        if isinstance(data, dict):
            return self.record(data, fields(*data), output="table")
        if isinstance(data, list):
            return Text("\n".join(cell(v) for v in data))
        return Text(cell(data) if data is not None else "-")
