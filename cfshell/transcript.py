"""Transcripts: record a session, parse it back, replay it, check it. Stdlib only.

A transcript is a script cmd2's `run_script` can read (every `#` line is a comment there)::

    # cfshell transcript 1
    # recorded: 2025-11-28T10:40:12+00:00
    # cfshell: 0.1.0
    # mode: simulate
    # width: 80
    streaming create my-video-bucket --cname cf.example.com -m "video"
    # created streaming distribution E2QWRUHAPOMQZL (s1a2b3c4d5e6f7.cloudfront.net)
    #= $streaming1 = E2QWRUHAPOMQZL
    #@ +0.0s
    streaming get $streaming1
    #@ +12.4s
    # ...

- the header is the comment block before the first command (its first line names the format);
- each command is one line; the lines of its output follow it as `# TEXT` (an empty line: `#`);
- `#= $NAME = ID` says that the command above created `ID`, referred to later as `$NAME`; at
  replay `$NAME` is bound to what that command creates this time (`#= $NAME` alone also works,
  for hand-written scripts);
- `#> ACTION KIND ID [LABEL]` is one change the command made, as the service layer reported it
  (`#> created key-group $keygroup1 signers`), written after the output and before the `#=`
  lines; `replay --dry-run` reads these. A transcript
  whose header says `# effects: recorded` has them for every command (one without any changed
  nothing in AWS); older transcripts have none, and dry-run judges from the command's words;
- `#@ +SECONDSs` under a command is when it started, counted from the start of the recording;
  a replay in the simulator advances the simulator's clock to that moment instead of waiting,
  so every status and expiry seen while recording is seen again (real AWS ignores it; older
  transcripts have none);
- `#! TEXT` is a note (a command that failed while recording is kept as such a note, not run).

Signed URLs and cookies are bearer tokens: never written. An output holding one shows a
placeholder saying what it grants (cfshell.bearer), and the token gets a reference,
`#= $signedurl1` or `#= $cookie1` (no value), that later commands use where it was pasted
(`sim get $signedurl1`); a replay binds it to the token it signs afresh. `--check` compares
such outputs by what they grant (resource or policy, key, lifetime from the command's start,
and a signature that verifies with the run's own key), times, durations, ETags and key
material by their shape, everything else exactly.

What a command created is what the service layer reported (cfshell.aws.effects), never guessed
from the selection or the command's words; the kinds and their `$reference` prefixes are those
of the registry (cfshell.kinds). This module knows nothing of cmd2: the app hands it lines,
outputs and effects.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

from . import bearer, kinds
from .redact import REDACTED, contains_secret, scrub  # noqa: F401 - part of this module's API

FORMAT_LINE = "# cfshell transcript 1"
_FORMAT_PREFIX = "# cfshell transcript"

# Says that every command's effects are written under it (`#> ...` lines).
EFFECTS_HEADER = "effects"
EFFECTS_RECORDED = "recorded"

# Commands that are about the session itself: never written to a transcript.
NOT_RECORDED = frozenset(
    {
        "record",
        "replay",
        "quit",
        "exit",
        "eof",
        "history",
        "run_script",
        "_relative_run_script",
        "run_pyscript",
        "py",
        "ipy",
        "edit",
    }
)

# Commands that only exist in the simulator (they set a rehearsal's stage).
SIMULATOR_ONLY = frozenset({"sim"})

# Only for scripts without recorded effects (hand-written, or recorded before effects were):
# the verbs that, judged from a command's words, make something.
CREATING_VERBS = frozenset({"create", "generate", "upload"})

_ETAG_OPTIONS = frozenset({"--etag", "--if-match"})

# References to bearer tokens (not resources): prefix -> pseudo-kind.
BEARER_REFERENCES = {"signedurl": "signed-url", "cookie": "signed-cookie"}
BEARER_KINDS = frozenset(BEARER_REFERENCES.values())
_BEARER_PLACEHOLDERS = {
    "signed-url": "https://d111111abcdef8.cloudfront.net/x?Expires=1&Signature=x&Key-Pair-Id=K",
    "signed-cookie": "CloudFront-Signature=x",
}


def reference_kinds() -> list[str]:
    """Kinds (registry names) whose created IDs become `$references`, in registry order.

    Buckets are named by the user, so they stay as typed."""
    return [kind.name for kind in kinds.referenced()]


def ref_prefix(kind: str) -> str:
    """`key-group` -> `keygroup`: the name part of its `$references` ('' for none)."""
    entry = kinds.get(kind)
    return entry.ref_prefix if entry else ""


@functools.lru_cache(maxsize=8)
def _reference_names(version: int) -> tuple[dict[str, str], re.Pattern[str]]:
    """(prefix -> kind, the pattern of a reference name), for one state of the registry."""
    of_prefix = {k.ref_prefix: k.name for k in kinds.referenced()}
    of_prefix.update(BEARER_REFERENCES)
    # Longest prefixes first, so `$keygroup1` is not read as `$key` + `group1`.
    names = "|".join(sorted(of_prefix, key=len, reverse=True)) or "(?!)"
    return of_prefix, re.compile(rf"(?:{names})[0-9]+")


REFERENCE = re.compile(r"\$([a-z][a-z-]*[0-9]+)(?![A-Za-z0-9_])")
_BIND_LINE = re.compile(r"^#= \$(?P<name>[a-z][a-z-]*[0-9]+)(?: = (?P<id>\S+))?\s*$")
_EFFECT_LINE = re.compile(
    r"^#> (?P<action>created|modified|deleted) (?P<kind>[a-z][a-z0-9-]*) (?P<id>\S+)"
    r"(?: (?P<label>.*))?$"
)
_TIME_LINE = re.compile(r"^#@ \+(?P<seconds>[0-9]+(?:\.[0-9]+)?)s$")
_HEADER_FIELD = re.compile(r"^# (?P<key>[a-z][a-z -]*): (?P<value>.*)$")
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


class TranscriptError(ValueError):
    """A transcript that cannot be run as it stands; names the file and line when known."""

    def __init__(self, message: str, lineno: int | None = None, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.lineno = lineno
        self.source = source

    def __str__(self) -> str:
        where = self.source or "transcript"
        if self.lineno is not None:
            where = f"{where}, line {self.lineno}"
        return f"{where}: {self.message}"


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


# --- command lines --------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    value: str
    start: int
    end: int


def tokenize(line: str) -> list[Token]:
    """Split a command line as a POSIX shell would, keeping where each word is in `line`.

    Raises ValueError on an unclosed quotation (as cmd2 would refuse the line).
    """
    tokens: list[Token] = []
    i, n = 0, len(line)
    while i < n:
        while i < n and line[i].isspace():
            i += 1
        if i >= n:
            break
        start, value = i, []
        while i < n and not line[i].isspace():
            c = line[i]
            if c == "'":
                close = line.find("'", i + 1)
                if close < 0:
                    raise ValueError("No closing quotation")
                value.append(line[i + 1 : close])
                i = close + 1
            elif c == '"':
                i += 1
                while True:
                    if i >= n:
                        raise ValueError("No closing quotation")
                    if line[i] == '"':
                        i += 1
                        break
                    if line[i] == "\\" and i + 1 < n and line[i + 1] in '"\\$`':
                        i += 1
                    value.append(line[i])
                    i += 1
            elif c == "\\" and i + 1 < n:
                value.append(line[i + 1])
                i += 2
            else:
                value.append(c)
                i += 1
        tokens.append(Token("".join(value), start, i))
    return tokens


def command_words(line: str) -> tuple[str, str]:
    """(command, subcommand) of a line, lower case; '' where missing or unparsable."""
    try:
        tokens = tokenize(line)
    except ValueError:
        parts = line.split()
        tokens = [Token(p, 0, 0) for p in parts[:2]]
    first = tokens[0].value.lower() if tokens else ""
    second = tokens[1].value.lower() if len(tokens) > 1 else ""
    return first, second


def is_recorded(line: str) -> bool:
    """False for blank lines, comments, and the commands about the session itself."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return False
    return command_words(stripped)[0] not in NOT_RECORDED


