"""cfshell.durations: durations and times as people type them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cfshell.durations import (
    NEGATIVE_DURATION,
    DurationError,
    format_time,
    parse_duration,
    parse_time,
)

NOW = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "text,delta",
    [
        ("90s", timedelta(seconds=90)),
        ("90m", timedelta(minutes=90)),
        ("2h", timedelta(hours=2)),
        ("2 hours", timedelta(hours=2)),
        ("1 hour", timedelta(hours=1)),
        ("1d", timedelta(days=1)),
        ("2 days", timedelta(days=2)),
        ("1w", timedelta(weeks=1)),
        ("1h30m", timedelta(minutes=90)),
        ("1 hour 30 minutes", timedelta(minutes=90)),
        ("2 hours and 5 mins", timedelta(minutes=125)),
        ("PT2H", timedelta(hours=2)),
        ("P1DT12H", timedelta(hours=36)),
        ("2H", timedelta(hours=2)),
    ],
)
def test_durations(text, delta):
    assert parse_duration(text) == delta
    assert parse_time(text, now=NOW) == NOW + delta
    assert parse_time("+" + text, now=NOW) == NOW + delta
    assert parse_time("-" + text, now=NOW) == NOW - delta


def test_times():
    assert parse_time("2030-06-01T10:00:00Z") == datetime(2030, 6, 1, 10, tzinfo=UTC)
    assert parse_time("2030-06-01T12:00:00+02:00") == datetime(2030, 6, 1, 10, tzinfo=UTC)
    assert parse_time("2030-06-01") == datetime(2030, 6, 1, tzinfo=UTC)
    assert parse_time("1893499200") == datetime(2030, 1, 1, 12, tzinfo=UTC)
    assert format_time(datetime(2030, 1, 1, 12, 0, 0, 500, tzinfo=UTC)) == "2030-01-01T12:00:00Z"


@pytest.mark.parametrize(
    "bad", ["", "soon", "1x", "h", "P", "PT", "1h x", "2030-13-01", "+", "--1h"]
)
def test_what_is_not_a_time_says_what_is(bad):
    with pytest.raises(DurationError) as refused:
        parse_time(bad, now=NOW)
    assert str(refused.value).startswith(f"{bad!r} is not a time: ")
    assert "2 hours" in str(refused.value) and "\n" not in str(refused.value)
    with pytest.raises(DurationError, match="is not a duration"):
        parse_duration(bad)


def test_negative_duration_pattern_is_what_argparse_must_leave_alone():
    for value in ("-1h", "-2 hours", "-PT1H", "-P1D"):
        assert NEGATIVE_DURATION.match(value), value
    assert not NEGATIVE_DURATION.match("-x") and not NEGATIVE_DURATION.match("--expires")
