"""cfshell.transcript on its own: format, references, ETags, secrets, check normalisation."""

from __future__ import annotations

import io
import textwrap

import pytest

from cfshell import transcript as t

HEADER = t.header_lines(mode="simulate", version="0.1.0", width=80)


def record(*commands: tuple[str, str, list[tuple[str, str]]]) -> str:
    stream = io.StringIO()
    recorder = t.Recorder(stream)
    recorder._write(HEADER)
    for line, output, created in commands:
        recorder.command(line, output, created)
    return stream.getvalue()


# --- recording ------------------------------------------------------------------------------


def test_recorded_ids_become_references_counted_per_kind() -> None:
    text = record(
        (
            "streaming create my-video-bucket -m 'one'",
            "created E1AAAAAAAAAAAA",
            [("streaming", "E1AAAAAAAAAAAA")],
        ),
        ("oai create 'for video'", "created E2BBBBBBBBBBBB", [("oai", "E2BBBBBBBBBBBB")]),
        (
            "streaming create other-bucket",
            "created E3CCCCCCCCCCCC",
            [("streaming", "E3CCCCCCCCCCCC")],
        ),
        ("streaming modify E1AAAAAAAAAAAA --oai E2BBBBBBBBBBBB", "", []),
        ("streaming get E3CCCCCCCCCCCC", "Id E3CCCCCCCCCCCC", []),
        ("use key-group 5f0c7a1e-0000-4000-8000-000000000001", "", []),
    )
    lines = text.splitlines()
    assert "#= $streaming1 = E1AAAAAAAAAAAA" in lines
    assert "#= $oai1 = E2BBBBBBBBBBBB" in lines
    assert "#= $streaming2 = E3CCCCCCCCCCCC" in lines
    assert "streaming modify $streaming1 --oai $oai1" in lines
    assert "streaming get $streaming2" in lines
    # Output keeps the real ID (it is what the user saw); pre-existing IDs stay as typed.
    assert "# Id E3CCCCCCCCCCCC" in lines
    assert "use key-group 5f0c7a1e-0000-4000-8000-000000000001" in lines


def test_selection_relying_commands_stay_as_typed_and_key_groups_are_keygroup_refs() -> None:
    text = record(
        (
            "key-group create team --key K1AAAAAAAAAAAA",
            "",
            [("key-group", "0a1b2c3d-1111-4222-8333-444455556666")],
        ),
        ("streaming modify --enable", "", []),
        ("key-group get 0a1b2c3d-1111-4222-8333-444455556666", "", []),
    )
    assert "streaming modify --enable\n" in text
    assert "key-group get $keygroup1\n" in text
    parsed = t.parse(text)
    assert parsed.steps[0].binds[0].kind == "key-group"


def test_explicit_etags_are_never_recorded() -> None:
    stream = io.StringIO()
    recorder = t.Recorder(stream)
    assert recorder.rewrite("streaming delete E1AAAAAAAAAAAA E2QWRUHAPOMQZL --yes") == (
        "streaming delete E1AAAAAAAAAAAA --yes"
    )
    assert (
        recorder.rewrite("oai delete E1AAAAAAAAAAAA E2QWRUHAPOMQZL") == "oai delete E1AAAAAAAAAAAA"
    )
    assert recorder.rewrite("oai delete") == "oai delete"
    assert recorder.rewrite("oai delete E1AAAAAAAAAAAA") == "oai delete E1AAAAAAAAAAAA"
    assert recorder.rewrite("oai modify -m 'x' --if-match E2QWRUHAPOMQZL") == "oai modify -m 'x'"
    assert recorder.rewrite("oai modify -m 'x' --etag=E2QWRUHAPOMQZL") == "oai modify -m 'x'"


def test_output_lines_are_comments_and_blank_lines_are_bare_hashes() -> None:
    text = record(("context", "mode: simulator\n\n\x1b[1mbold\x1b[0m  \n\n", []))
    assert text.endswith("context\n# mode: simulator\n#\n# bold\n")


def test_failed_commands_are_notes_that_do_not_replay() -> None:
    stream = io.StringIO()
    recorder = t.Recorder(stream)
    recorder._write(HEADER)
    recorder.failed("streaming get EBADBADBADBAD1")
    recorder.command("context", "x", [])
    parsed = t.parse(stream.getvalue())
    assert [s.command for s in parsed.steps] == ["context"]
    assert "#! failed, not replayed: streaming get EBADBADBADBAD1" in stream.getvalue()


