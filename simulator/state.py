"""Save and load the whole simulated world: moto's S3 and CloudFront backends and the simulator's.

A state file is a header line (a magic string and the format version) followed by one pickle of
`{name: {account_id: {region: backend}}}` for every backend dict the simulator uses, taken in one
`pickle.dumps` so that objects shared between backends stay shared. moto's models pickle as they
are (S3 keys drop their lock and spool file and rebuild them, see `FakeKey.__getstate__`).

Loading replaces every one of those backends, in place: moto's response modules hold references
to the `BackendDict` objects, so they are refilled, never rebound. Anything wrong with the file
(not a state file, another format version or moto version, truncated, unreadable) raises
`StateError` before anything is changed.

Like any pickle, a state file can run code when loaded: load only files you (or your simulator)
wrote. Files are written 0600, atomically (a temporary file in the same folder, then `os.replace`).
"""

from __future__ import annotations

import importlib.util
import os
import pickle
import tempfile
from datetime import UTC, datetime
from typing import Any

MAGIC = b"cfshell-simulator-state"
FORMAT_VERSION = 1


class StateError(Exception):
    """A state file that cannot be loaded or saved; the message is one line."""


def _backend_dicts() -> dict[str, Any]:
    """Every BackendDict that makes up the simulated world, by a stable name."""
    from moto.cloudfront.models import cloudfront_backends
    from moto.core.base_backend import BackendDict
    from moto.s3.models import s3_backends

    dicts: dict[str, Any] = {"s3": s3_backends, "cloudfront": cloudfront_backends}
    # The simulator's own backends: every BackendDict defined in simulator.models.
    if importlib.util.find_spec("simulator.models") is not None:
        models = importlib.import_module("simulator.models")
        for name, value in vars(models).items():
            if isinstance(value, BackendDict):
                dicts[f"simulator.{name}"] = value
    return dicts


def _header() -> bytes:
    import moto

    return MAGIC + f" {FORMAT_VERSION} moto={moto.__version__}\n".encode()


def dumps() -> bytes:
    """The world as bytes in the state-file format."""
    world = {
        name: {
            account_id: dict(account_backends.items())
            for account_id, account_backends in backend_dict.items()
        }
        for name, backend_dict in _backend_dicts().items()
    }
    payload = {"saved_at": datetime.now(UTC).isoformat(), "backends": world}
    return _header() + pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)


def save_state(path: str | os.PathLike[str]) -> None:
    """Write the world to `path` atomically (readers see the old file or the new one, whole)."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    data = dumps()
    try:
        fd, tmp = tempfile.mkstemp(prefix=".sim-state-", dir=folder)  # mode 0600
    except OSError as err:
        raise StateError(f"cannot write state to {path}: {err.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise StateError(f"cannot write state to {path}: {err.strerror}") from None


def _parse(data: bytes, source: str) -> dict[str, Any]:
    """Check the header and unpickle; return `{name: {account: {region: backend}}}`."""
    header, _, body = data.partition(b"\n")
    if not header.startswith(MAGIC + b" "):
        raise StateError(f"{source} is not a simulator state file")
    fields = header[len(MAGIC) + 1 :].decode("ascii", "replace").split()
    import moto

    expected = [str(FORMAT_VERSION), f"moto={moto.__version__}"]
    if fields != expected:
        raise StateError(
            f"{source} was saved by another simulator version ({' '.join(fields)}); "
            f"this one reads {' '.join(expected)}"
        )
    known = _backend_dicts()
    try:
        world = pickle.loads(body)["backends"]
        for name, accounts in world.items():
            if name not in known:
                raise StateError(f"{source} holds an unknown part of the simulator: {name}")
            for regions in accounts.values():
                for backend in regions.values():
                    if not isinstance(backend, known[name].backend):
                        raise TypeError(type(backend).__name__)
    except StateError:
        raise
    except Exception as err:  # any damage to the pickle shows up as some exception
        reason = type(err).__name__
        raise StateError(f"{source} is corrupt or truncated ({reason})") from None
    return world


def loads(data: bytes, source: str = "state") -> None:
    """Replace the world with the one in `data`; on any error (StateError) nothing changes."""
    from moto.core.base_backend import backend_lock

    # Check everything first. The objects are then thrown away and unpickled again after the
    # reset: moto's reset disposes of every S3 key it tracks, including freshly unpickled ones.
    _parse(data, source)
    dicts = _backend_dicts()
    with backend_lock:
        for backend_dict in dicts.values():
            for account_backends in backend_dict.values():
                account_backends.reset()
            backend_dict.clear()
        world = _parse(data, source)
        for name, accounts in world.items():
            backend_dict = dicts[name]
            for account_id, regions in accounts.items():
                account_backends = backend_dict[account_id]
                for region, backend in regions.items():
                    account_backends[region] = backend
        _reindex_buckets(dicts["s3"])


def _reindex_buckets(s3_backends: Any) -> None:
    # moto finds a bucket's account through this process-wide index, filled by FakeBucket().
    s3_backends.bucket_accounts.clear()
    for account_id, _region, backend in s3_backends.iter_backends():
        for name in [*backend.buckets, *backend.table_buckets]:
            s3_backends.bucket_accounts[name] = (backend.partition, account_id)


def load_state(path: str | os.PathLike[str]) -> None:
    """Replace the world with the one saved in `path`; on any error nothing changes."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as src:
            data = src.read()
    except OSError as err:
        raise StateError(f"cannot read state from {path}: {err.strerror}") from None
    loads(data, source=path)
