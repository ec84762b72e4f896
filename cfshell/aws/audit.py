"""`audit`: what in an account's private distributions AWS calls legacy or unsafe, with the fix.

`audit(cf, s3, acm, ...)` reads (never writes) every web distribution (or the given ones), their
S3 origin buckets, certificates and trusted key groups, and returns one `Finding` per problem,
each with the cfshell command that fixes it. The checks on a distribution's config are pure
functions (`config_findings`), so they are tested without a service.

Checks, and their fix:
- `oai`: an S3 origin read through an origin access identity (legacy) -> `migrate oac DIST`
- `trusted-signers`: a behaviour trusting signers (CloudFront key pairs) -> `migrate key-group DIST`
- `public-bucket`: the origin bucket is readable without CloudFront: a bucket-policy statement
  allowing s3:GetObject to everyone without a condition, or a bucket ACL grant to AllUsers or
  AuthenticatedUsers, that Block Public Access does not neutralise -> `migrate block-public BUCKET`
- `acls-enabled`: the origin bucket's Object Ownership is not BucketOwnerEnforced
  -> `migrate oac DIST --disable-acls`
- `cname-no-cert`: an alternate domain name no certificate of the distribution covers, and
  `cert-expiring`: its ACM certificate expires within 30 days
  -> `cert request NAME --validate-in-route53`, then `distribution modify DIST --certificate ARN`
- `http-private`: a private behaviour (trusted key groups or signers) that allows plain HTTP
  (a signed URL sent in clear) -> `migrate https DIST`
- `old-key`: a public key of a trusted key group older than `max_key_age` -> `key rotate GROUP`
  (a key `key rotate` marked to retire is not reported: it leaves once its URLs have expired)

Departure from AWS's own checks (Trusted Advisor, Security Hub): object ACLs are not scanned
(a public-read object in a private bucket is not found); only bucket-level settings are read.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from . import distributions

CHECKS = (
    "oai",
    "trusted-signers",
    "public-bucket",
    "acls-enabled",
    "cname-no-cert",
    "cert-expiring",
    "http-private",
    "old-key",
)
PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)
EXPIRY_DAYS = 30


@dataclass(frozen=True)
class Finding:
    """One problem of one distribution: `check` (one of CHECKS), what it is about (`subject`:
    an origin, a bucket, a CNAME, a key), a sentence, and the cfshell command that fixes it."""

    distribution: str
    check: str
    subject: str
    problem: str
    fix: str

    def record(self) -> dict[str, str]:
        return {
            "Distribution": self.distribution,
            "Check": self.check,
            "Subject": self.subject,
            "Problem": self.problem,
            "Fix": self.fix,
        }


def behaviors(config: dict[str, Any]) -> list[dict[str, Any]]:
    """The default cache behaviour, then the others."""
    found = [config.get("DefaultCacheBehavior") or {}]
    found += (config.get("CacheBehaviors") or {}).get("Items") or []
    return found


def trusts_signers(behavior: dict[str, Any]) -> bool:
    signers = behavior.get("TrustedSigners") or {}
    return bool(signers.get("Enabled")) and bool(signers.get("Items"))


def trusted_key_groups(behavior: dict[str, Any]) -> list[str]:
    groups = behavior.get("TrustedKeyGroups") or {}
    return list(groups.get("Items") or []) if groups.get("Enabled") else []


def is_private(behavior: dict[str, Any]) -> bool:
    return trusts_signers(behavior) or bool(trusted_key_groups(behavior))


def config_findings(dist_id: str, config: dict[str, Any]) -> list[Finding]:
    """What the distribution's config alone shows: OAI origins, trusted signers, plain HTTP
    on private behaviours, CNAMEs without a certificate."""
    found: list[Finding] = []
    for oai_id in dict.fromkeys(distributions.oai_ids_of(config)):
        found.append(
            Finding(
                dist_id,
                "oai",
                f"OAI {oai_id}",
                f"an S3 origin is read through origin access identity {oai_id} "
                "(legacy: AWS recommends origin access control)",
                f"migrate oac {dist_id}",
            )
        )
    signer_paths = [b.get("PathPattern", "*") for b in behaviors(config) if trusts_signers(b)]
    if signer_paths:
        found.append(
            Finding(
                dist_id,
                "trusted-signers",
                ", ".join(signer_paths),
                "signed URLs are verified with trusted signers (CloudFront key pairs, legacy: "
                "AWS recommends trusted key groups)",
                f"migrate key-group {dist_id}",
            )
        )
    http_paths = [
        b.get("PathPattern", "*")
        for b in behaviors(config)
        if is_private(b) and b.get("ViewerProtocolPolicy", "allow-all") == "allow-all"
    ]
    if http_paths:
        found.append(
            Finding(
                dist_id,
                "http-private",
                ", ".join(http_paths),
                "a private behaviour allows plain HTTP: signed URLs and cookies travel in clear",
                f"migrate https {dist_id}",
            )
        )
    cnames = list((config.get("Aliases") or {}).get("Items") or [])
    certificate = _certificate_arn(config)
    if (
        cnames
        and not certificate
        and not (config.get("ViewerCertificate") or {}).get("IAMCertificateId")
    ):
        found.append(_no_certificate(dist_id, cnames))
    return found


def _certificate_arn(config: dict[str, Any]) -> str:
    viewer = config.get("ViewerCertificate") or {}
    if viewer.get("CloudFrontDefaultCertificate"):
        return ""
    return viewer.get("ACMCertificateArn") or ""


def _no_certificate(dist_id: str, cnames: list[str]) -> Finding:
    return Finding(
        dist_id,
        "cname-no-cert",
        ", ".join(cnames),
        f"alternate domain name{'s' if len(cnames) > 1 else ''} {', '.join(cnames)} "
        "without a certificate covering them (viewers get a TLS error)",
        _cert_fix(dist_id, cnames),
    )


def _cert_fix(dist_id: str, cnames: list[str]) -> str:
    alternatives = "".join(f" --alt {c}" for c in cnames[1:])
    return (
        f"cert request {cnames[0]}{alternatives} --validate-in-route53, then "
        f"distribution modify {dist_id} --certificate ARN"
    )


def certificate_findings(
    dist_id: str, config: dict[str, Any], certificate: dict[str, Any] | None, now: datetime
) -> list[Finding]:
    """The certificate's findings: CNAMEs it does not cover, or an expiry within 30 days."""
    from . import certs

    cnames = list((config.get("Aliases") or {}).get("Items") or [])
    arn = _certificate_arn(config)
    if not cnames or not arn:
        return []
    if certificate is None:
        return [_no_certificate(dist_id, cnames)]
    missing = certs.uncovered(certificate, cnames)
    if missing:
        return [_no_certificate(dist_id, missing)]
    days = certs.days_left(certificate, now)
    if days is not None and days <= EXPIRY_DAYS:
        when = "expired" if days < 0 else f"expires in {days} day{'s' if days != 1 else ''}"
        return [
            Finding(
                dist_id,
                "cert-expiring",
                arn,
                f"the certificate of {', '.join(cnames)} {when}",
                _cert_fix(dist_id, cnames),
            )
        ]
    return []


