"""Origin access identities and RTMP streaming distributions, which moto 5.2 lacks.

A backend of our own (`SimulatorCloudFrontBackend`, a moto `BackendDict` keyed by account and
partition like moto's CloudFront backend) so that moto resets it with all the others. moto's own
`cloudfront_backends` is only read here (web distributions' aliases and origin identities), never
rebound. IDs and domain names are made by `simulator.ids`.

Departures from AWS that remain:
- RTMP streaming distributions were discontinued by AWS on 31 December 2020: AWS no longer
  creates them, the simulator does, so that the workflow can be rehearsed as documented.
- Aliases (CNAMEs) are compared exactly, case-insensitively, across every account of the
  partition; AWS's rules for overlapping wildcard aliases and for aliases owned through a
  certificate are not modelled.
- A trusted signer is "self" or any 12-digit account number: every such account exists here
  and holds the same two CloudFront key pairs from one run to the next (`key_pair_ids_for`).
  Anything else is `TrustedSignerDoesNotExist`. At most 5 trusted signers
  (`TooManyTrustedSigners`), AWS's quota per cache behaviour.
- The streaming distribution's comment is limited to 128 characters like the origin access
  identity's (AWS documents no limit for it); the S3 origin must be named like
  `BUCKET.s3.amazonaws.com`, else `InvalidOrigin` as AWS answers (the bucket need not exist in
  the simulated S3, and a bucket domain with a region, `BUCKET.s3.REGION.amazonaws.com`, is
  refused).
- Changing the CallerReference or the S3 origin's domain name in an update is `IllegalUpdate`.
- A streaming distribution created again with a CallerReference already used is returned as
  it is when the config is the same, `StreamingDistributionAlreadyExists` otherwise (the rule
  AWS documents for identities); for streaming distributions AWS documents the error for any
  CallerReference already used.
- Listing pages as `simulator.paging` describes (MaxItems, Marker, NextMarker).

As AWS had it: a streaming distribution's aliases need no certificate. RTMP is not served over
TLS, and the API has no ViewerCertificate in StreamingDistributionConfig and no
InvalidViewerCertificate among CreateStreamingDistribution's errors (botocore's CloudFront
model, 2020-05-31), unlike web distributions (`simulator.acm.check_viewer_certificate`).
- Tags given at creation are kept by moto's CloudFront tagger (so TagResource and
  ListTagsForResource work on a streaming distribution's ARN) and are not validated
  (no `InvalidTagging`).
- The number of identities and distributions per account is not limited
  (no `TooManyCloudFrontOriginAccessIdentities` / `TooManyStreamingDistributions`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from moto.cloudfront.exceptions import CloudFrontException
from moto.cloudfront.models import cloudfront_backends
from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.common_models import BaseModel
from moto.moto_api import state_manager
from moto.moto_api._internal.managed_state_model import ManagedState
from moto.utilities.utils import PARTITION_NAMES, get_partition

from . import ids, paging
from .exceptions import (
    CloudFrontOriginAccessIdentityAlreadyExists,
    CloudFrontOriginAccessIdentityInUse,
    CNAMEAlreadyExists,
    IllegalUpdate,
    InconsistentQuantities,
    InvalidArgument,
    InvalidOrigin,
    InvalidOriginAccessIdentity,
    MissingBody,
    NoSuchCloudFrontOriginAccessIdentity,
    NoSuchStreamingDistribution,
    StreamingDistributionAlreadyExists,
    StreamingDistributionNotDisabled,
    TooManyStreamingDistributionCNAMEs,
    TooManyTrustedSigners,
    TrustedSignerDoesNotExist,
)
from .versioning import Deploying, Versioned

API_ROOT = "https://cloudfront.amazonaws.com/2020-05-31"
OAI_PREFIX = "origin-access-identity/cloudfront/"
MAX_COMMENT = 128
MAX_STREAMING_CNAMES = 10
MAX_TRUSTED_SIGNERS = 5
PRICE_CLASSES = ("PriceClass_100", "PriceClass_200", "PriceClass_All", "None")
_BUCKET_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]\.s3\.amazonaws\.com$")
_ACCOUNT = re.compile(r"^\d{12}$")

STREAMING_MODEL = "cloudfront::streaming-distribution"
# The default transition: time-based, with the delay each distribution captured from
# `config.settings` when it was created or last updated. A transition set through moto's
# state_manager API (e.g. manual) takes precedence, as for moto's own models.
_DEPLOY_BY_SETTINGS: dict[str, Any] = {"progression": "time", "seconds": None}
state_manager.register_default_transition(STREAMING_MODEL, _DEPLOY_BY_SETTINGS)


def key_pair_ids_for(account_id: str) -> list[str]:
    """The CloudFront key pairs a simulated account holds: two, stable for a given account."""
    return [ids.key_pair_id(f"{account_id}:{n}".encode()) for n in (1, 2)]


def _require(value: Any, name: str) -> Any:
    if value is None:
        raise InvalidArgument(f"The parameter {name} is required.")
    return value


def _check_comment(comment: str) -> None:
    if len(comment) > MAX_COMMENT:
        raise InvalidArgument(f"The parameter Comment is too long (max {MAX_COMMENT}).")


def _quantity_list(block: dict[str, Any] | None, name: str) -> list[str]:
    """Items of a {Quantity, Items} block, after checking that the two agree."""
    block = block or {}
    items = list(block.get("Items") or [])
    quantity = block.get("Quantity")
    if quantity is None:
        raise InvalidArgument(f"The parameter {name}.Quantity is required.")
    if int(quantity) != len(items):
        raise InconsistentQuantities(
            f"The value of {name}.Quantity ({quantity}) and the size of {name}.Items "
            f"({len(items)}) don't match."
        )
    return items


# --- Origin access identities ------------------------------------------------------------


class OriginAccessIdentity(BaseModel, Versioned):
    def __init__(self, caller_reference: str, comment: str) -> None:
        self.id = ids.new_origin_access_identity_id()
        # What S3 grants name: a 64-hex canonical user id.
        self.s3_canonical_user_id = ids.new_canonical_user_id()
        self.caller_reference = caller_reference
        self.comment = comment
        self.touch()

    @property
    def location(self) -> str:
        return f"{API_ROOT}/origin-access-identity/cloudfront/{self.id}"

    @property
    def config(self) -> dict[str, str]:
        return {"CallerReference": self.caller_reference, "Comment": self.comment}

    def to_dict(self) -> dict[str, Any]:
        return {
            "Id": self.id,
            "S3CanonicalUserId": self.s3_canonical_user_id,
            "CloudFrontOriginAccessIdentityConfig": self.config,
        }

    def summary(self) -> dict[str, str]:
        return {
            "Id": self.id,
            "S3CanonicalUserId": self.s3_canonical_user_id,
            "Comment": self.comment,
        }


# --- Streaming distributions ---------------------------------------------------------------


class StreamingDistribution(BaseModel, ManagedState, Deploying):
    def __init__(self, account_id: str, partition: str, config: dict[str, Any]) -> None:
        ManagedState.__init__(self, STREAMING_MODEL, transitions=[("InProgress", "Deployed")])
        self.id = ids.new_streaming_distribution_id()
        self.arn = f"arn:{partition}:cloudfront::{account_id}:streaming-distribution/{self.id}"
        self.domain_name = ids.new_streaming_domain()
        self.config = config
        self.active_trusted_signers: dict[str, Any] = {"Enabled": False, "Quantity": 0}
        self.start_deployment()

    def start_deployment(self) -> None:
        """Create or update: a new ETag and InProgress, until `deploy_seconds` have passed."""
        Deploying.start_deployment(self)  # LastModifiedTime to the millisecond, as AWS
        # moto's own progression, used when a test sets a transition through moto's API.
        self._tick = 0
        self._time_progressed = datetime.now()

    @property
    def status(self) -> str | None:  # type: ignore[override]
        if state_manager.get_transition(self.model_name) is not _DEPLOY_BY_SETTINGS:
            return ManagedState.status.fget(self)  # type: ignore[attr-defined]
        return Deploying.status.fget(self)  # type: ignore[attr-defined]

    @status.setter
    def status(self, value: str) -> None:
        self._status = value

    @property
    def location(self) -> str:
        return f"{API_ROOT}/streaming-distribution/{self.id}"

    @property
    def enabled(self) -> bool:
        return bool(self.config["Enabled"])

    @property
    def aliases(self) -> list[str]:
        return self.config["Aliases"].get("Items", [])

    def to_dict(self, status: str | None = None) -> dict[str, Any]:
        return {
            "Id": self.id,
            "ARN": self.arn,
            "Status": status or self.status,
            "LastModifiedTime": self.last_modified_time,
            "DomainName": self.domain_name,
            "ActiveTrustedSigners": self.active_trusted_signers,
            "StreamingDistributionConfig": self.config,
        }

    def summary(self) -> dict[str, Any]:
        c = self.config
        return {
            "Id": self.id,
            "ARN": self.arn,
            "Status": self.status,
            "LastModifiedTime": self.last_modified_time,
            "DomainName": self.domain_name,
            "S3Origin": c["S3Origin"],
            "Aliases": c["Aliases"],
            "TrustedSigners": c["TrustedSigners"],
            "Comment": c["Comment"],
            "PriceClass": c["PriceClass"],
            "Enabled": c["Enabled"],
        }


class SimulatorCloudFrontBackend(BaseBackend):
    """CloudFront resources moto does not have, for one account and partition."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.partition = get_partition(region_name)
        self.origin_access_identities: dict[str, OriginAccessIdentity] = {}
        self.streaming_distributions: dict[str, StreamingDistribution] = {}
        self.key_pair_ids = key_pair_ids_for(account_id)

    # -- origin access identities --

    def create_origin_access_identity(
        self, identity_config: dict[str, Any] | None
    ) -> OriginAccessIdentity:
        if not identity_config:
            raise MissingBody()
        ref = _require(identity_config.get("CallerReference"), "CallerReference")
        comment = _require(identity_config.get("Comment"), "Comment")
        for existing in self.origin_access_identities.values():
            if existing.caller_reference == ref:
                if existing.comment == comment:
                    return existing
                raise CloudFrontOriginAccessIdentityAlreadyExists()
        _check_comment(comment)
        identity = OriginAccessIdentity(ref, comment)
        self.origin_access_identities[identity.id] = identity
        return identity

    def get_origin_access_identity(self, identity_id: str) -> OriginAccessIdentity:
        try:
            return self.origin_access_identities[identity_id]
        except KeyError:
            raise NoSuchCloudFrontOriginAccessIdentity() from None

    def update_origin_access_identity(
        self, identity_id: str, identity_config: dict[str, Any] | None, if_match: str | None
    ) -> OriginAccessIdentity:
        identity = self.get_origin_access_identity(identity_id)
        identity.check_if_match(if_match)
        if not identity_config:
            raise MissingBody()
        ref = _require(identity_config.get("CallerReference"), "CallerReference")
        comment = _require(identity_config.get("Comment"), "Comment")
        if ref != identity.caller_reference:
            raise IllegalUpdate("The CallerReference of an origin access identity can't change.")
        _check_comment(comment)
        identity.comment = comment
        identity.touch()
        return identity

    def delete_origin_access_identity(self, identity_id: str, if_match: str | None) -> None:
        identity = self.get_origin_access_identity(identity_id)
        identity.check_if_match(if_match)
        if self._identity_in_use(OAI_PREFIX + identity.id):
            raise CloudFrontOriginAccessIdentityInUse()
        del self.origin_access_identities[identity_id]

    def list_origin_access_identities(
        self, marker: str | None, max_items: Any
    ) -> tuple[list[OriginAccessIdentity], str | None, int]:
        return _page(self.origin_access_identities, marker, max_items)

    def check_origin_identity(self, value: str | None) -> None:
        """'' (no identity) or origin-access-identity/cloudfront/ID of an existing identity."""
        if not value:
            return
        if not value.startswith(OAI_PREFIX) or value[len(OAI_PREFIX) :] not in (
            self.origin_access_identities
        ):
            raise InvalidOriginAccessIdentity(
                f"The origin access identity {value!r} is not valid or doesn't exist."
            )

    def _identity_in_use(self, value: str) -> bool:
        if any(
            d.config["S3Origin"]["OriginAccessIdentity"] == value
            for d in self.streaming_distributions.values()
        ):
            return True
        return value in _web_distribution_identities(self.account_id, self.partition)

    # -- streaming distributions --

    def create_streaming_distribution(
        self, dist_config: dict[str, Any] | None, tags: list[dict[str, str]] | None = None
    ) -> StreamingDistribution:
        if not dist_config:
            raise MissingBody()
        ref = _require(dist_config.get("CallerReference"), "CallerReference")
        existing = next(
            (
                d
                for d in self.streaming_distributions.values()
                if d.config["CallerReference"] == ref
            ),
            None,
        )
        if existing is not None:
            # AWS: the same request again gets the same distribution; any other config is refused.
            try:
                same = self._validated_streaming_config(dist_config, existing.id) == existing.config
            except CloudFrontException:
                same = False
            if same:
                return existing
            raise StreamingDistributionAlreadyExists(
                "The caller reference you attempted to create the streaming distribution with is "
                f"associated with another distribution: {existing.id}"
            )
        normalized = self._validated_streaming_config(dist_config, exclude_id=None)
        dist = StreamingDistribution(self.account_id, self.partition, normalized)
        dist.active_trusted_signers = self._active_trusted_signers(normalized)
        self.streaming_distributions[dist.id] = dist
        if tags:
            _web_backend(self.account_id, self.partition).tagger.tag_resource(dist.arn, tags)
        return dist

    def get_streaming_distribution(self, dist_id: str) -> StreamingDistribution:
        try:
            dist = self.streaming_distributions[dist_id]
        except KeyError:
            raise NoSuchStreamingDistribution() from None
        dist.advance()
        return dist

    def update_streaming_distribution(
        self, dist_id: str, dist_config: dict[str, Any] | None, if_match: str | None
    ) -> StreamingDistribution:
        dist = self.get_streaming_distribution(dist_id)
        dist.check_if_match(if_match)
        if not dist_config:
            raise MissingBody()
        normalized = self._validated_streaming_config(dist_config, exclude_id=dist.id)
        if normalized["CallerReference"] != dist.config["CallerReference"]:
            raise IllegalUpdate("The CallerReference of a streaming distribution can't change.")
        if normalized["S3Origin"]["DomainName"] != dist.config["S3Origin"]["DomainName"]:
            raise IllegalUpdate("The S3 origin of a streaming distribution can't change.")
        dist.config = normalized
        dist.active_trusted_signers = self._active_trusted_signers(normalized)
        dist.start_deployment()
        return dist

    def delete_streaming_distribution(self, dist_id: str, if_match: str | None) -> None:
        dist = self.get_streaming_distribution(dist_id)
        dist.check_if_match(if_match)
        if dist.enabled or dist.status != "Deployed":
            raise StreamingDistributionNotDisabled()
        del self.streaming_distributions[dist_id]
        _web_backend(self.account_id, self.partition).tagger.delete_all_tags_for_resource(dist.arn)

    def list_streaming_distributions(
        self, marker: str | None, max_items: Any
    ) -> tuple[list[StreamingDistribution], str | None, int]:
        page, next_marker, limit = _page(self.streaming_distributions, marker, max_items)
        for dist in page:
            dist.advance()
        return page, next_marker, limit

    def _validated_streaming_config(
        self, raw: dict[str, Any], exclude_id: str | None
    ) -> dict[str, Any]:
        """AWS's checks on a StreamingDistributionConfig; returns it complete and normalized."""
        ref = _require(raw.get("CallerReference"), "CallerReference")
        origin = _require(raw.get("S3Origin"), "S3Origin")
        domain = _require(origin.get("DomainName"), "S3Origin.DomainName")
        identity = _require(origin.get("OriginAccessIdentity"), "S3Origin.OriginAccessIdentity")
        comment = _require(raw.get("Comment"), "Comment")
        signers_block = _require(raw.get("TrustedSigners"), "TrustedSigners")
        enabled = _require(raw.get("Enabled"), "Enabled")
        _check_comment(comment)
        if not _BUCKET_DOMAIN.match(domain):
            raise InvalidOrigin(
                "The parameter S3Origin.DomainName does not refer to a valid S3 bucket "
                "(expected BUCKET.s3.amazonaws.com)."
            )
        self.check_origin_identity(identity)

        aliases = _quantity_list(raw.get("Aliases") or {"Quantity": 0}, "Aliases")
        if len(aliases) > MAX_STREAMING_CNAMES:
            raise TooManyStreamingDistributionCNAMEs()
        check_cnames_free(aliases, exclude_id, self.partition)

        signers = _quantity_list(signers_block, "TrustedSigners")
        if len(signers) > MAX_TRUSTED_SIGNERS:
            raise TooManyTrustedSigners()
        for signer in signers:
            if signer != "self" and not _ACCOUNT.match(signer):
                raise TrustedSignerDoesNotExist(
                    f"The trusted signer {signer!r} is neither 'self' nor an AWS account number."
                )
        signers_enabled = _require(signers_block.get("Enabled"), "TrustedSigners.Enabled")

        logging = raw.get("Logging") or {"Enabled": False, "Bucket": "", "Prefix": ""}
        if logging.get("Enabled") and not _BUCKET_DOMAIN.match(logging.get("Bucket") or ""):
            raise InvalidArgument(
                "The parameter Logging.Bucket does not refer to a valid S3 bucket."
            )
        price_class = raw.get("PriceClass") or "PriceClass_All"
        if price_class not in PRICE_CLASSES:
            raise InvalidArgument(f"The parameter PriceClass has an invalid value: {price_class}.")

        aliases_out: dict[str, Any] = {"Quantity": len(aliases)}
        if aliases:
            aliases_out["Items"] = aliases
        signers_out: dict[str, Any] = {"Enabled": bool(signers_enabled), "Quantity": len(signers)}
        if signers:
            signers_out["Items"] = signers
        return {
            "CallerReference": ref,
            "S3Origin": {"DomainName": domain, "OriginAccessIdentity": identity},
            "Aliases": aliases_out,
            "Comment": comment,
            "Logging": {
                "Enabled": bool(logging.get("Enabled")),
                "Bucket": logging.get("Bucket") or "",
                "Prefix": logging.get("Prefix") or "",
            },
            "TrustedSigners": signers_out,
            "PriceClass": price_class,
            "Enabled": bool(enabled),
        }

    def _active_trusted_signers(self, dist_config: dict[str, Any]) -> dict[str, Any]:
        block = dist_config["TrustedSigners"]
        if not block["Enabled"] or not block["Quantity"]:
            return {"Enabled": False, "Quantity": 0}
        items = []
        for signer in block["Items"]:
            account = self.account_id if signer == "self" else signer
            key_pairs = get_backend(account, self.partition).key_pair_ids
            items.append(
                {
                    "AwsAccountNumber": signer,
                    "KeyPairIds": {"Quantity": len(key_pairs), "Items": list(key_pairs)},
                }
            )
        return {
            "Enabled": any(i["KeyPairIds"]["Quantity"] for i in items),
            "Quantity": len(items),
            "Items": items,
        }


