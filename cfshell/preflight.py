"""Go-live preflight: would AWS refuse a line of a transcript? Read-only checks, per command.

`replay FILE --dry-run` (and `cfshell --script FILE --dry-run`) against a real account or a
served simulator asks, for each line, the small checks registered here for its command: reads
only (Head/Get/List calls), never a write. A check answers None when the line looks fine, or
one sentence saying why AWS would refuse it. What reads cannot tell (a quota, a permission the
caller lacks for the write itself) is not claimed.

The table is `CHECKS[(group, verb)]`, filled with `@check("group verb", ...)`: another command
set adds its own the same way. A check receives the `Preflight` (its `session`, cached reads,
and `plan`: what earlier lines of the same transcript will have made) and the line's arguments
as its parser reads them. IDs that are `$references` (made by an earlier line) are placeholders
here: `plan.made(value)` says so, and nothing is looked up for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Check = Callable[["Preflight", dict[str, Any]], "str | None"]
CHECKS: dict[tuple[str, str], list[Check]] = {}


def check(*commands: str) -> Callable[[Check], Check]:
    """Register a check for each `"group verb"` command."""

    def register(func: Check) -> Check:
        for command in commands:
            group, verb = command.split(" ", 1)
            CHECKS.setdefault((group, verb), []).append(func)
        return func

    return register


@dataclass
class Plan:
    """What the lines before the one checked will have made (so that later lines may use it)."""

    buckets: set[str] = field(default_factory=set)
    cnames: dict[str, int] = field(default_factory=dict)  # CNAME -> line that adds it
    placeholders: set[str] = field(default_factory=set)  # IDs standing for `$references`

    def made(self, value: str | None) -> bool:
        return bool(value) and value in self.placeholders


def _code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        error = response.get("Error") or {}
        return str(error.get("Code") or response.get("ResponseMetadata", {}).get("HTTPStatusCode"))
    return ""


class Preflight:
    """The checks of one dry run: the session to read through, cached reads, the plan."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.plan = Plan()
        self._cache: dict[Any, Any] = {}

    def client(self, name: str) -> Any:
        return self.session.client(name)

    def cached(self, key: Any, read: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = read()
        return self._cache[key]

    def problems(self, group: str, verb: str, arguments: dict[str, Any]) -> list[str]:
        """Why AWS would refuse this line, one sentence each (none: it would run)."""
        found = []
        for func in CHECKS.get((group, verb), ()):
            try:
                problem = func(self, arguments)
            except Exception as exc:  # noqa: BLE001 - a read that fails is itself a finding
                from .errors import translate

                error = translate(exc)
                if error is None:
                    raise
                problem = f"cannot tell: {error}"
            if problem:
                found.append(problem)
        return found

    # --- reads shared by the checks ---------------------------------------------------------

    def bucket_problem(self, bucket: str | None) -> str | None:
        if not bucket:
            return None
        from .errors import UsageError
        from .names import bucket_name

        try:
            name = bucket_name(bucket)
        except UsageError as exc:
            return str(exc)
        if name in self.plan.buckets:
            return None

        def head() -> str:
            try:
                self.client("s3").head_bucket(Bucket=name)
            except Exception as exc:  # noqa: BLE001 - its code says what
                return _code(exc)
            return ""

        code = self.cached(("bucket", name), head)
        if code in ("404", "NoSuchBucket", "NotFound"):
            return f"bucket {name} does not exist"
        if code in ("403", "AccessDenied", "Forbidden"):
            return f"bucket {name} is not this account's (access denied)"
        return None

    def aliases_in_use(self) -> dict[str, str]:
        """CNAME -> the distribution of this account that has it (web and streaming)."""

        def read() -> dict[str, str]:
            cf = self.client("cloudfront")
            used: dict[str, str] = {}
            for operation, key in (
                ("list_distributions", "DistributionList"),
                ("list_streaming_distributions", "StreamingDistributionList"),
            ):
                marker = None
                while True:
                    page = getattr(cf, operation)(**({"Marker": marker} if marker else {}))[key]
                    for item in page.get("Items") or []:
                        for alias in (item.get("Aliases") or {}).get("Items") or []:
                            used[alias.lower()] = item["Id"]
                    marker = page.get("NextMarker")
                    if not marker:
                        break
            return used

        return self.cached("aliases", read)

    def exists(self, kind: str, resource_id: str | None, get: Callable[[], Any]) -> str | None:
        """None if `resource_id` exists (or is made by an earlier line), else the sentence."""
        if not resource_id or self.plan.made(resource_id):
            return None

        def read() -> str:
            try:
                get()
            except Exception as exc:  # noqa: BLE001 - its code says what
                code = _code(exc)
                if code.startswith("NoSuch") or code in ("404", "NotFound"):
                    return code
                raise
            return ""

        if self.cached((kind, resource_id), read):
            from . import kinds

            noun = kinds.noun(kind) if kinds.get(kind) else kind
            return f"{noun} {resource_id} does not exist in this account"
        return None

    def after(self, lineno: int, group: str, verb: str, arguments: dict[str, Any]) -> None:
        """Note what the line checked will have made, for the lines after it."""
        if group == "sim" and verb == "bucket" and arguments.get("name"):
            self.plan.buckets.add(str(arguments["name"]))
        for alias in _cnames(arguments):
            self.plan.cnames.setdefault(alias.lower(), lineno)


def _cnames(arguments: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for key in ("cnames", "add_cname"):
        value = arguments.get(key) or []
        found.extend([value] if isinstance(value, str) else list(value))
    return found


def _ids(value: Any) -> Iterable[str]:
    if not value:
        return ()
    return [value] if isinstance(value, str) else list(value)


# --- the checks -------------------------------------------------------------------------------


@check(
    "streaming create",
    "distribution create",
    "oai grant",
    "oai revoke",
    "oac grant",
)
def bucket_exists(pre: Preflight, args: dict[str, Any]) -> str | None:
    return pre.bucket_problem(args.get("bucket"))


@check("oai grant")
def acls_enabled(pre: Preflight, args: dict[str, Any]) -> str | None:
    """A grant by ACL needs a bucket whose ACLs are enabled (not BucketOwnerEnforced)."""
    bucket = args.get("bucket")
    if not args.get("acl") or not bucket or pre.bucket_problem(bucket):
        return None
    from .names import bucket_name

    name = bucket_name(bucket)
    if name in pre.plan.buckets:
        return None

    def read() -> str:
        try:
            rules = pre.client("s3").get_bucket_ownership_controls(Bucket=name)
        except Exception as exc:  # noqa: BLE001 - none set: ACLs are enabled
            if _code(exc) == "OwnershipControlsNotFoundError":
                return ""
            raise
        controls = rules.get("OwnershipControls", {}).get("Rules") or []
        return controls[0].get("ObjectOwnership", "") if controls else ""

    if pre.cached(("ownership", name), read) == "BucketOwnerEnforced":
        return (
            f"bucket {name} has ACLs disabled (Object Ownership BucketOwnerEnforced): "
            "AWS refuses ACL grants there; grant by bucket policy (without --acl)"
        )
    return None


@check("streaming create", "streaming modify", "distribution create", "distribution modify")
def cnames_free(pre: Preflight, args: dict[str, Any]) -> str | None:
    """A CNAME is used by one distribution of the account at most (CNAMEAlreadyExists)."""
    used = pre.aliases_in_use()
    taken = []
    for alias in _cnames(args):
        key = alias.lower()
        if key in used:
            taken.append(f"{alias} (used by {used[key]})")
        elif key in pre.plan.cnames:
            taken.append(f"{alias} (added on line {pre.plan.cnames[key]})")
    if taken:
        return "CNAME already in use in this account: " + ", ".join(taken)
    return None


@check("distribution create", "distribution modify")
def certificate_covers(pre: Preflight, args: dict[str, Any]) -> str | None:
    """A web distribution's CNAMEs need an ISSUED ACM certificate (us-east-1) covering them."""
    cnames = _cnames(args)
    if not cnames:
        return None
    from .aws import certs

    acm = pre.client("acm")
    arn = args.get("certificate")
    if arn:
        cert = pre.cached(("cert", arn), lambda: certs.describe(acm, arn))
        if cert.get("Status") != "ISSUED":
            return f"certificate {arn} is {cert.get('Status', 'unknown')}, not ISSUED"
        missing = certs.uncovered(cert, cnames)
        return f"certificate {arn} does not cover {', '.join(missing)}" if missing else None
    if pre.cached(("covering", tuple(cnames)), lambda: certs.covering(acm, cnames)):
        return None
    return f"no ISSUED certificate in us-east-1 covers {', '.join(cnames)}"


@check("streaming create", "streaming modify", "distribution create", "distribution modify")
def oai_exists(pre: Preflight, args: dict[str, Any]) -> str | None:
    oai = args.get("oai")
    if not isinstance(oai, str) or not oai:
        return None
    cf = pre.client("cloudfront")
    return pre.exists("oai", oai, lambda: cf.get_cloud_front_origin_access_identity(Id=oai))


@check("oai grant", "oai revoke", "oai get", "oai modify", "oai delete")
def named_oai_exists(pre: Preflight, args: dict[str, Any]) -> str | None:
    oai = args.get("oai_id") or args.get("id")
    if not oai:
        return None
    cf = pre.client("cloudfront")
    return pre.exists("oai", oai, lambda: cf.get_cloud_front_origin_access_identity(Id=oai))


@check("distribution create", "distribution modify")
def oac_and_key_groups_exist(pre: Preflight, args: dict[str, Any]) -> str | None:
    cf = pre.client("cloudfront")
    problems = []
    oac = args.get("oac")
    if isinstance(oac, str) and oac:
        problems.append(pre.exists("oac", oac, lambda: cf.get_origin_access_control(Id=oac)))
    for group in _ids(args.get("key_groups")):
        problems.append(
            pre.exists("key-group", group, lambda g=group: cf.get_key_group(Id=g))  # type: ignore[misc]
        )
    found = [p for p in problems if p]
    return "; ".join(found) or None


@check("oac grant", "oac get", "oac delete")
def named_oac_exists(pre: Preflight, args: dict[str, Any]) -> str | None:
    oac = args.get("id")
    if not oac:
        return None
    cf = pre.client("cloudfront")
    return pre.exists("oac", oac, lambda: cf.get_origin_access_control(Id=oac))


@check("key-group create", "key-group add", "key-group remove")
def keys_exist(pre: Preflight, args: dict[str, Any]) -> str | None:
    cf = pre.client("cloudfront")
    found = [
        pre.exists("key", key, lambda k=key: cf.get_public_key(Id=k))  # type: ignore[misc]
        for key in _ids(args.get("keys"))
    ]
    return "; ".join(p for p in found if p) or None


@check("dns alias", "dns cname", "dns show", "dns remove")
def zone_holds_name(pre: Preflight, args: dict[str, Any]) -> str | None:
    """The name must be in one of the account's hosted zones; `remove` needs its records."""
    name = args.get("name")
    if not name:
        return None
    from .aws import dns

    route53 = pre.client("route53")
    zone = pre.cached(("zone", name), lambda: dns.zone_for(route53, name))
    if zone is None:
        return f"no hosted zone of this account holds {name}"
    if args.get("_verb") == "remove":
        records = pre.cached(("records", name), lambda: dns.describe(route53, name, zone))
        if not records:
            return f"hosted zone {dns.bare(zone['Name'])} holds no record of {name}"
    return None
