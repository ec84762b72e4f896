"""Day-two migrations, in the order that keeps every viewer served.

    migrate_oac        an S3 origin from its origin access identity (OAI) to an origin access
                       control (OAC)
    migrate_key_group  behaviours from trusted signers (CloudFront key pairs) to a trusted key group
    rotate_key         a new key in a key group; the old one stays until its URLs have expired
    retire_key         the old key out, refused while URLs signed with it may still be valid
    require_https      private behaviours from allow-all to redirect-to-https
    block_public       Block Public Access on an origin bucket

Each is a sequence of steps. A step first reads whether the world is already as it wants it
("already"), else does it ("done") or, with `dry_run`, says what it would do ("would"); each
step is reported through `progress(state, text)`. Every step leaves a state that serves
viewers, and a rerun reads the world again, so a migration stopped at any point (Ctrl-C, a
failure) continues where it stopped. Why this order:

- OAI -> OAC: the bucket policy allows the OAC (for this distribution) before the origin
  changes; the OAI's statement goes only once the change is Deployed (edges serve the previous
  configuration until then) and a request through the edge succeeded; disabling ACLs (which
  ends ACL grants to the OAI) likewise waits for Deployed.
- signers -> key group: the group is trusted next to the signers and Deployed before URLs
  signed with its key are handed out; the signers go afterwards, saying which URLs stop working.
- rotation: the new key joins the group before it signs; the old one leaves only when every
  URL it signed has expired.

Callbacks keep this module free of I/O: `wait(dist_id)` waits until Deployed, `check(...)` asks
the edge (the simulator's, given by the command), `checkpoint(name)` is called before each
writing step (tests stop a migration there). Nothing here prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from .. import names
from ..errors import CfShellError, UsageError
from . import distributions, effects, grants, oac, oai, streaming
from . import policy as bucket_policy

DONE, ALREADY, WOULD, LEFT = "done", "already", "would", "left"
ENFORCED = "BucketOwnerEnforced"
DEFAULT_SCAN_LIMIT = 1000
DEFAULT_URL_LIFETIME = timedelta(hours=24)
MIGRATED_TAG = "cfshell:migrated-from-oai"
RETIRE_MARK = re.compile(r"cfshell: retire after (\S+)")

NOT_CHECKED = "not checked"  # what a Check answers when it could not ask the edge
Progress = Callable[[str, str], None]
# (distribution, path) -> None when served, else the refusal (or NOT_CHECKED).
Check = Callable[[dict[str, Any], str], str | None]


class AclGranteesFound(CfShellError):
    """Disabling ACLs would take access from grantees other than the OAI: --yes to go on."""


class EdgeCheckFailed(CfShellError):
    """The request through the edge after the change did not succeed: nothing removed."""


class NotYetExpired(UsageError):
    """`key retire` of a key whose URLs may still be valid (without --force)."""


def _noop(_: str) -> None:
    return None


@dataclass
class Steps:
    """What a migration reports, step by step, and what it leaves for the command to offer."""

    progress: Progress
    dry_run: bool = False
    checkpoint: Callable[[str], None] = _noop
    lines: list[tuple[str, str]] = field(default_factory=list)

    def already(self, text: str) -> None:
        self._say(ALREADY, text)

    def left(self, text: str) -> None:
        self._say(LEFT, text)

    def do(self, name: str, text: str, action: Callable[[], Any]) -> Any:
        """Run `action` (or, dry, only say it would); report `text` as done."""
        if self.dry_run:
            self._say(WOULD, text)
            return None
        self.checkpoint(name)
        result = action()
        self._say(DONE, text)
        return result

    def _say(self, state: str, text: str) -> None:
        self.lines.append((state, text))
        self.progress(state, text)


# --- OAI -> OAC ---------------------------------------------------------------------------


@dataclass
class OacResult:
    distribution_id: str
    oac_id: str
    oai_ids: list[str]
    deletable_oais: list[str]  # used by nothing any more: the command offers to delete them
    acl_buckets: list[str]  # buckets whose ACLs are left enabled


def _origins(config: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(bucket, OAI ID or '', origin path) of each S3 origin."""
    found = []
    for origin in distributions.s3_origins(config):
        path = (origin.get("S3OriginConfig") or {}).get("OriginAccessIdentity") or ""
        found.append(
            (
                names.bucket_from_origin(origin["DomainName"]),
                path.rsplit("/", 1)[-1] if path else "",
                (origin.get("OriginPath") or "").strip("/"),
            )
        )
    return found