def simulator_only(line: str) -> bool:
    return command_words(line)[0] in SIMULATOR_ONLY


def drop_etags(line: str) -> str:
    """Remove an explicit ETag from a command: at replay the ETag is fetched afresh.

    `GROUP delete [ID] [ETAG]`: the second positional argument; anywhere: `--etag/--if-match X`.
    """
    try:
        tokens = tokenize(line)
    except ValueError:
        return line
    drop: list[Token] = []
    for i, token in enumerate(tokens):
        if token.value in _ETAG_OPTIONS:
            drop.append(token)
            if i + 1 < len(tokens):
                drop.append(tokens[i + 1])
        elif token.value.startswith(tuple(f"{opt}=" for opt in _ETAG_OPTIONS)):
            drop.append(token)
    group = kinds.get(tokens[0].value) if tokens else None
    if len(tokens) >= 4 and group and group.delete_takes_etag and tokens[1].value == "delete":
        positionals = [t for t in tokens[2:] if not t.value.startswith("-") and t not in drop]
        drop.extend(positionals[1:2])
    if not drop:
        return line
    out, pos = [], 0
    for token in sorted(set(drop), key=lambda t: t.start):
        # Also drop the whitespace before the word.
        cut = token.start
        while cut > pos and line[cut - 1].isspace():
            cut -= 1
        out.append(line[pos:cut])
        pos = token.end
    out.append(line[pos:])
    return "".join(out)


