"""The files a session reads from the user's home when it starts: startup script and history.

- `startup_path()`: `~/.cfshellrc` (or `$CFSHELL_STARTUP`; empty: none), run as a cmd2 startup
  script by `run_startup`: `set`, `alias create`, `macro create`, `profile`, `region`... one
  per line.
- `history_path()`: `~/.cfshell_history` (or `$CFSHELL_HISTORY`; empty: no history file); what
  it keeps is scrubbed of secrets (cfshell.history).

Paths are read from `$HOME` when called, so tests (and users) can move them.
"""

from __future__ import annotations

import os
from typing import Any

STARTUP_FILE = ".cfshellrc"
HISTORY_FILE = ".cfshell_history"


def _home_file(env: str, name: str) -> str:
    if env in os.environ:
        return os.environ[env]  # set but empty: the user wants none
    return os.path.join(os.path.expanduser("~"), name)


def startup_path() -> str:
    """The startup script to run (`$CFSHELL_STARTUP`, else `~/.cfshellrc`); "" for none."""
    return _home_file("CFSHELL_STARTUP", STARTUP_FILE)


def history_path() -> str:
    """The persistent history file (`$CFSHELL_HISTORY`, else `~/.cfshell_history`); "" for none."""
    return _home_file("CFSHELL_HISTORY", HISTORY_FILE)


def run_startup(app: Any, path: str) -> bool:
    """Run the startup file at `path` as a cmd2 script, its output silenced; False if none.

    A failing line is reported on stderr and the rest still runs; it never fails the session.
    """
    if not path or not os.path.isfile(path):
        return False
    from cmd2 import string_utils

    app.onecmd_plus_hooks(
        f"run_script {string_utils.quote(path)} > {os.devnull}", add_to_history=False
    )
    return True