def oai_users(cf: Any, oai_id: str, *, bucket: str | None = None) -> list[str]:
    """IDs of the web and streaming distributions that read through `oai_id` (on `bucket`)."""
    users = []
    for summary in distributions.iter_summaries(cf):
        config, _ = distributions.get_config(cf, summary["Id"])
        if any(o == oai_id and (bucket is None or b == bucket) for b, o, _ in _origins(config)):
            users.append(summary["Id"])
    for summary in streaming.iter_summaries(cf):
        origin = summary.get("S3Origin") or {}
        path = origin.get("OriginAccessIdentity") or ""
        if path.rsplit("/", 1)[-1] == oai_id and (
            bucket is None or names.bucket_from_origin(origin.get("DomainName", "")) == bucket
        ):
            users.append(summary["Id"])
    return users


def _oai_statement_buckets(s3: Any, buckets: Iterable[str], oai_id: str) -> list[str]:
    return [
        b
        for b in buckets
        if any(
            bucket_policy.is_oai_statement(s, oai_id, b)
            for s in bucket_policy.statements(grants.get_bucket_policy(s3, b))
        )
    ]


def migrate_oac(
    cf: Any,
    s3: Any,
    dist_id: str,
    steps: Steps,
    *,
    wait: Callable[[str], Any],
    check: Check | None = None,
    disable_acls: bool = False,
    scan_limit: int = DEFAULT_SCAN_LIMIT,
    yes: bool = False,
) -> OacResult:
    """Move `dist_id`'s S3 origins from their OAI to an OAC (see the module doc for the order)."""
    dist, _ = distributions.get(cf, dist_id)
    config = dist["DistributionConfig"]
    origins = _origins(config)
    if not origins:
        raise UsageError(f"distribution {dist_id} has no S3 origin: nothing to migrate")
    buckets = list(dict.fromkeys(b for b, _, _ in origins))
    oai_ids = list(dict.fromkeys(o for _, o, _ in origins if o))
    oac_ids = distributions.oac_ids_of(config)

    # 1. The OAC: the one the distribution uses already, else the bucket's own (made if missing).
    if oac_ids:
        oac_id = oac_ids[0]
        steps.already(f"distribution {dist_id} reads through origin access control {oac_id}")
    else:
        name = oac.default_name(buckets[0])
        found = oac.find_by_name(cf, name)
        if found is not None:
            oac_id = found["Id"]
            steps.already(f"origin access control {oac_id} ({name}) exists: reused")
        else:
            made = steps.do(
                "create-oac",
                f"create origin access control {name}",
                lambda: oac.find_or_create(cf, buckets[0]),
            )
            oac_id = made[0] if made else "(new)"

    # 2. Each bucket's policy allows the OAC for this distribution, next to the OAI's grant.
    for bucket in buckets:
        _allow_oac(cf, s3, steps, oac_id, bucket, dist)

    # 3. The origin switches to the OAC; 4. wait until every edge has it.
    if oai_ids or not oac_ids:

        def switch() -> Any:
            if oai_ids:  # remembered for a rerun, once the config no longer names them
                cf.tag_resource(
                    Resource=dist["ARN"],
                    Tags={"Items": [{"Key": MIGRATED_TAG, "Value": " ".join(oai_ids)}]},
                )
                effects.report("distribution", dist_id, effects.MODIFIED, "tag")
            return distributions.modify(cf, dist_id, oac_id=oac_id)

        steps.do(
            "switch-origin",
            f"switch the S3 origin{'s' if len(origins) > 1 else ''} of {dist_id} "
            f"to origin access control {oac_id} "
            f"(OAI {', '.join(oai_ids) or 'none'} no longer used)",
            switch,
        )
    else:
        steps.already(f"the S3 origins of {dist_id} use origin access control {oac_id}")
    if steps.dry_run:
        steps.do("wait", f"wait until {dist_id} is Deployed", lambda: None)
    else:
        status = distributions.get(cf, dist_id)[0]["Status"]
        if status != "Deployed":
            wait(dist_id)
        steps._say(DONE if status != "Deployed" else ALREADY, f"{dist_id} is Deployed")

    # 5. A request through the edge must succeed before anything is taken away.
    if check is not None and not steps.dry_run:
        _check_edge(cf, s3, steps, dist_id, origins, check)
    elif check is not None:
        steps.do("check", "request a sample object through the edge", lambda: None)
    else:
        steps.left(
            "not checked through the edge (cfshell asks a simulator's edge only): request an "
            f"object of {dist_id} now; the OAI's statement goes next"
        )

    # 6. The OAI's statements go (where nothing else reads the bucket through that OAI).
    old_oais = oai_ids or _migrated_from(cf, dist["ARN"]) or _oais_in_policies(s3, buckets)
    for oai_id in old_oais:
        for bucket in buckets:
            _remove_oai_statement(cf, s3, steps, oai_id, bucket, dist_id)

    # 7. ACLs: disabled on request, after a scan; else left, with how to remove them later.
    acl_buckets = []
    for bucket in buckets:
        if _ownership(s3, bucket) == ENFORCED:
            steps.already(f"bucket {bucket} has ACLs disabled (Object Ownership {ENFORCED})")
            continue
        if not disable_acls:
            acl_buckets.append(bucket)
            hints = " ; ".join(f"`oai revoke {o} {bucket} --acl`" for o in old_oais)
            steps.left(
                f"bucket {bucket} keeps ACLs enabled: per-object grants to the OAI stay "
                f"(remove them later with {hints or '`oai revoke OAI BUCKET --acl`'}, "
                f"or disable ACLs: `migrate oac {dist_id} --disable-acls`)"
            )
            continue
        _disable_acls(cf, s3, steps, bucket, old_oais, scan_limit=scan_limit, yes=yes)

    # 8. The OAI itself: the command offers to delete each one nothing uses any more.
    deletable = [
        o for o in old_oais if not steps.dry_run and _oai_exists(cf, o) and not oai_users(cf, o)
    ]
    return OacResult(dist_id, oac_id, old_oais, deletable, acl_buckets)