def references_in(line: str) -> list[str]:
    """Names of the `$references` a command line uses, in order."""
    return [m.group(1) for m in REFERENCE.finditer(line)]


def kind_of_reference(name: str) -> str | None:
    """`streaming3` -> `streaming`; None if `name` is not a reference name."""
    of_prefix, pattern = _reference_names(kinds.version())
    if not pattern.fullmatch(name):
        return None
    return of_prefix[name.rstrip("0123456789")]


def _id_pattern(ids: Iterable[str]) -> re.Pattern[str] | None:
    key = tuple(sorted({i for i in ids if i}, key=lambda i: (-len(i), i)))
    return _compiled_ids(key) if key else None


@functools.lru_cache(maxsize=64)
def _compiled_ids(ids: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(
        r"(?<![A-Za-z0-9_-])(" + "|".join(re.escape(i) for i in ids) + r")(?![A-Za-z0-9_-])"
    )


def replace_ids(text: str, names: dict[str, str]) -> str:
    """Replace each ID in `names` (ID -> reference name) by `$name`, as whole words."""
    pattern = _id_pattern(names)
    if pattern is None:
        return text
    return pattern.sub(lambda m: "$" + names[m.group(1)], text)


# --- parsing --------------------------------------------------------------------------------


@dataclass
class Binding:
    name: str  # `streaming1`
    kind: str  # `streaming`
    recorded_id: str | None
    lineno: int


@dataclass(frozen=True)
class RecordedEffect:
    """A `#> ACTION KIND ID [LABEL]` line: one change the command made when recorded (`id` as
    written: a `$reference` for what the recording created)."""

    action: str
    kind: str
    id: str
    label: str = ""


@dataclass
class Step:
    """One command of a transcript, with the output recorded under it."""

    lineno: int
    command: str
    output: list[str] = field(default_factory=list)
    binds: list[Binding] = field(default_factory=list)
    effects: list[RecordedEffect] = field(default_factory=list)
    at: float | None = None  # seconds from the start of the recording (`#@`), if recorded

    @property
    def recorded_output(self) -> str:
        return "\n".join(self.output)


@dataclass
class Transcript:
    steps: list[Step]
    header: dict[str, str] = field(default_factory=dict)
    is_transcript: bool = True  # False: a plain script (no transcript header)
    source: str = "transcript"

    @property
    def mode(self) -> str:
        return self.header.get("mode", "")

    @property
    def has_effects(self) -> bool:
        """True when every command's effects were recorded (an empty list: it changed nothing)."""
        return self.header.get(EFFECTS_HEADER) == EFFECTS_RECORDED

    def recorded_ids(self) -> dict[str, str]:
        """ID -> reference name, as recorded."""
        return {b.recorded_id: b.name for s in self.steps for b in s.binds if b.recorded_id}


def parse(
    text: str,
    *,
    source: str = "transcript",
    known_commands: Collection[str] | None = None,
    check_line: Callable[[str], str | None] | None = None,
) -> Transcript:
    """Parse a transcript (or a plain script) and validate all of it before anything runs.

    `known_commands`: names of the app's commands (a line naming another is an error, e.g. an
    output line whose `# ` was lost in an edit). `check_line(command)`: returns an error
    message for a line the app would refuse (e.g. its arguments do not parse), else None.
    Raises TranscriptError naming the first bad line.
    """

    def fail(message: str, lineno: int) -> TranscriptError:
        return TranscriptError(message, lineno, source)

    lines = text.split("\n")
    ended = lines[-1] == ""
    if ended:
        lines.pop()
    is_transcript = bool(lines) and lines[0].rstrip("\r").startswith(_FORMAT_PREFIX)
    if is_transcript and lines[0].rstrip("\r") != FORMAT_LINE:
        raise fail(
            f"unsupported transcript format {lines[0].strip()!r}: expected {FORMAT_LINE!r}", 1
        )
    if is_transcript and lines and not ended:
        # The recorder ends every line: a last line without an end was cut off.
        raise fail(
            "the last line has no line end: the transcript looks truncated (complete or "
            "delete that line)",
            len(lines),
        )

    header: dict[str, str] = {}
    steps: list[Step] = []
    bound: dict[str, int] = {}
    current: Step | None = None  # the step output lines attach to
    in_header = True

    for lineno, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r")
        if "\x00" in line:
            raise fail("contains a NUL byte: this is not a text transcript", lineno)
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            if in_header and not stripped.startswith(("#=", "#!", "#>", "#@")):
                match = _HEADER_FIELD.match(stripped)
                if match:
                    header[match.group("key")] = match.group("value").strip()
                if is_transcript and not (
                    stripped == "#" or stripped.startswith("# ") or lineno == 1
                ):
                    raise fail(f"unexpected comment {stripped[:20]!r} in the header", lineno)
                continue
            if stripped.startswith("#="):
                match = _BIND_LINE.match(stripped)
                if not match:
                    raise fail(
                        f"malformed reference line {stripped!r}: expected '#= $name = ID'",
                        lineno,
                    )
                name = match.group("name")
                kind = kind_of_reference(name)
                if kind is None:
                    prefixes = ", ".join(k.ref_prefix for k in kinds.referenced())
                    raise fail(
                        f"${name} is not a reference name: use a kind "
                        f"({prefixes}) and a number, like $streaming1",
                        lineno,
                    )
                if current is None:
                    raise fail(f"${name} is not under the command that created it", lineno)
                if name in bound:
                    raise fail(f"${name} is already bound on line {bound[name]}", lineno)
                bound[name] = lineno
                current.binds.append(Binding(name, kind, match.group("id"), lineno))
                continue
            if stripped.startswith("#@"):
                match = _TIME_LINE.match(stripped)
                if not match:
                    raise fail(f"malformed time line {stripped!r}: expected '#@ +SECONDSs'", lineno)
                if current is None:
                    raise fail("a time line is not under a command", lineno)
                current.at = float(match.group("seconds"))
                continue
            if stripped.startswith("#>"):
                match = _EFFECT_LINE.match(stripped)
                if not match:
                    raise fail(
                        f"malformed effect line {stripped!r}: expected "
                        "'#> created|modified|deleted KIND ID [LABEL]'",
                        lineno,
                    )
                if current is None:
                    raise fail("an effect line is not under the command that made it", lineno)
                current.effects.append(
                    RecordedEffect(
                        match.group("action"),
                        match.group("kind"),
                        match.group("id"),
                        match.group("label") or "",
                    )
                )
                continue
            if stripped.startswith("#!"):
                current = None  # a note ends the output of the command above
                continue
            if stripped == "#" or stripped.startswith("# "):
                if current is not None:
                    current.output.append(stripped[2:] if len(stripped) > 1 else "")
                continue
            if is_transcript:
                raise fail(
                    f"unexpected comment {stripped[:20]!r}: output lines start with '# '", lineno
                )
            continue

        # A command.
        in_header = False
        try:
            tokenize(stripped)
        except ValueError as exc:
            raise fail(f"{exc} in {stripped!r}", lineno) from None
        if known_commands is not None:
            word = command_words(stripped)[0]
            if word not in known_commands:
                raise fail(
                    f"unknown command {word!r} (is an output line missing its '# '?)", lineno
                )
        for name in references_in(stripped):
            if name not in bound:
                kind = kind_of_reference(name)
                reason = (
                    "no earlier command in the transcript creates it"
                    if kind
                    else "not a reference name (kind and number, like $streaming1)"
                )
                raise fail(f"unknown reference ${name}: {reason}", lineno)
        if check_line is not None:
            problem = check_line(_placeholder_refs(stripped))
            if problem:
                raise fail(problem, lineno)
        current = Step(lineno, stripped)
        steps.append(current)

    return Transcript(steps, header, is_transcript, source)


def _placeholder_refs(line: str) -> str:
    """A line with each `$reference` replaced by a well-formed dummy ID, to check its syntax."""

    def placeholder(match: re.Match[str]) -> str:
        kind = kind_of_reference(match.group(1)) or ""
        if kind in _BEARER_PLACEHOLDERS:
            return _BEARER_PLACEHOLDERS[kind]
        entry = kinds.get(kind)
        return entry.placeholder_id if entry else "E00000000000REF"

    return REFERENCE.sub(placeholder, line)


def read(path: str, **kwargs: object) -> Transcript:
    """Read and parse a transcript file (see `parse`)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise TranscriptError(f"cannot read it: {exc.strerror or exc}", None, path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        lineno = data.count(b"\n", 0, exc.start) + 1
        raise TranscriptError("is not UTF-8 text", lineno, path) from None
    return parse(text, source=path, **kwargs)  # type: ignore[arg-type]


# --- recording ------------------------------------------------------------------------------


def header_lines(
    *,
    mode: str,
    version: str,
    width: int | None = None,
    when: datetime | None = None,
    effects: bool = False,
) -> list[str]:
    """The header; `effects`: the recorder writes every command's effects (`#>` lines), as
    the shell's recorder does."""
    when = when or datetime.now(UTC)
    lines = [
        FORMAT_LINE,
        f"# recorded: {when.isoformat(timespec='seconds')}",
        f"# cfshell: {version}",
        f"# mode: {mode}",
    ]
    if width:
        lines.append(f"# width: {width}")
    if effects:
        lines.append(f"# {EFFECTS_HEADER}: {EFFECTS_RECORDED}")
    return lines


def created_by(effects: Iterable[Any]) -> list[tuple[str, str]]:
    """(kind, id) of each resource the reported `effects` created that gets a `$reference`,
    in the order they were made (an Effect of cfshell.aws.effects, or anything shaped so)."""
    return [
        (effect.kind, effect.id)
        for effect in effects
        if effect.action == "created" and ref_prefix(effect.kind)
    ]


class Recorder:
    """Writes a transcript as the session goes: one command (and its output) at a time.

    Every line is flushed when written, so a crash keeps what was done.
    """

    def __init__(self, stream: IO[str], *, path: str = "") -> None:
        self.stream = stream
        self.path = path
        self.names: dict[str, str] = {}  # created ID -> reference name
        self.tokens: dict[str, str] = {}  # a signed URL or cookie printed -> reference name
        self._counts: dict[str, int] = {}
        self.commands = 0

    @classmethod
    def open(cls, path: str, *, force: bool = False, header: list[str]) -> Recorder:
        """Create `path` (0600; refusing to overwrite it unless `force`), write the header."""
        stream = open_private(path, force=force)
        recorder = cls(stream, path=path)
        recorder._write(header)
        return recorder

    def _write(self, lines: Iterable[str]) -> None:
        self.stream.write("".join(f"{line}\n" for line in lines))
        self.stream.flush()

    def rewrite(self, line: str) -> str:
        """The command as written: signed URLs and cookies printed earlier as their
        `$references`, other secrets out, ETags out, created IDs as `$references`."""
        line = line.strip()
        for token in sorted(self.tokens, key=len, reverse=True):
            if token in line:
                line = line.replace(token, "$" + self.tokens[token])
        return replace_ids(drop_etags(scrub(line)), self.names)

    def _new_name(self, kind: str, prefix: str) -> str:
        count = self._counts.get(kind, 0) + 1
        self._counts[kind] = count
        return f"{prefix}{count}"

    def command(
        self,
        line: str,
        output: str = "",
        created: Iterable[tuple[str, str]] = (),
        *,
        effects: Iterable[Any] | None = None,
        at: float | None = None,
        started: float | None = None,
    ) -> str:
        """Write a command that succeeded, its output, the references it creates, and the
        `effects` the service layer reported for it (their creations are `created`).

        `at`: when it started, in seconds from the start of the recording (`#@`); `started`:
        the same moment in seconds since the epoch, from which lifetimes of the signed URLs and
        cookies it printed are counted."""
        effects = list(effects) if effects is not None else None
        if effects is not None:
            created = created_by(effects)
        written = self.rewrite(line)
        lines = [written]
        if at is not None:
            lines.append(f"#@ +{max(at, 0.0):.1f}s")
        plain = strip_ansi(output)
        lines.extend(output_lines(bearer.describe(plain, started)))
        binds = []
        for kind, resource_id in created:
            if resource_id in self.names or not ref_prefix(kind):
                continue
            name = self._new_name(kind, ref_prefix(kind))
            self.names[resource_id] = name
            binds.append(f"#= ${name} = {resource_id}")
        # Bearer tokens it printed: a reference for each, never the value.
        for prefix, kind, found in (
            ("signedurl", "signed-url", bearer.find_urls(plain)),
            ("cookie", "signed-cookie", bearer.find_cookies(plain)),
        ):
            for token in found:
                if token not in self.tokens:
                    name = self._new_name(kind, prefix)
                    self.tokens[token] = name
                    binds.append(f"#= ${name}")
        if not simulator_only(line):  # the stage of a rehearsal: no plan needs it
            lines.extend(self._effect_line(effect) for effect in effects or ())
        lines.extend(binds)
        self._write(lines)
        self.commands += 1
        return written

    def _effect_line(self, effect: Any) -> str:
        where = replace_ids(effect.id, self.names)
        label = " ".join(scrub(strip_ansi(effect.label or "")).split())
        label = "" if label == effect.id else label
        return f"#> {effect.action} {effect.kind} {where}" + (f" {label}" if label else "")

    def failed(self, line: str) -> None:
        """Keep a failed command as a note: it is not replayed."""
        self._write([f"#! failed, not replayed: {self.rewrite(line)}"])

    def close(self) -> None:
        if not self.stream.closed:
            self.stream.close()


def open_private(path: str, *, force: bool = False) -> IO[str]:
    """Open `path` for writing as a file only its owner may read (0600), as transcripts,
    resume files and history are; FileExistsError if it exists, unless `force`."""
    import os

    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    fd = os.open(path, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an existing file overwritten keeps no wider mode
        return os.fdopen(fd, "w", encoding="utf-8")
    except BaseException:
        os.close(fd)
        raise


def output_lines(output: str) -> list[str]:
    """Output as transcript comment lines (scrubbed, without colours or trailing blanks)."""
    text = scrub(strip_ansi(output)).rstrip()
    if not text:
        return []
    # A line redrawn with carriage returns: keep what the terminal showed last.
    text = "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))
    return ["# " + line.rstrip() if line.strip() else "#" for line in text.split("\n")]


# --- replay ---------------------------------------------------------------------------------


class Replay:
    """Binds references as the creates run, and resolves them in later commands."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.bound: dict[str, str] = {}  # reference name -> ID created by this replay

    def resolve(self, step: Step) -> str:
        """The command to run for `step`, with its references replaced by this run's IDs."""

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.bound:
                raise TranscriptError(
                    f"${name} is not bound: the command that creates it did not run",
                    step.lineno,
                    self.transcript.source,
                )
            return self.bound[name]

        return REFERENCE.sub(value, step.command)

    def created(self, step: Step, created: Iterable[tuple[str, str]]) -> None:
        """Bind the step's references to what it created (kind by kind, in order)."""
        pending = list(created)
        for binding in step.binds:
            if binding.kind in BEARER_KINDS:
                continue
            for index, (kind, resource_id) in enumerate(pending):
                if kind == binding.kind:
                    self.bound[binding.name] = resource_id
                    del pending[index]
                    break
            else:
                raise TranscriptError(
                    f"this command created no {binding.kind}, so ${binding.name} cannot be bound",
                    step.lineno,
                    self.transcript.source,
                )

    def printed(self, step: Step, output: str) -> None:
        """Bind the step's `$signedurl`/`$cookie` references to the tokens it printed now."""
        plain = strip_ansi(output)
        found = {
            "signed-url": bearer.find_urls(plain),
            "signed-cookie": bearer.find_cookies(plain),
        }
        for binding in step.binds:
            tokens = found.get(binding.kind)
            if tokens is None:
                continue
            if not tokens:
                raise TranscriptError(
                    f"this command printed no {binding.kind.replace('-', ' ')}, so "
                    f"${binding.name} cannot be bound",
                    step.lineno,
                    self.transcript.source,
                )
            self.bound[binding.name] = tokens.pop(0)

    def replayed_ids(self) -> dict[str, str]:
        return {
            resource_id: name
            for name, resource_id in self.bound.items()
            if kind_of_reference(name) not in BEARER_KINDS
        }


# --- check ----------------------------------------------------------------------------------

_BOX = re.compile(r"[\u2500-\u257f]")
# What legitimately differs between two runs of the same commands, most specific first.
_VOLATILE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b[a-z0-9]{8,}\.cloudfront\.net\b"), "<domain>"),
    (
        re.compile(
            r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}| ?UTC)?"
        ),
        "<time>",
    ),
    (re.compile(r"\b\d{2}:\d{2}:\d{2}(?:\.\d+)?\b"), "<time>"),
    (
        re.compile(
            r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
        ),
        "<uuid>",
    ),
    (re.compile(r"\b[0-9a-f]{64,96}\b"), "<canonical-id>"),
    # Key material: new with every key (a whole PEM block; long base64 runs elsewhere).
    (
        re.compile(r"-----BEGIN ((?:[A-Z]+ )*)PUBLIC KEY-----.*?-----END \1PUBLIC KEY-----", re.S),
        "<public key>",
    ),
    (re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=])"), "<key>"),
    # CloudFront key pair IDs of active signers (the simulator makes new ones each run).
    (re.compile(r"\bAPKA[A-Z0-9]{16}\b"), "<key-pair-id>"),
    # CloudFront IDs and ETags (E..., K..., I...: 13 or 14 upper-case letters and digits).
    (re.compile(r"\b[A-Z][A-Z0-9]{12,13}\b"), "<id>"),
    (re.compile(r"\b\d{12}\b"), "<account>"),
    (
        re.compile(r"\b\d+(?:\.\d+)?[ \t]?(?:ms|s|sec|secs|seconds?|min|minutes?|/s)\b"),
        "<duration>",
    ),
    (re.compile(r"\b\d+:\d{2}(?::\d{2})?\b"), "<duration>"),
    # Simulated viewers' counts (`sim traffic`): how many requests fit in a run's time.
    (re.compile(r"\b\d+(?= requests\b| x [1-5]\d\d\b)"), "<count>"),
]


