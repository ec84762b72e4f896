"""An offline CloudFront that behaves like AWS: moto, extended and corrected.

The public API, all that code outside the simulator (cfshell's commands) may use:

    simulate(...)                     in-process simulator (`with simulate(): ...`, `@simulate`)
    settings() -> dict                deploy_seconds, latency_ms, fault_rate, fault_seed,
                                      previous_share, edge_seed
    configure(**changes) -> dict      change some settings (ValueError: nothing changed)
    save_state(path) / load_state(path), StateError
    edge_request(method, url, headers=None, *, endpoint_url=None) -> EdgeResponse
    issue_certificate(arn, *, endpoint_url=None) -> str   issue a pending certificate
                                      validated outside the simulator
    EdgeResponse                      status, reason, code, headers, body, detail
    origin_request(url) -> EdgeResponse   the origin's answer to the edge (no viewer check)
    create_key_pair(account_id, *, endpoint_url=None) -> (id, private_pem)   a CloudFront
                                      key pair (trusted signers)
    traffic_start(urls, *, rate, duration, ...) / traffic_status() / traffic_stop()
                                      simulated viewers requesting signed URLs in the background
    clock_now(*, endpoint_url=None) -> float        the simulator's clock (epoch seconds)
    advance_clock(seconds, *, endpoint_url=None) -> float   move it on (never back)
    hold_clock(held, *, endpoint_url=None) -> float         stop it (only advances move it) or
                                                            let it run on (a replay holds it)

Each is a plain function that imports what it needs when called; what the simulator does
beyond AWS's API (a clock to advance, a JSON state document, zones, certificates, key pairs,
traffic) is added here the same way, so that its modules can change without touching callers.

`python -m simulator serve` runs the same backends on a loopback HTTP server. Importing this
package is cheap: moto is imported only when a simulation starts or is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .launcher import simulate

if TYPE_CHECKING:
    from .edge.replies import EdgeResponse
    from .state import StateError

__all__ = [
    "EdgeResponse",
    "StateError",
    "advance_clock",
    "clock_now",
    "hold_clock",
    "configure",
    "create_key_pair",
    "edge_request",
    "issue_certificate",
    "load_state",
    "origin_request",
    "save_state",
    "settings",
    "traffic_start",
    "traffic_status",
    "traffic_stop",
    "simulate",
]


def settings() -> dict[str, Any]:
    """The current settings, as a new dict."""
    from .config import settings as current

    return current.snapshot()


def configure(**changes: Any) -> dict[str, Any]:
    """Change the named settings (deploy_seconds, latency_ms, fault_rate, fault_seed,
    previous_share, edge_seed) and return them all. Out of range: ValueError with a one-line
    reason, and nothing changes. A new `fault_seed` restarts the fault draw, a new `edge_seed`
    the draw of which configuration an edge serves while a distribution is InProgress
    (`previous_share` of requests get the previous one). Held for the process (or until
    `simulate` stops)."""
    from . import faults
    from .config import settings as current

    current.change(changes)
    if "fault_seed" in changes:
        faults.reseed(current.fault_seed)
    if "edge_seed" in changes:
        from .edge import propagation

        propagation.reseed(current.edge_seed)
    return current.snapshot()


def save_state(path: Any) -> None:
    """Write the whole simulated world to `path` (atomically, 0600). StateError if it cannot."""
    from .state import save_state as save

    save(path)


def load_state(path: Any) -> None:
    """Replace the simulated world with the one saved in `path`; StateError (and nothing
    changes) if it cannot be read."""
    from .state import load_state as load

    load(path)


def edge_request(
    method: str,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    endpoint_url: str | None = None,
) -> EdgeResponse:
    """A viewer's request to CloudFront's edge: the in-process simulator's, or, with
    `endpoint_url`, a served simulator's (over HTTP; OSError if it cannot be reached).

    `url` is the URL as the viewer asks it (`https://d111.cloudfront.net/path?...`); the edge
    reads `Cookie` (signed cookies) and `X-Forwarded-For` (the viewer's IP) from `headers`.
    """
    if endpoint_url:
        from .edge import client

        return client.request(endpoint_url, method, url, headers)
    from . import edge

    return edge.request(method, url, headers)


def clock_now(*, endpoint_url: str | None = None) -> float:
    """The simulator's clock in seconds since the epoch: the wall clock plus what has been
    advanced. With `endpoint_url`, a served simulator's (OSError if it cannot be asked)."""
    if endpoint_url:
        return _clock_request(endpoint_url, None)
    from . import clock

    return clock.now()


def advance_clock(seconds: float, *, endpoint_url: str | None = None) -> float:
    """Move the simulator's clock on by `seconds` (ValueError if negative): deployments,
    invalidations and signed URLs' expiry see the time pass at once. The new time. With
    `endpoint_url`, a served simulator's (OSError if it cannot be asked)."""
    seconds = float(seconds)
    if not seconds >= 0:
        raise ValueError(f"the clock only moves forward: {seconds:g} is not 0 or more seconds")
    if endpoint_url:
        return _clock_request(endpoint_url, seconds)
    from . import clock

    return clock.advance(seconds)


def hold_clock(held: bool, *, endpoint_url: str | None = None) -> float:
    """Hold the simulator's clock where it is (True: only `advance_clock` moves it) or let it run
    on from there (False); the time. With `endpoint_url`, a served simulator's."""
    if endpoint_url:
        return _clock_request(endpoint_url, None, hold=bool(held))
    from . import clock

    return clock.hold() if held else clock.release()


def _clock_request(endpoint_url: str, advance: float | None, *, hold: bool | None = None) -> float:
    import json
    import urllib.error
    import urllib.request

    from .launcher import CLOCK_PATH

    body: dict[str, Any] = {}
    if advance is not None:
        body["advance"] = advance
    if hold is not None:
        body["hold"] = hold
    data = json.dumps(body).encode() if body else None
    request = urllib.request.Request(
        endpoint_url.rstrip("/") + CLOCK_PATH,
        data=data,
        method="GET" if data is None else "POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return float(json.loads(response.read())["now"])
    except urllib.error.HTTPError as exc:
        raise OSError(f"{endpoint_url} has no simulator clock (HTTP {exc.code})") from None
    except (ValueError, KeyError, TypeError):
        raise OSError(f"{endpoint_url} answered without a simulator clock") from None


def issue_certificate(arn: str, *, endpoint_url: str | None = None) -> str:
    """Issue the pending ACM certificate `arn` whose names no simulated hosted zone holds, as
    ACM would once its validation records exist at a DNS provider outside; its status. A
    certificate whose names are in a simulated zone is issued through its records instead:
    ValueError with the reason (also for an unknown or not pending certificate). With
    `endpoint_url`, a served simulator's (OSError if it cannot be asked)."""
    if endpoint_url:
        return str(_action(endpoint_url, "issue_certificate", arn=arn))
    from . import acm

    return acm.issue(arn)


def _action(endpoint_url: str, action: str, **arguments: Any) -> Any:
    """Run one of the simulator's own actions on a served simulator (launcher.ACTION_PATH)."""
    import json
    import urllib.error
    import urllib.request

    from .launcher import ACTION_PATH

    request = urllib.request.Request(
        endpoint_url.rstrip("/") + ACTION_PATH,
        data=json.dumps({"action": action, **arguments}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return json.loads(response.read())["result"]
    except urllib.error.HTTPError as exc:
        try:
            reason = json.loads(exc.read())["error"]
        except (ValueError, KeyError, TypeError):
            raise OSError(f"{endpoint_url} has no simulator actions (HTTP {exc.code})") from None
        raise ValueError(reason) from None
    except (ValueError, KeyError, TypeError):
        raise OSError(f"{endpoint_url} answered without a simulator result") from None


def origin_request(url: str) -> EdgeResponse:
    """What the origin answers CloudFront's edge for `url` (in-process): the distribution and
    behaviour routed as for a viewer, the object fetched as the origin's principal (OAC, OAI
    or anonymous), without checking a signed URL or cookies: whether CloudFront can read the
    origin, as a migration checks it before taking the old grant away."""
    from urllib.parse import urlsplit

    from .edge import origin_auth, routing
    from .edge.replies import bad_request, simulator_error

    parts = urlsplit(url)
    path = parts.path or "/"
    try:
        route = routing.route(parts.netloc, path)
    except routing.NoRoute as refused:
        return bad_request(str(refused))
    try:
        origin = routing.origin_of(route, path)
    except routing.NoOrigin as missing:
        return simulator_error(502, str(missing))
    return origin_auth.fetch(route, origin)


def traffic_start(
    urls: list[str],
    *,
    rate: float = 10.0,
    duration: float = 60.0,
    headers: Mapping[str, str] | None = None,
    endpoint_url: str | None = None,
) -> dict[str, Any]:
    """Simulated viewers: request `urls` in turn through the edge in the background, `rate` a
    second for `duration` seconds (bounded; in-process, or a served simulator on a loopback
    `endpoint_url`). ValueError for a bound, a run already going, or another endpoint. The
    summary so far (see `traffic_status`)."""
    from . import traffic

    return traffic.start(
        urls, rate=rate, duration=duration, headers=headers, endpoint_url=endpoint_url
    )


def traffic_status() -> dict[str, Any] | None:
    """The current (or last) traffic run: running, seconds, requests, statuses (status ->
    count), refused, refusals (each non-2xx answer: at, url without its query, status, code,
    reason, detail); None if none ran."""
    from . import traffic

    return traffic.status()


def traffic_stop() -> dict[str, Any] | None:
    """End the traffic run and return its summary (as `traffic_status`); None if none ran."""
    from . import traffic

    return traffic.stop()


def create_key_pair(
    account_id: str = "123456789012", *, endpoint_url: str | None = None
) -> tuple[str, str]:
    """A CloudFront key pair for the account (trusted signers), as the console made one:
    (its ID `APKA...`, the private key's PEM, which the simulator does not keep). ValueError
    when the account has two active key pairs, AWS's limit. With `endpoint_url`, a served
    simulator's (the PEM comes back over loopback only)."""
    if endpoint_url:
        key_pair_id, pem = _action(endpoint_url, "create_key_pair", account_id=account_id)
        return str(key_pair_id), str(pem)
    from .key_pairs import create

    return create(account_id)


def __getattr__(name: str) -> Any:
    # The API's classes, imported on first use (keeps `import simulator` cheap).
    if name == "EdgeResponse":
        from .edge.replies import EdgeResponse

        return EdgeResponse
    if name == "StateError":
        from .state import StateError

        return StateError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