def _allow_oac(cf: Any, s3: Any, steps: Steps, oac_id: str, bucket: str, dist: dict) -> None:
    arns = {d["ARN"] for d in distributions.using_oac(cf, oac_id, bucket)} if oac_id else set()
    arns.add(dist["ARN"])
    before = grants.get_bucket_policy(s3, bucket)
    # Present already when a statement for this OAC names this distribution (maybe others).
    for statement in bucket_policy.statements(before):
        if statement.get("Sid") == bucket_policy.oac_sid(oac_id):
            named = (statement.get("Condition") or {}).get("StringEquals", {}).get("AWS:SourceArn")
            named = [named] if isinstance(named, str) else list(named or [])
            if dist["ARN"] in named:
                steps.already(f"the policy of bucket {bucket} allows OAC {oac_id} for {dist['Id']}")
                return
            arns.update(named)
    change = bucket_policy.merge_oac(before, oac_id, bucket, sorted(arns))

    def write() -> None:
        s3.put_bucket_policy(Bucket=bucket, Policy=bucket_policy.dump(change.policy or {}))
        effects.report("bucket", bucket, effects.MODIFIED, "bucket policy")

    steps.do(
        "allow-oac",
        f"allow CloudFront (OAC {oac_id}) to read bucket {bucket} for {dist['Id']} only "
        "(AWS:SourceArn), next to the OAI's access",
        write,
    )


def _check_edge(cf: Any, s3: Any, steps: Steps, dist_id: str, origins: list, check: Check) -> None:
    dist, _ = distributions.get(cf, dist_id)
    bucket, _, origin_path = origins[0]
    listing = s3.list_objects_v2(
        Bucket=bucket, Prefix=f"{origin_path}/" if origin_path else "", MaxKeys=1
    )
    objects = listing.get("Contents") or []
    if not objects:
        steps.left(f"bucket {bucket} has no object to request through the edge: not checked")
        return
    key = objects[0]["Key"][len(origin_path) + 1 if origin_path else 0 :]
    path = "/" + "/".join(_quote(part) for part in key.split("/"))
    refusal = check(dist, path)
    if refusal == NOT_CHECKED:
        steps.left(f"{path} not requested through the edge: no key at hand to sign it")
        return
    if refusal is not None:
        raise EdgeCheckFailed(
            f"the edge refused {path} after the change ({refusal}): nothing was removed, the "
            f"OAI still reads the bucket; fix the cause and run the migration again"
        )
    steps._say(DONE, f"the edge served {path} from {bucket} through the new configuration")


