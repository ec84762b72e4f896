"""What web and streaming distributions share in the service layer: the calls of a deployable kind.

Both are created from a config, read with an ETag, changed by read-modify-write (get-config,
change, update with `IfMatch`), deployed by CloudFront (InProgress, then Deployed), and deleted
with `IfMatch` once disabled. Only names differ (`get_distribution` / `get_streaming_distribution`,
`Distribution` / `StreamingDistribution`, the waiter), so one `Family` of data describes a kind
and `calls(family)` gives the functions its service module exports.

`DeployableService` is the contract cfshell.commands.lifecycle drives: cfshell.aws.distributions
and cfshell.aws.streaming satisfy it (as modules). Every write reports its effect
(cfshell.aws.effects) once CloudFront accepted it. Nothing here prints.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol, runtime_checkable

from .. import names
from . import effects, waiting
from .shapes import cnames_of, edit_cnames, quantity_items

Record = dict[str, Any]
Change = Callable[[Record], Record]


@dataclass(frozen=True)
class Family:
    """The names one deployable kind goes by.

    kind: its name in the registry and in effect reports ("distribution", "streaming").
    noun: how messages name one ("streaming distribution").
    shape: botocore's name of the resource ("StreamingDistribution"); its config is
        `<shape>Config`, its list `<shape>List`, its operations `get_<snake>` and so on.
    """

    kind: str
    noun: str
    shape: str

    @property
    def snake(self) -> str:
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in self.shape).lstrip("_")

    @property
    def config_key(self) -> str:
        return f"{self.shape}Config"

    def op(self, verb: str, suffix: str = "") -> str:
        """The client method `verb_<snake><suffix>` (get, _config: get_distribution_config)."""
        return f"{verb}_{self.snake}{suffix}"


@runtime_checkable
class DeployableService(Protocol):
    """A service module of a deployable kind, as cfshell.commands.lifecycle uses it.

    The calls come from `calls(FAMILY)`; `summarize` (what `get` shows, with the ETag read)
    and `summarize_item` (a list entry) from `views`; `changed(config, changes)` is the
    module's `apply_changes(config, **changes)`.
    """

    FAMILY: Family

    def create(self, cf: Any, config: Record) -> tuple[Record, str]: ...

    def get(self, cf: Any, distribution_id: str) -> tuple[Record, str]: ...

    def get_config(self, cf: Any, distribution_id: str) -> tuple[Record, str]: ...

    def iter_summaries(self, cf: Any) -> Iterator[Record]: ...

    def update(
        self, cf: Any, distribution_id: str, change: Change, if_match: str | None = None
    ) -> tuple[Record, str]: ...

    def modify(
        self, cf: Any, distribution_id: str, if_match: str | None = None, **changes: Any
    ) -> tuple[Record, str]: ...

    def disable(
        self, cf: Any, distribution_id: str, config: Record, etag: str
    ) -> tuple[Record, str]: ...

    def delete(self, cf: Any, distribution_id: str, etag: str | None = None) -> None: ...

    def wait_deployed(self, cf: Any, distribution_id: str, **kw: Any) -> Record: ...

    def changed(self, config: Record, changes: dict[str, Any]) -> Record: ...

    def summarize(self, dist: Record, etag: str = "") -> Record: ...

    def summarize_item(self, item: Record) -> Record: ...

    def cnames_of(self, config: Record) -> list[str]: ...


class Calls(NamedTuple):
    """The functions a deployable service module exports, bound to its `Family` (their exact
    signatures are DeployableService's; tests/aws/test_deployable.py compares them)."""

    create: Callable[[Any, Record], tuple[Record, str]]
    get: Callable[[Any, str], tuple[Record, str]]
    get_config: Callable[[Any, str], tuple[Record, str]]
    iter_summaries: Callable[[Any], Iterator[Record]]
    update: Callable[..., tuple[Record, str]]
    modify: Callable[..., tuple[Record, str]]
    disable: Callable[[Any, str, Record, str], tuple[Record, str]]
    delete: Callable[..., None]
    wait_deployed: Callable[..., Record]
    changed: Callable[[Record, dict[str, Any]], Record]


def calls(family: Family, *, apply_changes: Callable[..., Record]) -> Calls:
    """The create/read/update/delete/wait functions of `family`; `apply_changes(config,
    **changes)` is the module's own (used by `modify` and `disable`)."""

    def _read(response: dict[str, Any], key: str) -> tuple[Record, str]:
        return response[key], response.get("ETag", "")

    def create(cf: Any, config: Record) -> tuple[Record, str]:
        method = getattr(cf, family.op("create"))
        dist, etag = _read(method(**{family.config_key: config}), family.shape)
        effects.report(family.kind, dist["Id"], effects.CREATED, dist.get("DomainName", ""))
        return dist, etag

    def get(cf: Any, distribution_id: str) -> tuple[Record, str]:
        return _read(getattr(cf, family.op("get"))(Id=distribution_id), family.shape)

    def get_config(cf: Any, distribution_id: str) -> tuple[Record, str]:
        method = getattr(cf, family.op("get", "_config"))
        return _read(method(Id=distribution_id), family.config_key)

    def iter_summaries(cf: Any) -> Iterator[Record]:
        """Every summary, page by page."""
        for page in cf.get_paginator(family.op("list", "s")).paginate():
            yield from page.get(f"{family.shape}List", {}).get("Items", []) or []

    def write(cf: Any, distribution_id: str, config: Record, etag: str) -> tuple[Record, str]:
        method = getattr(cf, family.op("update"))
        response = method(Id=distribution_id, IfMatch=etag, **{family.config_key: config})
        dist, new_etag = _read(response, family.shape)
        effects.report(family.kind, distribution_id, effects.MODIFIED, dist.get("DomainName", ""))
        return dist, new_etag

    def update(
        cf: Any, distribution_id: str, change: Change, if_match: str | None = None
    ) -> tuple[Record, str]:
        """get-config, change, update with If-Match (the ETag read, unless one is given)."""
        config, etag = get_config(cf, distribution_id)
        return write(cf, distribution_id, change(config), if_match or etag)

    def modify(
        cf: Any, distribution_id: str, if_match: str | None = None, **changes: Any
    ) -> tuple[Record, str]:
        """`update` with the module's `apply_changes(config, **changes)`."""
        return update(cf, distribution_id, lambda c: apply_changes(c, **changes), if_match)

    def disable(cf: Any, distribution_id: str, config: Record, etag: str) -> tuple[Record, str]:
        """Write `config`, as read with `etag`, back disabled."""
        return write(cf, distribution_id, apply_changes(config, enabled=False), etag)

    def delete(cf: Any, distribution_id: str, etag: str | None = None) -> None:
        """Delete with If-Match: `etag`, else the current one (fetched)."""
        if not etag:
            _, etag = get_config(cf, distribution_id)
        getattr(cf, family.op("delete"))(Id=distribution_id, IfMatch=etag)
        effects.report(family.kind, distribution_id, effects.DELETED)

    def wait_deployed(cf: Any, distribution_id: str, **kw: Any) -> Record:
        """Wait (AWS's `<shape>Deployed` acceptors) and return the distribution; `kw`: see
        waiting.wait (timeout, interval, on_poll...)."""
        return waiting.wait_deployed(
            cf,
            f"{family.snake}_deployed",
            family.shape,
            distribution_id,
            what=f"{family.noun} {distribution_id}",
            **kw,
        )

    def changed(config: Record, changes: dict[str, Any]) -> Record:
        """A copy of `config` with `changes` (the keywords of the module's `apply_changes`)."""
        return apply_changes(config, **changes)

    return Calls(
        create,
        get,
        get_config,
        iter_summaries,
        update,
        modify,
        disable,
        delete,
        wait_deployed,
        changed,
    )


# --- look-ups that name the other resource of a refusal ---------------------------------------


def who_holds_cname(
    cf: Any, cnames: Iterable[str], exclude_id: str = ""
) -> tuple[str, str, str] | None:
    """(CNAME, kind, ID) of this account's distribution, streaming or web, other than
    `exclude_id`, that has one of `cnames` (compared as CloudFront does, ignoring case); None
    when none has: the CNAME then belongs to another account (CloudFront names no owner)."""
    from . import distributions, streaming

    wanted = {c.lower(): c for c in cnames}
    for kind, module in (("streaming", streaming), ("distribution", distributions)):
        for summary in module.iter_summaries(cf):
            if summary.get("Id") == exclude_id:
                continue
            for alias in cnames_of(summary):  # a summary carries its config's Aliases
                if alias.lower() in wanted:
                    return wanted[alias.lower()], kind, summary["Id"]
    return None


# --- plain views ----------------------------------------------------------------------------


def edited(
    config: Record,
    *,
    comment: str | None = None,
    enabled: bool | None = None,
    cnames: Iterable[str] | None = None,
    add_cnames: Iterable[str] = (),
    remove_cnames: Iterable[str] = (),
) -> Record:
    """A copy of `config` with what both kinds change alike (None and () leave it as it is):
    the comment, the state, the CNAMEs (`cnames` replaces all; see shapes.edit_cnames)."""
    new = copy.deepcopy(config)
    if comment is not None:
        new["Comment"] = names.comment(comment)
    if enabled is not None:
        new["Enabled"] = enabled
    if cnames is not None or add_cnames or remove_cnames:
        hosts = edit_cnames(cnames_of(new), replace=cnames, add=add_cnames, remove=remove_cnames)
        new["Aliases"] = quantity_items(hosts)
    return new


Details = Callable[[Record, Record], Record]


def views(
    family: Family, get_order: str, list_order: str, details: Details
) -> tuple[Callable[..., Record], Callable[[Record], Record]]:
    """`summarize(dist, etag="")` (what `get` shows) and `summarize_item(item)` (a list entry):
    flat records of the fields both kinds have (Id, Status, Enabled, DomainName, CNAMEs,
    Comment, LastModifiedTime, and the ETag read) and `details(dist, config)`, named in
    `get_order` / `list_order` (field names separated by spaces), in that order."""

    def record(dist: Record, config: Record, order: str, etag: str) -> Record:
        values = {
            "Id": dist.get("Id", ""),
            "ETag": etag,
            "Status": dist.get("Status", ""),
            "Enabled": config.get("Enabled"),
            "DomainName": dist.get("DomainName", ""),
            "CNAMEs": cnames_of(config),
            "Comment": config.get("Comment", ""),
            "LastModifiedTime": dist.get("LastModifiedTime"),
            **details(dist, config),
        }
        return {name: values[name] for name in order.split()}

    def summarize(dist: Record, etag: str = "") -> Record:
        return record(dist, dist.get(family.config_key, {}), get_order, etag)

    def summarize_item(item: Record) -> Record:
        return record(item, item, list_order, "")  # a list entry carries its config's fields

    return summarize, summarize_item


def active_signers(dist: Record, key: str, signer: str) -> list[Record]:
    """Who may sign, with their key pair IDs: `dist[key]` (ActiveTrustedKeyGroups,
    ActiveTrustedSigners) as records of `signer` (KeyGroupId, AwsAccountNumber) and KeyPairIds."""
    active = dist.get(key, {}) or {}
    return [
        {
            signer: item.get(signer, ""),
            "KeyPairIds": list((item.get("KeyPairIds", {}) or {}).get("Items", []) or []),
        }
        for item in active.get("Items", []) or []
    ]
