"""Routing at the edge: Host -> distribution -> cache behaviour -> origin (and object key).

The one place that reads a distribution's configuration for the edge: `serving_config` picks
the configuration a viewer request is served with, and everything the other steps need from it
(viewer protocol policy, trusted key groups, the origin's bucket, key, OAC or OAI) is read here
into a `Route` and an `Origin`, so that the authorization modules never look at moto's models.

- The distribution: by domain name (`d111111abcdef8.cloudfront.net`), alias (CNAME) or ID,
  case-insensitively; the request's account's backend first, then every other.
- The cache behaviour: the first whose PathPattern matches the path (``*`` and ``?`` only,
  case-sensitive, a leading ``/`` optional), else the default one.
- The origin: the behaviour's TargetOriginId. An S3 origin
  (``BUCKET.s3[.-REGION].amazonaws.com``) is fetched at the origin path plus the URL path (the
  default root object for ``/``).

Departures from AWS:
- An alias is answered once its distribution is Deployed with it, and only when DNS sends
  it there if a simulated hosted zone holds the name (`aliases`, where the departures are).
- While a distribution is InProgress, a request is served by its previous or its new
  configuration (`propagation`, a seeded share of each), as CloudFront's edges are updated.
- Only S3 origins are routed; another origin is `NoOrigin` (a 502 at the edge).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from . import propagation

DEFAULT_ACCOUNT_ID = "123456789012"

_S3_DOMAIN = re.compile(
    r"^(?P<bucket>[a-z0-9][a-z0-9.\-]*?)\.s3(?:[.-](?P<region>[a-z0-9-]+))?\.amazonaws\.com$"
)


class NoRoute(Exception):
    """No enabled distribution answers this Host; the message says why (for `detail`)."""


class NoOrigin(Exception):
    """The behaviour's origin cannot be fetched by the simulator; the message says why."""


@dataclass
class Route:
    """Where a viewer request goes: the distribution, the configuration it is served with and
    the cache behaviour matched, with what viewer authorization needs from them."""

    distribution: Any  # moto's Distribution
    backend: Any  # the CloudFront backend that holds it (public keys, key groups, OACs)
    config: Any  # the DistributionConfig served (see `serving_config`)
    behavior: Any
    domain: str  # the host the viewer named (an alias stays an alias), else the domain name
    viewer_protocol_policy: str
    trusted_key_groups: list[str]
    trusted_signers: list[str] = field(default_factory=list)  # "self" or account numbers

    @property
    def account_id(self) -> str:
        return self.distribution.arn.split(":")[4]


@dataclass
class Origin:
    """An S3 origin and the object a request asks of it, with the origin's access settings."""

    origin_id: str
    bucket: str
    key: str
    access_control_id: str = ""  # OAC
    access_identity_id: str = ""  # OAI, its bare ID


def route(host: str, path: str, account_id: str | None = DEFAULT_ACCOUNT_ID) -> Route:
    """The route of a request for `path` (as sent, percent-encoded) to `host` (a port is
    ignored), or `NoRoute` for an unknown or disabled distribution."""
    host = host.split(":", 1)[0].lower()
    found = find_distribution(host, account_id)
    if found is None:
        raise NoRoute("no distribution has this domain name")
    dist, backend = found
    config = serving_config(dist)
    if not _enabled(config):
        raise NoRoute("disabled")
    if host.rstrip(".") not in (dist.domain_name.lower(), dist.distribution_id.lower()):
        from .aliases import refusal

        refused = refusal(host, dist, config)
        if refused:
            raise NoRoute(refused)
    from ..keys import trusted_key_group_ids

    behavior = match_cache_behavior(config, path)
    return Route(
        distribution=dist,
        backend=backend,
        config=config,
        behavior=behavior,
        domain=host if "." in host else dist.domain_name,
        viewer_protocol_policy=_get(behavior, "viewer_protocol_policy", "ViewerProtocolPolicy")
        or "allow-all",
        trusted_key_groups=trusted_key_group_ids(behavior),
        trusted_signers=trusted_signer_ids(behavior),
    )


def trusted_signer_ids(behavior: Any) -> list[str]:
    """The trusted signers of a cache behaviour ("self" or account numbers; [] when none)."""
    from ..keys import trusted_ids

    return trusted_ids(behavior, "trusted_signers", "TrustedSigners")


