"""ACM certificates as CloudFront needs them: moto's ACM, corrected where it is more lenient.

moto keeps the certificates (`acm_backends[account][region]`); this module changes how they
behave, in place (`install`):

- A DNS-validated certificate (RequestCertificate) is ISSUED only once, for every name it
  covers, the validation CNAME record ACM asked for exists in a Route 53 hosted zone of the
  simulated account, and the simulator's deploy delay has passed since it was first seen there.
  moto issues every requested certificate 60 s after the request, records or not. (ACM User
  Guide, "DNS validation": "ACM ... cannot issue the certificate until you add the CNAME
  records"; a certificate not validated in 72 hours becomes VALIDATION_TIMED_OUT.)
- The validation record is ACM's shape: `_<32 hex>.<domain>.` CNAME
  `_<32 hex>.<10 letters>.acm-validations.aws.`, one per domain (a wildcard `*.example.com`
  shares example.com's), the same for the same domain in the same account (ACM User Guide:
  the CNAME "remains the same for your account and domain"). moto gives every certificate one
  fixed record.
- DomainValidationOptions list the certificate's DomainName first, then its other names.
  IssuedAt appears once issued and is the time it was.
- InUseBy lists the CloudFront distributions whose ViewerCertificate names the certificate.
- DeleteCertificate of a certificate in use: `ResourceInUseException` (ACM API reference,
  DeleteCertificate errors; moto deletes it).
- GetCertificate of a certificate not yet issued: `RequestInProgressException` (ACM API
  reference, GetCertificate errors; moto returns the unissued certificate).
- `issue(arn)` (the simulator's `sim cert issue`) issues a pending certificate whose names are
  in no hosted zone of the simulator: it stands for records written at a DNS provider outside.

Departures from AWS that remain:
- EMAIL validation is not modelled: every requested certificate waits for DNS records.
- A certificate never times out (VALIDATION_TIMED_OUT) and is never renewed.
- The deploy delay counts from the first read that sees every record, not from the write;
  times are the simulator's (`versioning.now`).
- Imported certificates are as moto keeps them (issued, with the dates of the PEM given).
"""

from __future__ import annotations

import hashlib
from typing import Any

from moto.core.exceptions import AWSError

from . import dns, versioning
from .config import settings

_installed = False


class ResourceInUseException(AWSError):
    TYPE = "ResourceInUseException"

    def __init__(self, arn: str) -> None:
        super().__init__(message=f"Certificate {arn} is in use.", status=400)


class RequestInProgressException(AWSError):
    TYPE = "RequestInProgressException"

    def __init__(self, arn: str) -> None:
        super().__init__(message=f"Certificate {arn} is not yet issued.", status=400)


class NotPending(ValueError):
    """`issue` was asked for a certificate it cannot issue; the message says why."""


# --- what ACM asks for --------------------------------------------------------------------


def names_of(bundle: Any) -> list[str]:
    """The certificate's DomainName, then its other names, once each."""
    first = [bundle.common_name] if bundle.common_name else []
    return list(dict.fromkeys(first + [str(n) for n in bundle.sans]))


def validation_record(account_id: str, domain: str) -> tuple[str, str]:
    """(name, value) of the CNAME record ACM asks for to validate `domain` in `account_id`."""
    base = dns.normal(domain)
    base = base[2:] if base.startswith("*.") else base
    digest = hashlib.sha256(f"{account_id}/{base}".encode()).hexdigest()
    target = hashlib.sha256(f"target/{account_id}/{base}".encode()).hexdigest()
    letters = "".join(chr(ord("a") + int(c, 16) % 26) for c in target[32:42])
    return f"_{digest[:32]}.{base}.", f"_{target[:32]}.{letters}.acm-validations.aws."


def _account_of(bundle: Any) -> str:
    return str(bundle.arn).split(":")[4]


def _validated(bundle: Any, domain: str) -> bool:
    name, value = validation_record(_account_of(bundle), domain)
    zone = dns.zone_for(name, _account_of(bundle))
    if zone is None:
        return False
    return any(r.type == "CNAME" and dns.normal(value) in r.values for r in dns.records(zone, name))


def in_use_by(arn: str) -> list[str]:
    """ARNs of the CloudFront distributions whose ViewerCertificate names `arn`."""
    from moto.cloudfront.models import cloudfront_backends

    users = []
    for _, _, backend in cloudfront_backends.iter_backends():
        for dist in backend.distributions.values():
            viewer = getattr(dist.distribution_config, "ViewerCertificate", None)
            if getattr(viewer, "acm_certificate_arn", "") == arn:
                users.append(dist.arn)
    return users