def test_open_never_overwrites_without_force(tmp_path) -> None:
    path = tmp_path / "r.cfsh"
    path.write_text("precious\n")
    with pytest.raises(FileExistsError):
        t.Recorder.open(str(path), header=HEADER)
    assert path.read_text() == "precious\n"
    recorder = t.Recorder.open(str(path), force=True, header=HEADER)
    recorder.command("context", "", [])
    # Flushed line by line: readable before close, as after a crash.
    assert path.read_text().splitlines()[-1] == "context"
    recorder.close()


# --- parsing --------------------------------------------------------------------------------


def test_round_trip_keeps_steps_outputs_and_bindings() -> None:
    text = record(
        (
            "streaming create b -m 'a b'",
            "line one\n\nline three",
            [("streaming", "E1AAAAAAAAAAAA")],
        ),
        ("streaming get", "got it", []),
    )
    parsed = t.parse(text, source="x.cfsh")
    assert parsed.is_transcript
    assert parsed.header["mode"] == "simulate"
    assert parsed.header["width"] == "80"
    assert [s.command for s in parsed.steps] == ["streaming create b -m 'a b'", "streaming get"]
    assert parsed.steps[0].output == ["line one", "", "line three"]
    assert parsed.steps[0].binds[0].name == "streaming1"
    assert parsed.recorded_ids() == {"E1AAAAAAAAAAAA": "streaming1"}
    assert parsed.steps[1].lineno == 11


def test_hand_written_bindings_need_no_recorded_id() -> None:
    parsed = t.parse("oai create hello\n#= $oai1\noai get $oai1\n")
    assert not parsed.is_transcript
    assert parsed.steps[0].binds[0].recorded_id is None


@pytest.mark.parametrize(
    ("text", "lineno", "fragment"),
    [
        # Unknown reference, named.
        ("\n".join(HEADER) + "\nstreaming get $streaming1\n", 6, "unknown reference $streaming1"),
        # Used before the create that binds it.
        (
            "\n".join(HEADER) + "\noai get $oai1\noai create x\n#= $oai1 = E1AAAAAAAAAAAA\n",
            6,
            "unknown reference $oai1",
        ),
        # Not a reference kind.
        ("\n".join(HEADER) + "\nstreaming get $bogus1\n", 6, "not a reference name"),
        # Binding line mangled by hand.
        ("\n".join(HEADER) + "\noai create x\n#= oai1 E1AAAAAAAAAAAA\n", 7, "malformed reference"),
        # Binding with no command above it.
        ("\n".join(HEADER) + "\n#= $oai1 = E1AAAAAAAAAAAA\n", 6, "not under the command"),
        # Bound twice.
        (
            "\n".join(HEADER) + "\noai create x\n#= $oai1 = E1\noai create y\n#= $oai1 = E2\n",
            9,
            "already bound on line 7",
        ),
        # An output line that lost its space after '#'.
        ("\n".join(HEADER) + "\ncontext\n#mode: sim\n", 7, "output lines start with '# '"),
        # Unbalanced quotes.
        ("\n".join(HEADER) + "\noai create 'for video\n", 6, "No closing quotation"),
        # Cut off in the middle of the last line.
        ("\n".join(HEADER) + "\nstreaming create my-vid", 6, "truncated"),
        # Wrong format version.
        ("# cfshell transcript 9\ncontext\n", 1, "unsupported transcript format"),
        # NUL bytes.
        ("\n".join(HEADER) + "\ncontext\x00\n", 6, "NUL"),
    ],
)
def test_malformed_transcripts_fail_with_their_line_number(text, lineno, fragment) -> None:
    with pytest.raises(t.TranscriptError) as caught:
        t.parse(text, source="bad.cfsh")
    assert caught.value.lineno == lineno
    assert fragment in str(caught.value)
    assert str(caught.value).startswith(f"bad.cfsh, line {lineno}: ")


