"""The one registry of resource kinds: everything cfshell knows about a kind, in one entry.

The selection (cfshell.context), error sentences (cfshell.errors), transcripts' `$references`
(cfshell.transcript), completion of live IDs and `use KIND ID` all read this registry; adding a
kind is one `register(Kind(...))`. Stdlib only, and nothing heavy is imported until a lister or a
validator is used (they are named by dotted path, resolved on first use).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

# An ID as CloudFront shapes it (uppercase letters and digits: E2QWRUHAPOMQZL, K3..., I2...),
# and a key group's (a UUID): named here, compiled in simulator.ids, the one module of ID shapes
# that the simulator makes IDs from; read on first validation, so start-up does not pay for it.
CLOUDFRONT_ID = "simulator.ids:TYPED_CLOUDFRONT_ID"
KEY_GROUP_ID = "simulator.ids:TYPED_KEY_GROUP_ID"
# Any other ID (UUIDs of key groups...): a word of letters, digits, dots, dashes, underscores.
ANY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
# An ACM certificate ARN (CloudFront takes certificates from us-east-1 only; any region here).
CERT_ARN = re.compile(r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$")
# A Route 53 hosted zone ID, bare (`Z0123...`, not `/hostedzone/Z0123...`).
ROUTE53_ZONE_ID = re.compile(r"^[A-Z0-9]{8,32}$")
# S3 bucket names; `validator` below normalises `NAME.s3.amazonaws.com` and says what is wrong.
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")

# Not-found codes CloudFront answers for several kinds (key groups and newer resources): the
# kind is then told by the call, not by the code.
SHARED_NOT_FOUND = frozenset({"NoSuchResource"})

_CLOUDFRONT_HINT = " (uppercase letters and digits, like E2QWRUHAPOMQZL)"


def resolve(path: str) -> Any:
    """`"package.module:attribute"` -> the attribute (the module imported now, not before)."""
    module, _, attribute = path.partition(":")
    value: Any = importlib.import_module(module)
    for part in attribute.split("."):
        value = getattr(value, part)
    return value


def _dig(record: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(record, dict):
            return None
        record = record.get(part)
    return record


@dataclass(frozen=True)
class Lister:
    """How to list a kind's live resources for completion.

    `source` names a function of the service layer taking a boto3 client of `client` (e.g.
    "cfshell.aws.oai:iter_summaries"); each summary it yields gives its ID at `id_field` and its
    label from `label_fields` (dotted paths into the summary: "KeyGroupConfig.Name").
    """

    source: str
    client: str = "cloudfront"
    id_field: str = "Id"
    label_fields: tuple[str, ...] = ()

    def items(self, client_for: Callable[[str], Any]) -> Iterator[tuple[str, str]]:
        """(ID, label) of every live resource; `client_for(service)` makes the client."""
        function = resolve(self.source)
        for summary in function(client_for(self.client)):
            label = "  ".join(str(v) for v in (_dig(summary, f) for f in self.label_fields) if v)
            yield str(_dig(summary, self.id_field)), label


@dataclass(frozen=True)
class Kind:
    """One kind of resource.

    name: how commands, `use`, the context (its key) and effect reports name it ("key-group").
    noun: how sentences name it ("key group"); `label` is the short form the selection shows.
    id_pattern: the shape of its IDs (what `use` and `[ID]` arguments accept): a compiled
        pattern, or the dotted path of one ("simulator.ids:TYPED_CLOUDFRONT_ID"), read when
        first needed.
    ref_prefix: the name part of its transcript `$references` ("keygroup" -> $keygroup1);
        "" for kinds the user names (buckets), which stay as typed.
    not_found_codes: AWS error codes meaning "no such KIND".
    lister: how completion lists live ones (None: not completed).
    """

    name: str
    noun: str
    id_pattern: re.Pattern[str] | str = ANY_ID
    ref_prefix: str = ""
    not_found_codes: tuple[str, ...] = ()
    lister: Lister | None = None
    label: str = ""  # short noun for the selection (`using OAI E2...`); default: noun
    prompt: str = ""  # its name in the prompt; default: name
    list_command: str = ""  # the command listing its IDs, named in error sentences
    operations: tuple[str, ...] = ()  # AWS operation-name parts that speak of it ("KeyGroup")
    id_hint: str = ""  # said after "is not a valid ... ID"
    validator: str = ""  # dotted path of a function normalising an ID or raising UsageError
    selectable: bool = True  # `use NAME ID` and the `[ID]` default
    delete_takes_etag: bool = False  # `NAME delete [ID] [ETAG]`
    placeholder_id: str = "E00000000000REF"  # a well-formed ID, to check a line's syntax

    @property
    def context_key(self) -> str:
        return self.name

    @property
    def short(self) -> str:
        return self.label or self.noun

    @property
    def prompt_name(self) -> str:
        return self.prompt or self.name

    def article(self) -> str:
        return "an" if self.noun[:1].lower() in "aeiou" else "a"

    def validate(self, value: str) -> str | None:
        """`value` as this kind's ID (normalised), or None when it is not shaped like one.

        A kind with a `validator` raises its own UsageError instead (it says what is wrong)."""
        if self.validator:
            return str(resolve(self.validator)(value))
        pattern = self.id_pattern
        if isinstance(pattern, str):
            pattern = resolve(pattern)
        return value if pattern.match(value or "") else None


# Ordered: `context` lists the selection in this order, and kinds are matched in it.
KINDS: dict[str, Kind] = {}
_version = [0]


def register(kind: Kind) -> Kind:
    """Add (or replace) a kind; everything reading the registry sees it from now on."""
    if kind.ref_prefix and not re.fullmatch(r"[a-z]+", kind.ref_prefix):
        raise ValueError(f"ref_prefix {kind.ref_prefix!r}: lowercase letters only")
    KINDS[kind.name] = kind
    _version[0] += 1
    return kind


def unregister(name: str) -> None:
    """Remove a kind (tests that registered one of their own)."""
    if KINDS.pop(name, None) is not None:
        _version[0] += 1


def version() -> int:
    """Changes whenever the registry does (for caches built from it)."""
    return _version[0]


def get(name: str) -> Kind | None:
    return KINDS.get(name)


def names() -> list[str]:
    return list(KINDS)


def selectable() -> list[Kind]:
    return [k for k in KINDS.values() if k.selectable]


def referenced() -> list[Kind]:
    """Kinds whose created IDs become transcript `$references`."""
    return [k for k in KINDS.values() if k.ref_prefix]


def by_ref_prefix(prefix: str) -> Kind | None:
    return next((k for k in KINDS.values() if k.ref_prefix == prefix), None)


def noun(name: str) -> str:
    kind = KINDS.get(name)
    return kind.noun if kind else name


def of_operation(operation: str) -> Kind | None:
    """The kind an AWS operation's name speaks of, first in registry order (so
    StreamingDistribution is matched before Distribution)."""
    for kind in KINDS.values():
        if any(part in operation for part in kind.operations):
            return kind
    return None


def of_not_found(code: str) -> Kind | None:
    """The kind a not-found `code` speaks of, when the code alone tells."""
    if code in SHARED_NOT_FOUND:
        return None
    return next((k for k in KINDS.values() if code in k.not_found_codes), None)


for _kind in (
    Kind(
        "streaming",
        "streaming distribution",
        CLOUDFRONT_ID,
        ref_prefix="streaming",
        not_found_codes=("NoSuchStreamingDistribution",),
        lister=Lister(
            "cfshell.aws.streaming:iter_summaries", label_fields=("DomainName", "Comment")
        ),
        list_command="streaming list",
        operations=("StreamingDistribution",),
        id_hint=_CLOUDFRONT_HINT,
        delete_takes_etag=True,
    ),
    Kind(
        "distribution",
        "distribution",
        CLOUDFRONT_ID,
        ref_prefix="distribution",
        not_found_codes=("NoSuchDistribution",),
        lister=Lister(
            "cfshell.aws.distributions:iter_summaries", label_fields=("DomainName", "Comment")
        ),
        list_command="distribution list",
        operations=("Distribution",),
        id_hint=_CLOUDFRONT_HINT,
        delete_takes_etag=True,
    ),
    Kind(
        "oai",
        "origin access identity",
        CLOUDFRONT_ID,
        ref_prefix="oai",
        not_found_codes=("NoSuchCloudFrontOriginAccessIdentity",),
        lister=Lister("cfshell.aws.oai:iter_summaries", label_fields=("Comment",)),
        label="OAI",
        list_command="oai list",
        operations=("CloudFrontOriginAccessIdentity",),
        id_hint=_CLOUDFRONT_HINT,
        delete_takes_etag=True,
    ),
    Kind(
        "oac",
        "origin access control",
        CLOUDFRONT_ID,
        ref_prefix="oac",
        not_found_codes=("NoSuchOriginAccessControl",),
        lister=Lister("cfshell.aws.oac:iter_summaries", label_fields=("Name",)),
        label="OAC",
        list_command="oac list",
        operations=("OriginAccessControl",),
        id_hint=_CLOUDFRONT_HINT,
        delete_takes_etag=True,
    ),
    Kind(
        "key",
        "public key",
        CLOUDFRONT_ID,
        ref_prefix="key",
        not_found_codes=("NoSuchPublicKey",),
        lister=Lister("cfshell.aws.keys:iter_public_keys", label_fields=("Name",)),
        list_command="key list",
        operations=("PublicKey",),
        id_hint=_CLOUDFRONT_HINT,
        delete_takes_etag=True,
    ),
    Kind(
        "key-group",
        "key group",
        KEY_GROUP_ID,
        ref_prefix="keygroup",
        id_hint=" (a UUID, like 5f0c7a1e-0000-4000-8000-000000000001)",
        # CloudFront answers a missing key group with its generic code.
        not_found_codes=("NoSuchResource",),
        lister=Lister("cfshell.aws.keys:iter_key_groups", label_fields=("KeyGroupConfig.Name",)),
        list_command="key-group list",
        operations=("KeyGroup",),
        delete_takes_etag=True,
        placeholder_id="00000000-0000-0000-0000-000000000000",
    ),
    Kind(
        "invalidation",
        "invalidation",
        CLOUDFRONT_ID,
        ref_prefix="invalidation",
        not_found_codes=("NoSuchInvalidation",),
        list_command="distribution get",
        operations=("Invalidation",),
        id_hint=_CLOUDFRONT_HINT,
        selectable=False,  # an invalidation belongs to a distribution: named with it
    ),
    Kind(
        "bucket",
        "bucket",
        BUCKET_NAME,
        not_found_codes=("NoSuchBucket",),
        lister=Lister("cfshell.aws.buckets:iter_buckets", client="s3", id_field="Name"),
        list_command="sim bucket list",
        validator="cfshell.names:bucket_name",
        placeholder_id="placeholder-bucket",
    ),
    Kind(
        "cert",
        "certificate",
        CERT_ARN,
        ref_prefix="cert",
        not_found_codes=("ResourceNotFoundException",),
        list_command="cert list",
        operations=("Certificate",),
        id_hint=" (an ACM certificate ARN: arn:aws:acm:us-east-1:ACCOUNT:certificate/ID)",
        placeholder_id="arn:aws:acm:us-east-1:000000000000:certificate/00000000-ref",
        lister=Lister(
            "cfshell.aws.certs:iter_summaries",
            client="acm",
            id_field="CertificateArn",
            label_fields=("DomainName", "Status"),
        ),
    ),
    Kind(
        "zone",
        "hosted zone",
        ROUTE53_ZONE_ID,
        ref_prefix="zone",
        not_found_codes=("NoSuchHostedZone",),
        lister=Lister(
            "cfshell.aws.dns:iter_zone_summaries", client="route53", label_fields=("Name",)
        ),
        list_command="dns zones",
        operations=("HostedZone",),
        id_hint=" (uppercase letters and digits, like Z0123456789ABCDEFGHIJ)",
        placeholder_id="Z00000000000REF",
    ),
):
    register(_kind)
del _kind
