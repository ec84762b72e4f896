"""CloudFront web distributions: moto's, corrected where moto 5.2 is more lenient than AWS.

moto keeps the state (`cloudfront_backends[account][partition].distributions`, so invalidations,
tags and every other moto operation keep working); this module takes over the six operations
that read or change a distribution's config (`WebDistributionResponse`, routed by url path) and
stores `WebDistribution`, a subclass of moto's `Distribution`. What it corrects:

- IDs and domains as AWS makes them (`simulator.ids`): `E` + 13 and `d` + 13 `.cloudfront.net`
  (moto: 13 characters beginning with any letter, a domain likewise).
- The answer to CreateDistribution and UpdateDistribution says InProgress, even with a deploy
  delay of 0 (AWS never answers a change with Deployed); a later read may say Deployed.
- A `Quantity` that is not the number of `Items`, in any block of the config, is
  `InconsistentQuantities` (moto rewrote Aliases.Quantity to fit and ignored the others).
- A cache behaviour (default or not) whose TargetOriginId names no origin or origin group is
  `NoSuchOrigin` (moto checked the default cache behaviour only).
- Every update gives a new ETag and LastModifiedTime; UpdateDistribution and DeleteDistribution
  need If-Match (`InvalidIfMatchVersion` when missing, `PreconditionFailed` when stale).
- Status is InProgress after a create and after every update, Deployed once
  `settings.deploy_seconds` (read when the change is made) have passed. Until then the edge
  serves the previous deployed configuration or the new one (`simulator.edge.propagation`).
- `S3OriginConfig.OriginAccessIdentity` and `OriginAccessControlId` are kept on every read.
- An origin's identity must exist (`InvalidOriginAccessIdentity`, checked by
  `simulator.models.check_origin_identity`), its origin access control too
  (`NoSuchOriginAccessControl`); an origin with both is `IllegalOriginAccessConfiguration`.
- Aliases already used by another web or streaming distribution, in any case:
  `CNAMEAlreadyExists`.
- Aliases need an ISSUED ACM certificate in us-east-1 covering each of them (wildcards one
  label deep), else `InvalidViewerCertificate` (`simulator.acm.check_viewer_certificate`, where
  the rules and their sources are); moto accepts any alias with the default certificate. An
  ACM certificate reads back with CloudFrontDefaultCertificate false (moto: true).
- Deleting a distribution that is enabled, or whose disabling is not yet Deployed:
  `DistributionNotDisabled`.
- Changing the CallerReference in an update: `IllegalUpdate`.
- DistributionSummary has its ETag and the required Staging (false unless the config says so).
- Trusted key groups must exist (`TrustedKeyGroupDoesNotExist`); ActiveTrustedKeyGroups lists
  them with their public key ids, as they are at each read.
- ListDistributions renders each distribution's summary once per version (moto spends about
  5 ms per distribution serializing a listing) and pages as `simulator.paging` describes
  (NextMarker is the id of the last distribution of the page; a bad MaxItems is
  `InvalidArgument`, where moto fails with a 500).

Kept from moto, as AWS documents it: a CallerReference already used is `DistributionAlreadyExists`
whatever the config (the API reference, DistributionConfig.CallerReference).

Departures from AWS that remain:
- A missing origin access control is `NoSuchOriginAccessControl` (404). botocore's model lists
  only `InvalidOriginAccessControl` (400) among CreateDistribution's and UpdateDistribution's
  errors, so AWS may answer with that code instead.
- Aliases are compared exactly and case-insensitively; wildcard overlaps and
  `TooManyDistributionCNAMEs` are not modelled. Everything else in the config is validated only
  as far as moto does.
- A default cache behaviour whose TargetOriginId names an origin group is `NoSuchOrigin`
  (moto's own check looks at origins only; AWS accepts an origin group there).
- An S3 origin (S3OriginConfig) whose domain is not `*.amazonaws.com` is moto's
  `InvalidArgument`; AWS may answer `InvalidOrigin`.
- The deploy delay is the simulator's setting, not moto's state manager (a transition set
  through moto's `state_manager` for "cloudfront::distribution" is ignored).
- ActiveTrustedSigners lists the key pairs made with `simulator.create_key_pair` for each
  trusted signer's account (`simulator.key_pairs`); the config fields moto does not model are
  as moto returns them.
"""