def test_known_commands_catch_an_output_line_that_lost_its_hash() -> None:
    text = "\n".join(HEADER) + "\ncontext\n# fine\ncreated streaming distribution E1\n"
    with pytest.raises(t.TranscriptError) as caught:
        t.parse(text, known_commands={"context", "streaming"})
    assert caught.value.lineno == 8
    assert "unknown command 'created'" in str(caught.value)


def test_check_line_sees_references_as_ids() -> None:
    seen: list[str] = []

    def check(line: str) -> str | None:
        seen.append(line)
        return "bad option --nope" if "--nope" in line else None

    text = "oai create x\n#= $oai1\noai get $oai1\noai get --nope\n"
    with pytest.raises(t.TranscriptError) as caught:
        t.parse(text, check_line=check)
    assert caught.value.lineno == 4
    assert "$" not in seen[1]


def test_plain_scripts_parse_leniently() -> None:
    parsed = t.parse("# my notes\n#comment without space\n\ncontext\nstreaming list")
    assert not parsed.is_transcript
    assert [s.command for s in parsed.steps] == ["context", "streaming list"]


def test_read_reports_non_utf8_with_its_line(tmp_path) -> None:
    path = tmp_path / "bin.cfsh"
    path.write_bytes(b"# cfshell transcript 1\ncontext\n\xff\xfe\n")
    with pytest.raises(t.TranscriptError) as caught:
        t.read(str(path))
    assert caught.value.lineno == 3


# --- replay planning ------------------------------------------------------------------------


def test_replay_binds_references_as_the_creates_run() -> None:
    text = record(
        ("oai create x", "", [("oai", "E1OLDOLDOLDOLD")]),
        ("streaming create b --oai E1OLDOLDOLDOLD", "", [("streaming", "E2OLDOLDOLDOLD")]),
        ("streaming get E2OLDOLDOLDOLD", "", []),
    )
    script = t.parse(text)
    replay = t.Replay(script)
    assert replay.resolve(script.steps[0]) == "oai create x"
    replay.created(script.steps[0], [("oai", "E9NEWNEWNEWNEW")])
    assert replay.resolve(script.steps[1]) == "streaming create b --oai E9NEWNEWNEWNEW"
    replay.created(script.steps[1], [("streaming", "E8NEWNEWNEWNEW")])
    assert replay.resolve(script.steps[2]) == "streaming get E8NEWNEWNEWNEW"


def test_replay_names_a_create_that_created_nothing() -> None:
    script = t.parse("oai create x\n#= $oai1\noai get $oai1\n", source="s.cfsh")
    replay = t.Replay(script)
    with pytest.raises(t.TranscriptError, match=r"s.cfsh, line 1: .*created no oai.*\$oai1"):
        replay.created(script.steps[0], [])
    with pytest.raises(t.TranscriptError, match=r"line 3: \$oai1 is not bound"):
        replay.resolve(script.steps[1])


def test_created_are_the_reported_creations_of_reference_kinds_in_order() -> None:
    from cfshell.aws.effects import Effect

    reported = [
        Effect("streaming", "E2", "created"),
        Effect("bucket", "c", "created"),  # named by the user: no reference
        Effect("streaming", "E1", "modified"),
        Effect("oai", "E3", "created"),
        Effect("oai", "E4", "deleted"),
    ]
    assert t.created_by(reported) == [("streaming", "E2"), ("oai", "E3")]


# --- check ----------------------------------------------------------------------------------

RECORDED = textwrap.dedent(
    """\
    created streaming distribution E1AAAAAAAAAAAA (s1abcdefgh1234.cloudfront.net)
    ┃ Id             ┃ ETag           ┃ Status     ┃ Last modified           ┃
    │ E1AAAAAAAAAAAA │ E2QWRUHAPOMQZL │ InProgress │ 2025-11-28 10:40:12 UTC │
    OAI E3OAIOAIOAIOAI canonical 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    InProgress (1.2s)
    InProgress (2.4s)
    Deployed after 3.1s
    account 123456789012 caller ref 5f0c7a1e-0000-4000-8000-000000000001"""
)
REPLAYED = textwrap.dedent(
    """\
    created streaming distribution E9ZZZZZZZZZZZZ (s9zyxwvuts9876.cloudfront.net)
    ┃ Id             ┃ ETag           ┃ Status     ┃ Last modified           ┃
    │ E9ZZZZZZZZZZZZ │ E7ABCDEFGHIJKL │ InProgress │ 2026-01-02 03:04:05 UTC │
    OAI E8OAIOAIOAIOAI canonical fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
    InProgress (0.4s)
    Deployed after 0.9s
    account 999988887777 caller ref 00000000-1111-4222-8333-444455556666"""
)