def _quote(part: str) -> str:
    from urllib.parse import quote

    return quote(part, safe="~")


def _oai_exists(cf: Any, oai_id: str) -> bool:
    from botocore.exceptions import ClientError

    try:
        oai.get(cf, oai_id)
    except ClientError as error:
        if grants.error_code(error) == "NoSuchCloudFrontOriginAccessIdentity":
            return False
        raise
    return True


def _migrated_from(cf: Any, arn: str) -> list[str]:
    """The OAIs a distribution read through before `migrate oac` switched it (its tag)."""
    tags = cf.list_tags_for_resource(Resource=arn).get("Tags", {}).get("Items") or []
    return [v for t in tags if t["Key"] == MIGRATED_TAG for v in t.get("Value", "").split()]


def _oais_in_policies(s3: Any, buckets: list[str]) -> list[str]:
    """OAIs still named in the buckets' policies (a rerun after the origin switched)."""
    found: list[str] = []
    for bucket in buckets:
        for statement in bucket_policy.statements(grants.get_bucket_policy(s3, bucket)):
            principal = statement.get("Principal")
            arns = principal.get("AWS") if isinstance(principal, dict) else None
            for arn in [arns] if isinstance(arns, str) else list(arns or []):
                if arn.startswith(bucket_policy.OAI_ARN_PREFIX):
                    found.append(arn[len(bucket_policy.OAI_ARN_PREFIX) :])
    return list(dict.fromkeys(found))


def _remove_oai_statement(
    cf: Any, s3: Any, steps: Steps, oai_id: str, bucket: str, dist_id: str
) -> None:
    if not _oai_statement_buckets(s3, [bucket], oai_id):
        steps.already(f"the policy of bucket {bucket} has no statement for OAI {oai_id}")
        return
    others = [d for d in oai_users(cf, oai_id, bucket=bucket) if d != dist_id]
    if others:
        steps.left(
            f"the statement for OAI {oai_id} stays in the policy of bucket {bucket}: "
            f"{', '.join(others)} still read{'s' if len(others) == 1 else ''} it through that OAI"
        )
        return
    try:
        canonical = oai.canonical_user_id(cf, oai_id)
    except Exception:  # noqa: BLE001 - the OAI may be gone already; the ARN form still matches
        canonical = ""
    steps.do(
        "remove-oai-statement",
        f"remove the statement for OAI {oai_id} from the policy of bucket {bucket}",
        lambda: grants.revoke_policy(s3, oai_id, bucket, canonical_user_id=canonical),
    )


def _ownership(s3: Any, bucket: str) -> str:
    from botocore.exceptions import ClientError

    try:
        rules = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    except ClientError as error:
        if grants.error_code(error) != "OwnershipControlsNotFoundError":
            raise
        return "ObjectWriter"
    return rules[0]["ObjectOwnership"] if rules else "ObjectWriter"


@dataclass
class AclScan:
    """Who holds ACL grants in a bucket, apart from its owner (and the OAIs migrated)."""

    scanned: int = 0
    complete: bool = True
    grantees: dict[str, set[str]] = field(default_factory=dict)  # grantee -> where

    def add(self, grantee: str, where: str) -> None:
        self.grantees.setdefault(grantee, set()).add(where)


def scan_acls(
    s3: Any,
    bucket: str,
    *,
    skip: Iterable[str] = (),
    limit: int = DEFAULT_SCAN_LIMIT,
    progress: Callable[[int], None] | None = None,
) -> AclScan:
    """The grantees of the bucket's ACL and of its first `limit` objects' ACLs, other than the
    owner and `skip` (canonical user IDs); `complete` is False when objects were left unread."""
    skip = set(skip)
    scan = AclScan()
    acl = s3.get_bucket_acl(Bucket=bucket)
    owner = (acl.get("Owner") or {}).get("ID", "")
    skip.add(owner)
    for grant in acl.get("Grants", []):
        name = _grantee(grant)
        if name and name not in skip:
            scan.add(name, f"bucket ACL ({grant.get('Permission')})")
    paginator = s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket):
        for item in page.get("Contents") or []:
            if scan.scanned >= limit:
                scan.complete = False
                return scan
            for grant in s3.get_object_acl(Bucket=bucket, Key=item["Key"]).get("Grants", []):
                name = _grantee(grant)
                if name and name not in skip:
                    scan.add(name, f"{item['Key']} ({grant.get('Permission')})")
            scan.scanned += 1
            if progress is not None and scan.scanned % 100 == 0:
                progress(scan.scanned)
    return scan


