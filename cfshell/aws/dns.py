"""Route 53 records for custom domains: alias records to a distribution, CNAMEs, validation
records of ACM certificates, and hosted zones.

Functions take a boto3 Route 53 client and return plain dicts. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .. import names
from ..errors import UsageError
from . import effects

# The hosted zone ID of every CloudFront distribution in an alias record (Route 53 API
# reference, AliasTarget.HostedZoneId: "Specify Z2FDTNDATAQYW2" for CloudFront).
CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2"
CNAME_TTL = 300


def fqdn(name: str) -> str:
    """`name` as Route 53 writes it: lowercase, with the final dot."""
    return name.strip().rstrip(".").lower() + "."


def bare(name: str) -> str:
    return name.strip().rstrip(".").lower()


def zone_id(zone: dict[str, Any]) -> str:
    """`Z123` from a HostedZone (whose Id is `/hostedzone/Z123`)."""
    return str(zone["Id"]).rsplit("/", 1)[-1]


def iter_zones(route53: Any) -> Iterator[dict[str, Any]]:
    kwargs: dict[str, Any] = {}
    while True:
        page = route53.list_hosted_zones(**kwargs)
        yield from page.get("HostedZones") or []
        if not page.get("IsTruncated"):
            return
        kwargs["Marker"] = page["NextMarker"]


def iter_zone_summaries(route53: Any) -> Iterator[dict[str, Any]]:
    """The hosted zones, each with its bare ID (`Z123`) as `Id` and its name without the dot."""
    for zone in iter_zones(route53):
        yield {
            "Id": zone_id(zone),
            "Name": bare(zone["Name"]),
            "Records": zone.get("ResourceRecordSetCount", 0),
        }


def zone_for(route53: Any, name: str) -> dict[str, Any] | None:
    """The hosted zone of the account whose name is the longest suffix of `name`, or None."""
    name = bare(name)
    best = None
    for zone in iter_zones(route53):
        zone_name = bare(zone["Name"])
        if (name == zone_name or name.endswith("." + zone_name)) and (
            best is None or len(zone_name) > len(bare(best["Name"]))
        ):
            best = zone
    return best


def get_zone(route53: Any, zone: str) -> dict[str, Any]:
    return route53.get_hosted_zone(Id=zone)["HostedZone"]


def require_zone(route53: Any, name: str, given: str | None = None) -> dict[str, Any]:
    """The zone `given` (checked to hold `name`), else the longest matching one; UsageError
    when there is none."""
    if given:
        zone = get_zone(route53, given)
        zone_name = bare(zone["Name"])
        if not (bare(name) == zone_name or bare(name).endswith("." + zone_name)):
            raise UsageError(
                f"{bare(name)} is not in hosted zone {zone_name} ({zone_id(zone)}): "
                "give a zone it belongs to, or leave --zone out"
            )
        return zone
    zone = zone_for(route53, name)
    if zone is None:
        raise UsageError(
            f"no hosted zone of this account holds {bare(name)}: create the record at your DNS "
            "provider, or create the zone in Route 53 first"
        )
    return zone


def create_zone(route53: Any, name: str) -> dict[str, Any]:
    """A public hosted zone for `name`."""
    import uuid

    name = names.cname(name)
    zone = route53.create_hosted_zone(Name=fqdn(name), CallerReference=str(uuid.uuid4()))[
        "HostedZone"
    ]
    effects.report("zone", zone_id(zone), effects.CREATED, name)
    return zone


def records_named(route53: Any, zone: str, name: str) -> list[dict[str, Any]]:
    """The record sets of `zone` named `name` (every type)."""
    wanted = fqdn(name)
    page = route53.list_resource_record_sets(
        HostedZoneId=zone, StartRecordName=wanted, MaxItems="20"
    )
    return [r for r in page.get("ResourceRecordSets") or [] if fqdn(r["Name"]) == wanted]


def _change(route53: Any, zone: str, changes: list[dict[str, Any]], comment: str) -> None:
    route53.change_resource_record_sets(
        HostedZoneId=zone, ChangeBatch={"Comment": comment, "Changes": changes}
    )


def alias(route53: Any, zone: str, name: str, domain: str) -> list[str]:
    """UPSERT alias records A and AAAA for `name` to a distribution's `domain`; the types."""
    target = {
        "HostedZoneId": CLOUDFRONT_ZONE_ID,
        "DNSName": fqdn(domain),
        "EvaluateTargetHealth": False,
    }
    changes = [
        {
            "Action": "UPSERT",
            "ResourceRecordSet": {"Name": fqdn(name), "Type": kind, "AliasTarget": target},
        }
        for kind in ("A", "AAAA")
    ]
    _change(route53, zone, changes, f"cfshell: {bare(name)} -> {bare(domain)}")
    for kind in ("A", "AAAA"):
        effects.report("record", f"{bare(name)} {kind}", effects.MODIFIED, zone)
    return ["A", "AAAA"]