def _page(
    resources: dict[str, Any], marker: str | None, max_items: Any
) -> tuple[list[Any], str | None, int]:
    """Marker/MaxItems paging: returns (page, next marker or None, max items used)."""
    limit = paging.max_items(max_items)
    ids, next_marker = paging.page(list(resources), marker, limit)
    return [resources[i] for i in ids], next_marker, limit


def _web_backend(account_id: str, partition: str) -> Any:
    return cloudfront_backends[account_id][partition]


def _origin_identity_of(origin: Any) -> str | None:
    """The OAI of one of moto's web distribution origins, however that origin is stored."""
    if isinstance(origin, dict):
        return (origin.get("S3OriginConfig") or {}).get("OriginAccessIdentity")
    s3_config = getattr(origin, "s3_origin_config", None) or getattr(origin, "S3OriginConfig", None)
    if isinstance(s3_config, dict):
        return s3_config.get("OriginAccessIdentity")
    return getattr(origin, "s3_access_identity", None)


def _web_distribution_identities(account_id: str, partition: str) -> set[str]:
    found = set()
    for dist in _web_backend(account_id, partition).distributions.values():
        origins = getattr(dist.distribution_config, "Origins", None) or {}
        for origin in origins.get("Items") or []:
            identity = _origin_identity_of(origin)
            if identity:
                found.add(identity)
    return found


