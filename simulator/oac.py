"""CloudFront origin access controls (OACs): moto's, corrected where moto 5.2 is more lenient.

moto keeps the state (`cloudfront_backends[account][partition].origin_access_controls`, which
`simulator.web` and `simulator.edge` read); this module stores `OriginAccessControl`, a subclass
of moto's, and takes over the six OAC operations (`OriginAccessControlResponse`, routed by url
path). What it corrects in moto 5.2.5:

- IDs are `E` + 13 upper-case letters and digits, as AWS's (`simulator.ids`; moto's lack the E).
- CreateOriginAccessControl sends the Location header; a Name already used by another OAC of the
  account is `OriginAccessControlAlreadyExists` (moto creates a second one), on update too.
- GetOriginAccessControlConfig exists (moto: NotImplementedError, a 500).
- UpdateOriginAccessControl and DeleteOriginAccessControl need If-Match
  (`InvalidIfMatchVersion` when missing, `PreconditionFailed` when stale); every update gives
  a new ETag (moto ignores If-Match and keeps the ETag).
- An unknown Id is `NoSuchOriginAccessControl` on every operation (moto's delete: a 500).
- DeleteOriginAccessControl while a web distribution has an origin naming the OAC (enabled or
  not): `OriginAccessControlInUse`.
- The config is validated as AWS does, with `InvalidArgument`: Name 1 to 64 characters,
  SigningProtocol `sigv4` or `sigv4a`, SigningBehavior `never`, `always`, `no-override`, or
  `always-amz-auth` (Lambda origins only), OriginAccessControlOriginType `s3`, `mediastore`,
  `lambda` or `mediapackagev2` (moto stores anything).
- ListOriginAccessControls honours Marker and MaxItems (moto ignores both and lists everything)
  and pages as `simulator.paging` describes (NextMarker is the id of the last OAC of the page).

Departures from AWS that remain:
- Changing OriginAccessControlOriginType in an update is `IllegalUpdate`: the console offers no
  way to change it and botocore lists IllegalUpdate for the operation, but AWS documents neither.
- No quota (`TooManyOriginAccessControls`), no
  `TooManyDistributionsAssociatedToOriginAccessControl`.
- Messages are the simulator's own; AWS's wording for each InvalidArgument is not documented.
- sigv4a is accepted for every origin type, whatever AWS supports for each.
"""

from __future__ import annotations

from typing import Any

from moto.cloudfront.exceptions import NoSuchOriginAccessControl
from moto.cloudfront.models import OriginAccessControl as MotoOriginAccessControl
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.responses import ActionResult, EmptyResult

from . import ids, paging
from .exceptions import (
    IllegalUpdate,
    InvalidArgument,
    OriginAccessControlAlreadyExists,
    OriginAccessControlInUse,
)
from .versioning import Versioned

NAME_MAX = 64
SIGNING_PROTOCOLS = ("sigv4", "sigv4a")
SIGNING_BEHAVIORS = ("never", "always", "no-override", "always-amz-auth")
ORIGIN_TYPES = ("s3", "mediastore", "lambda", "mediapackagev2")
LOCATION = "https://cloudfront.amazonaws.com/2020-05-31/origin-access-control/{}"


class OriginAccessControl(Versioned, MotoOriginAccessControl):
    """moto's OAC (same attributes, read by moto's serializer) with a version."""

    def __init__(self, config: dict[str, str]) -> None:
        super().__init__(config)
        self.id = ids.new_origin_access_control_id()  # moto's has no leading E
        self.description = config.get("Description") or ""
        self.touch()

    @property
    def location(self) -> str:
        return LOCATION.format(self.id)

    @property
    def config(self) -> dict[str, str]:
        return {
            "Name": self.name or "",
            "Description": self.description or "",
            "SigningProtocol": self.signing_protocol or "",
            "SigningBehavior": self.signing_behavior or "",
            "OriginAccessControlOriginType": self.origin_type or "",
        }


def validate_config(config: dict[str, Any] | None) -> dict[str, str]:
    """The config with Description defaulted, or InvalidArgument naming the first bad field."""
    config = dict(config or {})
    name = config.get("Name") or ""
    if not name:
        raise InvalidArgument("The parameter Name is required.")
    if len(name) > NAME_MAX:
        raise InvalidArgument(f"The parameter Name cannot be longer than {NAME_MAX} characters.")
    for field, allowed in (
        ("SigningProtocol", SIGNING_PROTOCOLS),
        ("SigningBehavior", SIGNING_BEHAVIORS),
        ("OriginAccessControlOriginType", ORIGIN_TYPES),
    ):
        if config.get(field) not in allowed:
            raise InvalidArgument(f"The parameter {field} must be one of: {', '.join(allowed)}.")
    if config["SigningBehavior"] == "always-amz-auth" and (
        config["OriginAccessControlOriginType"] != "lambda"
    ):
        raise InvalidArgument(
            "The signing behavior always-amz-auth is valid for Lambda origins only."
        )
    config["Description"] = config.get("Description") or ""
    return config


def _origin_control_id(origin: Any) -> str:
    if isinstance(origin, dict):
        return origin.get("OriginAccessControlId") or ""
    return getattr(origin, "origin_access_control_id", "") or ""


