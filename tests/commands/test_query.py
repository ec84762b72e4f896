"""`--query` as a user meets it: table headings are the names it takes, a typo is an error."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import subprocess_env


def test_table_headings_are_what_query_takes(shell):
    shell.ok("oai create reader")
    table = shell.ok("oai list")
    header = next(line for line in table.splitlines() if "Comment" in line)
    assert header.split() == [
        "\u2503",
        "Id",
        "\u2503",
        "S3CanonicalUserId",
        "\u2503",
        "Comment",
        "\u2503",
    ]
    # Each heading, given to --query, answers.
    for key in ("Id", "S3CanonicalUserId", "Comment"):
        assert json.loads(shell.ok(f"oai list --output json --query '[].{key}'")) != []
    assert shell.ok("oai get --query Comment").strip() == "reader"


def test_a_query_typo_is_one_error_line_naming_the_keys(shell):
    shell.ok("oai create reader")
    for line in ("oai get --query Coment", "oai get --query Coment --output json"):
        result = shell.run(line)
        assert result.failed and result.status == 1
        assert result.out == ""
        assert result.err.splitlines()[0] == (
            "Error: --query 'Coment' matches nothing: no key Coment in the data, whose keys are "
            "Id, ETag, CallerReference, Comment, S3CanonicalUserId"
        )
        assert "Traceback" not in result.err
    result = shell.run("oai list --query Id")
    assert (
        result.failed and "[].KEY" in result.err and "Id, S3CanonicalUserId, Comment" in result.err
    )
    result = shell.run("oai list --query '[?Comment'")
    assert result.failed and result.status == 2 and result.out == ""
    assert "is not valid JMESPath" in result.err.splitlines()[0]


def test_a_query_typo_fails_a_script(tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "cfshell",
            "--simulate",
            "oai create one",
            "oai list --query '[].Idd'",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=subprocess_env(HOME=str(tmp_path)),
        cwd=tmp_path,
    )
    assert run.returncode == 1, run.stderr
    assert "--query '[].Idd' matches nothing: no key Idd" in run.stderr
    assert "Idd" not in run.stdout
