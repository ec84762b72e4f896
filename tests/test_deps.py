"""Start-up checks of the versions that matter (cfshell.deps, simulator.__main__): a wrong
environment is one line saying what to install, never an ImportError traceback."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from cfshell import deps
from tests.conftest import subprocess_env

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("version", "spec", "ok"),
    [
        ("4.3.1", "cmd2>=4.3,<5", True),
        ("4.3", "cmd2>=4.3,<5", True),
        ("4.2.9", "cmd2>=4.3,<5", False),
        ("5.0.0", "cmd2>=4.3,<5", False),
        ("3.1.0", "cmd2>=4.3,<5", False),
        ("5.2.5", "moto==5.2.5", True),
        ("5.2.1", "moto==5.2.5", False),
        ("5.2.5.post1", "moto==5.2.5", True),
    ],
)
def test_satisfies(version, spec, ok):
    assert deps.satisfies(version, spec) is ok


def test_the_checked_requirements_are_pyprojects():
    pinned = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert deps.CMD2 in pinned
    assert deps.MOTO_INSTALL in pinned
    assert deps.MOTO == "moto==" + deps.MOTO_INSTALL.split("==")[1]
    from simulator.__main__ import MOTO

    assert deps.MOTO == f"moto=={MOTO}"


def _fake_dist(folder: Path, name: str, version: str) -> None:
    """An installed-package record that importlib.metadata finds before the real one."""
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")


def _run(module: str, *args: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=subprocess_env(PYTHONPATH=str(path)),
        cwd=ROOT,
    )


def test_cfshell_with_an_old_cmd2_says_what_to_install(tmp_path):
    _fake_dist(tmp_path, "cmd2", "3.1.0")
    run = _run("cfshell", "--simulate", "context", path=tmp_path)
    assert run.returncode == 1
    assert run.stderr == (
        "cfshell: needs cmd2>=4.3,<5, found cmd2 3.1.0: pip install 'cmd2>=4.3,<5'\n"
    )
    assert run.stdout == ""


def test_cfshell_simulate_with_another_moto_says_what_to_install(tmp_path):
    _fake_dist(tmp_path, "moto", "5.2.1")
    run = _run("cfshell", "--simulate", "context", path=tmp_path)
    assert run.returncode == 1
    assert run.stderr == (
        "cfshell: needs moto==5.2.5, found moto 5.2.1: "
        "pip install 'moto[s3,cloudfront,acm,route53,server]==5.2.5'\n"
    )
    # Outside the simulator moto does not matter.
    real = _run("cfshell", "--endpoint-url", "http://127.0.0.1:9", "context", path=tmp_path)
    assert real.returncode == 0, real.stderr


def test_simulator_serve_with_another_moto_says_what_to_install(tmp_path):
    _fake_dist(tmp_path, "moto", "5.2.1")
    run = _run("simulator", "serve", "--port", "0", path=tmp_path)
    assert run.returncode == 1
    assert run.stderr == (
        "cfshell-sim: error: needs moto==5.2.5, found moto 5.2.1: "
        "pip install 'moto[s3,cloudfront,acm,route53,server]==5.2.5'\n"
    )
    assert "Traceback" not in run.stderr and run.stdout == ""
