"""The command tests use the suite's one harness (tests/conftest.py: `shell`, `stage`,
`make_shell`); the names below stay importable from here for the modules that import them."""

from __future__ import annotations

from tests.conftest import BUCKET, Result, Shell

__all__ = ["BUCKET", "Result", "Shell"]
