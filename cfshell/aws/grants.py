"""Grant an origin access identity read access to a bucket, and take it back.

Two ways, as `oai grant` offers them:

- policy mode: one statement for the OAI merged into the bucket policy (see `policy`);
- ACL mode: a grant for the OAI's S3 canonical user added to every object's ACL.

ACL mode walks the bucket as a stream (a listing thread feeds a bounded queue, so memory stays
flat whatever the bucket size) and updates objects with a fixed number of worker threads. Each
object is a read-modify-write (`get_object_acl`, then `put_object_acl` with every grant read plus
the new one), skipped when the grant is already there, which is what makes a cancelled run safe
to repeat. S3 has no conditional ACL write: a change made to an object's ACL between our read and
our write is overwritten.

boto3 only: no printing, no input. Callers get progress and per-object results through callbacks
and a summary at the end; AWS errors other than those counted per object propagate as botocore's
`ClientError` for `cfshell.errors` to translate. Each write is reported (cfshell.aws.effects)
as a change of the bucket: of its policy, or of its objects' ACLs (once per run, from the thread
that waits for it: worker threads have no collector).
"""

from __future__ import annotations

import queue
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import effects
from . import policy as bucket_policy

if TYPE_CHECKING:
    from botocore.exceptions import ClientError

# botocore is imported where an error is caught, not here: importing this module is part of
# cfshell's start-up, and the first AWS call imports botocore anyway.

PERMISSIONS = ("READ", "FULL_CONTROL")
ACL_NOT_SUPPORTED = "AccessControlListNotSupported"
# Error codes S3 (and the simulator's fault layer) use to ask a client to slow down.
THROTTLING_CODES = frozenset(
    {
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottled",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "ServiceUnavailable",
        "503",
    }
)
# Per-object failures kept with their reason; beyond this only counted, so a bucket where every
# object fails cannot grow the summary without bound.
FAILURE_SAMPLES = 20


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def is_throttling(error: ClientError) -> bool:
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return error_code(error) in THROTTLING_CODES or status == 503


class _Cancelled(Exception):
    """Raised inside a worker when a cancel interrupts a backoff: the object is left undone."""


@dataclass(frozen=True)
class Retry:
    """Retry throttled calls with capped exponential backoff and full jitter."""

    attempts: int = 8
    base: float = 0.05
    cap: float = 2.0

    def delay(self, attempt: int) -> float:
        return random.uniform(0, min(self.cap, self.base * 2**attempt))


# -- policy mode ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyResult:
    """What a policy grant or revoke did (or, with `dry_run`, would do)."""

    bucket: str
    changed: bool
    created: bool  # there was no bucket policy before
    deleted: bool  # the statement was the last one: the policy is gone
    statement: dict[str, Any]
    policy: dict[str, Any] | None
    dry_run: bool = False


def get_bucket_policy(s3: Any, bucket: str) -> dict[str, Any] | None:
    from botocore.exceptions import ClientError

    try:
        text = s3.get_bucket_policy(Bucket=bucket)["Policy"]
    except ClientError as error:
        if error_code(error) == "NoSuchBucketPolicy":
            return None
        raise
    return bucket_policy.parse(text)


def _write_policy(
    s3: Any,
    bucket: str,
    before: dict[str, Any] | None,
    change: bucket_policy.PolicyChange,
    dry_run: bool,
) -> PolicyResult:
    if change.changed and not dry_run:
        if change.policy is None:
            s3.delete_bucket_policy(Bucket=bucket)
        else:
            s3.put_bucket_policy(Bucket=bucket, Policy=bucket_policy.dump(change.policy))
        effects.report("bucket", bucket, effects.MODIFIED, "bucket policy")
    return PolicyResult(
        bucket=bucket,
        changed=change.changed,
        created=change.changed and before is None,
        deleted=change.changed and change.policy is None,
        statement=change.statement,
        policy=change.policy,
        dry_run=dry_run,
    )


def grant_policy(
    s3: Any,
    oai_id: str,
    bucket: str,
    *,
    prefix: str = "",
    canonical_user_id: str = "",
    dry_run: bool = False,
) -> PolicyResult:
    """Merge the OAI's read statement into the bucket policy (creating the policy if needed)."""
    before = get_bucket_policy(s3, bucket)
    change = bucket_policy.merge_oai(before, oai_id, bucket, prefix, canonical_user_id)
    return _write_policy(s3, bucket, before, change, dry_run)