def normalise(text: str, names: dict[str, str] | None = None) -> list[str]:
    """Output lines with what differs between runs masked, for comparison.

    IDs created in the run become their `$reference` names (so a wrong cross-reference still
    shows); other IDs, ETags, times, domain names, canonical IDs, durations become placeholders.
    Table borders and runs of spaces are dropped (column widths follow the values), and
    repeated lines are folded (a `wait` polls a varying number of times).
    """
    text = scrub(strip_ansi(text))
    if names:
        text = replace_ids(text, names)
    for pattern, placeholder in _VOLATILE:
        text = pattern.sub(placeholder, text)
    text = _BOX.sub(" ", text)
    result: list[str] = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        if result and result[-1] == line:
            continue
        result.append(line)
    return result


def compare(
    step: Step,
    replayed_output: str,
    *,
    recorded_names: dict[str, str],
    replayed_names: dict[str, str],
    source: str = "transcript",
    started: float | None = None,
    verify: bearer.Verify | None = None,
) -> str | None:
    """A unified diff if `replayed_output` differs from what `step` recorded, else None.

    Signed URLs and cookies in `replayed_output` are compared by what they grant, their
    lifetimes counted from `started` (the command's start, seconds since the epoch), and with
    `verify` a signature that does not verify is a difference."""
    expected = normalise(step.recorded_output, recorded_names)
    replayed = bearer.describe(strip_ansi(replayed_output), started, verify)
    actual = normalise(replayed, replayed_names)
    if expected == actual:
        return None
    diff = difflib.unified_diff(
        expected,
        actual,
        fromfile=f"{source}:{step.lineno} (recorded)",
        tofile="replayed",
        lineterm="",
    )
    return "\n".join(diff)