def _grantee(grant: dict[str, Any]) -> str:
    grantee = grant.get("Grantee") or {}
    return grantee.get("ID") or grantee.get("URI") or grantee.get("EmailAddress") or ""


def _disable_acls(
    cf: Any, s3: Any, steps: Steps, bucket: str, oai_ids: list[str], *, scan_limit: int, yes: bool
) -> None:
    skip = []
    for oai_id in oai_ids:
        try:
            skip.append(oai.canonical_user_id(cf, oai_id))
        except Exception:  # noqa: BLE001 - a deleted OAI has no canonical user to skip
            pass
    scan = scan_acls(
        s3,
        bucket,
        skip=skip,
        limit=scan_limit,
        progress=lambda n: steps.progress("scan", f"{bucket}: {n} object ACLs read"),
    )
    steps._say(
        "read",
        f"scanned the ACL of bucket {bucket} and of {scan.scanned} object"
        f"{'s' if scan.scanned != 1 else ''}"
        + ("" if scan.complete else f" (--scan-limit {scan_limit} reached)"),
    )
    losers = [
        f"{grantee} ({len(where)} grant{'s' if len(where) > 1 else ''}, e.g. {sorted(where)[0]})"
        for grantee, where in sorted(scan.grantees.items())
    ]
    for line in losers:
        steps.progress("loses", line)
    if (losers or not scan.complete) and not yes:
        why = []
        if losers:
            why.append(
                f"{len(losers)} other grantee{'s' if len(losers) > 1 else ''} "
                "would lose ACL-based access"
            )
        if not scan.complete:
            why.append(f"objects past the first {scan_limit} were not scanned")
        raise AclGranteesFound(
            f"ACLs of bucket {bucket} left enabled: {' and '.join(why)}; add --yes to disable "
            "them anyway (the distribution already reads through its OAC)"
        )

    def enforce() -> None:
        s3.put_bucket_ownership_controls(
            Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": ENFORCED}]}
        )
        effects.report("bucket", bucket, effects.MODIFIED, "object ownership")

    steps.do(
        "disable-acls",
        f"set Object Ownership of bucket {bucket} to {ENFORCED} (ACLs disabled; the OAC's "
        "policy grant reads it)",
        enforce,
    )


# --- trusted signers -> key group ----------------------------------------------------------


def _behaviors(config: dict[str, Any]) -> list[dict[str, Any]]:
    found = [config["DefaultCacheBehavior"]]
    found += (config.get("CacheBehaviors") or {}).get("Items") or []
    return found


def _signers_of(behavior: dict[str, Any]) -> list[str]:
    signers = behavior.get("TrustedSigners") or {}
    return list(signers.get("Items") or []) if signers.get("Enabled") else []


def _groups_of(behavior: dict[str, Any]) -> list[str]:
    groups = behavior.get("TrustedKeyGroups") or {}
    return list(groups.get("Items") or []) if groups.get("Enabled") else []


def _set_groups(behavior: dict[str, Any], group_ids: list[str]) -> None:
    group_ids = list(dict.fromkeys(group_ids))
    behavior["TrustedKeyGroups"] = (
        {"Enabled": True, "Quantity": len(group_ids), "Items": group_ids}
        if group_ids
        else {"Enabled": False, "Quantity": 0}
    )


def key_group_name(dist_id: str) -> str:
    """The key group `migrate key-group` makes for a distribution (found again on a rerun)."""
    return f"cfshell-{dist_id}"


@dataclass
class KeyGroupResult:
    distribution_id: str
    key_group_id: str
    key_id: str  # the key to sign with from now on ('' when an existing group was taken)
    key_pair_ids: list[str]  # of the signers removed (or left)
    signers_removed: bool


