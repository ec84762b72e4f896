"""ACM certificates for CloudFront: request (DNS validation), read, wait, find, delete.

CloudFront takes ACM certificates from us-east-1 only, so the ACM client every function here is
given is a us-east-1 one (cfshell.session pins it there, whatever the session's region).
Functions take boto3 clients and return plain dicts. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from .. import names
from ..errors import CfShellError, UsageError
from . import effects, waiting

REGION = "us-east-1"
# What AWS recommends for a distribution with an ACM certificate (CloudFront API reference,
# ViewerCertificate; Developer Guide, "Supported protocols and ciphers": TLSv1.2_2021).
SSL_SUPPORT_METHOD = "sni-only"
MINIMUM_PROTOCOL_VERSION = "TLSv1.2_2021"
EXPIRY_WARNING_DAYS = 30


class CertificateInUse(CfShellError):
    """`delete` of a certificate a distribution uses; the message names the distributions."""


def check_name(name: str) -> str:
    """A domain name a certificate may cover (a leading `*.` allowed), lowercase."""
    try:
        return names.cname(name)
    except UsageError:
        raise UsageError(
            f"'{name}' is not a domain name: give one like cf.example.com or *.example.com"
        ) from None


def covers(name: str, alias: str) -> bool:
    """Whether certificate name `name` covers `alias`: the same name (any case), or a wildcard
    `*.example.com` for exactly one label (a.example.com; not example.com nor a.b.example.com).
    A wildcard alias is covered by the same wildcard only. (CloudFront Developer Guide,
    "Requirements for using alternate domain names".)"""
    name, alias = name.rstrip(".").lower(), alias.rstrip(".").lower()
    if name == alias:
        return True
    if name.startswith("*.") and not alias.startswith("*."):
        head, _, rest = alias.partition(".")
        return bool(head) and rest == name[2:]
    return False


def names_of(cert: dict[str, Any]) -> list[str]:
    """The names a certificate (DescribeCertificate's Certificate) covers, DomainName first."""
    first = [cert["DomainName"]] if cert.get("DomainName") else []
    return list(dict.fromkeys(first + list(cert.get("SubjectAlternativeNames") or [])))


def uncovered(cert: dict[str, Any], cnames: Iterable[str]) -> list[str]:
    """The `cnames` the certificate does not cover."""
    covered = names_of(cert)
    return [c for c in cnames if not any(covers(n, c) for n in covered)]


# --- calls ---------------------------------------------------------------------------------


def request(acm: Any, name: str, alternative_names: Iterable[str] = ()) -> str:
    """Request a DNS-validated certificate for `name` (and the other names); its ARN."""
    name = check_name(name)
    others = [n for n in dict.fromkeys(check_name(a) for a in alternative_names) if n != name]
    kwargs: dict[str, Any] = {"DomainName": name, "ValidationMethod": "DNS"}
    if others:
        kwargs["SubjectAlternativeNames"] = [name, *others]
    arn = acm.request_certificate(**kwargs)["CertificateArn"]
    effects.report("cert", arn, effects.CREATED, name)
    return arn


def describe(acm: Any, arn: str) -> dict[str, Any]:
    return acm.describe_certificate(CertificateArn=arn)["Certificate"]


def validation_records(cert: dict[str, Any]) -> list[dict[str, str]]:
    """The CNAME records ACM asks for, once each (a wildcard shares its base name's):
    {Domains, Name, Type, Value, Status}. Empty while ACM has not yet made them up."""
    records: dict[str, dict[str, str]] = {}
    for option in cert.get("DomainValidationOptions") or []:
        record = option.get("ResourceRecord")
        if not record:
            continue
        entry = records.setdefault(
            record["Name"],
            {
                "Domains": "",
                "Name": record["Name"],
                "Type": record.get("Type", "CNAME"),
                "Value": record["Value"],
                "Status": option.get("ValidationStatus", ""),
            },
        )
        domain = option.get("DomainName", "")
        entry["Domains"] = ", ".join(filter(None, [entry["Domains"], domain]))
    return list(records.values())


def describe_with_records(
    acm: Any, arn: str, *, attempts: int = 10, sleep: Callable[[float], None] | None = None
) -> dict[str, Any]:
    """DescribeCertificate, asked again (up to `attempts` times, 1 s apart) until ACM shows
    the validation records: right after RequestCertificate they may not be there yet."""
    import time

    sleep = sleep or time.sleep
    cert = describe(acm, arn)
    for _ in range(attempts - 1):
        if cert.get("Status") != "PENDING_VALIDATION" or validation_records(cert):
            break
        sleep(1.0)
        cert = describe(acm, arn)
    return cert


def iter_summaries(acm: Any) -> Iterator[dict[str, Any]]:
    """ListCertificates' summaries (every status, every key type)."""
    kwargs: dict[str, Any] = {}
    while True:
        page = acm.list_certificates(**kwargs)
        yield from page.get("CertificateSummaryList") or []
        token = page.get("NextToken")
        if not token:
            return
        kwargs["NextToken"] = token


def list_certificates(acm: Any) -> list[dict[str, Any]]:
    """Every certificate, described (names, status, expiry, users)."""
    return [describe(acm, s["CertificateArn"]) for s in iter_summaries(acm)]


def covering(acm: Any, cnames: Iterable[str]) -> list[dict[str, Any]]:
    """The ISSUED certificates that cover every one of `cnames`."""
    wanted = list(cnames)
    found = []
    for summary in iter_summaries(acm):
        if summary.get("Status") not in (None, "ISSUED"):
            continue
        cert = describe(acm, summary["CertificateArn"])
        if cert.get("Status") == "ISSUED" and not uncovered(cert, wanted):
            found.append(cert)
    return found


def wait_issued(
    acm: Any,
    arn: str,
    *,
    timeout: float = 0.0,
    interval: float = 5.0,
    on_poll: Callable[[float, str], None] | None = None,
) -> dict[str, Any]:
    """Poll until the certificate is ISSUED (ACM's CertificateValidated waiter's rules)."""
    response = waiting.wait(
        acm,
        "certificate_validated",
        {"CertificateArn": arn},
        status_path=lambda r: r["Certificate"]["Status"],
        timeout=timeout,
        interval=interval,
        on_poll=on_poll,
        what=f"certificate {arn}",
    )
    return response["Certificate"]


def delete(acm: Any, arn: str) -> None:
    """Delete the certificate; CertificateInUse (naming them) while distributions use it."""
    cert = describe(acm, arn)
    users = [u.rsplit("/", 1)[-1] for u in cert.get("InUseBy") or []]
    if users:
        raise CertificateInUse(in_use_sentence(arn, users))
    acm.delete_certificate(CertificateArn=arn)
    effects.report("cert", arn, effects.DELETED, cert.get("DomainName", ""))


def in_use_sentence(arn: str, users: list[str]) -> str:
    which = "distribution" if len(users) == 1 else "distributions"
    return (
        f"certificate {arn} is in use by {which} {', '.join(users)}: give {which} another "
        "certificate first (`distribution modify ID --certificate ARN`, or remove its "
        "CNAMEs with `--remove-cname`), then delete it"
    )


# --- plain views -----------------------------------------------------------------------------


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d")
    return str(value or "")


def days_left(cert: dict[str, Any], now: datetime | None = None) -> int | None:
    """Whole days until the certificate's NotAfter (None while it has none)."""
    not_after = cert.get("NotAfter")
    if not isinstance(not_after, datetime):
        return None
    now = now or datetime.now(UTC)
    return int((not_after - now).total_seconds() // 86400)


def expiry_warning(cert: dict[str, Any], now: datetime | None = None) -> str:
    """A sentence when the certificate expires within EXPIRY_WARNING_DAYS, else ''."""
    days = days_left(cert, now)
    if days is None or days > EXPIRY_WARNING_DAYS:
        return ""
    when = _when(cert.get("NotAfter"))
    if days < 0:
        return f"certificate {cert['CertificateArn']} expired on {when}: replace it now"
    renew = (
        "ACM renews it if its validation records are still in DNS"
        if cert.get("Type") == "AMAZON_ISSUED"
        else "import a renewed one (ACM does not renew imported certificates)"
    )
    return (
        f"certificate {cert['CertificateArn']} expires on {when} (in {days} days): {renew}, "
        "or request another (`cert request NAME`)"
    )


def summarize(cert: dict[str, Any]) -> dict[str, Any]:
    """One certificate as a flat record: what `cert get` shows."""
    return {
        "CertificateArn": cert.get("CertificateArn", ""),
        "DomainName": cert.get("DomainName", ""),
        "Names": names_of(cert),
        "Status": cert.get("Status", ""),
        "Type": cert.get("Type", ""),
        "NotAfter": _when(cert.get("NotAfter")),
        "InUseBy": [u.rsplit("/", 1)[-1] for u in cert.get("InUseBy") or []],
    }


def summarize_item(cert: dict[str, Any]) -> dict[str, Any]:
    record = summarize(cert)
    return {k: record[k] for k in ("CertificateArn", "Names", "Status", "NotAfter", "InUseBy")}


def viewer_certificate(arn: str | None) -> dict[str, Any]:
    """A DistributionConfig's ViewerCertificate: the ACM certificate as AWS recommends it,
    or CloudFront's default certificate when `arn` is None."""
    if not arn:
        return {
            "CloudFrontDefaultCertificate": True,
            "MinimumProtocolVersion": "TLSv1",
            "CertificateSource": "cloudfront",
        }
    return {
        "ACMCertificateArn": arn,
        "SSLSupportMethod": SSL_SUPPORT_METHOD,
        "MinimumProtocolVersion": MINIMUM_PROTOCOL_VERSION,
        "CloudFrontDefaultCertificate": False,
    }


def certificate_of(config: dict[str, Any]) -> str:
    """The ACM certificate ARN a DistributionConfig uses ('' for CloudFront's default)."""
    return (config.get("ViewerCertificate") or {}).get("ACMCertificateArn") or ""


def choose_for(
    acm: Any, cnames: list[str], *, explicit: str | None = None, selected: str | None = None
) -> str | None:
    """The certificate a distribution with `cnames` is to use: `explicit` (checked), else the
    `selected` one, else the one ISSUED certificate covering them all; None without CNAMEs
    and without `explicit`. UsageError, before anything changes, when there is none."""
    if explicit or (selected and cnames):
        arn = explicit or selected or ""
        cert = describe(acm, arn)
        how = "given" if explicit else "selected"
        if cert.get("Status") != "ISSUED":
            raise UsageError(
                f"the {how} certificate {arn} is {cert.get('Status')}, not ISSUED: wait for it "
                f"(`cert wait {arn}`), then try again (nothing was changed)"
            )
        missing = uncovered(cert, cnames)
        if missing:
            raise UsageError(
                f"the {how} certificate {arn} covers {', '.join(names_of(cert))}, not "
                f"{', '.join(missing)}: request one that does (`cert request {missing[0]}`) "
                "(nothing was changed)"
            )
        return arn
    if not cnames:
        return None
    found = covering(acm, cnames)
    if len(found) == 1:
        return str(found[0]["CertificateArn"])
    listed = ", ".join(cnames)
    if not found:
        alts = " ".join(f"--alt {c}" for c in cnames[1:])
        request_line = f"cert request {cnames[0]}" + (f" {alts}" if alts else "")
        raise UsageError(
            f"CloudFront serves {listed} only with an ISSUED ACM certificate in us-east-1 "
            f"covering it, and there is none: get one with `{request_line}` and `cert wait`, "
            "then try again (nothing was changed)"
        )
    arns = ", ".join(c["CertificateArn"] for c in found)
    raise UsageError(
        f"several ISSUED certificates cover {listed} ({arns}): choose one with "
        "--certificate ARN or `use cert ARN` (nothing was changed)"
    )