from __future__ import annotations

import copy
from typing import Any

from moto.cloudfront.exceptions import (
    DistributionAlreadyExists,
    NoSuchDistribution,
    NoSuchOriginAccessControl,
    OriginDoesNotExist,
)
from moto.cloudfront.models import CloudFrontBackend, Distribution, DistributionConfig
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.responses import ActionResult, EmptyResult
from moto.utilities.utils import get_partition

from . import ids, paging
from .exceptions import (
    CNAMEAlreadyExists,
    DistributionNotDisabled,
    IllegalOriginAccessConfiguration,
    IllegalUpdate,
    InconsistentQuantities,
    InvalidOriginAccessIdentity,
)
from .versioning import Deploying, Versioned

# The url paths of the operations taken over from moto (keys of moto's `url_paths`).
PATHS = (
    "{0}/2020-05-31/distribution$",
    "{0}/2020-05-31/distribution/(?P<distribution_id>[^/]+)$",
    "{0}/2020-05-31/distribution/(?P<distribution_id>[^/]+)/config$",
)
OAI_PREFIX = "origin-access-identity/cloudfront/"
# Stands for the status in a cached summary: the status changes without a new version.
_STATUS_MARK = "\x00status\x00"


def make_config(raw: dict[str, Any]) -> DistributionConfig:
    """moto's DistributionConfig, keeping what moto drops from each origin."""
    config = DistributionConfig(copy.deepcopy(raw))  # moto's constructor mutates its argument
    for origin, given in zip(config.Origins["Items"], raw["Origins"]["Items"], strict=True):
        s3 = given.get("S3OriginConfig")
        # Read by the serializer as S3OriginConfig / OriginAccessControlId.
        origin.s3_origin_config = dict(s3) if s3 is not None else None
        origin.origin_access_control_id = given.get("OriginAccessControlId") or ""
    from .acm import viewer_certificate_as_read

    viewer_certificate_as_read(config.ViewerCertificate)
    return config


class WebDistribution(Deploying, Distribution):
    """moto's Distribution with a version (ETag, LastModifiedTime) and a timed deployment."""

    def __init__(self, account_id: str, region_name: str, raw: dict[str, Any]) -> None:
        super().__init__(account_id, region_name, copy.deepcopy(raw))
        # moto's ids have no leading E and its domains no leading d: AWS's shapes instead.
        self.distribution_id = self.id = ids.new_distribution_id()
        partition = get_partition(region_name)
        self.arn = f"arn:{partition}:cloudfront::{account_id}:distribution/{self.id}"
        self.domain_name = ids.new_web_domain()
        self.distribution_config = make_config(raw)
        self._summary: tuple[str, str] | None = None
        self.start_deployment()

    @property
    def active_trusted_key_groups(self) -> dict[str, Any]:
        # Derived from the config and the key groups as they are now, as AWS reports them.
        from .keys import active_trusted_key_groups

        config = self.distribution_config
        groups: list[str] = []
        behaviours = [config.DefaultCacheBehavior]
        behaviours += (config.CacheBehaviors or {}).get("Items") or []
        for behaviour in behaviours:
            for group in behaviour.trusted_key_groups.items or []:
                if group not in groups:
                    groups.append(group)
        _, partition, _, _, account_id, _ = self.arn.split(":", 5)
        return active_trusted_key_groups(account_id, groups, partition)

    @active_trusted_key_groups.setter
    def active_trusted_key_groups(self, value: Any) -> None:
        pass  # moto's constructor sets a constant; ours is derived

    @property
    def active_trusted_signers(self) -> dict[str, Any]:
        # The active CloudFront key pairs of the trusted signers' accounts (simulator.key_pairs).
        from .edge.routing import trusted_signer_ids
        from .key_pairs import active_trusted_signers
        from .keys import cache_behaviors

        signers: list[str] = []
        for behaviour in cache_behaviors(self.distribution_config):
            signers += [s for s in trusted_signer_ids(behaviour) if s not in signers]
        if not signers:
            return {"Enabled": False, "Quantity": 0}
        _, partition, _, _, account_id, _ = self.arn.split(":", 5)
        return active_trusted_signers(account_id, signers, partition)

    @active_trusted_signers.setter
    def active_trusted_signers(self, value: Any) -> None:
        pass  # moto's constructor sets a constant; ours is derived

    @property
    def e_tag(self) -> str:
        # DistributionSummary.ETag, which moto's serializer looks up as `e_tag`.
        return self.etag

    @property
    def staging(self) -> bool:
        # DistributionSummary.Staging (required): moto has no such attribute.
        return bool(getattr(self.distribution_config, "Staging", False))