def _all_aliases(partition: str) -> Iterator[tuple[str, str]]:
    """(alias, owning distribution id) over every distribution, streaming and web."""
    for _, region, backend in simulator_cloudfront_backends.iter_backends():
        if region == partition:
            for dist in backend.streaming_distributions.values():
                for alias in dist.aliases:
                    yield alias, dist.id
    for _, region, web in cloudfront_backends.iter_backends():
        if region == partition:
            for dist in web.distributions.values():
                aliases = getattr(dist.distribution_config, "Aliases", None) or {}
                for alias in aliases.get("Items") or []:
                    yield alias, dist.id


def check_cnames_free(aliases: list[str], exclude_id: str | None, partition: str = "aws") -> None:
    """CNAMEAlreadyExists if another distribution (streaming or web, any account) has one."""
    if not aliases:
        return
    wanted = {a.lower() for a in aliases}
    for alias, owner in _all_aliases(partition):
        if owner != exclude_id and alias.lower() in wanted:
            raise CNAMEAlreadyExists(
                f"The CNAME {alias} is already associated with a different resource."
            )


simulator_cloudfront_backends: BackendDict[SimulatorCloudFrontBackend] = BackendDict(
    SimulatorCloudFrontBackend,
    "cloudfront",
    use_boto3_regions=False,
    additional_regions=PARTITION_NAMES,
)


def get_backend(account_id: str, partition: str = "aws") -> SimulatorCloudFrontBackend:
    return simulator_cloudfront_backends[account_id][partition]


def check_origin_identity(account_id: str, value: str | None, partition: str = "aws") -> None:
    """For web distributions too: raise InvalidOriginAccessIdentity unless `value` is '' or
    origin-access-identity/cloudfront/ID of an identity of this account."""
    get_backend(account_id, partition).check_origin_identity(value)
