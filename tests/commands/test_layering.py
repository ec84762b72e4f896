"""Commands talk to AWS only through cfshell/aws and to the simulator only through its public
API: no module under cfshell/commands imports boto3, botocore or a simulator submodule, or
reaches past `simulator`'s top-level names (read from the source, imports inside functions too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import simulator

COMMANDS = Path(__file__).resolve().parents[2] / "cfshell" / "commands"
FORBIDDEN_ROOTS = {"boto3", "botocore"}


def _violations(source: str) -> list[str]:
    found: list[tuple[int, str]] = []

    def add(node: ast.AST, text: str) -> None:
        found.append((node.lineno, f"line {node.lineno}: {text}"))

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                if root in FORBIDDEN_ROOTS or alias.name.startswith("simulator."):
                    add(node, f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            root = node.module.split(".")[0]
            if root in FORBIDDEN_ROOTS or node.module.startswith("simulator."):
                add(node, f"from {node.module} import ...")
            elif node.module == "simulator":
                for alias in node.names:
                    if alias.name not in simulator.__all__:
                        add(node, f"from simulator import {alias.name}")
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "simulator"
            and node.attr not in simulator.__all__
        ):
            add(node, f"simulator.{node.attr}")
    return [text for _, text in sorted(found)]


@pytest.mark.parametrize("path", sorted(COMMANDS.glob("*.py")), ids=lambda p: p.name)
def test_commands_use_only_the_service_layer_and_the_simulator_api(path):
    assert _violations(path.read_text()) == []


def test_the_check_finds_each_kind_of_violation():
    source = (
        "import boto3\n"
        "def f():\n"
        "    from botocore.session import Session\n"
        "    import simulator.state\n"
        "    from simulator.config import settings\n"
        "    from simulator import faults, simulate\n"
        "    import simulator\n"
        "    simulator.edge.get('x')\n"
        "    simulator.edge_request('GET', 'x')\n"
    )
    assert _violations(source) == [
        "line 1: import boto3",
        "line 3: from botocore.session import ...",
        "line 4: import simulator.state",
        "line 5: from simulator.config import ...",
        "line 6: from simulator import faults",
        "line 8: simulator.edge",
    ]
