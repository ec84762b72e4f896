"""Credentials asked once: assumed-role and SSO credentials shared with the AWS CLI's cache.

`share_credential_cache(boto3_session)` caches assumed-role and SSO credentials in the AWS CLI's
own cache (`~/.aws/cli/cache`), and has an MFA code asked through `ask_mfa_code`: once per
session (boto3 refreshes the cached credentials itself), and not again while the cached
credentials are valid, in cfshell or in the AWS CLI.

The cache path is read from `$HOME` when called, so tests (and users) can move it. botocore is
imported when a real-AWS session makes its first client, never at start-up.
"""

from __future__ import annotations

import getpass
import os
from typing import Any


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
