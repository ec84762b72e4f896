"""Bad input: a clear error, a non-zero status, no traceback, and the shell goes on.

Each line is run as a user would type it, after the seed's stage (bucket my-video-bucket) is
set and with nothing selected. "usage" cases are argparse's (usage line + one error line);
the others are cfshell's own one-line errors.
"""

from __future__ import annotations

import pytest

MISSING = "EABCDEFGHIJKL"  # well-formed, but no such resource
MISSING_GROUP = "5f0c7a1e-0000-4000-8000-000000000001"  # a key group ID is a UUID
LONG = "x" * 129
CNAMES = " ".join(f"--cname h{i}.example.com" for i in range(11))

CASES = [
    # (line, expected text in the error, kind)
    ("streaming get", "no streaming distribution selected", "error"),
    ("streaming get bad-id", "not a valid streaming distribution ID", "error"),
    (f"streaming get {MISSING}", f"no streaming distribution {MISSING}", "error"),
    ("oai get", "no OAI selected", "error"),
    ("oai get e123abc456", "not a valid OAI ID", "error"),
    (f"oai get {MISSING}", f"no origin access identity {MISSING}", "error"),
    ("streaming create", "required: BUCKET", "usage"),
    ("streaming create Bad_Bucket", "not a valid bucket name", "error"),
    ("streaming create no-such-bucket", "bucket no-such-bucket does not exist", "error"),
    ("streaming create my-video-bucket --cname not_a_host", "not a valid CNAME", "error"),
    ("streaming create my-video-bucket --cname 'a b.example.com'", "not a valid CNAME", "error"),
    ("streaming create my-video-bucket --cname localhost", "not a valid CNAME", "error"),
    ("streaming create my-video-bucket --oai", "no OAI selected", "error"),
    ("streaming create my-video-bucket --oai bad", "not a valid OAI ID", "error"),
    ("streaming create my-video-bucket --trusted-signer 123", "not a trusted signer", "error"),
    (f"streaming create my-video-bucket -m {LONG}", "CloudFront takes at most 128", "error"),
    (f"streaming create my-video-bucket {CNAMES}", "at most 10", "error"),
    ("streaming create my-video-bucket --bogus", "unrecognized arguments: --bogus", "usage"),
    (f"streaming modify {MISSING}", "nothing to change", "error"),
    (f"streaming modify {MISSING} --enable --disable", "not allowed with", "usage"),
    (f"streaming modify {MISSING} --oai {MISSING} --no-oai", "not allowed with", "usage"),
    (
        f"streaming modify {MISSING} --cname a.example.com --add-cname b.example.com",
        "do not combine",
        "error",
    ),
    (f"streaming modify {MISSING} -t self --no-trusted-signers", "exclude each other", "error"),
    (f"streaming modify {MISSING} -m hi", f"no streaming distribution {MISSING}", "error"),
    (f"streaming delete {MISSING}", "add --yes", "error"),
    (f"streaming delete {MISSING} --yes", f"no streaming distribution {MISSING}", "error"),
    (f"streaming delete {MISSING} EFGHIJKLMNOP --force --yes", "leave out the ETAG", "error"),
    (f"streaming wait {MISSING} --timeout abc", "invalid float value", "usage"),
    (f"streaming wait {MISSING} --timeout -1", "--timeout must be a positive", "error"),
    (f"streaming wait {MISSING}", f"no streaming distribution {MISSING}", "error"),
    ("streaming list --output yaml", "invalid choice: 'yaml'", "usage"),
    ("streaming list --query '[['", "not valid JMESPath", "error"),
    ("streaming frobnicate", "invalid choice: 'frobnicate'", "usage"),
    ("frobnicate", "not a recognized command", "plain"),
    ("strem list", "not a recognized command: did you mean `streaming list`?", "error"),
    ("streaming lsit", "did you mean `streaming list`?", "usage"),
    ("streaming modify --frobnicate", "unrecognized arguments: --frobnicate", "usage"),
    ("oai create", "required: COMMENT", "usage"),
    (f"oai create {LONG}", "CloudFront takes at most 128", "error"),
    (f"oai modify {MISSING}", "required: -m/--comment", "usage"),
    (f"oai delete {MISSING} --yes", f"no origin access identity {MISSING}", "error"),
    (
        f"key-group get {MISSING_GROUP}",
        f"no key group {MISSING_GROUP}: check the ID with `key-group list`",
        "error",
    ),
    (f"key-group delete {MISSING_GROUP} --yes", f"no key group {MISSING_GROUP}", "error"),
    ("use widget E123ABC456", "invalid choice: 'widget'", "usage"),
    ("use bucket ab", "not a valid bucket name", "error"),
    ("clear widgets", "invalid choice: 'widgets'", "usage"),
    ("sim object put nosuchbucket key.mp4", "bucket nosuchbucket does not exist", "error"),
    ("sim deploy-delay -1", "deploy_seconds must be >= 0", "error"),
    ("streaming get 'unterminated", "No closing quotation", "plain"),
]


@pytest.mark.parametrize(("line", "expected", "kind"), CASES, ids=[c[0][:50] for c in CASES])
def test_bad_input_is_one_clear_error_and_the_shell_goes_on(stage, line, expected, kind):
    before = stage.cf.list_streaming_distributions()["StreamingDistributionList"].get("Quantity")
    result = stage.run(line)
    assert result.failed and result.status != 0
    assert "Traceback" not in result.err and "Traceback" not in result.out
    assert expected in " ".join(result.err.split()), result.err
    errors = [ln for ln in result.err.splitlines() if ln.startswith("Error:")]
    if kind == "error":
        assert result.err.strip().count("\n") == 0, result.err  # exactly one line
        assert len(errors) == 1
    elif kind == "usage":
        assert result.err.lstrip().startswith("Usage:") and len(errors) == 1
        assert result.status == 2
    # Nothing was created, and the shell still works.
    after = stage.cf.list_streaming_distributions()["StreamingDistributionList"].get("Quantity")
    assert after == before
    assert "mode: simulator" in stage.ok("context")


def test_there_are_at_least_25_cases():
    assert len(CASES) >= 25


def test_debug_shows_the_traceback(stage):
    stage.ok("set debug true")
    result = stage.run(f"streaming get {MISSING}")
    assert (
        result.failed
        and "Traceback" in result.err
        and f"no streaming distribution {MISSING}" in result.err
    )
