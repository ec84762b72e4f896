"""Durations and moments as people type them: `90m`, `2h`, `2 hours`, `1h30m`, `+2h`, `-1h`,
`PT2H`, ISO-8601 times (`2030-01-01T12:00:00Z`) and epoch seconds. Stdlib only.

    parse_duration("2 hours")            -> timedelta(hours=2)
    parse_time("+2h", now=now)           -> now + 2 h
    parse_time("-1h", now=now)           -> now - 1 h   (a moment in the past; callers decide)
    parse_time("2030-01-01")             -> 2030-01-01 00:00 UTC (a time without a zone is UTC)

Errors are `DurationError` (a one-line `UsageError`) saying what is accepted.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from .errors import UsageError

_UNITS = {
    "w": 604800,
    "week": 604800,
    "weeks": 604800,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
}
# Longest unit names first, so that "mins" is not read as "m" followed by junk.
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_PART = re.compile(rf"(\d+)\s*({_UNIT})(?![a-z])\s*,?\s*(?:and\s+)?", re.IGNORECASE)
_ISO_DURATION = re.compile(
    r"^P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$",
    re.IGNORECASE,
)
# What argparse must not take for an option when it follows e.g. --expires: "-1h", "-PT1H".
NEGATIVE_DURATION = re.compile(rf"^-(?:\d+\s*(?:{_UNIT})|PT?\d)", re.IGNORECASE)

DURATION_HELP = "90m, 2h, '2 hours', 1d, 1h30m, PT2H"


class DurationError(UsageError):
    """A duration or a time that cannot be read; the message says what is accepted."""


def _duration_seconds(text: str) -> int | None:
    """Seconds in `text` read as a duration, or None if it is not one."""
    value = text.strip()
    iso = _ISO_DURATION.match(value)
    if iso and any(iso.groupdict().values()):
        return sum(int(n or 0) * _UNITS[u] for u, n in iso.groupdict().items())
    position, total = 0, 0
    for match in _PART.finditer(value):
        if match.start() != position:
            return None
        total += int(match.group(1)) * _UNITS[match.group(2).lower()]
        position = match.end()
    if position == 0 or position != len(value):
        return None
    return total


def is_duration(text: str) -> bool:
    return _duration_seconds(text) is not None


def parse_duration(text: str) -> timedelta:
    """`90s`, `30m`, `2h`, `2 hours`, `1d`, `1w`, `1h30m`, `1 hour 30 minutes` or `PT1H30M`."""
    seconds = _duration_seconds(text)
    if seconds is None:
        raise DurationError(f"{text!r} is not a duration: use for example {DURATION_HELP}")
    return timedelta(seconds=seconds)


def parse_time(text: str, *, now: datetime | None = None) -> datetime:
    """A moment: a duration from now (`1h`, `+1h`), before now (`-1h`), an ISO-8601 time or
    epoch seconds. An ISO time without a zone is UTC. The result is an aware UTC datetime.
    """
    value = text.strip()
    now = now or datetime.now(UTC)
    sign = 1
    if value[:1] in ("+", "-") and is_duration(value[1:]):
        sign = -1 if value[0] == "-" else 1
        value = value[1:]
    seconds = _duration_seconds(value)
    if seconds is not None:
        return now + sign * timedelta(seconds=seconds)
    if value.isdigit():
        return datetime.fromtimestamp(int(value), UTC)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise DurationError(
            f"{text!r} is not a time: give a duration from now ({DURATION_HELP}), an ISO-8601 "
            "time such as 2030-01-01T12:00:00Z, or epoch seconds"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def format_time(moment: datetime) -> str:
    """`2030-01-01T12:00:00Z`: how a moment reads in a message."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