# --- dry run --------------------------------------------------------------------------------

_READ_VERBS = frozenset({"list", "get", "wait", "show", "context", "help", "ls"})
_SESSION_GROUPS = ("use", "clear", "set", "context", "help", "alias", "macro", "shortcuts")
_ACTION_VERBS = {"created": "creates", "modified": "changes", "deleted": "deletes"}


def describe_effects(effects: Iterable[RecordedEffect]) -> str:
    """What a command changed when it was recorded, from its `#>` lines."""
    parts = []
    for effect in effects:
        entry = kinds.get(effect.kind)
        noun = entry.noun if entry else effect.kind
        if effect.action == "created":
            article = entry.article() if entry else "a"
            what = f"{article} {noun}"
            if not effect.id.startswith("$"):
                what += f" {effect.id}"  # a bucket: named by the user
        else:
            what = f"{noun} {effect.id}"
            if effect.label and effect.label != effect.id:
                what += f" ({effect.label})"
        parts.append(f"{_ACTION_VERBS.get(effect.action, effect.action)} {what}")
    return ", ".join(parts)


def describe_step(
    step: Step, script: Transcript, arguments: Mapping[str, Any] | None = None
) -> str:
    """What `step` would change: from its recorded effects when the transcript has them, else
    judged from its words (`describe`)."""
    if step.effects:
        return describe_effects(step.effects)
    group, verb = command_words(step.command)
    if script.has_effects and group not in _SESSION_GROUPS and group not in ("sim", "sign"):
        return "reads only (it changed nothing when recorded)"
    return describe(step.command, arguments)


