"""Propagation: which configuration an edge serves while a distribution is InProgress.

CloudFront deploys a change to its edge locations one by one: until the distribution is
Deployed, a viewer request may be served by an edge that still has the previous deployed
configuration, or by one that already has the new one. The simulator draws this per request:
with probability `settings.previous_share` (0.5 by default) the previous deployed configuration,
else the new one; once Deployed, only the new one. The draw is seeded by `settings.edge_seed`
(`reseed`), so that a run can be repeated.

Bucket policies and ACLs are S3's and apply at once (they are read at each request), which is
why removing an OAI's bucket-policy statement before the switch to an OAC is Deployed gives 403s.

Departures from AWS:
- Each request is drawn on its own; AWS's viewers stick to a nearby edge, so one viewer sees
  one configuration for a while, and the share moves from old to new as edges update.
- Only the last Deployed configuration is kept as "previous": changes made while a distribution
  is already InProgress are served as the newest one or as the one deployed before them all.
- A new distribution is served with its first configuration at once (no previous one).
- The previous configuration is not part of a saved state (`sim save`): a loaded
  distribution that is InProgress is served with its newest configuration.
"""

from __future__ import annotations

import random
import threading
from typing import Any

_rng = random.Random()
_lock = threading.Lock()
_seeded = False


def reseed(seed: int | None = None) -> None:
    """Restart the draw: the same seed gives the same sequence of choices."""
    global _seeded
    with _lock:
        _rng.seed(seed)
        _seeded = True


def serves_previous() -> bool:
    """One request's draw: True when an edge with the previous configuration answers it."""
    from ..config import settings

    global _seeded
    share = float(getattr(settings, "previous_share", 0.5))
    if share <= 0.0:
        return False
    if share >= 1.0:
        return True
    with _lock:
        if not _seeded:
            _rng.seed(getattr(settings, "edge_seed", None))
            _seeded = True
        return _rng.random() < share


def serving_config(dist: Any) -> Any:
    """The configuration one viewer request to `dist` is served with (see the module doc)."""
    previous = getattr(dist, "previous_config", None)
    if previous is None or dist.status != "InProgress":
        return dist.distribution_config
    return previous if serves_previous() else dist.distribution_config


def configs(dist: Any) -> list[Any]:
    """Every configuration some edge may serve `dist` with now (for routing by alias)."""
    previous = getattr(dist, "previous_config", None)
    if previous is None or dist.status != "InProgress":
        return [dist.distribution_config]
    return [dist.distribution_config, previous]
