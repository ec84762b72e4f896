"""The registry of kinds (cfshell.kinds): one entry per kind, read by the selection, errors,
completion and transcripts, so that a kind registered here (only here) works everywhere."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import cmd2
import pytest

from cfshell import kinds, transcript
from cfshell.aws import effects
from cfshell.commands.base import CfShellCommandSet, add_select_option, base_parser, new_parser
from cfshell.errors import UsageError, from_client_error

ROOT = Path(__file__).resolve().parents[1]
KINDS_MODULES = (
    "context.py",
    "errors.py",
    "transcript.py",
    "commands/selection.py",
    "commands/base.py",
    "commands/transcripts.py",
)


def test_every_kind_has_one_entry_with_what_the_shell_needs() -> None:
    assert list(kinds.KINDS)[:6] == ["streaming", "distribution", "oai", "oac", "key", "key-group"]
    for name in ("invalidation", "bucket", "cert"):
        assert kinds.get(name) is not None
    group = kinds.get("key-group")
    assert group.noun == "key group" and group.ref_prefix == "keygroup"
    assert group.lister.source == "cfshell.aws.keys:iter_key_groups"
    assert kinds.get("bucket").ref_prefix == ""  # named by the user: no $references
    assert kinds.of_operation("GetStreamingDistributionConfig").name == "streaming"
    assert kinds.of_operation("ListDistributionsByKeyGroup").name == "distribution"
    assert kinds.of_not_found("NoSuchPublicKey").name == "key"
    assert kinds.of_not_found("NoSuchResource") is None  # CloudFront's code for several kinds


def test_no_second_table_of_kinds_remains() -> None:
    # The modules that kept tables of kinds before the registry spell no kind's noun any more.
    found = subprocess.run(
        [
            "grep",
            "-rln",
            '"origin access identity"\\|"streaming distribution"\\|"key group"',
            *KINDS_MODULES,
            "kinds.py",
        ],
        cwd=ROOT / "cfshell",
        capture_output=True,
        text=True,
    ).stdout.split()
    assert found == ["kinds.py"]


def test_importing_the_registry_imports_no_service_module() -> None:
    code = (
        "import sys, cfshell.kinds, cfshell.context, cfshell.errors, cfshell.transcript;"
        "print(sorted(m for m in sys.modules if m.startswith(('cfshell.aws.', 'boto'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_cert_arn_is_a_cert_id_and_a_cloudfront_id_is_not() -> None:
    from cfshell.context import check_id

    arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-4222-8333-444455556666"
    assert check_id("cert", arn) == arn
    with pytest.raises(UsageError, match="not a valid certificate ID"):
        check_id("cert", "E2QWRUHAPOMQZL")


# --- a kind defined only in this test ---------------------------------------------------------

WIDGETS = [{"Id": "W1000", "Name": "first widget"}, {"Id": "W2000", "Name": "second widget"}]


def iter_widgets(client: object) -> Iterator[dict]:
    """The widget kind's lister (the test's stand-in for a service module)."""
    yield from WIDGETS


def make_widgets(created: list[str]) -> None:
    """The widget kind's service: reports what it makes, as cfshell.aws functions do."""
    for widget_id in created:
        effects.report("widget", widget_id, effects.CREATED, f"widget {widget_id}")


class WidgetCommands(CfShellCommandSet):
    """`widget make ID...`: makes widgets without selecting them (unless asked to)."""

    @cmd2.with_argparser(base_parser("Widgets."))
    def do_widget(self, args: argparse.Namespace) -> None:
        args.cmd2_subcommand_func(args)

    def _make_parser() -> cmd2.Cmd2ArgumentParser:  # noqa: N805 - a parser factory
        parser = new_parser("Make widgets.")
        parser.add_argument("ids", nargs="+")
        return add_select_option(parser)

    @cmd2.as_subcommand_to("widget", "make", _make_parser, help="make widgets")
    def _make(self, args: argparse.Namespace) -> None:
        make_widgets(args.ids)
        for widget_id in args.ids:
            self.select_created(args, "widget", widget_id)
        self.say(f"made {len(args.ids)} widgets")

    def _show_parser() -> cmd2.Cmd2ArgumentParser:  # noqa: N805 - a parser factory
        parser = new_parser("Show widgets.")
        parser.add_argument("ids", nargs="+")
        return parser

    @cmd2.as_subcommand_to("widget", "show", _show_parser, help="show widgets")
    def _show(self, args: argparse.Namespace) -> None:
        self.say(" ".join(args.ids))


