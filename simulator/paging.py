"""Marker/MaxItems paging, shared by every CloudFront list operation the simulator serves.

As AWS documents it: a page holds the resources after the one the Marker names, and NextMarker
(present only while IsTruncated is true) is the id of the last resource of the page. MaxItems
has a default and a maximum of 100 (ListDistributions in the API reference up to version
2016-09-07: "String with a maximum value of 100"; the current reference gives no figure).

A MaxItems that is not a whole number is `InvalidArgument`, the one error botocore's model lists
for every list operation.

Departures from AWS that remain:
- MaxItems 0 is `InvalidArgument` too; above 100, a page holds at most 100 and the answer's
  MaxItems says 100. AWS documents neither case.
- A Marker that names no resource gives an empty page (AWS's answer is not documented).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .exceptions import InvalidArgument

DEFAULT_MAX_ITEMS = 100
MAX_MAX_ITEMS = 100
_WHOLE = re.compile(r"^[0-9]+$")


def max_items(value: Any) -> int:
    """The page size a request's MaxItems asks for: 100 when absent, at most 100."""
    if value is None or value == "":
        return DEFAULT_MAX_ITEMS
    text = str(value)
    if not _WHOLE.match(text) or int(text) == 0:
        raise InvalidArgument(
            f"The parameter MaxItems must be a whole number from 1 to {MAX_MAX_ITEMS}: {text!r}."
        )
    return min(int(text), MAX_MAX_ITEMS)


def envelope(
    marker: str | None, next_marker: str | None, limit: int, items: Sequence[Any]
) -> dict[str, Any]:
    """The list envelope shared by ListDistributions and its likes (Items left out when empty)."""
    return {
        "Marker": marker or "",
        "NextMarker": next_marker,
        "MaxItems": limit,
        "IsTruncated": next_marker is not None,
        "Quantity": len(items),
        "Items": list(items) or None,
    }


def page(ids: Sequence[str], marker: str | None, limit: int) -> tuple[list[str], str | None]:
    """The ids after `marker`, at most `limit` of them, and the NextMarker (None at the end)."""
    start = 0
    if marker:
        try:
            start = ids.index(marker) + 1
        except ValueError:
            return [], None
    chosen = list(ids[start : start + limit])
    more = start + limit < len(ids)
    return chosen, (chosen[-1] if more and chosen else None)