def _step(output: str) -> t.Step:
    return t.Step(7, "streaming get", output.split("\n"))


def test_check_ignores_ids_etags_times_domains_canonical_ids_and_poll_counts() -> None:
    diff = t.compare(
        _step(RECORDED),
        REPLAYED,
        recorded_names={"E1AAAAAAAAAAAA": "streaming1", "E3OAIOAIOAIOAI": "oai1"},
        replayed_names={"E9ZZZZZZZZZZZZ": "streaming1", "E8OAIOAIOAIOAI": "oai1"},
    )
    assert diff is None


def test_check_shows_a_unified_diff_for_a_real_difference() -> None:
    diff = t.compare(
        _step(RECORDED),
        REPLAYED.replace("InProgress │", "Deployed   │"),
        recorded_names={},
        replayed_names={},
        source="seed.cfsh",
    )
    assert diff is not None
    assert diff.startswith("--- seed.cfsh:7 (recorded)\n+++ replayed\n@@")
    assert "-<id> <id> InProgress <time>" in diff
    assert "+<id> <id> Deployed <time>" in diff


def test_check_notices_a_wrong_cross_reference() -> None:
    # The replayed distribution uses a different OAI than the one this replay created.
    diff = t.compare(
        _step("OAI: E3OAIOAIOAIOAI"),
        "OAI: E5OTHEROTHER55",
        recorded_names={"E3OAIOAIOAIOAI": "oai1"},
        replayed_names={"E8OAIOAIOAIOAI": "oai1"},
    )
    assert diff is not None and "-OAI: $oai1" in diff


def test_check_ignores_table_width_and_colour() -> None:
    assert t.normalise("\x1b[1m│ a   │ b │\x1b[0m") == t.normalise("| a | b |".replace("|", "│"))


# --- dry run --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "streaming create my-video-bucket --cname cf.example.com",
            "creates a streaming distribution",
        ),
        ("streaming modify --oai", "changes the selected streaming distribution"),
        ("streaming modify $streaming1 --enable", "changes $streaming1"),
        (
            "streaming delete --force --yes",
            "deletes the selected streaming distribution (disables and waits first)",
        ),
        ("oai grant my-video-bucket", "changes the bucket policy of my-video-bucket"),
        ("oai grant my-video-bucket --acl", "changes the object ACLs of my-video-bucket"),
        ("streaming get", "reads only"),
        ("streaming wait --timeout 60", "reads only"),
        ("use oai E1AAAAAAAAAAAA", "changes only the session"),
        ("sim bucket create b", "changes the simulator only"),
    ],
)
def test_describe_says_what_a_command_would_change(line, expected) -> None:
    assert t.describe(line) == expected


# --- secrets --------------------------------------------------------------------------------


def _pem(kind: str = "rsa") -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if kind == "rsa"
        else ec.generate_private_key(ec.SECP256R1())
    )
    fmt = (
        serialization.PrivateFormat.TraditionalOpenSSL
        if kind == "rsa"
        else serialization.PrivateFormat.PKCS8
    )
    return key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode()


ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
TEMP_KEY = "ASIAY34FZKBOKMUTVV7A"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = (
    "IQoJb3JpZ2luX2VjEHAaCXVzLWVhc3QtMSJHMEUCIQD6m7Kx8z4d3L5uJv1nN0bY7kq2YtZl1oGq4m2r8YJ+HwIgR3"
    "o7e1Ck9sQbXx2dHjWqLh0u5NfZp/3a8bVYt2Q0lUqkgMIqP//////////ARAAGgw0MzYwNTU3NzUwNzUiDLb1xG6"
)