# --- buckets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BucketFacts:
    """What audit reads of an origin bucket."""

    name: str
    public_by_policy: bool
    public_by_acl: bool
    acls_enabled: bool


def public_statements(policy: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Statements that allow s3:GetObject to everyone with no condition."""
    from . import policy as bucket_policy

    found = []
    for statement in bucket_policy.statements(policy):
        if statement.get("Effect") != "Allow" or "Condition" in statement:
            continue
        principal = statement.get("Principal")
        everyone = principal == "*" or (
            isinstance(principal, dict) and "*" in _as_list(principal.get("AWS"))
        )
        actions = [a.lower() for a in _as_list(statement.get("Action"))]
        if everyone and any(fnmatch.fnmatchcase("s3:getobject", a) for a in actions):
            found.append(statement)
    return found


def bucket_facts(s3: Any, bucket: str) -> BucketFacts:
    from botocore.exceptions import ClientError

    from . import grants

    block = _public_access_block(s3, bucket)
    policy = grants.get_bucket_policy(s3, bucket)
    by_policy = bool(public_statements(policy)) and not block.get("RestrictPublicBuckets")
    acl = s3.get_bucket_acl(Bucket=bucket)
    by_acl = not block.get("IgnorePublicAcls") and any(
        (g.get("Grantee") or {}).get("URI") in PUBLIC_GROUPS
        and g.get("Permission") in ("READ", "FULL_CONTROL")
        for g in acl.get("Grants", [])
    )
    try:
        rules = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
        ownership = rules[0]["ObjectOwnership"] if rules else "ObjectWriter"
    except ClientError as error:
        if grants.error_code(error) != "OwnershipControlsNotFoundError":
            raise
        ownership = "ObjectWriter"  # no controls: ACLs are in force
    return BucketFacts(bucket, by_policy, by_acl, ownership != "BucketOwnerEnforced")


def _public_access_block(s3: Any, bucket: str) -> dict[str, Any]:
    from botocore.exceptions import ClientError

    from . import grants

    try:
        return s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    except ClientError as error:
        if grants.error_code(error) != "NoSuchPublicAccessBlockConfiguration":
            raise
        return {}


def bucket_findings(dist_id: str, facts: BucketFacts) -> list[Finding]:
    found = []
    if facts.public_by_policy or facts.public_by_acl:
        how = " and ".join(
            what
            for what, yes in (
                ("its policy allows everyone", facts.public_by_policy),
                ("its ACL grants everyone", facts.public_by_acl),
            )
            if yes
        )
        found.append(
            Finding(
                dist_id,
                "public-bucket",
                facts.name,
                f"bucket {facts.name} is readable without CloudFront: {how}",
                f"migrate block-public {facts.name}",
            )
        )
    if facts.acls_enabled:
        found.append(
            Finding(
                dist_id,
                "acls-enabled",
                facts.name,
                f"bucket {facts.name} has ACLs enabled (Object Ownership is not "
                "BucketOwnerEnforced): access can be granted object by object",
                f"migrate oac {dist_id} --disable-acls",
            )
        )
    return found


# --- keys ----------------------------------------------------------------------------------


def key_findings(
    dist_id: str, group_id: str, keys: Iterable[dict[str, Any]], max_age: timedelta, now: datetime
) -> list[Finding]:
    """A finding per public key of the group older than `max_age` (keys: GetPublicKey's)."""
    from .migration import retire_after

    found = []
    for key in keys:
        created = key.get("CreatedTime")
        if created is None or now - created <= max_age:
            continue
        if retire_after((key.get("PublicKeyConfig") or {}).get("Comment") or ""):
            continue  # rotated out already: it leaves the group once its URLs expire
        days = (now - created).days
        found.append(
            Finding(
                dist_id,
                "old-key",
                key["Id"],
                f"public key {key['Id']} of key group {group_id} is {days} days old "
                f"(more than {_days(max_age)})",
                f"key rotate {group_id}",
            )
        )
    return found


def _days(age: timedelta) -> str:
    if age.days and not age.seconds:
        return f"{age.days} days"
    return f"{age.total_seconds():g}s"


# --- the whole account ---------------------------------------------------------------------


def audit(
    cf: Any,
    s3: Any,
    acm: Any,
    *,
    distribution_ids: Iterable[str] | None = None,
    max_key_age: timedelta | None = None,
    now: datetime,
) -> list[Finding]:
    """Every finding of the given distributions (default: all web distributions), each once,
    in the order of CHECKS within each distribution."""
    from . import keys

    if distribution_ids is None:
        distribution_ids = [s["Id"] for s in distributions.iter_summaries(cf)]
    findings: list[Finding] = []
    bucket_cache: dict[str, BucketFacts] = {}
    key_cache: dict[str, dict[str, Any]] = {}
    for dist_id in distribution_ids:
        config, _ = distributions.get_config(cf, dist_id)
        found = config_findings(dist_id, config)
        arn = _certificate_arn(config)
        if arn:
            found += certificate_findings(dist_id, config, _certificate(acm, arn), now)
        for bucket in dict.fromkeys(distributions.origin_buckets(config)):
            if bucket not in bucket_cache:
                bucket_cache[bucket] = bucket_facts(s3, bucket)
            found += bucket_findings(dist_id, bucket_cache[bucket])
        if max_key_age is not None:
            groups = dict.fromkeys(g for b in behaviors(config) for g in trusted_key_groups(b))
            for group_id in groups:
                group, _ = keys.get_key_group(cf, group_id)
                members = []
                for key_id in group["KeyGroupConfig"].get("Items", []):
                    if key_id not in key_cache:
                        key_cache[key_id] = keys.get_public_key(cf, key_id)[0]
                    members.append(key_cache[key_id])
                found += key_findings(dist_id, group_id, members, max_key_age, now)
        unique = {(f.check, f.subject): f for f in found}
        findings += sorted(unique.values(), key=lambda f: CHECKS.index(f.check))
    return findings


def _certificate(acm: Any, arn: str) -> dict[str, Any] | None:
    from botocore.exceptions import ClientError

    from . import certs

    try:
        return certs.describe(acm, arn)
    except ClientError:
        return None


def as_records(findings: Iterable[Finding]) -> list[dict[str, str]]:
    return [f.record() for f in findings]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
