"""What makes cfshell fit a user's habits: startup file, scrubbed history, credentials once.

- `startup_path()`: `~/.cfshellrc` (or `$CFSHELL_STARTUP`; empty: none), run as a cmd2 startup
  script: `set`, `alias create`, `macro create`, `profile`, `region`... one per line.
- `history_path()`: `~/.cfshell_history` (or `$CFSHELL_HISTORY`; empty: no history file).
- `ScrubbedHistory`: cmd2's History that never holds a secret (AWS access keys, secret keys,
  session tokens, PEM private keys are replaced by REDACTED before an entry is kept, with the
  same filter as transcripts: cfshell.redact.scrub).
- `share_credential_cache(boto3_session)`: assumed-role and SSO credentials cached in the AWS
  CLI's own cache (`~/.aws/cli/cache`), and an MFA code asked through `ask_mfa_code`: once per
  session (boto3 refreshes the cached credentials itself), and not again while the cached
  credentials are valid, in cfshell or in the AWS CLI.

Paths are read from `$HOME` when called, so tests (and users) can move them.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from cmd2.history import History, HistoryItem
from cmd2.parsing import Statement

from .redact import scrub

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


# --- history --------------------------------------------------------------------------------


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [_scrub_value(v) for v in value]
    return value


def scrub_item(item: HistoryItem) -> HistoryItem:
    """`item`, or a copy with every secret in its command line replaced by REDACTED."""
    data = item.statement.to_dict()
    clean = {key: _scrub_value(value) for key, value in data.items()}
    if clean == data:
        return item
    return HistoryItem(Statement.from_dict(clean))


class ScrubbedHistory(History):
    """cmd2's History, scrubbing each entry as it is added (and those read from the file)."""

    @classmethod
    def of(cls, history: History) -> ScrubbedHistory:
        clean = cls(scrub_item(item) for item in history)
        clean.session_start_index = history.session_start_index
        return clean

    def append(self, new: Statement | HistoryItem) -> None:  # type: ignore[override]
        item = HistoryItem(new) if isinstance(new, Statement) else new
        super().append(scrub_item(item))


# --- credentials ----------------------------------------------------------------------------


def credential_cache_dir() -> str:
    """The AWS CLI's cache of assumed-role and SSO credentials (shared with it on purpose)."""
    return os.path.join(os.path.expanduser("~"), ".aws", "cli", "cache")


def ask_mfa_code(prompt: str) -> str:
    """Read an MFA code without echo (replaced in tests)."""
    return getpass.getpass(prompt)


def _prompt_mfa(prompt: str) -> str:
    # Looked up at call time so that `ask_mfa_code` can be replaced.
    return ask_mfa_code(prompt)


def share_credential_cache(boto3_session: Any) -> None:
    """Cache assumed-role and SSO credentials on disk and ask MFA codes through ask_mfa_code.

    boto3 already keeps a session's credentials and refreshes them when they expire, so a
    session that reuses one boto3 Session asks for an MFA code once; the file cache carries
    that over to the next cfshell (or aws-cli) run while the credentials are valid.
    """
    from botocore.utils import JSONFileCache

    resolver = boto3_session._session.get_component("credential_provider")
    providers = {getattr(p, "METHOD", None): p for p in getattr(resolver, "providers", [])}
    cache = JSONFileCache(credential_cache_dir())
    for name in ("assume-role", "assume-role-with-web-identity", "sso"):
        provider = providers.get(name)
        if provider is not None and hasattr(provider, "cache"):
            provider.cache = cache
    assume_role = providers.get("assume-role")
    if assume_role is not None and hasattr(assume_role, "_prompter"):
        # botocore's default is getpass.getpass, bound when the provider is made; ours asks
        # the same way and can be replaced.
        assume_role._prompter = _prompt_mfa


# --- startup file ---------------------------------------------------------------------------


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