def describe(line: str, arguments: Mapping[str, Any] | None = None) -> str:
    """What a command would change, in a few words, judged from its words alone (for scripts
    without recorded effects).

    `arguments`: the line's parsed arguments, when the caller could parse it; its `id` and
    `bucket` are then used rather than guessed from the words (an option's value is no target).
    """
    group, verb = command_words(line)
    noun = kinds.noun(group)
    try:
        words = [t.value for t in tokenize(line)]
    except ValueError:
        words = line.split()
    target = next((w for w in words[2:] if not w.startswith("-")), "")
    bucket = next((w for w in reversed(words[2:]) if not w.startswith("-")), "the bucket")
    if arguments is not None:
        if "id" in arguments:
            target = arguments["id"] or ""
        if arguments.get("bucket"):
            bucket = arguments["bucket"]
    which = target if target else f"the selected {noun}"
    if group in _SESSION_GROUPS:
        return (
            "changes only the session" if group != "context" and group != "help" else "reads only"
        )
    if group == "sim":
        return "changes the simulator only" if verb not in _READ_VERBS else "reads only"
    if group == "sign":
        return "reads only (signs locally)"
    if verb in _READ_VERBS or not verb:
        return "reads only"
    if verb in CREATING_VERBS:
        return f"creates {'an' if noun[:1] in 'aeiou' else 'a'} {noun}"
    if verb == "delete":
        return f"deletes {which}" + (" (disables and waits first)" if "--force" in words else "")
    if verb in ("grant", "revoke"):
        how = "object ACLs" if "--acl" in words else "bucket policy"
        change = (
            "would list the objects to change" if "--dry-run" in words else f"changes the {how}"
        )
        return f"{change} of {bucket}"
    if verb == "invalidate":
        return f"creates an invalidation on {which}"
    return f"changes {which}"


