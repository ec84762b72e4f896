"""What the simulated Route 53 says about a name: the hosted zone holding it and its records.

Read by ACM (`simulator.acm`: is a certificate's validation record there?) and by the edge
(`simulator.edge.routing`: does an alias's record point at the distribution?). It reads moto's
Route 53 backends and never changes them.

Departures from AWS: a name is "in" a hosted zone of the simulator when the zone's name is its
longest suffix among the zones of every simulated account (public DNS would follow the
delegation from the parent zone; the simulator has no registrar, so a zone is authoritative as
soon as it exists). Private zones count as public ones. Hosted zone IDs are moto's (22
letters and digits, not always starting with Z as AWS's do).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# The hosted zone ID of every CloudFront distribution in an alias record (Route 53 API
# reference, AliasTarget.HostedZoneId: "Specify Z2FDTNDATAQYW2" for a CloudFront distribution).
CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2"


def normal(name: str) -> str:
    """A DNS name compared as DNS does: lowercase, without the final dot."""
    return name.strip().rstrip(".").lower()


@dataclass
class Record:
    name: str
    type: str
    values: list[str]  # ResourceRecords' values (CNAME target...), normalised
    alias_target: str  # AliasTarget.DNSName, normalised ('' when not an alias)


def _zones(account_id: str | None = None) -> Iterator[tuple[str, Any]]:
    from moto.route53.models import route53_backends

    for account, _, backend in route53_backends.iter_backends():
        if account_id is None or account == account_id:
            for zone in backend.zones.values():
                yield account, zone


def zone_for(name: str, account_id: str | None = None) -> Any | None:
    """The hosted zone (moto's FakeZone) whose name is the longest suffix of `name`, or None."""
    name = normal(name)
    best = None
    for _, zone in _zones(account_id):
        zone_name = normal(zone.name)
        if (name == zone_name or name.endswith("." + zone_name)) and (
            best is None or len(zone_name) > len(normal(best.name))
        ):
            best = zone
    return best


def zone_id(zone: Any) -> str:
    return str(zone.id).rsplit("/", 1)[-1]


def records(zone: Any, name: str) -> list[Record]:
    """The record sets named `name` in `zone`."""
    name = normal(name)
    found = []
    for rrset in zone.rrsets:
        if normal(rrset.name) != name:
            continue
        target = (rrset.alias_target or {}).get("DNSName") or ""
        values = [normal(str(v)) for v in rrset.records or []]
        found.append(Record(name, str(rrset.type).upper(), values, normal(target)))
    return found