def serving_config(dist: Any) -> Any:
    """The configuration one request to `dist` is served with: while it is InProgress, the
    previous deployed one or the new one (`propagation`)."""
    from .propagation import serving_config as drawn

    return drawn(dist)


def origin_of(route: Route, path: str) -> Origin:
    """The S3 origin of the route's behaviour and the object key for `path`, or `NoOrigin`."""
    target = _get(route.behavior, "target_origin_id", "TargetOriginId")
    origins = (_get(route.config, "Origins", "Origins") or {}).get("Items") or []
    origin = next((o for o in origins if _get(o, "id", "Id") == target), None)
    if origin is None:
        raise NoOrigin(f"no origin {target} in the distribution")
    domain = (_get(origin, "domain_name", "DomainName") or "").lower()
    match = _S3_DOMAIN.match(domain)
    if match is None:
        raise NoOrigin(f"origin {domain} is not an S3 bucket (not simulated)")
    key = unquote(path).lstrip("/")
    if not key:
        key = (_get(route.config, "DefaultRootObject", "DefaultRootObject") or "").lstrip("/")
    origin_path = (_get(origin, "origin_path", "OriginPath") or "").strip("/")
    if origin_path:
        key = f"{origin_path}/{key}"
    identity = _get(origin, "s3_access_identity", "S3OriginConfig") or ""
    if isinstance(identity, dict):
        identity = identity.get("OriginAccessIdentity") or ""
    return Origin(
        origin_id=target,
        bucket=match.group("bucket"),
        key=key,
        access_control_id=_get(origin, "origin_access_control_id", "OriginAccessControlId") or "",
        access_identity_id=identity.rsplit("/", 1)[-1] if identity else "",
    )


def is_edge_host(host: str, account_id: str | None = None) -> bool:
    """Whether `host` (a port is ignored) names a distribution: its domain name or an alias."""
    return find_distribution(host.split(":", 1)[0].lower(), account_id) is not None


def find_distribution(
    host: str, account_id: str | None = DEFAULT_ACCOUNT_ID
) -> tuple[Any, Any] | None:
    """(distribution, its backend) whose domain name, alias or ID is `host`, or None."""
    host = host.lower().rstrip(".")
    for backend in _backends(account_id):
        for dist in backend.distributions.values():
            if dist.domain_name.lower() == host or dist.distribution_id.lower() == host:
                return dist, backend
            for config in propagation.configs(dist):
                aliases = _get(config, "Aliases", "Aliases") or {}
                if host in {a.lower() for a in aliases.get("Items") or []}:
                    return dist, backend
    return None


def _backends(account_id: str | None) -> Iterator[Any]:
    """The CloudFront backends to search: the given account's first, then every other."""
    from moto.cloudfront.models import cloudfront_backends

    seen = set()
    if account_id:
        backend = cloudfront_backends[account_id]["aws"]
        seen.add(id(backend))
        yield backend
    for _, _, backend in cloudfront_backends.iter_backends():
        if id(backend) not in seen:
            seen.add(id(backend))
            yield backend


def _enabled(config: Any) -> bool:
    enabled = _get(config, "Enabled", "Enabled")
    return enabled is None or enabled is True or str(enabled).lower() == "true"


def match_cache_behavior(config: Any, path: str) -> Any:
    """The first cache behaviour whose PathPattern matches `path`, else the default one."""
    from ..keys import cache_behaviors

    behaviors = cache_behaviors(config)
    for behavior in behaviors[1:]:
        pattern = _get(behavior, "path_pattern", "PathPattern") or ""
        if pattern and _path_matches(pattern, path):
            return behavior
    return behaviors[0]


def _path_matches(pattern: str, path: str) -> bool:
    # CloudFront patterns: * and ? only, case-sensitive; a leading / is optional.
    regex = "".join(
        ".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern.lstrip("/")
    )
    return re.fullmatch(regex, unquote(path).lstrip("/"), flags=re.DOTALL) is not None


def _get(obj: Any, attr: str, key: str) -> Any:
    """A field of one of moto's distribution parts, stored as an object or as a dict."""
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(key)
    value = getattr(obj, attr, None)
    if value is None and attr != key:
        value = getattr(obj, key, None)
    return value