def _issue_now(bundle: Any) -> None:
    bundle.status = "ISSUED"
    bundle._sim_issued_at = versioning.now()


# --- the corrections, installed on moto's classes ---------------------------------------


def _check(self: Any) -> None:
    """moto's CertBundle.check: expiry as moto has it; issuance once the records exist."""
    if self._not_valid_after(self._cert) <= versioning.now().replace(tzinfo=None):
        self.status = "EXPIRED"
        return
    if self.type != "AMAZON_ISSUED" or self.status != "PENDING_VALIDATION":
        return
    if not all(_validated(self, domain) for domain in names_of(self)):
        self._sim_validated_at = None
        return
    seen = getattr(self, "_sim_validated_at", None)
    if seen is None:
        seen = self._sim_validated_at = versioning.now().timestamp()
    if versioning.now().timestamp() >= seen + float(settings.deploy_seconds):
        _issue_now(self)


def _describe(original: Any) -> Any:
    def describe(self: Any) -> dict[str, Any]:
        result = original(self)
        cert = result["Certificate"]
        cert["InUseBy"] = in_use_by(self.arn)
        if self.type != "AMAZON_ISSUED":
            return result
        account = _account_of(self)
        status = "SUCCESS" if self.status == "ISSUED" else self.status
        options = []
        for domain in names_of(self):
            name, value = validation_record(account, domain)
            options.append(
                {
                    "DomainName": domain,
                    "ValidationDomain": domain,
                    "ValidationStatus": status,
                    "ValidationMethod": "DNS",
                    "ResourceRecord": {"Name": name, "Type": "CNAME", "Value": value},
                }
            )
        cert["DomainValidationOptions"] = options
        issued = getattr(self, "_sim_issued_at", None)
        if self.status == "ISSUED" and issued is not None:
            cert["IssuedAt"] = issued.timestamp()
        elif self.status != "ISSUED":
            cert.pop("IssuedAt", None)
        return result

    return describe


def _delete(original: Any) -> Any:
    def delete_certificate(self: Any, arn: str) -> None:
        if arn in self._certificates and in_use_by(arn):
            raise ResourceInUseException(arn)
        original(self, arn)

    return delete_certificate


def _get(original: Any) -> Any:
    def get_certificate(self: Any) -> Any:
        arn = self._get_param("CertificateArn")
        if arn:
            bundle = self.acm_backend.get_certificate(arn)
            if bundle.status == "PENDING_VALIDATION":
                raise RequestInProgressException(arn)
        return original(self)

    return get_certificate


def install() -> None:
    """Put the corrections on moto's ACM classes (idempotent)."""
    global _installed
    if _installed:
        return
    from moto.acm.models import AWSCertificateManagerBackend, CertBundle
    from moto.acm.responses import AWSCertificateManagerResponse

    CertBundle.check = _check
    CertBundle.describe = _describe(CertBundle.describe)
    AWSCertificateManagerBackend.delete_certificate = _delete(
        AWSCertificateManagerBackend.delete_certificate
    )
    AWSCertificateManagerResponse.get_certificate = _get(
        AWSCertificateManagerResponse.get_certificate
    )
    _installed = True


# --- for CloudFront and the simulator's API ----------------------------------------------


def find(arn: str) -> Any | None:
    """The certificate `arn` (moto's CertBundle), checked as a read would, or None."""
    from moto.acm.models import acm_backends

    parts = arn.split(":")
    if len(parts) < 6 or parts[2] != "acm":
        return None
    account, region = parts[4], parts[3]
    if account not in acm_backends or region not in acm_backends[account]:
        return None
    backend = acm_backends[account][region]
    bundle = backend._certificates.get(arn)
    if bundle is not None:
        bundle.check()
    return bundle


def issue(arn: str) -> str:
    """Issue the pending certificate `arn` whose names no hosted zone of the simulator holds
    (their records are written outside); NotPending with the reason otherwise. Its status."""
    bundle = find(arn)
    if bundle is None:
        raise NotPending(f"no certificate {arn} in the simulator")
    if bundle.status == "ISSUED":
        return bundle.status
    if bundle.type != "AMAZON_ISSUED" or bundle.status != "PENDING_VALIDATION":
        raise NotPending(f"certificate {arn} is {bundle.status}, not PENDING_VALIDATION")
    account = _account_of(bundle)
    for domain in names_of(bundle):
        name, _ = validation_record(account, domain)
        zone = dns.zone_for(name, account)
        if zone is not None:
            raise NotPending(
                f"{domain} is in hosted zone {dns.normal(zone.name)} ({dns.zone_id(zone)}) of "
                "the simulator: write its validation record there instead"
            )
    _issue_now(bundle)
    return bundle.status