def revoke_policy(
    s3: Any,
    oai_id: str,
    bucket: str,
    *,
    prefix: str = "",
    canonical_user_id: str = "",
    dry_run: bool = False,
) -> PolicyResult:
    """Remove the OAI's read statement; delete the policy if nothing else is left in it."""
    before = get_bucket_policy(s3, bucket)
    change = bucket_policy.remove_oai(before, oai_id, bucket, prefix, canonical_user_id)
    return _write_policy(s3, bucket, before, change, dry_run)


# -- ACL mode ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AclProgress:
    done: int  # objects finished (changed, unchanged or failed)
    listed: int  # objects listed so far
    listing_complete: bool
    elapsed: float

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0


@dataclass
class AclSummary:
    """The end of an ACL run: counts, failures with reasons, and whether it was cancelled."""

    bucket: str
    revoke: bool
    dry_run: bool
    changed: int = 0  # granted / revoked (with dry_run: would be)
    unchanged: int = 0  # already had the grant / did not have it
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (key, reason), a sample
    failure_codes: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    listed: int = 0
    listing_complete: bool = False
    cancelled: bool = False
    elapsed: float = 0.0

    @property
    def done(self) -> int:
        return self.changed + self.unchanged + self.failed

    @property
    def remaining(self) -> int:
        """Objects listed but not processed; a lower bound unless `listing_complete`."""
        return self.listed - self.done

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0


def _grantee_matches(grant: dict[str, Any], canonical_user_id: str) -> bool:
    grantee = grant.get("Grantee", {})
    return grantee.get("Type") == "CanonicalUser" and grantee.get("ID") == canonical_user_id


def has_grant(grants: list[dict[str, Any]], canonical_user_id: str, permission: str) -> bool:
    """True if the grantee already holds `permission` (FULL_CONTROL includes READ)."""
    return any(
        _grantee_matches(g, canonical_user_id)
        and g.get("Permission") in (permission, "FULL_CONTROL")
        for g in grants
    )


def with_grant(grants: list[dict[str, Any]], canonical_user_id: str, permission: str) -> list:
    grantee = {"Type": "CanonicalUser", "ID": canonical_user_id}
    return [*grants, {"Grantee": grantee, "Permission": permission}]


def without_grantee(grants: list[dict[str, Any]], canonical_user_id: str) -> list:
    return [g for g in grants if not _grantee_matches(g, canonical_user_id)]


