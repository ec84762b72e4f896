"""CloudFront invalidations: moto's, corrected where moto 5.2 is more lenient than AWS.

moto keeps the state (`cloudfront_backends[account][partition].invalidations`, a list per
distribution id, which `simulator.web` drops with its distribution); this module stores
`Invalidation`, a subclass of moto's, and takes over CreateInvalidation, GetInvalidation and
ListInvalidations (`InvalidationResponse`, routed by url path). What it corrects in moto 5.2.5:

- IDs are `I` + 13 upper-case letters and digits, as AWS's (`simulator.ids`; moto's are 13
  characters of any kind).
- Status is `InProgress` after CreateInvalidation and `Completed` once
  `settings.deploy_seconds` (read at creation) have passed, so boto3's `invalidation_completed`
  waiter works. moto answers `COMPLETED`, which that waiter never accepts.
- Paths: `Paths.Quantity` other than the number of `Items` is `InconsistentQuantities`; a batch
  without paths, a path that does not start with "/" or has "*" anywhere but at its end is
  `InvalidArgument` (moto accepts them all).
- CallerReference: the same reference with the same paths (in any order) on the same
  distribution returns the invalidation already made, without making another; with other paths
  it is `InvalidArgument`, the answer AWS has been seen giving ("Your request contains a caller
  reference that was used for a previous invalidation batch for the same distribution."). The
  API reference names `InvalidationBatchAlreadyExists` for this case, but botocore's model has no
  such error shape. moto makes a new invalidation every time.
- In-progress quotas per distribution, as AWS documents them: 3,000 file paths and 15 wildcard
  paths, counted apart; past either, `TooManyInvalidationsInProgress`.
- ListInvalidations on an unknown distribution is `NoSuchDistribution` (moto: an empty list);
  it lists the most recent first and pages as `simulator.paging` describes (NextMarker is the id
  of the last invalidation of the page; moto gives its own opaque token).
- A distribution's `InProgressInvalidationBatches` counts its invalidations still InProgress
  (moto: always 0).

Departures from AWS that remain:
- An invalidation takes the simulator's deploy delay, not minutes; it clears no cache (the
  simulated edge has none).
- A path is checked only for the leading "/" and the place of "*": its length, URL-encoding of
  unsafe characters and duplicates within a batch are not checked, and `BatchTooLarge` is never
  returned. Messages other than the CallerReference one are the simulator's own.
"""

from __future__ import annotations

from typing import Any

from moto.cloudfront.exceptions import NoSuchDistribution, NoSuchInvalidation
from moto.cloudfront.models import Distribution
from moto.cloudfront.models import Invalidation as MotoInvalidation
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.responses import ActionResult

from . import clock, ids, paging
from .config import settings
from .exceptions import (
    InconsistentQuantities,
    InvalidArgument,
    MissingBody,
    TooManyInvalidationsInProgress,
)

MAX_FILE_PATHS_IN_PROGRESS = 3000
MAX_WILDCARD_PATHS_IN_PROGRESS = 15
CALLER_REFERENCE_REUSED = (
    "Your request contains a caller reference that was used for a previous invalidation batch "
    "for the same distribution."
)


class Invalidation(MotoInvalidation):
    """moto's Invalidation, InProgress until its completion time (the simulator's clock:
    wall time plus what replays advanced, so that it survives a state file)."""

    def __init__(self, distribution: Any, paths: list[str], caller_ref: str) -> None:
        super().__init__(distribution, list(paths), caller_ref)
        self.id = ids.new_invalidation_id()  # moto's has no leading I
        self.completes_at = clock.now() + settings.deploy_seconds

    @property
    def status(self) -> str:
        return "Completed" if clock.now() >= self.completes_at else "InProgress"

    @status.setter
    def status(self, value: str) -> None:
        pass  # moto's constructor sets "COMPLETED"; the status follows the clock instead

    @property
    def in_progress(self) -> bool:
        return self.status == "InProgress"


def _is_wildcard(path: str) -> bool:
    return path.endswith("*")


def _check_paths(batch: dict[str, Any]) -> list[str]:
    given = batch.get("Paths") or {}
    paths = list(given.get("Items") or [])
    if int(given.get("Quantity") or 0) != len(paths):
        raise InconsistentQuantities()
    if not paths:
        raise InvalidArgument("Your request contains no invalidation paths.")
    for path in paths:
        if not path.startswith("/") or "*" in path[:-1]:
            raise InvalidArgument("Your request contains one or more invalid invalidation paths.")
    return paths


def _status_of(invalidation: Any) -> str:
    return getattr(invalidation, "status", "") or ""


