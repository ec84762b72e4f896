"""Pieces of CloudFront's configs that several service modules build or read the same way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import names
from ..errors import UsageError


def caller_reference() -> str:
    import uuid  # not at import: uuid loads a C extension, and start-up needs none of it

    return f"cfshell-{uuid.uuid4()}"


def quantity_items(values: Iterable[str]) -> dict[str, Any]:
    """CloudFront's list shape: `{"Quantity": N, "Items": [...]}`, no Items when empty."""
    items = list(values)
    return {"Quantity": len(items), "Items": items} if items else {"Quantity": 0}


def cnames_of(config: dict[str, Any]) -> list[str]:
    return list(config.get("Aliases", {}).get("Items", []) or [])


def edit_cnames(
    current: Iterable[str],
    *,
    replace: Iterable[str] | None = None,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
) -> list[str]:
    """The CNAMEs after `--cname` (replace all), `--add-cname` and `--remove-cname`, each
    checked; removing one the distribution does not have is a UsageError."""
    hosts = list(current) if replace is None else [names.cname(c) for c in replace]
    hosts = list(dict.fromkeys(hosts))
    for host in map(names.cname, add):
        if host not in hosts:
            hosts.append(host)
    for host in map(names.cname, remove):
        if host not in hosts:
            raise UsageError(
                f"{host} is not a CNAME of this distribution (it has: {', '.join(hosts) or 'none'})"
            )
        hosts.remove(host)
    return hosts