# --- CloudFront's rules for a distribution's certificate -----------------------------------


def covers(name: str, alias: str) -> bool:
    """Whether a certificate name covers an alias: equal (case-insensitively), or a wildcard
    `*.example.com` standing for exactly one label (a.example.com, not example.com nor
    a.b.example.com). A wildcard alias is covered by the same wildcard only.

    CloudFront Developer Guide, "Requirements for using alternate domain names": the
    certificate must cover the alternate domain name; a wildcard certificate covers one
    subdomain level, as in RFC 6125 6.4.3."""
    name, alias = dns.normal(name), dns.normal(alias)
    if name == alias:
        return True
    if name.startswith("*.") and not alias.startswith("*."):
        head, _, rest = alias.partition(".")
        return bool(head) and rest == name[2:]
    return False


def check_viewer_certificate(aliases: list[str], viewer: dict[str, Any] | None) -> None:
    """InvalidViewerCertificate unless `viewer` (a DistributionConfig's ViewerCertificate, as
    sent) is a certificate CloudFront can serve `aliases` with.

    The rules (CloudFront API reference, ViewerCertificate and the InvalidViewerCertificate
    error of CreateDistribution/UpdateDistribution; CloudFront Developer Guide, "Requirements
    for using alternate domain names" and "Supported certificate ... ACM": "you must request
    or import the certificate in the US East (N. Virginia) Region (us-east-1)"):
    - with Aliases, the CloudFront default certificate is refused;
    - ACMCertificateArn with CloudFrontDefaultCertificate true is refused, and it needs
      SSLSupportMethod and MinimumProtocolVersion;
    - the certificate must exist, be in us-east-1 and be ISSUED;
    - every alias must be covered by one of its names (`covers`).
    Departures from AWS: an IAMCertificateId is accepted unchecked (IAM server certificates
    are not simulated); the limits CloudFront puts on a certificate's key (RSA up to 2048 bits
    for imported ones, ECDSA P-256 only) and its chain are not checked."""
    from .exceptions import InvalidViewerCertificate

    viewer = viewer or {}
    arn = viewer.get("ACMCertificateArn") or ""
    default = str(viewer.get("CloudFrontDefaultCertificate", "")).lower() == "true"

    def refuse(reason: str) -> None:
        raise InvalidViewerCertificate(
            "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't "
            f"valid, or doesn't include a valid certificate chain. ({reason})"
        )

    if arn and default:
        refuse("ACMCertificateArn and CloudFrontDefaultCertificate are both set")
    if viewer.get("IAMCertificateId") and not arn:
        return
    if not arn:
        if aliases:
            refuse(
                "a distribution with alternate domain names needs a certificate covering "
                "them; the CloudFront default certificate covers *.cloudfront.net only"
            )
        return
    if not viewer.get("SSLSupportMethod") or not viewer.get("MinimumProtocolVersion"):
        refuse("ACMCertificateArn needs SSLSupportMethod and MinimumProtocolVersion")
    parts = arn.split(":")
    if len(parts) > 3 and parts[3] != "us-east-1":
        refuse(f"certificate {arn} is in {parts[3]}, not us-east-1")
    bundle = find(arn)
    if bundle is None:
        refuse(f"no certificate {arn}")
    if bundle.status != "ISSUED":
        refuse(f"certificate {arn} is {bundle.status}, not ISSUED")
    names = names_of(bundle)
    for alias in aliases:
        if not any(covers(name, alias) for name in names):
            refuse(f"certificate {arn} ({', '.join(names)}) does not cover {alias}")


def viewer_certificate_as_read(viewer: Any) -> None:
    """moto's ViewerCertificate as AWS reads it back: an ACM certificate makes
    CloudFrontDefaultCertificate false and CertificateSource acm (moto keeps true/cloudfront)."""
    if getattr(viewer, "acm_certificate_arn", ""):
        viewer.cloud_front_default_certificate = False
        viewer.certificate_source = "acm"
        viewer.certificate = viewer.acm_certificate_arn
