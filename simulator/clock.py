"""The simulator's clock: the wall clock plus an offset that only moves forward.

Everything time-based in the simulator reads it: a distribution's InProgress -> Deployed
(`versioning`), an invalidation's completion (`invalidations`), the expiry and start of signed
URLs and cookies at the edge (`edge`), LastModifiedTime. `advance(seconds)` moves it on, so a
rehearsal replays minutes of deployment in no time; it never goes back. `hold()` stops it where
it is (only `advance` moves it then) and `release()` lets it run on from there: a replay holds
it, so what each command sees depends on the recorded moments alone, not on how fast the
machine replays. A new simulation (in process or served) starts at offset 0, running.

Departure from AWS: AWS has no such clock, of course; with offset 0 it is the wall clock.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

_lock = threading.Lock()
_offset = 0.0
_held: float | None = None  # the time while held


def now() -> float:
    """Seconds since the epoch, as the simulator sees them."""
    held = _held
    return held if held is not None else time.time() + _offset


def now_datetime() -> datetime:
    return datetime.fromtimestamp(now(), UTC)


def offset() -> float:
    """Seconds the clock has been advanced past the wall clock."""
    return _offset


def advance(seconds: float) -> float:
    """Move the clock on by `seconds` (>= 0; ValueError otherwise); the new time."""
    global _offset, _held
    seconds = float(seconds)
    if not seconds >= 0:  # also refuses NaN
        raise ValueError(f"the clock only moves forward: {seconds:g} is not 0 or more seconds")
    with _lock:
        if _held is not None:
            _held += seconds
        else:
            _offset += seconds
    return now()


def held() -> bool:
    return _held is not None


def hold() -> float:
    """Stop the clock where it is (until `release`); the time it holds."""
    global _held
    with _lock:
        if _held is None:
            _held = time.time() + _offset
        return _held


def release() -> float:
    """Let a held clock run on from the time it held (never back); the time."""
    global _held, _offset
    with _lock:
        if _held is not None:
            _offset = max(_offset, _held - time.time())
            _held = None
    return now()


def reset() -> None:
    """Back to the wall clock, running (a new simulation)."""
    global _offset, _held
    with _lock:
        _offset = 0.0
        _held = None
