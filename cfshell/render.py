"""Data -> what to print: rich tables by default, JSON on request, both after `--query`.

Commands hand plain data (dicts and lists of dicts, as the service layer returns them) and a
view (which fields); the renderer returns a renderable and never prints. JSON output is the data
itself (not the view), and tables head each column with the data's key (`OriginAccessIdentity`,
not a friendlier `OAI`), so what a user sees is what `--query` names, in both outputs: the
JMESPath expression applies to the data first. A query that names a key the data does not have
and so matches nothing is an error naming the keys there are, not a silent `-`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text

from .errors import CfShellError, UsageError

OUTPUTS = ("table", "json")


class QueryMatchesNothing(CfShellError):
    """`--query` names a key the data does not have: the answer would be an empty `-`.

    Status 1, as a search that finds nothing (grep); an expression that is not JMESPath at all
    is a UsageError (2)."""


@dataclass(frozen=True)
class Field:
    """One column of a table, or one line of a record: the data key, a formatter.

    Tables and records are headed by the key itself (`title`), the name `--query` uses;
    `heading` is a reader's name for it, for sentences (`modified E...: trusted signers ...`).
    """

    key: str
    heading: str = ""
    fmt: Callable[[Any], str] | None = None

    @property
    def title(self) -> str:
        return self.key


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
    """`query` (JMESPath) on the JSON form of `data` (datetimes compare and print as strings).

    UsageError, in one line, for an expression that is not JMESPath, and for one that matches
    nothing because it names a key the data does not have (a typo, or `Id` on a list that
    needs `[].Id`); a key that is there with a null value, or a filter that keeps no item, is a
    plain empty answer.
    """
    if not query:
        return data
    from jmespath.exceptions import JMESPathError

    document = json.loads(to_json(data))
    try:
        result, missing = _search(query, document)
    except JMESPathError as exc:
        raise UsageError(f"--query {query!r} is not valid JMESPath: {_one_line(exc)}") from None
    if missing and result in (None, []):
        raise QueryMatchesNothing(
            f"--query {query!r} matches nothing: no key {missing[0]} in {_keys_of(document)}"
        )
    return result


def _search(query: str, document: Any) -> tuple[Any, list[str]]:
    """The result, and the keys the expression asked for and never found (in its order)."""
    import jmespath
    from jmespath.visitor import TreeInterpreter

    found: set[str] = set()
    asked: list[str] = []

    class Tracing(TreeInterpreter):  # type: ignore[misc]
        def visit_field(self, node: dict[str, Any], value: Any) -> Any:
            name = node["value"]
            if isinstance(value, dict) and name in value:
                found.add(name)
            elif name not in asked:
                asked.append(name)
            return super().visit_field(node, value)

    parsed = jmespath.compile(query)
    result = Tracing().visit(parsed.parsed, document)
    return result, [name for name in asked if name not in found]


def _keys_of(document: Any) -> str:
    """What a query can name at the top: the keys of an object, or of a list's items."""
    if isinstance(document, dict):
        return "the data, whose keys are " + (", ".join(document) or "none")
    if isinstance(document, list) and document and isinstance(document[0], dict):
        keys: list[str] = []
        for item in document:
            if isinstance(item, dict):
                keys.extend(k for k in item if k not in keys)
        return (
            f"the data, a list whose items have the keys {', '.join(keys)} "
            "(a list is queried with [].KEY or [?KEY=='value'])"
        )
    return f"the data ({type(document).__name__ if document is not None else 'null'})"


def _one_line(exc: Exception) -> str:
    """jmespath's message without its multi-line caret drawing."""
    text = (str(exc).splitlines() or [type(exc).__name__])[0]
    for prefix in ("Invalid jmespath expression: ", "Bad jmespath expression: "):
        text = text.removeprefix(prefix)
    text = text.removesuffix(", for expression:").rstrip(": ")
    position = getattr(exc, "lex_position", None)
    if position is None:
        position = getattr(exc, "lexer_position", None)
    if position is not None and "column" not in text:
        text += f" at column {position}"
    return text


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
