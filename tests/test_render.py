"""cfshell.render: tables by default, JSON on request, --query on the data in both."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from rich.console import Console

from cfshell.errors import UsageError
from cfshell.render import QueryMatchesNothing, Renderer, fields


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
    assert "Id" in out and "a.example.com, b.example.com" in out
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
    assert lines[0].split() == ["Id", "E1"]
    assert all(line == line.rstrip() for line in lines)


def test_bad_query_and_bad_output_are_usage_errors():
    with pytest.raises(UsageError, match="not valid JMESPath"):
        Renderer().rows(ROWS, VIEW, query="[[")
    for query, expected in [
        ("[[", "--query '[[' is not valid JMESPath: Incomplete expression at column 2"),
        (".Id", "--query '.Id' is not valid JMESPath: invalid token: Parse error at column 0"),
        ("nope(@)", "--query 'nope(@)' is not valid JMESPath: Unknown function: nope()"),
    ]:
        with pytest.raises(UsageError) as refused:
            Renderer().rows(ROWS, VIEW, query=query)
        assert str(refused.value).startswith(expected) and "\n" not in str(refused.value)
    with pytest.raises(UsageError):
        Renderer("yaml")


def test_empty_list_says_so():
    assert "no streaming distributions" in text_of(
        Renderer().rows([], VIEW, empty="no streaming distributions")
    )


def test_headers_are_the_keys_a_query_names():
    # ("Id", "ID") gives a reader's name, but the table says Id: the name --query takes.
    table = text_of(Renderer().rows(ROWS, VIEW))
    header = table.splitlines()[1]
    assert [c.strip() for c in header.split("\u2503")[1:-1]] == [
        "Id",
        "CNAMEs",
        "Enabled",
        "Comment",
    ]
    assert "ID" not in table
    record = text_of(Renderer().record(ROWS[1], fields(("DomainName", "Domain name"), "Id")))
    assert [line.split()[0] for line in record.splitlines()] == ["DomainName", "Id"]


@pytest.mark.parametrize("output", ["table", "json"])
def test_a_query_naming_a_key_that_is_not_there_is_an_error_naming_the_keys(output):
    renderer = Renderer(output)
    with pytest.raises(QueryMatchesNothing) as typo:
        renderer.record(ROWS[0], VIEW, query="Comentt")
    assert typo.value.exit_status == 1  # a search that finds nothing, as grep says it
    assert str(typo.value) == (
        "--query 'Comentt' matches nothing: no key Comentt in the data, whose keys are "
        "Id, CNAMEs, Enabled, Comment"
    )
    with pytest.raises(QueryMatchesNothing) as projection:
        renderer.rows(ROWS, VIEW, query="[].Idd")
    assert str(projection.value) == (
        "--query '[].Idd' matches nothing: no key Idd in the data, a list whose items "
        "have the keys Id, CNAMEs, Enabled, Comment (a list is queried with [].KEY or "
        "[?KEY=='value'])"
    )
    with pytest.raises(
        QueryMatchesNothing, match=r"no key Id in the data, a list whose items .*\[\]\.KEY"
    ):
        renderer.rows(ROWS, VIEW, query="Id")  # a list needs [].Id
    with pytest.raises(QueryMatchesNothing, match="no key Foo"):
        renderer.rows(ROWS, VIEW, query="[?Foo=='x']")


def test_a_query_that_finds_its_keys_may_still_answer_empty_or_null():
    renderer = Renderer()
    # A filter that keeps nothing, a null value, an empty listing: answers, not errors.
    assert json.loads(renderer.rows(ROWS, VIEW, query="[?Comment=='none']", output="json")) == []
    assert (
        renderer.value(
            {"Id": "E1", "OriginAccessIdentity": None}, query="OriginAccessIdentity", output="json"
        )
        == "null"
    )
    assert (
        text_of(renderer.record({"Id": "E1", "Origin": None}, VIEW, query="Origin")).strip() == "-"
    )
    assert json.loads(renderer.rows([], VIEW, query="[].Id", output="json")) == []
    # A key missing from some items only: the others answer.
    assert json.loads(renderer.rows(ROWS + [{"Other": 1}], VIEW, query="[].Id", output="json")) == [
        "E1",
        "E2",
    ]