# --- the backend side: rules applied to moto's backend state ---


def _distribution(backend: CloudFrontBackend, dist_id: str | None) -> Any:
    dist = backend.distributions.get(dist_id or "")
    if dist is None:
        raise NoSuchDistribution()
    return dist


def _check_origin_identity(account_id: str, partition: str, value: str) -> None:
    try:
        from .models import check_origin_identity
    except ImportError:  # models not installed: check the form at least
        if not value.startswith(OAI_PREFIX) or not value[len(OAI_PREFIX) :].isalnum():
            raise InvalidOriginAccessIdentity() from None
        return
    check_origin_identity(account_id, value, partition)


def _check_cnames_free(
    backend: CloudFrontBackend, aliases: list[str], exclude_id: str | None
) -> None:
    if not aliases:
        return
    try:  # simulator.models checks web and streaming distributions alike
        from .models import check_cnames_free as check_all
    except ImportError:
        check_all = None
    if check_all is not None:
        check_all(aliases, exclude_id, backend.partition)
        return
    wanted = {alias.lower() for alias in aliases}
    for dist in backend.distributions.values():
        if dist.id != exclude_id:
            for alias in dist.distribution_config.Aliases.get("Items") or []:
                if alias.lower() in wanted:
                    raise CNAMEAlreadyExists()


def _check_quantities(block: Any, path: str = "DistributionConfig") -> None:
    """InconsistentQuantities for any {Quantity, Items} block whose two disagree (moto
    overwrites Aliases.Quantity with the number of items and ignores the others)."""
    if isinstance(block, list):
        for item in block:
            _check_quantities(item, path)
        return
    if not isinstance(block, dict):
        return
    if "Quantity" in block:
        items = block.get("Items") or []
        if int(block["Quantity"]) != len(items):
            raise InconsistentQuantities(
                f"The value of {path}.Quantity ({block['Quantity']}) and the size of "
                f"{path}.Items ({len(items)}) don't match."
            )
    for key, value in block.items():
        _check_quantities(value, f"{path}.{key}")


def _check_target_origins(raw: dict[str, Any]) -> None:
    """NoSuchOrigin for a cache behaviour whose TargetOriginId names no origin or origin group
    (moto checks the default cache behaviour only)."""
    known = {o.get("Id") for o in (raw.get("Origins") or {}).get("Items") or []}
    known |= {g.get("Id") for g in (raw.get("OriginGroups") or {}).get("Items") or []}
    for behaviour in _cache_behaviours(raw):
        if behaviour.get("TargetOriginId") not in known:
            raise OriginDoesNotExist()


def _check_structure(raw: dict[str, Any]) -> None:
    """What AWS checks before anything else, and moto would hide by normalising the config."""
    _check_quantities(raw)
    _check_target_origins(raw)


def _validate(backend: CloudFrontBackend, raw: dict[str, Any], exclude_id: str | None) -> None:
    for origin in (raw.get("Origins") or {}).get("Items") or []:
        identity = (origin.get("S3OriginConfig") or {}).get("OriginAccessIdentity") or ""
        control = origin.get("OriginAccessControlId") or ""
        if identity and control:
            raise IllegalOriginAccessConfiguration()
        if identity:
            _check_origin_identity(backend.account_id, backend.partition, identity)
        if control and control not in backend.origin_access_controls:
            raise NoSuchOriginAccessControl()
    aliases = (raw.get("Aliases") or {}).get("Items") or []
    _check_cnames_free(backend, aliases, exclude_id)
    from .acm import check_viewer_certificate

    check_viewer_certificate(aliases, raw.get("ViewerCertificate"))
    from .keys import check_trusted_key_groups

    for behaviour in _cache_behaviours(raw):
        groups = (behaviour.get("TrustedKeyGroups") or {}).get("Items") or []
        check_trusted_key_groups(backend.account_id, groups, backend.partition)