def migrate_key_group(
    cf: Any,
    dist_id: str,
    steps: Steps,
    *,
    wait: Callable[[str], Any],
    url_lifetime: timedelta = DEFAULT_URL_LIFETIME,
    now: datetime,
    keep_signers: bool = False,
    confirm: Callable[[str], None] | None = None,
    key_id: str | None = None,
    check_key: Callable[[dict[str, Any], str], str | None] | None = None,
) -> KeyGroupResult:
    """Trust a key group where `dist_id` trusts signers, then (unless `keep_signers`) remove the
    signers, once the group is Deployed (see the module doc for the order)."""
    from . import keys

    dist, _ = distributions.get(cf, dist_id)
    config = dist["DistributionConfig"]
    signing = [b for b in _behaviors(config) if _signers_of(b)]
    key_pairs = [
        k
        for item in (dist.get("ActiveTrustedSigners") or {}).get("Items") or []
        for k in (item.get("KeyPairIds") or {}).get("Items") or []
    ]
    name = key_group_name(dist_id)
    existing = keys.find_key_group_by_name(cf, name)
    trusted = {g for b in _behaviors(config) for g in _groups_of(b)}
    if not signing:
        if existing is not None and existing["Id"] in trusted:
            steps.already(f"no behaviour of {dist_id} trusts signers; key group {name} is trusted")
            return KeyGroupResult(dist_id, existing["Id"], "", [], True)
        raise UsageError(
            f"no behaviour of distribution {dist_id} trusts signers: nothing to migrate"
        )

    # 1. The key group: found by its name on a rerun, else made (with a new key, or --key).
    new_key = ""
    if existing is not None:
        group_id = existing["Id"]
        steps.already(f"key group {name} ({group_id}) exists: reused")
    elif key_id:
        made = steps.do(
            "create-key-group",
            f"create key group {name} with public key {key_id}",
            lambda: keys.create_key_group(cf, name, [key_id]),
        )
        group_id = made[0]["Id"] if made else "(new)"
        new_key = key_id
    else:
        made = steps.do(
            "generate-key",
            f"generate a key pair (private key in the key store), upload its public key, "
            f"create key group {name} with it",
            lambda: keys.generate(cf, f"{name}-key", key_group_name=name),
        )
        group_id = made.key_group_id if made else "(new)"
        new_key = made.public_key_id if made else "(new)"

    # 2. Trusted on every behaviour that trusts signers (the signers stay for now); 3. Deployed.
    if all(group_id in _groups_of(b) for b in signing):
        steps.already(
            f"every behaviour of {dist_id} that trusts signers trusts key group {group_id}"
        )
    else:

        def trust(current: dict[str, Any]) -> dict[str, Any]:
            for behavior in _behaviors(current):
                if _signers_of(behavior):
                    _set_groups(behavior, [*_groups_of(behavior), group_id])
            return current

        steps.do(
            "trust-key-group",
            f"trust key group {group_id} on every behaviour of {dist_id} that trusts signers "
            "(signers kept meanwhile)",
            lambda: distributions.update(cf, dist_id, trust),
        )
    _wait_deployed(cf, steps, dist_id, wait)
    if check_key is not None and new_key and not steps.dry_run:
        refusal = check_key(dist, new_key)
        if refusal is not None:
            raise EdgeCheckFailed(
                f"a URL signed with key {new_key} was refused ({refusal}): the signers stay"
            )
        steps._say(DONE, f"the edge accepted a URL signed with key {new_key}")

    # 4. The signers: which URLs stop working, and when they would have expired anyway.
    until = now + url_lifetime
    signers = sorted({s for b in signing for s in _signers_of(b)})
    stop = (
        f"URLs and cookies signed with key pair{'s' if len(key_pairs) != 1 else ''} "
        f"{', '.join(key_pairs) or '(none active)'} "
        f"(trusted signer{'s' if len(signers) > 1 else ''} "
        f"{', '.join(signers)}) stop working once the signers are removed; signed with a "
        f"lifetime of at most {_span(url_lifetime)}, they would have expired by "
        f"{until.strftime('%Y-%m-%d %H:%M UTC')} anyway"
    )
    if keep_signers:
        steps.left(f"trusted signers kept (--keep-signers): {stop}")
        return KeyGroupResult(dist_id, group_id, new_key, key_pairs, False)
    steps.progress("note", stop)
    if confirm is not None and not steps.dry_run:
        confirm(f"remove the trusted signers of {dist_id}")

    def untrust(current: dict[str, Any]) -> dict[str, Any]:
        for behavior in _behaviors(current):
            if _signers_of(behavior):
                behavior["TrustedSigners"] = {"Enabled": False, "Quantity": 0}
        return current

    steps.do(
        "remove-signers",
        f"remove the trusted signers of {dist_id} (key group {group_id} stays trusted)",
        lambda: distributions.update(cf, dist_id, untrust),
    )
    _wait_deployed(cf, steps, dist_id, wait)
    return KeyGroupResult(dist_id, group_id, new_key, key_pairs, True)


