"""The installed versions that matter, checked at start: a wrong environment is one line saying
what to install, not an ImportError traceback from deep inside cmd2 or moto.

Only the packages whose version cfshell depends on are looked at (cmd2's 4.x API; moto's
internals, which the simulator extends, for `--simulate`), with importlib.metadata, which cmd2
imports anyway: a few milliseconds, no package imported. The requirements are pyproject.toml's
(tests/test_deps.py keeps them equal).
"""

from __future__ import annotations

import re

CMD2 = "cmd2>=4.3,<5"
MOTO = "moto==5.2.5"
# What pip needs to install the simulator's moto with the parts it uses.
MOTO_INSTALL = "moto[s3,cloudfront,acm,route53,server]==5.2.5"

_SPEC = re.compile(r"^([A-Za-z0-9_.-]+)((?:[<>=!]=?[^,]+,?)+)$")
_CLAUSE = re.compile(r"(<=|>=|==|!=|<|>)\s*([^,\s]+)")


def _release(version: str) -> tuple[int, ...]:
    """The numeric release part of a version ("4.3.1rc1" -> (4, 3, 1))."""
    found = re.match(r"\d+(?:\.\d+)*", version)
    return tuple(int(p) for p in found.group(0).split(".")) if found else ()


def _cmp(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    width = max(len(a), len(b))
    a, b = a + (0,) * (width - len(a)), b + (0,) * (width - len(b))
    return (a > b) - (a < b)


_OPS = {
    "==": lambda c: c == 0,
    "!=": lambda c: c != 0,
    ">=": lambda c: c >= 0,
    "<=": lambda c: c <= 0,
    ">": lambda c: c > 0,
    "<": lambda c: c < 0,
}


def satisfies(version: str, spec: str) -> bool:
    """Whether `version` meets the clauses of `spec` ("cmd2>=4.3,<5": ">=4.3" and "<5")."""
    found = _SPEC.match(spec.replace(" ", ""))
    if not found:
        raise ValueError(f"not a requirement: {spec!r}")
    have = _release(version)
    return all(
        _OPS[op](_cmp(have, _release(wanted))) for op, wanted in _CLAUSE.findall(found.group(2))
    )


def problem(spec: str, install: str = "") -> str | None:
    """None if the installed package meets `spec`; else one sentence saying what to install."""
    from importlib.metadata import PackageNotFoundError, version

    name = _SPEC.match(spec.replace(" ", "")).group(1)  # type: ignore[union-attr]
    command = f"pip install '{install or spec}'"
    try:
        have = version(name)
    except PackageNotFoundError:
        return f"needs {spec}, which is not installed: {command}"
    if satisfies(have, spec):
        return None
    return f"needs {spec}, found {name} {have}: {command}"


def cfshell_problem(*, simulate: bool = False) -> str | None:
    """What cfshell's environment lacks (cmd2; moto too for `--simulate`), or None."""
    return problem(CMD2) or (problem(MOTO, MOTO_INSTALL) if simulate else None)
