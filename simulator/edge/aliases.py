"""Whether the edge answers a request whose Host is an alternate domain name (alias).

On AWS a viewer reaches a distribution through an alias only when (1) the alias is in the
configuration the edges have (a change is there once the distribution is Deployed), and (2)
DNS sends the name there: an alias record (A/AAAA, AliasTarget the distribution's domain, in
CloudFront's zone Z2FDTNDATAQYW2) or a CNAME record to its domain name (CloudFront Developer
Guide, "Add an alternate domain name": "create an alias record or CNAME ... that routes
traffic for the alternate domain name to the CloudFront domain name").

The simulator applies (2) when a hosted zone of the simulated Route 53 holds the name;
`refusal` says which record is missing or wrong, for the edge's `detail`.

Departures from AWS: a name in no simulated hosted zone is taken to point at the distribution
(its DNS is elsewhere, out of the simulator's sight). DNS answers at once, without TTLs.
"""

from __future__ import annotations

from typing import Any


def _aliases(config: Any) -> set[str]:
    aliases = getattr(config, "Aliases", None) or {}
    if not isinstance(aliases, dict):
        return set()
    return {a.lower() for a in aliases.get("Items") or []}


def refusal(host: str, dist: Any, config: Any) -> str | None:
    """Why the edge does not answer `host`, an alias of `dist`, when serving it with `config`
    (`propagation.serving_config`); None when it does."""
    from .. import dns

    host = dns.normal(host)
    never_deployed = dist.status != "Deployed" and getattr(dist, "previous_config", None) is None
    if never_deployed or host not in _aliases(config):
        return (
            f"{host} is an alternate domain name of distribution {dist.distribution_id}, "
            "which is not yet Deployed with it: wait for the deployment (`distribution wait`)"
        )
    zone = dns.zone_for(host)
    if zone is None:
        return None
    domain = dns.normal(dist.domain_name)
    records = [r for r in dns.records(zone, host) if r.type in ("A", "AAAA", "CNAME")]
    if any(r.alias_target == domain or domain in r.values for r in records):
        return None
    where = f"hosted zone {dns.normal(zone.name)} ({dns.zone_id(zone)})"
    if not records:
        return (
            f"no A, AAAA or CNAME record for {host} in {where}: DNS does not send it to "
            f"{domain}; create one (`dns alias {host}`)"
        )
    pointed = ", ".join(f"{r.type} -> {r.alias_target or ', '.join(r.values)}" for r in records)
    return f"the record of {host} in {where} points elsewhere ({pointed}), not at {domain}"
