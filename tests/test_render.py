"""cfshell.render: tables by default, JSON on request, --query on the data in both."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from rich.console import Console

from cfshell.errors import UsageError
from cfshell.render import Renderer, fields


def text_of(renderable) -> str:
    if isinstance(renderable, str):
        return renderable
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


ROWS = [
    {"Id": "E1", "CNAMEs": ["a.example.com", "b.example.com"], "Enabled": True, "Comment": ""},
    {"Id": "E2", "CNAMEs": [], "Enabled": False, "Comment": "two"},
]
VIEW = fields(("Id", "ID"), "CNAMEs", "Enabled", "Comment")


def test_table_shows_headings_and_readable_cells():
    out = text_of(Renderer().rows(ROWS, VIEW))
    assert "ID" in out and "a.example.com, b.example.com" in out
    assert "yes" in out and "no" in out and "-" in out


def test_json_is_the_data_with_iso_times():
    when = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    data = json.loads(Renderer("json").record({"Id": "E1", "LastModifiedTime": when}, VIEW))
    assert data == {"Id": "E1", "LastModifiedTime": "2024-01-02T03:04:05Z"}


def test_query_applies_to_the_data_in_both_outputs():
    renderer = Renderer()
    assert json.loads(renderer.rows(ROWS, VIEW, query="[].Id", output="json")) == ["E1", "E2"]
    assert text_of(renderer.rows(ROWS, VIEW, query="[].Id")).split() == ["E1", "E2"]
    out = text_of(renderer.rows(ROWS, VIEW, query="[?Enabled].{Name: Id}"))
    assert "Name" in out and "E1" in out and "E2" not in out


def test_record_is_aligned_lines_without_trailing_spaces():
    out = text_of(Renderer().record(ROWS[0], VIEW))
    lines = out.rstrip("\n").splitlines()
    assert lines[0].split() == ["ID", "E1"]
    assert all(line == line.rstrip() for line in lines)


def test_bad_query_and_bad_output_are_usage_errors():
    with pytest.raises(UsageError, match="not valid JMESPath"):
        Renderer().rows(ROWS, VIEW, query="[[")
    with pytest.raises(UsageError):
        Renderer("yaml")


def test_empty_list_says_so():
    assert "no streaming distributions" in text_of(Renderer().rows([], VIEW, empty="no streaming distributions"))
