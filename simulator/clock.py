"""The simulator's clock: the wall clock plus an offset that only moves forward.

Everything time-based in the simulator reads it: a distribution's InProgress -> Deployed
(`versioning`), an invalidation's completion (`invalidations`), the expiry and start of signed
URLs and cookies at the edge (`edge`), LastModifiedTime. `advance(seconds)` moves it on, so a
rehearsal replays minutes of deployment in no time; it never goes back. A new simulation (in
process or served) starts at offset 0.

Departure from AWS: AWS has no such clock, of course; with offset 0 it is the wall clock.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

_lock = threading.Lock()
_offset = 0.0


def now() -> float:
    """Seconds since the epoch, as the simulator sees them."""
    return time.time() + _offset


def now_datetime() -> datetime:
    return datetime.fromtimestamp(now(), UTC)


def offset() -> float:
    """Seconds the clock has been advanced past the wall clock."""
    return _offset


def advance(seconds: float) -> float:
    """Move the clock on by `seconds` (>= 0; ValueError otherwise); the new time."""
    global _offset
    seconds = float(seconds)
    if not seconds >= 0:  # also refuses NaN
        raise ValueError(f"the clock only moves forward: {seconds:g} is not 0 or more seconds")
    with _lock:
        _offset += seconds
    return now()


def reset() -> None:
    """Back to the wall clock (a new simulation)."""
    global _offset
    with _lock:
        _offset = 0.0