@pytest.mark.parametrize(
    "typed",
    [
        f"streaming list -k {ACCESS_KEY} -s {SECRET_KEY}",
        f"set aws_secret_access_key={SECRET_KEY}",
        f"export AWS_SECRET_ACCESS_KEY='{SECRET_KEY}' AWS_ACCESS_KEY_ID={TEMP_KEY}",
        f"oai create {SECRET_KEY}",
        f"profile x --session-token {SESSION_TOKEN}",
        f'{{"AccessKeyId": "{TEMP_KEY}", "SecretAccessKey": "{SECRET_KEY}", '
        f'"SessionToken": "{SESSION_TOKEN}"}}',
        f"oai create {SESSION_TOKEN}",
        f"export AWS_SESSION_TOKEN={SESSION_TOKEN}",
        f"sim object put b k --meta t={SESSION_TOKEN} {ACCESS_KEY}",
    ],
)
def test_scrub_removes_keys_secrets_and_tokens_whatever_the_form(typed) -> None:
    clean = t.scrub(typed)
    for secret in (ACCESS_KEY, TEMP_KEY, SECRET_KEY, SESSION_TOKEN, SESSION_TOKEN[:60]):
        assert secret not in clean
    assert t.REDACTED in clean
    assert t.scrub(clean) == clean  # idempotent


@pytest.mark.parametrize("kind", ["rsa", "ec"])
def test_scrub_removes_private_keys_in_pem_and_bare_and_inline(kind) -> None:
    pem = _pem(kind)
    body_lines = pem.strip().splitlines()[1:-1]
    for text in (
        f"key generated:\n{pem}done",  # output
        "key upload x " + pem.replace("\n", "\\n"),  # typed inline with \n escapes
        "\n".join(body_lines),  # body pasted without the PEM lines
        pem[: len(pem) // 2],  # cut short
    ):
        clean = t.scrub(text)
        for body_line in body_lines[:-1]:
            assert body_line not in clean, text[:40]
    assert "done" in t.scrub(f"key generated:\n{pem}done")


def test_scrub_removes_bearer_parts_of_signed_urls_and_cookies() -> None:
    signature = "Ab-Cd~Ef_" * 19
    url = (
        "https://d111111abcdef8.cloudfront.net/v.mp4?Expires=1700000000&Signature="
        + signature
        + "&Key-Pair-Id=K2JCJMDEHXQW5F"
    )
    assert t.scrub(url) == url.replace(signature, t.REDACTED)
    policy = "eyJTdGF0ZW1lbnQiOlt7IlJlc291cmNlIjoiaHR0cHM6Ly9kMTExLyoifV19"
    cookies = f"-b 'CloudFront-Policy={policy}; CloudFront-Signature={signature}; X=1'"
    scrubbed = t.scrub(cookies)
    assert policy not in scrubbed and signature not in scrubbed
    assert scrubbed == (
        f"-b 'CloudFront-Policy={t.REDACTED}; CloudFront-Signature={t.REDACTED}; X=1'"
    )
    assert (
        t.scrub(f"x?Policy={policy}&Signature=abc")
        == f"x?Policy={t.REDACTED}&Signature={t.REDACTED}"
    )


def test_scrub_keeps_what_is_not_secret() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    public = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    keep = [
        "streaming get E2QWRUHAPOMQZL",
        "ETag E2QWRUHAPOMQZL canonical " + "0123456789abcdef" * 4,
        "sha1 " + "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
        "key pair APKAEIBAERJR2EXAMPLE",
        "key-group get 5f0c7a1e-0000-4000-8000-000000000001",
        # A signed URL's Expires and Key-Pair-Id are no secret (its Signature is, see below).
        "https://d111111abcdef8.cloudfront.net/v.mp4?Expires=1700000000"
        + "&Key-Pair-Id=K2JCJMDEHXQW5F",
        public,
        "oai grant my-video-bucket --acl --permission FULL_CONTROL",
        "streaming create my-video-bucket --cname cf.example.com -m 'Seed workflow'",
    ]
    for text in keep:
        assert t.scrub(text) == text


def test_recorded_transcript_never_holds_a_secret_typed_or_printed() -> None:
    pem = _pem()
    text = record(
        (
            f"oai create {SECRET_KEY}",
            f"created with key {ACCESS_KEY}\n{pem}",
            [("oai", "E1AAAAAAAAAAAA")],
        ),
        (f"streaming list --session-token {SESSION_TOKEN}", "", []),
    )
    for secret in (SECRET_KEY, ACCESS_KEY, SESSION_TOKEN, pem.splitlines()[1]):
        assert secret not in text
    t.parse(text)  # still a valid transcript
