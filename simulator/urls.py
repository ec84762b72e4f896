"""URL paths of the operations the simulator adds to (or takes over from) moto's CloudFront."""

from __future__ import annotations

from typing import Any

# Paths (under moto's CloudFront url bases) served by `responses.SimulatorCloudFrontResponse`.
PATHS = (
    "{0}/2020-05-31/origin-access-identity/cloudfront$",
    "{0}/2020-05-31/origin-access-identity/cloudfront/(?P<Id>[^/]+)$",
    "{0}/2020-05-31/origin-access-identity/cloudfront/(?P<Id>[^/]+)/config$",
    "{0}/2020-05-31/streaming-distribution$",
    "{0}/2020-05-31/streaming-distribution/(?P<Id>[^/]+)$",
    "{0}/2020-05-31/streaming-distribution/(?P<Id>[^/]+)/config$",
)


def url_paths() -> dict[str, Any]:
    from .responses import SimulatorCloudFrontResponse

    return {path: SimulatorCloudFrontResponse.dispatch for path in PATHS}


def install() -> None:
    """Register the simulator's url paths in moto's table (read by moto on every request)."""
    from moto.cloudfront import urls as moto_urls

    for path, handler in url_paths().items():
        moto_urls.url_paths.setdefault(path, handler)