class InvalidationStore:
    """The invalidation operations over one moto CloudFront backend."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend

    def _distribution(self, dist_id: str | None) -> Any:
        dist = self.backend.distributions.get(dist_id or "")
        if dist is None:
            raise NoSuchDistribution()
        return dist

    def _of(self, dist_id: str) -> list[Any]:
        return self.backend.invalidations.get(dist_id) or []

    def create(self, dist_id: str, batch: dict[str, Any] | None) -> Any:
        dist = self._distribution(dist_id)
        if not batch:
            raise MissingBody()
        paths = _check_paths(batch)
        reference = batch.get("CallerReference") or ""
        if not reference:
            raise InvalidArgument("The CallerReference is missing.")
        for existing in self._of(dist_id):
            if existing.caller_ref == reference:
                if sorted(existing.paths) == sorted(paths):
                    return existing
                raise InvalidArgument(CALLER_REFERENCE_REUSED)
        self._check_quotas(dist_id, paths)
        invalidation = Invalidation(dist, paths, reference)
        self.backend.invalidations.setdefault(dist_id, []).append(invalidation)
        return invalidation

    def _check_quotas(self, dist_id: str, paths: list[str]) -> None:
        running = [
            path
            for invalidation in self._of(dist_id)
            if _status_of(invalidation) == "InProgress"
            for path in invalidation.paths
        ]
        wildcards = sum(map(_is_wildcard, running + paths))
        files = len(running) + len(paths) - wildcards
        if wildcards > MAX_WILDCARD_PATHS_IN_PROGRESS or files > MAX_FILE_PATHS_IN_PROGRESS:
            raise TooManyInvalidationsInProgress()

    def get(self, dist_id: str, invalidation_id: str) -> Any:
        self._distribution(dist_id)
        for invalidation in self._of(dist_id):
            if invalidation.id == invalidation_id:
                return invalidation
        raise NoSuchInvalidation()

    def list(self, dist_id: str, marker: str, max_items: int) -> tuple[list[Any], str | None]:
        self._distribution(dist_id)
        newest_first = {i.id: i for i in reversed(self._of(dist_id))}
        ids, next_marker = paging.page(list(newest_first), marker, max_items)
        return [newest_first[i] for i in ids], next_marker

    def in_progress_batches(self, dist_id: str) -> int:
        return sum(_status_of(i) == "InProgress" for i in self._of(dist_id))


class InvalidationResponse(CloudFrontResponse):
    """CreateInvalidation, GetInvalidation, ListInvalidations; every other action is moto's."""

    @property
    def store(self) -> InvalidationStore:
        return InvalidationStore(self.backend)

    def create_invalidation(self) -> ActionResult:
        invalidation = self.store.create(
            self._get_param("DistributionId"), self._get_param("InvalidationBatch")
        )
        return ActionResult({"Invalidation": invalidation, "Location": invalidation.location})

    def get_invalidation(self) -> ActionResult:
        invalidation = self.store.get(self._get_param("DistributionId"), self._get_param("Id"))
        return ActionResult({"Invalidation": invalidation})

    def list_invalidations(self) -> ActionResult:
        marker = self._get_param("Marker") or ""
        max_items = paging.max_items(self._get_param("MaxItems"))
        items, next_marker = self.store.list(self._get_param("DistributionId"), marker, max_items)
        envelope = paging.envelope(marker, next_marker, max_items, items)
        return ActionResult({"InvalidationList": envelope})


def _in_progress_invalidation_batches(dist: Any) -> int:
    """Distribution.InProgressInvalidationBatches, from the backend that holds the distribution
    (found through its ARN: arn:PARTITION:cloudfront::ACCOUNT:distribution/ID)."""
    from moto.cloudfront.models import cloudfront_backends

    try:
        _, partition, _, _, account, _ = dist.arn.split(":", 5)
        backend = cloudfront_backends[account][partition]
    except (AttributeError, ValueError, KeyError):
        return 0
    return InvalidationStore(backend).in_progress_batches(dist.id)


def _ignore(dist: Any, value: int) -> None:
    pass  # moto's constructor sets 0; the count is derived from the invalidations


# The url paths of the invalidation operations (keys of moto's `url_paths`).
PATHS = (
    "{0}/2020-05-31/distribution/(?P<distribution_id>[^/]+)/invalidation",
    "{0}/2020-05-31/distribution/(?P<distribution_id>[^/]+)/invalidation"
    "/(?P<invalidation_id>[^/]+)",
)


def install() -> None:
    """Route the invalidation url paths to `InvalidationResponse` and derive every
    distribution's InProgressInvalidationBatches (idempotent)."""
    from moto.cloudfront import urls as moto_urls

    for path in PATHS:
        if path not in moto_urls.url_paths:
            raise RuntimeError(
                f"moto no longer routes {path!r}: simulator.invalidations needs updating"
            )
        moto_urls.url_paths[path] = InvalidationResponse.dispatch
    # A property on moto's class reaches every distribution, web.py's subclass included.
    Distribution.in_progress_invalidation_batches = property(  # type: ignore[assignment]
        _in_progress_invalidation_batches, _ignore
    )
