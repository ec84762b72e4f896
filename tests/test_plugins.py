"""Plugins: discovery through the entry-point group `cfshell.plugins`, load, unload, failures.

The example plugin (tests/plugins/cfshell-example-plugin) is installed in the test environment.
Broken and clashing plugins are real distributions too: a `*.dist-info` directory with an
`entry_points.txt` and a module, on a temporary sys.path entry (or PYTHONPATH for the CLI).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from cfshell.plugins import GROUP, PluginManager, discover, load_plugins
from tests.conftest import BUCKET, subprocess_env

ROOT = Path(__file__).resolve().parents[1]


def make_plugin(where: Path, name: str, source: str, attribute: str = "Commands") -> str:
    """A distribution declaring plugin `name` whose module holds `source`; the module's name."""
    module = f"cfshell_test_plugin_{name}_{uuid.uuid4().hex[:8]}"
    (where / f"{module}.py").write_text(textwrap.dedent(source))
    dist = where / f"{module}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[{GROUP}]\n{name} = {module}:{attribute}\n")
    return module


HELLO = """
    import cmd2
    from cfshell.commands.base import CfShellCommandSet

    class Commands(CfShellCommandSet):
        DEFAULT_CATEGORY = "Test plugins"

        def do_hello(self, _statement):
            self.say(f"hello in {self.session.mode}")
"""

CLASH = """
    import cmd2

    class Commands(cmd2.CommandSet):
        def __init__(self, session):
            super().__init__()

        def do_streaming(self, _statement):
            self._cmd.poutput("not the real streaming")
"""

FACTORY = """
    import cmd2

    class Plain(cmd2.CommandSet):
        def do_plain(self, _statement):
            self._cmd.poutput("plain command set, built by a factory")

    class Other(cmd2.CommandSet):
        def do_other(self, _statement):
            self._cmd.poutput("other")

    def make(session):
        return [Plain(), Other()]
"""

BROKEN = """
    import cfshell_no_such_module  # the plugin's own dependency is missing
"""


@pytest.fixture
def plugin_dir(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_the_installed_example_plugin_is_discovered():
    plugins = discover()
    assert plugins["example"].target == "cfshell_example_plugin:ExampleCommands"
    assert plugins["example"].distribution == "cfshell-example-plugin 0.1.0"


def test_example_plugin_reads_the_context_and_renders_through_the_session(shell, capsys):
    assert load_plugins(shell.app) == []
    shell.session.client("s3").create_bucket(Bucket=BUCKET)
    shell.ok(f"streaming create {BUCKET}")
    dist_id = shell.session.context.get("streaming")

    table = shell.ok("example")
    assert "streaming" in table and dist_id in table and "InProgress" in table

    rows = json.loads(shell.ok("example --output json"))
    assert {"Kind": "streaming", "Id": dist_id, "State": "InProgress"} in rows
    # The session's renderer: `set output json` applies to the plugin's command too.
    shell.ok("set output json")
    assert json.loads(shell.ok("example"))[0]["Id"] == dist_id
    assert json.loads(shell.ok("example --query '[].Kind'")) == ["streaming"]


def test_plugin_list_unload_and_load_at_runtime(shell):
    load_plugins(shell.app)
    listed = json.loads(shell.ok("plugin list --output json"))
    example = next(p for p in listed if p["Name"] == "example")
    assert example["Status"] == "loaded" and example["Commands"] == ["example"]

    assert "unloaded plugin example" in shell.ok("plugin unload example")
    result = shell.run("example")
    assert result.failed and "not a recognized command" in result.err
    assert "example" not in shell.ok("help")

    assert "loaded plugin example: example" in shell.ok("plugin load example")
    assert "nothing selected" in shell.ok("example")

    result = shell.run("plugin load example")
    assert result.failed and result.err.strip() == "Error: plugin example is already loaded"
    result = shell.run("plugin unload nosuch")
    err = result.err
    assert result.failed and len(err.strip().splitlines()) == 1 and "not loaded" in err


def test_a_plugin_installed_after_start_up_can_be_loaded(shell, plugin_dir):
    load_plugins(shell.app)
    make_plugin(plugin_dir, "late", HELLO)
    assert shell.run("hello").failed
    assert "loaded plugin late: hello" in shell.ok("plugin load late")
    assert shell.ok("hello").strip() == "hello in simulator"


def test_broken_and_clashing_plugins_are_reported_in_one_line_and_skipped(
    shell, plugin_dir, capsys
):
    make_plugin(plugin_dir, "broken", BROKEN)
    make_plugin(plugin_dir, "clash", CLASH)
    make_plugin(plugin_dir, "hello", HELLO)
    capsys.readouterr()

    failed = load_plugins(shell.app)

    err = capsys.readouterr().err.strip().splitlines()
    assert sorted(p.name for p in failed) == ["broken", "clash"]
    assert len(err) == 2
    assert err[0].startswith("plugin broken: cannot import")
    assert "No module named 'cfshell_no_such_module'" in err[0] and err[0].endswith("skipped")
    assert err[1] == "plugin clash: its command `streaming` already exists: skipped"
    # The good plugin is there, and `streaming` is still cfshell's own.
    assert shell.ok("hello").strip() == "hello in simulator"
    result = shell.run("streaming get")
    assert result.failed and "not the real streaming" not in result.err
    listed = {p["Name"]: p for p in json.loads(shell.ok("plugin list --output json"))}
    assert listed["broken"]["Status"] == "failed" and listed["hello"]["Status"] == "loaded"
    assert "already exists" in listed["clash"]["Error"]


def test_a_factory_entry_point_may_return_several_plain_command_sets(shell, plugin_dir):
    make_plugin(plugin_dir, "factory", FACTORY, attribute="make")
    assert load_plugins(shell.app) == []
    assert "built by a factory" in shell.ok("plain")
    assert shell.ok("other").strip() == "other"
    manager = PluginManager.of(shell.app)
    assert manager.plugins["factory"].commands() == ["other", "plain"]
    shell.ok("plugin unload factory")
    assert shell.run("plain").failed and shell.run("other").failed


def test_a_plugin_whose_constructor_fails_is_skipped(shell, plugin_dir, capsys):
    make_plugin(
        plugin_dir,
        "angry",
        """
        import cmd2

        class Commands(cmd2.CommandSet):
            def __init__(self, session):
                raise RuntimeError("no config file for angry\\nsecond line")
        """,
    )
    capsys.readouterr()
    failed = load_plugins(shell.app)
    assert [p.name for p in failed] == ["angry"]
    err = capsys.readouterr().err
    assert err.strip() == (
        "plugin angry: cannot build it: RuntimeError: no config file for angry: skipped"
    )


def _cli(*args: str, pythonpath: Path, home: Path) -> subprocess.CompletedProcess:
    env = subprocess_env(HOME=str(home), PYTHONPATH=str(pythonpath), COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-m", "cfshell", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )


def test_the_shell_starts_with_a_broken_plugin_installed(tmp_path):
    make_plugin(tmp_path, "broken", BROKEN)
    make_plugin(tmp_path, "clash", CLASH)
    run = _cli(
        "--simulate", "context", "example", "plugin list", pythonpath=tmp_path, home=tmp_path
    )
    assert run.returncode == 0, run.stderr
    errors = run.stderr.strip().splitlines()
    assert len(errors) == 2, run.stderr
    assert errors[0].startswith("plugin broken: cannot import") and "Traceback" not in run.stderr
    assert errors[1] == "plugin clash: its command `streaming` already exists: skipped"
    assert "mode: simulator" in run.stdout and "nothing selected" in run.stdout
    assert "example" in run.stdout and "failed" in run.stdout
