"""ETags and If-Match, as CloudFront applies them to every versioned resource."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime

from .config import settings
from .exceptions import InvalidIfMatchVersion, PreconditionFailed


def new_etag() -> str:
    # CloudFront ETags look like E2QWRUHAPOMQZL: 'E' and 13 upper-case alphanumerics.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "E" + "".join(secrets.choice(alphabet) for _ in range(13))


def now() -> datetime:
    return datetime.now(UTC)


class Versioned:
    """Mixin: a resource whose every change gets a new ETag and LastModifiedTime."""

    etag: str = ""
    last_modified_time: datetime

    def touch(self) -> None:
        self.etag = new_etag()
        self.last_modified_time = now()

    def check_if_match(self, if_match: str | None) -> None:
        """AWS: a missing If-Match is InvalidIfMatchVersion, a stale one PreconditionFailed."""
        if not if_match:
            raise InvalidIfMatchVersion()
        if if_match != self.etag:
            raise PreconditionFailed()


class Deploying(Versioned):
    """Mixin: a distribution, InProgress after each change and Deployed once
    `settings.deploy_seconds` (read when the change is made) have passed."""

    _status = "Deployed"
    _deployed_at = 0.0

    def start_deployment(self) -> None:
        self.touch()
        self._status = "InProgress"
        self._deployed_at = time.time() + float(settings.deploy_seconds)

    @property
    def status(self) -> str | None:
        if self._status == "InProgress" and time.time() >= self._deployed_at:
            self._status = "Deployed"
        return self._status

    @status.setter
    def status(self, value: str) -> None:
        self._status = value
