"""The key store: where `key generate` keeps private keys, named by their public key's ID.

    ~/.cfshell/keys/            (0700; `$CFSHELL_KEY_STORE` moves it)
        K2JCJMDEHXQW5F.pem      (0600: the private half of public key K2JCJMDEHXQW5F)

A file is named by the ID CloudFront gave the public key, so two keys never collide (a replay
makes a new key next to the recording's) and `sign` finds a key by the Key-Pair-Id alone. The
directory is read from the environment when called, so tests (and users) can move `$HOME`.
Stdlib only; nothing here prints.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

STORE_ENV = "CFSHELL_KEY_STORE"
DEFAULT_STORE = os.path.join("~", ".cfshell", "keys")
_KEY_ID = re.compile(r"^[A-Z0-9]{8,32}$")


def directory() -> Path:
    """The key store's directory (`$CFSHELL_KEY_STORE`, else `~/.cfshell/keys`)."""
    return Path(os.path.expanduser(os.environ.get(STORE_ENV) or DEFAULT_STORE))


def ensure_directory() -> Path:
    """The store's directory, made 0700 (with its parents) if missing; OSError if it cannot be."""
    path = directory()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)  # a store others may read is no store: tighten it, as ssh-keygen does
    return path


def path_for(key_id: str) -> Path:
    """Where the private key of public key `key_id` lives in the store (it may not exist)."""
    if not _KEY_ID.match(key_id):
        raise ValueError(f"{key_id!r} is not a public key ID")
    return directory() / f"{key_id}.pem"


def find(key_id: str) -> str | None:
    """The stored private key file of public key `key_id`, or None. A CloudFront key pair's
    (trusted signers) is found under the console's name for it too, `pk-APKA....pem`."""
    try:
        path = path_for(key_id)
    except ValueError:
        return None
    if path.is_file():
        return str(path)
    console = path.with_name(f"pk-{key_id}.pem")
    return str(console) if console.is_file() else None


def key_pair_path(key_pair_id: str) -> Path:
    """Where a CloudFront key pair's private key goes: `pk-ID.pem`, the console's name."""
    return path_for(key_pair_id).with_name(f"pk-{key_pair_id}.pem")


def display(path: str | os.PathLike[str]) -> str:
    """`path` as a user would type it: under the home directory as `~/...`."""
    text = os.fspath(path)
    home = os.path.expanduser("~")
    if home not in ("", "/") and (text == home or text.startswith(home + os.sep)):
        return "~" + text[len(home) :]
    return text