@pytest.fixture
def widget() -> Iterator[kinds.Kind]:
    kind = kinds.register(
        kinds.Kind(
            "widget",
            "widget",
            re.compile(r"^W[0-9]{4}$"),
            ref_prefix="widget",
            not_found_codes=("NoSuchWidget",),
            lister=kinds.Lister("tests.test_kinds:iter_widgets", label_fields=("Name",)),
            list_command="widget list",
            id_hint=" (W and four digits)",
        )
    )
    try:
        yield kind
    finally:
        kinds.unregister("widget")


def complete(shell, line: str):
    text = line.split(" ")[-1]
    return shell.app.complete(text, line, len(line) - len(text), len(line))


def test_a_registered_kind_can_be_selected_and_shown_in_the_prompt(shell, widget) -> None:
    assert shell.ok("use widget W1000").strip() == "using widget W1000"
    assert "widget:W1000" in shell.app.prompt
    assert shell.session.context.require("widget") == "W1000"
    bad = shell.run("use widget E2QWRUHAPOMQZL")
    assert bad.failed and "'E2QWRUHAPOMQZL' is not a valid widget ID (W and four digits)" in bad.err
    shell.ok("clear widget")
    assert shell.session.context.get("widget") is None


def test_a_registered_kind_completes_its_live_ids_and_is_a_use_choice(shell, widget) -> None:
    assert "widget" in [item.text for item in complete(shell, "use wid")]
    items = {item.text: item.display_meta for item in complete(shell, "use widget W")}
    assert items == {"W1000": "first widget", "W2000": "second widget"}


def test_a_registered_kind_names_itself_in_errors(widget) -> None:
    error = type("ClientError", (Exception,), {})()
    error.response = {"Error": {"Code": "NoSuchWidget", "Message": "gone"}}
    error.operation_name = "GetWidget"
    assert str(from_client_error(error, id="W9999")) == (
        "no widget W9999: check the ID with `widget list`"
    )


def test_a_registered_kind_gets_references_from_what_its_service_reported(
    make_shell, widget, tmp_path
) -> None:
    shell = make_shell(command_sets=(WidgetCommands,))
    path = tmp_path / "widgets.cfsh"
    shell.ok(f"record start {path}")
    shell.ok("widget make W1000 W2000 --no-select")  # two things, none selected
    shell.ok("widget show W2000 W1000")
    shell.ok("record stop")
    assert shell.session.context.get("widget") is None
    lines = path.read_text().splitlines()
    # Under each command, when it started (design.md section 5); the rest as before.
    assert [line[:4] for line in lines if line.startswith("#@ ")] == ["#@ +", "#@ +"]
    lines = [line for line in lines if not line.startswith("#@ ")]
    assert lines[-8:] == [
        "widget make W1000 W2000 --no-select",
        "# made 2 widgets",
        "#> created widget $widget1 widget W1000",
        "#> created widget $widget2 widget W2000",
        "#= $widget1 = W1000",
        "#= $widget2 = W2000",
        "widget show $widget2 $widget1",
        "# W2000 W1000",  # output keeps the IDs as the user saw them
    ]
    # At replay the references bind, in order, to what the service reports this time.
    replayed = make_shell(command_sets=(WidgetCommands,))
    parsed = transcript.read(str(path))
    assert [b.name for b in parsed.steps[0].binds] == ["widget1", "widget2"]
    replayed.ok(f"replay {path} --check")


def test_ids_the_simulator_makes_are_ids_cfshell_accepts(shell, tmp_path) -> None:
    """One module of ID shapes (simulator.ids): what the simulator makes, cfshell takes."""
    shell.ok("oai create 'ids'")
    shell.ok(f"key generate ids-signer --out {tmp_path / 'ids-signer.pem'}")
    context = shell.session.context
    for kind in ("oai", "key", "key-group"):
        made = context.get(kind)
        assert made and kinds.get(kind).validate(made) == made, (kind, made)
    group = context.get("key-group")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", group)


def test_a_key_group_id_that_is_not_a_uuid_is_refused_before_any_call(shell) -> None:
    result = shell.run("key-group get E2QWRUHAPOMQZL")
    assert result.failed
    assert "'E2QWRUHAPOMQZL' is not a valid key group ID (a UUID" in result.err