def _wait_deployed(cf: Any, steps: Steps, dist_id: str, wait: Callable[[str], Any]) -> None:
    if steps.dry_run:
        steps._say(WOULD, f"wait until {dist_id} is Deployed")
        return
    if distributions.get(cf, dist_id)[0]["Status"] == "Deployed":
        steps.already(f"{dist_id} is Deployed")
        return
    wait(dist_id)
    steps._say(DONE, f"{dist_id} is Deployed")


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0 and seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _remaining(delta: timedelta) -> str:
    """A time left, rounded up to the minute: `2h`, `1h59m`, `5m`."""
    import math

    hours, minutes = divmod(max(1, math.ceil(delta.total_seconds() / 60)), 60)
    if not hours:
        return f"{minutes}m"
    return f"{hours}h{minutes}m" if minutes else f"{hours}h"


# --- key rotation --------------------------------------------------------------------------


def retire_after(comment: str) -> datetime | None:
    """The time written by `rotate_key` into an old key's comment, or None."""
    match = RETIRE_MARK.search(comment or "")
    if not match:
        return None
    try:
        return datetime.fromisoformat(match.group(1).replace("Z", "+00:00"))
    except ValueError:
        return None


def groups_using(cf: Any, group_id: str) -> list[str]:
    """IDs of the web distributions that trust `group_id` on some behaviour."""
    users = []
    for summary in distributions.iter_summaries(cf):
        config, _ = distributions.get_config(cf, summary["Id"])
        if any(group_id in _groups_of(b) for b in _behaviors(config)):
            users.append(summary["Id"])
    return users


@dataclass
class RotateResult:
    group_id: str
    new_key_id: str
    old_key_ids: list[str]
    retire_after: datetime


def rotate_key(
    cf: Any,
    group_id: str,
    steps: Steps,
    *,
    wait: Callable[[str], Any],
    now: datetime,
    url_lifetime: timedelta = DEFAULT_URL_LIFETIME,
) -> RotateResult:
    """A new key in `group_id`; the keys before it are marked to retire once URLs signed with
    them have expired (`now + url_lifetime`), and stay in the group until `retire_key`."""
    from . import keys

    group, _ = keys.get_key_group(cf, group_id)
    config = group["KeyGroupConfig"]
    old = [k for k in config.get("Items") or []]
    if len(old) >= 5:
        raise UsageError(
            f"key group {group_id} holds 5 keys, CloudFront's limit: retire one first "
            "(`key retire KEY`)"
        )
    made = steps.do(
        "generate-key",
        f"generate a key pair (private key in the key store) and add its public key to "
        f"key group {config['Name']}",
        lambda: keys.generate(
            cf, f"{config['Name']}-{now.strftime('%Y%m%d%H%M%S')}", key_group_id=group_id
        ),
    )
    new_key = made.public_key_id if made else "(new)"
    for dist_id in groups_using(cf, group_id):
        _wait_deployed(cf, steps, dist_id, wait)
    until = now + url_lifetime
    stamp = until.strftime("%Y-%m-%dT%H:%M:%SZ")
    for key_id in old:
        current, _ = keys.get_public_key(cf, key_id)
        comment = current["PublicKeyConfig"].get("Comment") or ""
        marked = retire_after(comment)
        if marked is not None and marked <= until:
            steps.already(f"public key {key_id} retires after {marked:%Y-%m-%d %H:%M UTC}")
            continue
        text = RETIRE_MARK.sub("", comment).strip()
        new_comment = f"{text} cfshell: retire after {stamp}".strip()[:128]
        steps.do(
            "mark-old-key",
            f"mark public key {key_id} to retire: it signs no more URLs and stays in the "
            f"group until {until:%Y-%m-%d %H:%M UTC}, when URLs signed with it have expired: then "
            f"`key retire {key_id}`",
            lambda k=key_id, c=new_comment: keys.update_public_key_comment(cf, k, c),
        )
    return RotateResult(group_id, new_key, old, until)