# --- resume ---------------------------------------------------------------------------------

RESUME_SUFFIX = ".resume"


def resume_path(source: str) -> str:
    """Where the resume file of transcript `source` lives: beside it."""
    import os

    return os.path.expanduser(source) + RESUME_SUFFIX


def line_digests(text: str) -> list[str]:
    """A short digest of each line of a transcript: enough to tell that one changed."""
    import hashlib

    return [hashlib.sha256(line.encode()).hexdigest()[:16] for line in text.split("\n")]


def first_changed_line(saved: list[str], text: str) -> int | None:
    """The first line (1-based) of `text` that differs from the digests `saved`, or None."""
    now = line_digests(text)
    for index, (old, new) in enumerate(zip(saved, now, strict=False)):
        if old != new:
            return index + 1
    if len(saved) != len(now):
        return min(len(saved), len(now)) + 1
    return None


@dataclass
class ResumePoint:
    """Where a replay stopped: the step to start at, what was bound and selected by then."""

    lineno: int
    bound: dict[str, str]
    selection: list[tuple[str, str, str]]  # (kind, ID, label)
    done: list[int]
    digests: list[str]

    def to_json(self) -> str:
        import json

        return json.dumps(
            {
                "format": "cfshell resume 1",
                "line": self.lineno,
                "bound": self.bound,
                "selection": [list(entry) for entry in self.selection],
                "done": self.done,
                "lines": self.digests,
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str, source: str) -> ResumePoint:
        import json

        try:
            data = json.loads(text)
            if data.get("format") != "cfshell resume 1":
                raise ValueError("not a cfshell resume file")
            return cls(
                int(data["line"]),
                {str(k): str(v) for k, v in data["bound"].items()},
                [(str(k), str(i), str(label)) for k, i, label in data.get("selection", [])],
                [int(n) for n in data.get("done", [])],
                [str(d) for d in data["lines"]],
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise TranscriptError(f"unreadable resume file: {exc}", None, source) from None


def write_resume(source: str, point: ResumePoint) -> str:
    """Write `point` beside `source` (0600, replacing an older one); its path."""
    path = resume_path(source)
    with open_private(path, force=True) as handle:
        handle.write(point.to_json() + "\n")
    return path


def read_resume(source: str) -> ResumePoint:
    path = resume_path(source)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise TranscriptError(
            f"no resume file {path}: nothing stopped there to go on from", None, source
        ) from None
    except OSError as exc:
        raise TranscriptError(f"cannot read {path}: {exc.strerror or exc}", None, source) from None
    return ResumePoint.from_json(text, path)
