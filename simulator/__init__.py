"""An offline CloudFront that behaves like AWS: moto, extended and corrected.

The public API, all that code outside the simulator (cfshell's commands) may use:

    simulate(...)                     in-process simulator (`with simulate(): ...`, `@simulate`)
    settings() -> dict                deploy_seconds, latency_ms, fault_rate, fault_seed
    configure(**changes) -> dict      change some settings (ValueError: nothing changed)
    save_state(path) / load_state(path), StateError
    edge_request(method, url, headers=None, *, endpoint_url=None) -> EdgeResponse
    issue_certificate(arn) -> str     issue a pending certificate validated outside the simulator
    EdgeResponse                      status, reason, code, headers, body, detail

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
    "configure",
    "edge_request",
    "issue_certificate",
    "load_state",
    "save_state",
    "settings",
    "simulate",
]


def settings() -> dict[str, Any]:
    """The current settings, as a new dict."""
    from .config import settings as current

    return current.snapshot()


def configure(**changes: Any) -> dict[str, Any]:
    """Change the named settings (deploy_seconds, latency_ms, fault_rate, fault_seed) and return
    them all. Out of range: ValueError with a one-line reason, and nothing changes. A new
    `fault_seed` restarts the fault draw. Held for the process (or until `simulate` stops)."""
    from . import faults
    from .config import settings as current

    current.change(changes)
    if "fault_seed" in changes:
        faults.reseed(current.fault_seed)
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


def issue_certificate(arn: str) -> str:
    """Issue the pending ACM certificate `arn` whose names no simulated hosted zone holds, as
    ACM would once its validation records exist at a DNS provider outside; its status. A
    certificate whose names are in a simulated zone is issued through its records instead:
    ValueError with the reason (also for an unknown or not pending certificate). In-process."""
    from . import acm

    return acm.issue(arn)


def __getattr__(name: str) -> Any:
    # The API's classes, imported on first use (keeps `import simulator` cheap).
    if name == "EdgeResponse":
        from .edge.replies import EdgeResponse

        return EdgeResponse
    if name == "StateError":
        from .state import StateError

        return StateError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
