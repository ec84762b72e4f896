"""ETags and If-Match, as CloudFront applies them to every versioned resource."""

from __future__ import annotations

from datetime import datetime

from . import clock, ids
from .config import settings
from .exceptions import InvalidIfMatchVersion, PreconditionFailed


def now() -> datetime:
    """The time of a change (the simulator's clock), to the millisecond: what AWS reports
    (`simulator.serialize`)."""
    stamp = clock.now_datetime()
    return stamp.replace(microsecond=stamp.microsecond // 1000 * 1000)


class Versioned:
    """Mixin: a resource whose every change gets a new ETag and LastModifiedTime."""

    etag: str = ""
    last_modified_time: datetime

    def touch(self) -> None:
        self.etag = ids.new_etag()
        self.last_modified_time = now()

    def check_if_match(self, if_match: str | None) -> None:
        """AWS: a missing If-Match is InvalidIfMatchVersion, a stale one PreconditionFailed."""
        if not if_match:
            raise InvalidIfMatchVersion()
        if if_match != self.etag:
            raise PreconditionFailed()


class Deploying(Versioned):
    """Mixin: a distribution, InProgress after each change and Deployed once
    `settings.deploy_seconds` (read when the change is made) have passed on the simulator's
    clock (`simulator.clock`), which replays advance."""

    _status = "Deployed"
    _deployed_at = 0.0

    def start_deployment(self) -> None:
        self.touch()
        self._status = "InProgress"
        self._deployed_at = clock.now() + float(settings.deploy_seconds)

    @property
    def status(self) -> str | None:
        if self._status == "InProgress" and clock.now() >= self._deployed_at:
            self._status = "Deployed"
        return self._status

    @status.setter
    def status(self, value: str) -> None:
        self._status = value