class AclJob:
    """One pass over a bucket's objects, granting (or revoking) an ACL grant on each.

    `start()` runs it on background threads; `wait()` returns the summary. `cancel()` (or setting
    the `cancel` event) stops handing out objects: requests in flight finish, so no object is left
    half-written, and the summary says how many were done and how many remain.
    """

    def __init__(
        self,
        s3: Any,
        bucket: str,
        canonical_user_id: str,
        *,
        permission: str = "READ",
        prefix: str = "",
        revoke: bool = False,
        dry_run: bool = False,
        concurrency: int = 16,
        cancel: threading.Event | None = None,
        on_progress: Callable[[AclProgress], None] | None = None,
        on_change: Callable[[str], None] | None = None,
        retry: Retry = Retry(),
    ) -> None:
        if permission not in PERMISSIONS:
            raise ValueError(f"permission must be one of {', '.join(PERMISSIONS)}")
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.s3 = s3
        self.bucket = bucket
        self.canonical_user_id = canonical_user_id
        self.permission = permission
        self.prefix = prefix
        self.revoke = revoke
        self.dry_run = dry_run
        self.concurrency = concurrency
        self.cancel_event = cancel or threading.Event()
        self.on_progress = on_progress
        self.on_change = on_change
        self.retry = retry
        self.summary = AclSummary(bucket=bucket, revoke=revoke, dry_run=dry_run)
        # Room for a couple of keys per worker: the listing never runs far ahead of the work.
        self._keys: queue.Queue[str] = queue.Queue(maxsize=concurrency * 4)
        self._lock = threading.Lock()
        self._stop = threading.Event()  # cancel, or an error that ends the whole run
        self._listing_done = threading.Event()
        self._finished = threading.Event()
        self._fatal: BaseException | None = None
        self._started = 0.0
        self._thread: threading.Thread | None = None
        self._effect_reported = False

    # -- public -----------------------------------------------------------------------------

    def start(self) -> AclJob:
        self._check_acls_enabled()
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="acl-job", daemon=True)
        self._thread.start()
        return self

    def cancel(self) -> None:
        self.cancel_event.set()

    def wait(self) -> AclSummary:
        """Block until the run ends; re-raises an error that stopped the whole run."""
        # Short waits keep the calling thread responsive to KeyboardInterrupt.
        while not self._finished.wait(0.1):
            pass
        self._report_effect()
        if self._fatal is not None:
            raise self._fatal
        return self.summary

    def _report_effect(self) -> None:
        # From the calling thread (workers have no effects collector), once per run.
        if self._effect_reported or self.dry_run or not self.summary.changed:
            return
        self._effect_reported = True
        effects.report("bucket", self.bucket, effects.MODIFIED, "object ACLs")

    def run(self) -> AclSummary:
        return self.start().wait()

    # -- AWS calls --------------------------------------------------------------------------

    def _call(self, method: Callable[..., Any], **kwargs: Any) -> Any:
        from botocore.exceptions import ClientError

        for attempt in range(self.retry.attempts):
            try:
                return method(**kwargs)
            except ClientError as error:
                if not is_throttling(error) or attempt == self.retry.attempts - 1:
                    raise
                with self._lock:
                    self.summary.retries += 1
                if self.cancel_event.wait(self.retry.delay(attempt)):
                    raise _Cancelled from error  # a cancel cuts the backoff short
        raise AssertionError("unreachable")

    def _check_acls_enabled(self) -> None:
        """Refuse up front when the bucket has ACLs disabled, as the first write would."""
        from botocore.exceptions import ClientError

        try:
            controls = self._call(self.s3.get_bucket_ownership_controls, Bucket=self.bucket)
        except _Cancelled:
            return  # the run that follows stops at once
        except ClientError as error:
            if error_code(error) in ("OwnershipControlsNotFoundError", "AccessDenied"):
                return  # no controls: ACLs enabled; not allowed to read them: let writes tell
            raise
        rules = controls.get("OwnershipControls", {}).get("Rules", [])
        if any(rule.get("ObjectOwnership") == "BucketOwnerEnforced" for rule in rules):
            raise ClientError(
                {
                    "Error": {
                        "Code": ACL_NOT_SUPPORTED,
                        "Message": "The bucket does not allow ACLs",
                        "BucketName": self.bucket,
                    },
                    "ResponseMetadata": {"HTTPStatusCode": 400},
                },
                "PutObjectAcl",
            )

    # -- the run ----------------------------------------------------------------------------

    def _stopping(self) -> bool:
        return self._stop.is_set() or self.cancel_event.is_set()

    def _pages(self) -> Iterator[list[str]]:
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": self.prefix}
            if token:
                kwargs["ContinuationToken"] = token
            page = self._call(self.s3.list_objects_v2, **kwargs)
            token = page.get("NextContinuationToken")
            last = not page.get("IsTruncated") or not token
            keys = [obj["Key"] for obj in page.get("Contents", [])]
            # Counted when the page arrives, so the total is known as early as S3 tells it
            # and `done` never runs ahead of `listed`.
            with self._lock:
                self.summary.listed += len(keys)
                self.summary.listing_complete = last
            yield keys
            if last:
                return

    def _produce(self) -> None:
        try:
            for keys in self._pages():
                for key in keys:
                    while not self._stopping():
                        try:
                            self._keys.put(key, timeout=0.05)
                            break
                        except queue.Full:
                            continue
                    else:
                        return
        except _Cancelled:
            pass
        except BaseException as error:  # noqa: BLE001 - handed to the caller by wait()
            self._fail_run(error)
        finally:
            self._listing_done.set()

    def _consume(self) -> None:
        from botocore.exceptions import ClientError

        try:
            while not self._stopping():
                try:
                    key = self._keys.get(timeout=0.05)
                except queue.Empty:
                    if self._listing_done.is_set() and self._keys.empty():
                        return
                    continue
                try:
                    changed = self._process(key)
                except _Cancelled:
                    return  # not done: counted in `remaining`
                except ClientError as error:
                    if error_code(error) == ACL_NOT_SUPPORTED:
                        raise  # the bucket refuses ACLs: no object will do better
                    self._record_failure(key, error)
                else:
                    self._record(key, changed)
        except BaseException as error:  # noqa: BLE001 - handed to the caller by wait()
            self._fail_run(error)

    def _process(self, key: str) -> bool:
        """Update one object; True if it changed (or would, in a dry run)."""
        acl = self._call(self.s3.get_object_acl, Bucket=self.bucket, Key=key)
        grants = acl.get("Grants", [])
        if self.revoke:
            if not any(_grantee_matches(g, self.canonical_user_id) for g in grants):
                return False
            new_grants = without_grantee(grants, self.canonical_user_id)
        else:
            if has_grant(grants, self.canonical_user_id, self.permission):
                return False
            new_grants = with_grant(grants, self.canonical_user_id, self.permission)
        if not self.dry_run:
            self._call(
                self.s3.put_object_acl,
                Bucket=self.bucket,
                Key=key,
                AccessControlPolicy={"Grants": new_grants, "Owner": acl["Owner"]},
            )
        return True

    def _record(self, key: str, changed: bool) -> None:
        with self._lock:
            if changed:
                self.summary.changed += 1
                if self.on_change:
                    self.on_change(key)
            else:
                self.summary.unchanged += 1
            self._report()

    def _record_failure(self, key: str, error: ClientError) -> None:
        code = error_code(error) or "Error"
        reason = f"{code}: {error.response.get('Error', {}).get('Message', '')}".rstrip(": ")
        with self._lock:
            self.summary.failed += 1
            self.summary.failure_codes[code] += 1
            if len(self.summary.failures) < FAILURE_SAMPLES:
                self.summary.failures.append((key, reason))
            self._report()

    def _report(self) -> None:
        # Called with the lock held, so callbacks see consistent counts and never overlap.
        if self.on_progress:
            self.on_progress(self._progress())

    def _progress(self) -> AclProgress:
        return AclProgress(
            done=self.summary.done,
            listed=self.summary.listed,
            listing_complete=self.summary.listing_complete,
            elapsed=time.monotonic() - self._started,
        )

    def _fail_run(self, error: BaseException) -> None:
        with self._lock:
            if self._fatal is None:
                self._fatal = error
        self._stop.set()

    def _run(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        try:
            producer = threading.Thread(target=self._produce, name="acl-list", daemon=True)
            producer.start()
            with ThreadPoolExecutor(self.concurrency, thread_name_prefix="acl") as pool:
                for _ in range(self.concurrency):
                    pool.submit(self._consume)
            producer.join()
            self.summary.cancelled = self.cancel_event.is_set() and (
                not self.summary.listing_complete or self.summary.remaining > 0
            )
            self.summary.elapsed = time.monotonic() - self._started
            with self._lock:
                self._report()
        finally:
            self._finished.set()


def grant_acl(s3: Any, bucket: str, canonical_user_id: str, **options: Any) -> AclSummary:
    """Add a grant for `canonical_user_id` to every object (see `AclJob` for the options)."""
    return AclJob(s3, bucket, canonical_user_id, **options).run()


def revoke_acl(s3: Any, bucket: str, canonical_user_id: str, **options: Any) -> AclSummary:
    """Remove every grant of `canonical_user_id` from every object."""
    return AclJob(s3, bucket, canonical_user_id, revoke=True, **options).run()


# -- what still names a deleted OAI or OAC ----------------------------------------------------

ACL_SCAN_LIMIT = 1000  # objects read per bucket when counting ACL grants left behind
_UNREADABLE = frozenset({"NoSuchBucket", "AccessDenied", "AllAccessDisabled"})


@dataclass(frozen=True)
class Leftover:
    """What still names an OAI (or OAC) in one bucket.

    statements: policy statements naming only it (`--clean` removes them), by label;
    shared: statements naming it among other principals (left to the user);
    acl_objects: objects whose ACL grants the OAI's canonical user, among `acl_scanned`
    objects read; `acl_complete` when that was every object of the bucket.
    """

    bucket: str
    statements: tuple[str, ...] = ()
    shared: tuple[str, ...] = ()
    acl_objects: int = 0
    acl_scanned: int = 0
    acl_complete: bool = True

    def __bool__(self) -> bool:
        return bool(self.statements or self.shared or self.acl_objects)


@dataclass(frozen=True)
class Cleaned:
    """What `clean_leftovers` removed in one bucket."""

    bucket: str
    statements: int = 0
    policy_deleted: bool = False  # nothing else was left in the policy
    acl_objects: int = 0
    acl_failed: int = 0


def origin_buckets(cf: Any) -> list[str]:
    """The S3 buckets the account's distributions, streaming and web, read from."""
    from .. import names
    from . import distributions, streaming

    found = [
        names.bucket_from_origin(s["S3Origin"]["DomainName"])
        for s in streaming.iter_summaries(cf)
        if (s.get("S3Origin") or {}).get("DomainName")
    ]
    for summary in distributions.iter_summaries(cf):
        found += distributions.origin_buckets(summary)  # a summary carries its config's origins
    return list(dict.fromkeys(found))


def _matcher(oai_id: str, canonical_user_id: str, oac_id: str) -> Callable[[Any], bool]:
    if oac_id:
        return lambda s: bucket_policy.names_oac(s, oac_id)
    return lambda s: bucket_policy.names_only_oai(s, oai_id, canonical_user_id)


def find_leftovers(
    s3: Any,
    buckets: list[str],
    *,
    oai_id: str = "",
    canonical_user_id: str = "",
    oac_id: str = "",
    acl_limit: int = ACL_SCAN_LIMIT,
    concurrency: int = 16,
) -> list[Leftover]:
    """What still names the OAI (`oai_id`, `canonical_user_id`) or the OAC (`oac_id`) in each
    of `buckets`: policy statements, and for an OAI the object ACL grants, counted over the
    first `acl_limit` objects. Buckets that are gone or not readable are skipped; buckets with
    ACLs disabled have no grants to count."""
    from botocore.exceptions import ClientError

    only = _matcher(oai_id, canonical_user_id, oac_id)
    found = []
    for bucket in dict.fromkeys(buckets):
        try:
            current = bucket_policy.statements(get_bucket_policy(s3, bucket))
            acl = (0, 0, True)
            if oai_id and canonical_user_id:
                acl = _count_acl_grants(s3, bucket, canonical_user_id, acl_limit, concurrency)
        except ClientError as error:
            if error_code(error) in _UNREADABLE:
                continue
            raise
        labels = [bucket_policy.label(st, i) for i, st in enumerate(current)]
        left = Leftover(
            bucket,
            statements=tuple(lb for lb, st in zip(labels, current, strict=True) if only(st)),
            shared=tuple(
                lb
                for lb, st in zip(labels, current, strict=True)
                if not oac_id
                and not only(st)
                and bucket_policy.names_oai(st, oai_id, canonical_user_id)
            ),
            acl_objects=acl[0],
            acl_scanned=acl[1],
            acl_complete=acl[2],
        )
        if left:
            found.append(left)
    return found


def _count_acl_grants(
    s3: Any, bucket: str, canonical_user_id: str, limit: int, concurrency: int
) -> tuple[int, int, bool]:
    """(objects granting the canonical user, objects read, every object read): a dry run of
    the revoke, stopped after `limit` objects."""
    from botocore.exceptions import ClientError

    stop = threading.Event()

    def at_limit(progress: AclProgress) -> None:
        if progress.done >= limit:
            stop.set()

    job = AclJob(
        s3,
        bucket,
        canonical_user_id,
        revoke=True,
        dry_run=True,
        concurrency=concurrency,
        cancel=stop,
        on_progress=at_limit,
    )
    try:
        summary = job.run()
    except ClientError as error:
        if error_code(error) == ACL_NOT_SUPPORTED:
            return 0, 0, True  # ACLs disabled: no object grants anything
        raise
    complete = summary.listing_complete and summary.remaining == 0
    return summary.changed, summary.done, complete


def clean_leftovers(
    s3: Any,
    leftovers: list[Leftover],
    *,
    oai_id: str = "",
    canonical_user_id: str = "",
    oac_id: str = "",
    concurrency: int = 16,
) -> list[Cleaned]:
    """Remove the policy statements naming only the OAI (or OAC), and the OAI's object ACL
    grants (every object, not only those counted), bucket by bucket."""
    only = _matcher(oai_id, canonical_user_id, oac_id)
    done = []
    for left in leftovers:
        removed, deleted = 0, False
        if left.statements:
            before = get_bucket_policy(s3, left.bucket)
            removed = sum(1 for st in bucket_policy.statements(before) if only(st))
            result = _write_policy(
                s3, left.bucket, before, bucket_policy.remove(before, only), False
            )
            deleted = result.deleted
        acl = AclSummary(bucket=left.bucket, revoke=True, dry_run=False)
        if left.acl_objects and canonical_user_id:
            acl = revoke_acl(s3, left.bucket, canonical_user_id, concurrency=concurrency)
        done.append(Cleaned(left.bucket, removed, deleted, acl.changed, acl.failed))
    return done
