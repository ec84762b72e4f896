"""Help that teaches: commands grouped by category, an example in every command's help, and
`help workflow` with the seed's nine steps in commands that the shell's own parsers accept."""

from __future__ import annotations

import re
import shlex

import pytest

from cfshell.help import _walk


def test_help_groups_commands_by_category(shell):
    listing = shell.ok("help")
    expected = {
        "Streaming (RTMP, legacy)": "streaming",
        "Origin access": "oai",
        "Context": "use",
        "AWS account": "region",
        "Plugins": "plugin",
        "Simulator": "sim",
    }
    for category, command in expected.items():
        block = listing[listing.index(category) :].split("\n\n")[0]
        assert re.search(rf"\b{command}\b", block), f"{command} not under {category}"
    assert "workflow" in listing  # the help topic


def test_every_command_and_subcommand_shows_an_example(shell):
    app = shell.app
    shell.ok("help")  # fills in the examples a parser lacks
    checked = 0
    for command in app.get_visible_commands():
        parser = app.command_parsers.get(app.get_command_func(command))
        if parser is None:
            continue
        for name, _parser in _walk(command, parser):
            text = shell.ok(f"help {name}")
            assert re.search(r"(?im)^examples?:", text), f"`help {name}` shows no example"
            checked += 1
    assert checked > 40


def test_dash_h_shows_the_example_too(shell):
    # (cfshell counts `-h` as a usage failure, as argparse exits)
    assert "Example:\n  alias list" in shell.run("alias list -h").out


def _steps(text: str, title: str) -> list[str]:
    block = text[text.index(title) :].split("\n\n")[0]
    return [line for line in block.splitlines() if re.match(r"\s+\d\. ", line)]


@pytest.mark.parametrize(
    ("title", "first"), [("Legacy path", "streaming"), ("Modern path", "distribution")]
)
def test_help_workflow_gives_nine_steps_in_commands_the_shell_accepts(shell, title, first):
    app = shell.app
    text = shell.ok("help workflow")
    steps = _steps(text, title)
    assert [int(s.split(".")[0]) for s in steps] == list(range(1, 10))
    commands = app.get_all_commands()
    parsed = 0
    for step in steps:
        # "  2. distribution     streaming create ... (a comment)" -> the command lines
        body = re.split(r"\s{2,}", step.strip(), maxsplit=2)[-1]
        body = re.sub(r"\s+\(.*\)$", "", body)
        for line in body.split(" ; "):
            words = shlex.split(line)
            if not words or words[0] not in commands:
                continue
            parser = app.command_parsers.get(app.get_command_func(words[0]))
            parser.parse_args(words[1:])  # exits (fails the test) on a wrong command line
            parsed += 1
    assert parsed >= 7
    assert f"{first} create my-video-bucket --cname cf.example.com" in text


def _section_commands(text: str, title: str) -> list[str]:
    """The command column of a `help workflow` section, as typed (comments and `...`
    placeholders, which the reader fills in, left out)."""
    block = text[text.index(title) :].split("\n\n")[0]
    commands = []
    for line in block.splitlines()[2:]:  # after the title's two lines
        body = re.split(r"\s{2,}", line.strip(), maxsplit=1)[-1]
        body = re.split(r"\s{2,}\(", body)[0].strip()
        for command in body.split(" ; "):
            if command and "..." not in command:
                commands.append(command)
    return commands


def test_help_workflow_custom_domain_section_runs_as_written(stage):
    """The custom-domain section, typed line by line into a fresh simulator session."""
    stage.session.assume_yes = True
    commands = _section_commands(stage.ok("help workflow"), "Custom domain, end to end")
    assert commands[0] == "sim zone create example.com" and len(commands) >= 8
    for command in commands:
        stage.ok(command)
    url = stage.ok("sign url https://cf.example.com/videos/intro.mp4 --expires 1h").strip()
    assert "200" in stage.ok(f"sim get '{url}'")


def _path_commands(text: str, title: str, known: set[str]) -> list[str]:
    """The shell commands of a nine-step path, as typed: a step's continuation lines joined to
    it, `;` between commands, comments in parentheses, launch flags (`cfshell ...`), prose
    and `...` placeholders left out."""
    block = text[text.index(title) :].split("\n\n")[0].splitlines()[1:]
    steps: list[str] = []
    for line in block:
        numbered = re.match(r"\s+(?:\d\.|then|and)\s", line)
        body = re.split(r"\s{2,}", line.strip(), maxsplit=1)[-1] if numbered else line.strip()
        body = re.split(r"\s+\(", body)[0].rstrip(" \\")
        if not body or body.startswith("("):
            continue
        if numbered or not steps:
            steps.append(body)
        else:
            steps[-1] += " " + body
    commands = []
    for step in steps:
        for command in (c.strip() for c in step.split(";")):
            words = command.split()
            if words and words[0] in known and "..." not in command:
                commands.append(command)
    return commands


@pytest.mark.parametrize(
    ("title", "first", "last"),
    [
        ("Legacy path", "streaming create", "streaming wait"),
        ("Modern path", "cert request", "sign url /videos/intro.mp4 --expires 1h"),
    ],
)
def test_help_workflow_paths_run_as_written_after_the_rehearsal_stage(stage, title, first, last):
    """Each nine-step path, typed in order into a fresh simulator session set up as its
    preamble says (bucket, object, zone)."""
    stage.session.assume_yes = True
    text = stage.ok("help workflow")
    assert "sim zone create\nexample.com" in text or "sim zone create example.com" in text
    stage.ok("sim zone create example.com")
    commands = _path_commands(text, title, set(stage.app.get_all_commands()))
    assert commands[0].startswith(first) and commands[-1] == last and len(commands) >= 8
    for command in commands:
        stage.ok(command)


def test_every_help_example_is_a_line_the_shell_parses(shell):
    """Each example under `help CMD` (cfshell's own commands) is accepted by that command's
    parser as written: a reader who copies one gets no usage error."""
    app = shell.app
    shell.ok("help")  # fills in the examples a parser lacks
    builtin = {"alias", "edit", "help", "history", "macro", "quit", "run_pyscript", "run_script"}
    builtin |= {"set", "shell", "shortcuts"}
    parsed = 0
    for command in app.get_visible_commands():
        parser = app.command_parsers.get(app.get_command_func(command))
        if parser is None or command in builtin:
            continue
        for name, _sub in _walk(command, parser):
            shown = shell.ok(f"help {name}")
            example = re.split(r"(?im)^examples?:\n", shown, maxsplit=1)[-1]
            for line in example.splitlines():
                typed = re.split(r"\s{2,}[(#]", line)[0].strip()
                words = app.statement_parser.parse(typed).argv if typed else []
                if not words or words[: len(name.split())] != name.split() or "..." in line:
                    continue  # prose, another command's line, or a placeholder to fill in
                try:
                    parser.parse_args(words[1:])
                except SystemExit:
                    pytest.fail(f"`help {name}` example does not parse: {line.strip()}")
                parsed += 1
    assert parsed > 60