@dataclass
class RetireResult:
    key_id: str
    group_ids: list[str]
    deleted: bool


def retire_key(
    cf: Any,
    key_id: str,
    steps: Steps,
    *,
    wait: Callable[[str], Any],
    now: datetime,
    force: bool = False,
) -> RetireResult:
    """Remove `key_id` from its key groups and delete it, once URLs signed with it have expired
    (the time `rotate_key` wrote), else NotYetExpired unless `force`."""
    from . import keys

    current, _ = keys.get_public_key(cf, key_id)
    marked = retire_after(current["PublicKeyConfig"].get("Comment") or "")
    if not force:
        if marked is None:
            raise NotYetExpired(
                f"public key {key_id} was never rotated out: URLs signed with it may still be "
                "valid; rotate first (`key rotate GROUP`), or add --force"
            )
        if now < marked:
            left = _remaining(marked - now)
            raise NotYetExpired(
                f"URLs signed with public key {key_id} may be valid until "
                f"{marked:%Y-%m-%d %H:%M UTC} (in {left}): "
                "retire it after that, or add --force"
            )
    holding = [
        g for g in keys.iter_key_groups(cf) if key_id in (g["KeyGroupConfig"].get("Items") or [])
    ]
    for group in holding:
        if len(group["KeyGroupConfig"]["Items"]) == 1:
            raise UsageError(
                f"public key {key_id} is the only key of key group {group['Id']}: "
                "rotate first (`key rotate GROUP`)"
            )
    for group in holding:
        steps.do(
            "remove-key",
            f"remove public key {key_id} from key group {group['KeyGroupConfig']['Name']}",
            lambda g=group["Id"]: keys.remove_keys_from_group(cf, g, [key_id]),
        )
        for dist_id in groups_using(cf, group["Id"]):
            _wait_deployed(cf, steps, dist_id, wait)
    steps.do(
        "delete-key", f"delete public key {key_id}", lambda: keys.delete_public_key(cf, key_id)
    )
    return RetireResult(key_id, [g["Id"] for g in holding], not steps.dry_run)


# --- smaller fixes the audit names ---------------------------------------------------------


def require_https(cf: Any, dist_id: str, steps: Steps, *, wait: Callable[[str], Any]) -> None:
    """Private behaviours of `dist_id` that allow plain HTTP redirect to HTTPS instead."""
    config, _ = distributions.get_config(cf, dist_id)
    plain = [
        b.get("PathPattern", "*")
        for b in _behaviors(config)
        if (_signers_of(b) or _groups_of(b)) and b.get("ViewerProtocolPolicy") == "allow-all"
    ]
    if not plain:
        steps.already(f"no private behaviour of {dist_id} allows plain HTTP")
        return

    def change(current: dict[str, Any]) -> dict[str, Any]:
        for behavior in _behaviors(current):
            if (_signers_of(behavior) or _groups_of(behavior)) and behavior.get(
                "ViewerProtocolPolicy"
            ) == "allow-all":
                behavior["ViewerProtocolPolicy"] = "redirect-to-https"
        return current

    steps.do(
        "redirect-to-https",
        f"make private behaviour{'s' if len(plain) > 1 else ''} {', '.join(plain)} of "
        f"{dist_id} redirect HTTP to HTTPS",
        lambda: distributions.update(cf, dist_id, change),
    )
    _wait_deployed(cf, steps, dist_id, wait)


BLOCK_ALL = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def block_public(s3: Any, bucket: str, steps: Steps) -> None:
    """Block Public Access (all four settings) on `bucket`: public policies and ACLs stop
    applying. CloudFront's OAC and OAI grants are not public and keep working."""
    from botocore.exceptions import ClientError

    try:
        current = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    except ClientError as error:
        if grants.error_code(error) != "NoSuchPublicAccessBlockConfiguration":
            raise
        current = {}
    if all(current.get(k) for k in BLOCK_ALL):
        steps.already(f"bucket {bucket} blocks public access")
        return

    def block() -> None:
        s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=BLOCK_ALL)
        effects.report("bucket", bucket, effects.MODIFIED, "block public access")

    steps.do(
        "block-public",
        f"block public access to bucket {bucket} (public policies and ACLs stop applying)",
        block,
    )


def utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