def distributions_using(backend: Any, control_id: str) -> list[str]:
    """Ids of the web distributions with an origin naming the origin access control."""
    used = []
    for dist in backend.distributions.values():
        origins = dist.distribution_config.Origins
        items = origins.get("Items") if isinstance(origins, dict) else origins
        if any(_origin_control_id(origin) == control_id for origin in items or []):
            used.append(dist.id)
    return used


class OriginAccessControlStore:
    """The OAC operations over one moto CloudFront backend."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend

    @property
    def controls(self) -> dict[str, Any]:
        return self.backend.origin_access_controls

    def _check_name_free(self, name: str, exclude_id: str | None) -> None:
        for control in self.controls.values():
            if control.id != exclude_id and control.name == name:
                raise OriginAccessControlAlreadyExists()

    def create(self, config: dict[str, Any] | None) -> OriginAccessControl:
        config = validate_config(config)
        self._check_name_free(config["Name"], exclude_id=None)
        control = OriginAccessControl(config)
        self.controls[control.id] = control
        return control

    def get(self, control_id: str | None) -> Any:
        control = self.controls.get(control_id or "")
        if control is None:
            raise NoSuchOriginAccessControl()
        return control

    def update(
        self, control_id: str, config: dict[str, Any] | None, if_match: str | None
    ) -> OriginAccessControl:
        control = self._versioned(self.get(control_id))
        control.check_if_match(if_match)
        config = validate_config(config)
        if config["OriginAccessControlOriginType"] != control.origin_type:
            raise IllegalUpdate("The origin type of an origin access control cannot be changed.")
        self._check_name_free(config["Name"], exclude_id=control_id)
        control.update(config)
        control.touch()
        return control

    def delete(self, control_id: str, if_match: str | None) -> None:
        control = self._versioned(self.get(control_id))
        control.check_if_match(if_match)
        if distributions_using(self.backend, control_id):
            raise OriginAccessControlInUse()
        del self.controls[control_id]

    def list(self, marker: str, max_items: int) -> tuple[list[Any], str | None]:
        ids, next_marker = paging.page(list(self.controls), marker, max_items)
        return [self.controls[i] for i in ids], next_marker

    def _versioned(self, control: Any) -> OriginAccessControl:
        """An OAC moto made itself (outside these responses) adopted, keeping its id and ETag."""
        if isinstance(control, OriginAccessControl):
            return control
        adopted = OriginAccessControl.__new__(OriginAccessControl)
        adopted.__dict__.update(control.__dict__)
        adopted.description = adopted.description or ""
        self.controls[control.id] = adopted
        return adopted


class OriginAccessControlResponse(CloudFrontResponse):
    """The OAC operations; every other action is moto's own."""

    @property
    def store(self) -> OriginAccessControlStore:
        return OriginAccessControlStore(self.backend)

    @staticmethod
    def _body(control: Any) -> dict[str, Any]:
        return {"Id": control.id, "OriginAccessControlConfig": control}

    def create_origin_access_control(self) -> ActionResult:
        control = self.store.create(self._get_param("OriginAccessControlConfig"))
        return ActionResult(
            {
                "OriginAccessControl": self._body(control),
                "Location": control.location,
                "ETag": control.etag,
            }
        )

    def get_origin_access_control(self) -> ActionResult:
        control = self.store.get(self._get_param("Id"))
        return ActionResult({"OriginAccessControl": self._body(control), "ETag": control.etag})

    def get_origin_access_control_config(self) -> ActionResult:
        control = self.store.get(self._get_param("Id"))
        return ActionResult({"OriginAccessControlConfig": control, "ETag": control.etag})

    def update_origin_access_control(self) -> ActionResult:
        control = self.store.update(
            self._get_param("Id"),
            self._get_param("OriginAccessControlConfig"),
            self._get_param("IfMatch"),
        )
        return ActionResult({"OriginAccessControl": self._body(control), "ETag": control.etag})

    def delete_origin_access_control(self) -> EmptyResult:
        self.store.delete(self._get_param("Id"), self._get_param("IfMatch"))
        return EmptyResult()

    def list_origin_access_controls(self) -> ActionResult:
        marker = self._get_param("Marker") or ""
        max_items = paging.max_items(self._get_param("MaxItems"))
        items, next_marker = self.store.list(marker, max_items)
        envelope = paging.envelope(marker, next_marker, max_items, items)
        return ActionResult({"OriginAccessControlList": envelope})


# The url paths of the OAC operations (keys of moto's `url_paths`).
PATHS = (
    "{0}/2020-05-31/origin-access-control$",
    "{0}/2020-05-31/origin-access-control/(?P<oac_id>[^/]+)$",
    "{0}/2020-05-31/origin-access-control/(?P<oac_id>[^/]+)/config$",
)


def install() -> None:
    """Route the OAC url paths to `OriginAccessControlResponse` (idempotent)."""
    from moto.cloudfront import urls as moto_urls

    for path in PATHS:
        if path not in moto_urls.url_paths:
            raise RuntimeError(f"moto no longer routes {path!r}: simulator.oac needs updating")
        moto_urls.url_paths[path] = OriginAccessControlResponse.dispatch
