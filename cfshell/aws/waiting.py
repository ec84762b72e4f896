"""Waiting as botocore's waiters do, but one poll at a time so that the caller can show progress.

The acceptors (what counts as success, failure, or "keep waiting") and the default time limit
(delay x max attempts) come from the service's own waiter definition; only the pace of polling
and the reporting are ours. Nothing here prints: `on_poll(elapsed, status)` is told each result.
Ctrl-C (KeyboardInterrupt) propagates from the sleep, for the caller to turn into a message.
Inside `paced(clock, sleep)` every wait keeps time by those instead of the wall clock: a replay
in the simulator advances the simulator's clock rather than sleeping through a deploy delay.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import CfShellError


class WaitTimeout(CfShellError):
    def __init__(self, message: str, *, status: str, elapsed: float) -> None:
        super().__init__(message)
        self.status = status
        self.elapsed = elapsed


class WaitFailed(CfShellError):
    pass


_pace: tuple[Callable[[], float], Callable[[float], None]] | None = None


@contextlib.contextmanager
def paced(clock: Callable[[], float], sleep: Callable[[float], None]) -> Iterator[None]:
    """Waits inside keep time by `clock` and pass it with `sleep` (see module doc)."""
    global _pace
    saved, _pace = _pace, (clock, sleep)
    try:
        yield
    finally:
        _pace = saved


def pacing(
    clock: Callable[[], float] | None, sleep: Callable[[float], None] | None
) -> tuple[Callable[[], float], Callable[[float], None]]:
    """The clock and sleep a wait uses: those given, else the pace set by `paced`, else real."""
    return (
        clock or (_pace[0] if _pace else time.monotonic),
        sleep or (_pace[1] if _pace else time.sleep),
    )


def waiter_limit(client: Any, waiter_name: str) -> float:
    """Seconds the AWS waiter would wait at most (delay x max attempts)."""
    config = client.get_waiter(waiter_name).config
    return float(config.delay * config.max_attempts)


def wait(
    client: Any,
    waiter_name: str,
    params: dict[str, Any],
    *,
    status_path: Callable[[dict[str, Any]], str],
    timeout: float = 0.0,
    interval: float = 5.0,
    on_poll: Callable[[float, str], None] | None = None,
    what: str = "the resource",
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> dict[str, Any]:
    """Poll `waiter_name`'s operation until an acceptor says success; return the last response.

    `timeout` 0 means the waiter's own limit. Raises WaitTimeout when time runs out, WaitFailed
    on a failure acceptor, and lets a ClientError that no acceptor expects through.
    """
    clock, sleep = pacing(clock, sleep)
    waiter = client.get_waiter(waiter_name)
    config = waiter.config
    limit = timeout or float(config.delay * config.max_attempts)
    operation = getattr(client, _snake(config.operation))
    start = clock()
    while True:
        error = None
        try:
            response = operation(**params)
        except Exception as exc:  # a ClientError: acceptors may expect its code
            response = getattr(exc, "response", None)
            if not isinstance(response, dict):
                raise
            error = exc
        elapsed = clock() - start
        state = None
        for acceptor in config.acceptors:
            if acceptor.matcher_func(response):
                state = acceptor.state
                break
        status = "" if error is not None else status_path(response)
        if on_poll is not None and error is None:  # an error has no status to report
            on_poll(elapsed, status)
        if state == "success":
            return response
        if state == "failure":
            raise WaitFailed(f"waiting for {what} failed: status {status or 'unknown'}")
        if error is not None:
            raise error
        remaining = limit - elapsed
        if remaining <= 0:
            raise WaitTimeout(
                f"{what} is still {status} after {format_elapsed(elapsed)}: "
                f"run `wait` again, or give a longer --timeout",
                status=status,
                elapsed=elapsed,
            )
        # The last sleep is cut short so that one poll happens at the limit itself.
        sleep(min(interval, remaining))


def wait_deployed(
    client: Any, waiter_name: str, result_key: str, resource_id: str, **kw: Any
) -> dict[str, Any]:
    """`wait` for a distribution of either kind (`result_key` names it in the response) and
    return it; `kw` as for `wait` (what, timeout, interval, on_poll...)."""
    response = wait(
        client,
        waiter_name,
        {"Id": resource_id},
        status_path=lambda r: r[result_key]["Status"],
        **kw,
    )
    return response[result_key]


def format_elapsed(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}m{secs:02d}s"


def _snake(operation: str) -> str:
    from botocore import xform_name

    return xform_name(operation)
