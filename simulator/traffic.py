"""Simulated viewers: signed URLs requested through the edge in the background, every answer
counted, every refusal kept with its reason.

One traffic run at a time per process: `start(urls, rate=, duration=)` begins it in a daemon
thread (the in-process edge, or a served simulator on a loopback address), `status()` says what
it has seen so far, `stop()` ends it and returns the same summary. The run is bounded: at most
`MAX_RATE` requests a second, `MAX_DURATION` seconds, `MAX_URLS` URLs, and it ends by itself
when its duration is over. URLs are requested in turn, at an even pace.

A summary never holds a signed URL's query (a bearer token): refusals name the URL without it.
Departure from AWS: none to speak of; AWS has no such thing, this is the viewer's side.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

MAX_RATE = 200.0
MAX_DURATION = 3600.0
MAX_URLS = 100
MAX_KEPT = 1000  # refusals kept in detail (all are counted)
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


@dataclass
class Refusal:
    at: float  # seconds since the start
    url: str  # without its query
    status: int
    code: str
    reason: str
    detail: str


@dataclass
class _Run:
    urls: list[str]
    rate: float
    duration: float
    headers: dict[str, str]
    endpoint_url: str | None
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None
    statuses: Counter = field(default_factory=Counter)
    refusals: list[Refusal] = field(default_factory=list)
    refused: int = 0
    stop_event: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def loop(self) -> None:
        interval = 1.0 / self.rate
        sent = 0
        try:
            while not self.stop_event.is_set():
                elapsed = time.monotonic() - self.started
                if elapsed >= self.duration:
                    break
                url = self.urls[sent % len(self.urls)]
                self._one(url, elapsed)
                sent += 1
                pause = self.started + sent * interval - time.monotonic()
                if pause > 0:
                    self.stop_event.wait(pause)
        finally:
            self.ended = time.monotonic()

    def _one(self, url: str, elapsed: float) -> None:
        for attempt in range(3):
            try:
                response = _request(url, self.headers, self.endpoint_url)
                status, code, reason, detail = (
                    response.status,
                    response.code,
                    response.reason,
                    response.detail,
                )
                break
            except RuntimeError:
                # The main thread changed moto's state while this one read it (a dict
                # resized during iteration): the simulator's race, not an answer; ask again.
                status, code, reason, detail = 0, "", "no answer", "state changed while read"
                if attempt < 2:
                    continue
            except Exception as exc:  # noqa: BLE001 - an unanswered request is counted
                status, code, reason, detail = 0, "", "no answer", f"{type(exc).__name__}: {exc}"
                break
        with self.lock:
            self.statuses[status] += 1
            if not 200 <= status < 300:
                self.refused += 1
                if len(self.refusals) < MAX_KEPT:
                    self.refusals.append(
                        Refusal(
                            round(elapsed, 3), _without_query(url), status, code, reason, detail
                        )
                    )

    def summary(self) -> dict[str, Any]:
        with self.lock:
            end = self.ended if self.ended is not None else time.monotonic()
            return {
                "running": self.ended is None,
                "seconds": round(end - self.started, 3),
                "requests": sum(self.statuses.values()),
                "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
                "refused": self.refused,
                "refusals": [vars(r).copy() for r in self.refusals],
                "urls": len(self.urls),
                "rate": self.rate,
                "duration": self.duration,
            }


_lock = threading.Lock()
_current: _Run | None = None


def start(
    urls: Sequence[str],
    *,
    rate: float = 10.0,
    duration: float = 60.0,
    headers: Mapping[str, str] | None = None,
    endpoint_url: str | None = None,
) -> dict[str, Any]:
    """Begin requesting `urls` in turn, `rate` a second for `duration` seconds; ValueError for
    bounds, a run already going, or an endpoint that is not on this machine."""
    global _current
    urls = list(urls)
    if not urls:
        raise ValueError("give at least one URL")
    if len(urls) > MAX_URLS:
        raise ValueError(f"at most {MAX_URLS} URLs")
    for url in urls:
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise ValueError(f"{url[:80]!r} is not an http(s) URL")
    if not 0 < rate <= MAX_RATE:
        raise ValueError(f"the rate must be more than 0 and at most {MAX_RATE:g} a second")
    if not 0 < duration <= MAX_DURATION:
        raise ValueError(f"the duration must be more than 0 and at most {MAX_DURATION:g} seconds")
    if endpoint_url and urlsplit(endpoint_url).hostname not in LOOPBACK:
        raise ValueError("traffic goes to the in-process simulator or one on this machine only")
    with _lock:
        if _current is not None and _current.ended is None:
            raise ValueError("traffic is running already: stop it first")
        run = _Run(urls, float(rate), float(duration), dict(headers or {}), endpoint_url)
        run.thread = threading.Thread(target=run.loop, name="simulator-traffic", daemon=True)
        _current = run
        run.thread.start()
    return run.summary()


def status() -> dict[str, Any] | None:
    """The current (or last) run's summary so far; None if there was none."""
    with _lock:
        run = _current
    return run.summary() if run is not None else None


def stop() -> dict[str, Any] | None:
    """End the run (waiting for the request in flight) and return its summary; None if there
    was none. The summary stays readable through `status()` until the next `start`."""
    with _lock:
        run = _current
    if run is None:
        return None
    run.stop_event.set()
    if run.thread is not None:
        run.thread.join(timeout=15)
    return run.summary()


def reset() -> None:
    """Stop any run and forget it (a simulation ends)."""
    global _current
    stop()
    with _lock:
        _current = None


def _request(url: str, headers: Mapping[str, str], endpoint_url: str | None) -> Any:
    if endpoint_url:
        from .edge import client

        return client.request(endpoint_url, "GET", url, headers)
    from . import edge

    return edge.request("GET", url, headers)


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    signed = " (signed)" if parts.query else ""
    return f"{parts.scheme}://{parts.netloc}{parts.path}{signed}"