def _cache_behaviours(raw: dict[str, Any]) -> list[dict[str, Any]]:
    behaviours = [raw.get("DefaultCacheBehavior") or {}]
    return behaviours + ((raw.get("CacheBehaviors") or {}).get("Items") or [])


def _check_if_match(dist: Any, if_match: str | None) -> None:
    if isinstance(dist, Versioned):
        dist.check_if_match(if_match)
    else:  # made by moto itself (not through these responses): same rule
        Versioned.check_if_match(dist, if_match)


def create_distribution(
    backend: CloudFrontBackend, raw: dict[str, Any], tags: list[dict[str, str]]
) -> WebDistribution:
    _check_structure(raw)
    dist = WebDistribution(backend.account_id, backend.region_name, raw)
    _validate(backend, raw, exclude_id=None)
    reference = dist.distribution_config.caller_reference
    for other in backend.distributions.values():
        if other.distribution_config.caller_reference == reference:
            raise DistributionAlreadyExists(other.distribution_id)
    backend.distributions[dist.id] = dist
    backend.tagger.tag_resource(dist.arn, tags)
    return dist


def update_distribution(
    backend: CloudFrontBackend, dist_id: str, raw: dict[str, Any], if_match: str | None
) -> WebDistribution:
    dist = _distribution(backend, dist_id)
    _check_if_match(dist, if_match)
    if not raw:
        raise NoSuchDistribution()  # moto's answer to a missing body
    if raw.get("CallerReference") != dist.distribution_config.caller_reference:
        raise IllegalUpdate("The CallerReference of a distribution cannot be changed.")
    _check_structure(raw)
    _validate(backend, raw, exclude_id=dist_id)
    config = make_config(raw)
    if not isinstance(dist, WebDistribution):
        dist = _adopt(backend, dist)
    if dist.status == "Deployed":
        # What edges keep serving until this change is Deployed (simulator.edge.propagation).
        dist.previous_config = dist.distribution_config
    dist.distribution_config = config
    dist.start_deployment()
    return dist


def _adopt(backend: CloudFrontBackend, dist: Distribution) -> WebDistribution:
    """Turn a distribution moto made itself into a WebDistribution (same id, ARN, domain)."""
    adopted = WebDistribution.__new__(WebDistribution)
    adopted.__dict__.update(dist.__dict__)
    adopted._summary = None
    adopted.start_deployment()
    backend.distributions[dist.id] = adopted
    return adopted


def delete_distribution(backend: CloudFrontBackend, dist_id: str, if_match: str | None) -> None:
    dist = _distribution(backend, dist_id)
    _check_if_match(dist, if_match)
    if dist.distribution_config.Enabled or dist.status != "Deployed":
        raise DistributionNotDisabled()
    del backend.distributions[dist_id]
    backend.invalidations.pop(dist_id, None)


def list_distributions(
    backend: CloudFrontBackend, marker: str | None, max_items: int
) -> tuple[list[Any], str | None]:
    ids, next_marker = paging.page(list(backend.distributions), marker, max_items)
    return [backend.distributions[i] for i in ids], next_marker


# --- responses ---


class _StatusMasked:
    """A distribution whose status reads as given: a placeholder for a cached summary, or
    InProgress in the answer to a create or an update."""

    def __init__(self, dist: Any, status: str = _STATUS_MARK) -> None:
        self._dist = dist
        self.status = status

    def __getattr__(self, name: str) -> Any:
        return getattr(self._dist, name)