def cname(route53: Any, zone: str, name: str, target: str) -> None:
    """UPSERT a CNAME record `name` -> `target`."""
    change = {
        "Action": "UPSERT",
        "ResourceRecordSet": {
            "Name": fqdn(name),
            "Type": "CNAME",
            "TTL": CNAME_TTL,
            "ResourceRecords": [{"Value": fqdn(target)}],
        },
    }
    _change(route53, zone, [change], f"cfshell: {bare(name)} -> {bare(target)}")
    effects.report("record", f"{bare(name)} CNAME", effects.MODIFIED, zone)


def write_validation_records(route53: Any, zone: str, records: Iterable[dict[str, str]]) -> int:
    """UPSERT ACM's validation CNAME records (cfshell.aws.certs.validation_records) in `zone`."""
    changes = [
        {
            "Action": "UPSERT",
            "ResourceRecordSet": {
                "Name": r["Name"],
                "Type": r.get("Type", "CNAME"),
                "TTL": CNAME_TTL,
                "ResourceRecords": [{"Value": r["Value"]}],
            },
        }
        for r in records
    ]
    if changes:
        _change(route53, zone, changes, "cfshell: ACM certificate validation")
        for change in changes:
            record = change["ResourceRecordSet"]
            effects.report("record", f"{bare(record['Name'])} CNAME", effects.MODIFIED, zone)
    return len(changes)


def remove(route53: Any, zone: str, name: str) -> list[str]:
    """Delete the A, AAAA and CNAME records of `name` (as they are); the types deleted."""
    found = [r for r in records_named(route53, zone, name) if r["Type"] in ("A", "AAAA", "CNAME")]
    if found:
        _change(
            route53,
            zone,
            [{"Action": "DELETE", "ResourceRecordSet": r} for r in found],
            f"cfshell: remove {bare(name)}",
        )
        for record in found:
            effects.report("record", f"{bare(name)} {record['Type']}", effects.DELETED, zone)
    return [r["Type"] for r in found]


def target_of(record: dict[str, Any]) -> str:
    """Where a record points: an alias's DNS name, or its values, without final dots."""
    alias_target = record.get("AliasTarget")
    if alias_target:
        return bare(alias_target.get("DNSName", ""))
    return ", ".join(bare(v["Value"]) for v in record.get("ResourceRecords") or [])


def describe(route53: Any, name: str, zone: dict[str, Any]) -> list[dict[str, str]]:
    """`name`'s A, AAAA and CNAME records in `zone`: {Name, Type, Alias, Target}."""
    return [
        {
            "Name": bare(r["Name"]),
            "Type": r["Type"],
            "Alias": "yes" if r.get("AliasTarget") else "no",
            "Target": target_of(r),
        }
        for r in records_named(route53, zone_id(zone), name)
        if r["Type"] in ("A", "AAAA", "CNAME")
    ]