class _SummaryRenderer:
    """Renders <DistributionSummary> elements with moto's serializer, from botocore's shape.

    Only the summary of a distribution changed since the last listing is rendered; the others
    come from a cache kept on each distribution, keyed by its ETag (its status, which changes
    without a new version, is put in at each listing).
    """

    def __init__(self, context: Any) -> None:
        from moto.core.serialize import XFormedAttributePicker

        self._serializer = context.serializer_class(
            operation_model=context.operation_model,
            pretty_print=False,
            value_picker=XFormedAttributePicker(),
        )
        items = context.operation_model.output_shape.members["DistributionList"].members["Items"]
        self._shape = items.member
        self._element = self._serializer.get_serialized_name(self._shape, "member")

    def __call__(self, dist: Any) -> str:
        cached = getattr(dist, "_summary", None)
        if cached is None or cached[0] != dist.etag:
            cached = (dist.etag, self._render(dist))
            dist._summary = cached
        return cached[1].replace(_STATUS_MARK, dist.status)

    def _render(self, dist: Any) -> str:
        import xmltodict

        wrapper: dict[str, Any] = {}
        self._serializer._serialize(wrapper, _StatusMasked(dist), self._shape, self._shape.name)
        (value,) = wrapper.values()
        return xmltodict.unparse(
            {self._element: value}, full_document=False, short_empty_elements=False
        )


class _DistributionListResult(ActionResult):
    """ListDistributions: moto renders the envelope, cached summaries fill its Items."""

    def __init__(self, envelope: dict[str, Any], items: list[Any]) -> None:
        super().__init__({"DistributionList": envelope})
        self._items = items

    def execute_result(self, context: Any) -> Any:
        status, headers, body = super().execute_result(context)
        if not self._items:
            return status, headers, body
        body = body.decode() if isinstance(body, bytes) else body
        render = _SummaryRenderer(context)
        items = "".join(render(dist) for dist in self._items)
        head, end, tail = body.rpartition("</DistributionList>")
        return status, headers, f"{head}<Items>{items}</Items>{end}{tail}"


class WebDistributionResponse(CloudFrontResponse):
    """moto's CloudFront responses, with the distribution operations corrected."""

    def create_distribution(self) -> ActionResult:
        raw = self._get_param("DistributionConfig", {})
        return self._created(create_distribution(self.backend, raw, tags=[]))

    def create_distribution_with_tags(self) -> ActionResult:
        raw = self._get_param("DistributionConfigWithTags.DistributionConfig", {})
        tags = self._get_param("DistributionConfigWithTags.Tags.Items", []) or []
        return self._created(create_distribution(self.backend, raw, tags=tags))

    def _created(self, dist: WebDistribution) -> ActionResult:
        return ActionResult(
            {
                "Distribution": _StatusMasked(dist, "InProgress"),
                "ETag": dist.etag,
                "Location": dist.location,
            }
        )

    def get_distribution(self) -> ActionResult:
        dist = _distribution(self.backend, self._get_param("Id"))
        return ActionResult({"Distribution": dist, "ETag": dist.etag})

    def get_distribution_config(self) -> ActionResult:
        dist = _distribution(self.backend, self._get_param("Id"))
        return ActionResult({"DistributionConfig": dist.distribution_config, "ETag": dist.etag})

    def update_distribution(self) -> ActionResult:
        dist = update_distribution(
            self.backend,
            self._get_param("Id"),
            self._get_param("DistributionConfig", {}),
            self._get_param("IfMatch"),
        )
        # Always InProgress, even with a zero deploy delay, as AWS answers.
        return ActionResult({"Distribution": _StatusMasked(dist, "InProgress"), "ETag": dist.etag})

    def delete_distribution(self) -> EmptyResult:
        delete_distribution(self.backend, self._get_param("Id"), self._get_param("IfMatch"))
        return EmptyResult()

    def list_distributions(self) -> ActionResult:
        marker = self._get_param("Marker") or ""
        max_items = paging.max_items(self._get_param("MaxItems"))
        items, next_marker = list_distributions(self.backend, marker, max_items)
        envelope = paging.envelope(marker, next_marker, max_items, items)
        del envelope["Items"]  # rendered from each distribution's cached summary instead
        return _DistributionListResult(envelope, items)


def install() -> None:
    """Route the distribution operations' url paths to `WebDistributionResponse` (idempotent)."""
    from moto.cloudfront import urls as moto_urls

    for path in PATHS:
        if path not in moto_urls.url_paths:
            raise RuntimeError(f"moto no longer routes {path!r}: simulator.web needs updating")
        moto_urls.url_paths[path] = WebDistributionResponse.dispatch
