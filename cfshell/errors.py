"""Every error cfshell reports, and the one place botocore errors become sentences.

Stdlib only: botocore exceptions are recognised by class name and their `response` dict, so
this module (and everything that only needs to raise) imports nothing heavy.

A `CfShellError` is what a command raises when it cannot do what was asked; its message is one
sentence saying what went wrong and what to do next, and `exit_status` is what a script run ends
with when it is the first failure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any


class CfShellError(Exception):
    """A failure to report in one line; `exit_status` is the process status it maps to."""

    exit_status = 1


class UsageError(CfShellError):
    """The command line itself is wrong (bad ID, conflicting flags, bad value)."""

    exit_status = 2


class NothingSelected(UsageError):
    """An `[ID]` was left out and nothing of that kind is selected."""


class NotConfirmed(CfShellError):
    """A destructive command was declined, or needs `--yes` outside a terminal."""


class Interrupted(CfShellError):
    """Ctrl-C ended a long command; the message says where it stopped."""

    exit_status = 130


class AwsError(CfShellError):
    """AWS (or the simulator) refused a call; `code` is its error code."""

    def __init__(self, message: str, *, code: str = "", operation: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.operation = operation


class Shown(CfShellError):
    """A failure the command has already shown in its own output (`sim get`'s `403 ...` line):
    recorded with its exit status like any other, but not printed a second time."""


class StepsFailed(CfShellError):
    """A multi-step command failed part way: the message lists what it already changed."""

    def __init__(self, message: str, *, done: list[str], cause: BaseException) -> None:
        super().__init__(message)
        self.done = done
        self.cause = cause


# --- botocore error codes -> one sentence with the next step ------------------------------

RTMP_RETIRED = (
    "AWS retired RTMP streaming distributions on 2020-12-31 and no longer creates them: "
    "serve the bucket through a web distribution instead (`distribution create BUCKET --private`)"
)

# Codes a CreateStreamingDistribution call can fail with for reasons of its own input;
# any other refusal from real AWS means the RTMP API itself is gone.
_STREAMING_INPUT_CODES = {
    "CNAMEAlreadyExists",
    "InconsistentQuantities",
    "InvalidOriginAccessIdentity",
    "TooManyStreamingDistributionCNAMEs",
    "TooManyTrustedSigners",
    "TrustedSignerDoesNotExist",
    "StreamingDistributionAlreadyExists",
    "TooManyStreamingDistributions",
    "MissingBody",
    "InvalidOrigin",
    "Throttling",
    "ThrottlingException",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
}

_MESSAGES: dict[str, str] = {
    "NoSuchInvalidation": "no such invalidation: check it with `distribution get`",
    "PreconditionFailed": (
        "{what}{id} changed since its ETag was read: run the command again without an ETag "
        "and cfshell fetches the current one"
    ),
    "InvalidIfMatchVersion": (
        "the ETag given is not the current one for {what}{id}: leave it out and cfshell "
        "fetches the current one"
    ),
    "StreamingDistributionNotDisabled": (
        "streaming distribution{id} must be disabled and Deployed before it can be deleted: "
        "run `streaming modify --disable` and `streaming wait` first, or `streaming delete --force`"
    ),
    "DistributionNotDisabled": (
        "distribution{id} must be disabled and Deployed before it can be deleted: "
        "run `distribution modify --disable` and `distribution wait` first, "
        "or `distribution delete --force`"
    ),
    "CloudFrontOriginAccessIdentityInUse": (
        "origin access identity{id} is still used by a distribution: detach it first "
        "(`streaming modify ID --no-oai`), then delete it"
    ),
    "OriginAccessControlInUse": (
        "origin access control{id} is still used by a distribution: detach it first, then delete it"
    ),
    # The modern path (distribution, oac, key, key-group).
    "OriginAccessControlAlreadyExists": (
        "an origin access control with this name exists already: choose another name, or use it "
        "(`oac list`)"
    ),
    "IllegalOriginAccessConfiguration": (
        "an S3 origin takes an origin access control or an origin access identity, not both: "
        "give only one of --oac and --oai"
    ),
    "InvalidOriginAccessControl": (
        "the origin access control does not exist or does not fit this origin: check it with "
        "`oac list`"
    ),
    "PublicKeyAlreadyExists": (
        "a public key with this name or caller reference exists already: choose another name "
        "(`key list`)"
    ),
    "KeyGroupAlreadyExists": "a key group with this name exists already: choose another name",
    "PublicKeyInUse": (
        "public key{id} is still in a key group: remove it first (`key-group remove --key ID`)"
    ),
    "ResourceInUse": (
        "{what}{id} is still in use (a distribution trusts the key group): stop trusting it "
        "first (`distribution modify --key-group ...` or `--no-key-groups`)"
    ),
    "TrustedKeyGroupDoesNotExist": (
        "a key group given does not exist: check the ID with `key-group list`"
    ),
    "TooManyPublicKeysInKeyGroup": "a key group holds at most 5 public keys: use another group",
    "TooManyKeyGroupsAssociatedToDistribution": (
        "a distribution trusts at most 4 key groups: remove one (`distribution modify --key-group`)"
    ),
    "TooManyInvalidationsInProgress": (
        "too many invalidations are in progress for this distribution: wait for some to "
        "complete, then try again"
    ),
    "CNAMEAlreadyExists": (
        "a CNAME given is already used by another distribution: remove it there first "
        "or choose another name"
    ),
    "InconsistentQuantities": (
        "AWS found the request's quantities inconsistent with its lists ({message}); "
        "this is a cfshell bug, please report it with `set debug true` output"
    ),
    "InvalidOriginAccessIdentity": (
        "the origin access identity is malformed or does not exist: check it with `oai list`"
    ),
    "TooManyStreamingDistributionCNAMEs": (
        "a streaming distribution takes at most 10 CNAMEs: remove some (`--remove-cname`)"
    ),
    "TooManyDistributionCNAMEs": (
        "a distribution has too many CNAMEs: remove some (`--remove-cname`)"
    ),
    "TooManyTrustedSigners": "too many trusted signers: a distribution takes at most 5 accounts",
    "TrustedSignerDoesNotExist": (
        "a trusted signer account has no CloudFront key pair: use `self` or an account that has one"
    ),
    "StreamingDistributionAlreadyExists": (
        "a streaming distribution with this caller reference exists already: run the command again"
    ),
    "DistributionAlreadyExists": (
        "a distribution with this caller reference exists already: run the command again"
    ),
    "CloudFrontOriginAccessIdentityAlreadyExists": (
        "an origin access identity with this caller reference exists already: run the command again"
    ),
    "TooManyStreamingDistributions": (
        "the account has reached its streaming distribution quota: delete unused ones first"
    ),
    "TooManyCloudFrontOriginAccessIdentities": (
        "the account has reached its origin access identity quota: delete unused ones first"
    ),
    "TooManyDistributions": (
        "the account has reached its distribution quota: delete unused ones first"
    ),
    "IllegalUpdate": "AWS does not allow that change on an existing resource ({message})",
    "InvalidOrigin": "the origin is not a valid S3 bucket domain name: give a bucket name",
    "InvalidArgument": "AWS refused an argument: {message}",
    "InvalidRequest": "AWS refused the request: {message}",
    "MalformedXML": (
        "AWS could not read the request ({message}); this is a cfshell bug, please report it"
    ),
    "MalformedPolicy": "the bucket policy is malformed: {message}",
    "MissingBody": "AWS got an empty request ({message}); this is a cfshell bug, please report it",
    "AccessDenied": (
        "access denied for {operation}: the credentials in use lack permission; check the "
        "IAM policy of the profile or role"
    ),
    "AccessDeniedException": (
        "access denied for {operation}: the credentials in use lack permission; check the "
        "IAM policy of the profile or role"
    ),
    "Throttling": (
        "AWS throttled the request: wait a moment and try again (or `set concurrency` lower)"
    ),
    "ThrottlingException": (
        "AWS throttled the request: wait a moment and try again (or `set concurrency` lower)"
    ),
    "SlowDown": "S3 asked to slow down: wait a moment and try again (or `set concurrency` lower)",
    "RequestLimitExceeded": "AWS throttled the request: wait a moment and try again",
    "AccessControlListNotSupported": (
        "the bucket has ACLs disabled (Object Ownership: bucket owner enforced): grant through "
        "the bucket policy instead (`oai grant` without `--acl`)"
    ),
    "NoSuchBucket": (
        "bucket{bucket} does not exist: check the name (`sim bucket list` in the simulator)"
    ),
    "NoSuchKey": "no such object in bucket{bucket}: check the key",
    "NoSuchBucketPolicy": "bucket{bucket} has no policy yet",
    "InvalidBucketName": (
        "the bucket name{bucket} is not valid: use 3-63 lowercase letters, digits, dots, hyphens"
    ),
    "BucketAlreadyExists": (
        "bucket{bucket} exists already (bucket names are global): choose another"
    ),
    "BucketAlreadyOwnedByYou": "bucket{bucket} exists already and is yours",
    "InvalidClientTokenId": (
        "AWS does not recognise the access key: check the profile (`--profile`) or "
        "environment credentials"
    ),
    "UnrecognizedClientException": (
        "AWS does not recognise the access key: check the profile or environment credentials"
    ),
    "SignatureDoesNotMatch": (
        "AWS rejected the request signature: the secret key does not match the access key; "
        "check the profile or environment credentials"
    ),
    "ExpiredToken": "the session credentials have expired: log in again (e.g. `aws sso login`)",
    "ExpiredTokenException": (
        "the session credentials have expired: log in again (e.g. `aws sso login`)"
    ),
    # Custom domains: CloudFront's certificate rules, ACM, Route 53.
    "InvalidViewerCertificate": (
        "CloudFront refused the certificate ({message}): a CNAME needs an ISSUED ACM "
        "certificate in us-east-1 that covers it; check it with `cert get`, or get one with "
        "`cert request NAME` and `cert wait`"
    ),
    "TooManyCertificates": (
        "the account has reached its certificate quota for CloudFront: reuse a certificate "
        "(`cert list`) or delete unused ones"
    ),
    "ResourceInUseException": (
        "{what}{id} is in use: `cert get` names the distributions using it; give them another "
        "certificate (`distribution modify ID --certificate ARN`) or remove their CNAMEs first"
    ),
    "RequestInProgressException": (
        "{what}{id} is not issued yet: wait for it with `cert wait`, then try again"
    ),
    "InvalidDomainValidationOptionsException": (
        "ACM refused the domain validation options ({message}): check the names with `cert get`"
    ),
    "LimitExceededException": (
        "an ACM quota is reached ({message}): delete certificates you no longer use (`cert list`)"
    ),
    "ValidationException": "the request was refused as invalid: {message}",
    "InvalidChangeBatch": (
        "Route 53 refused the record change ({message}): check that the name belongs to the "
        "hosted zone (`dns zones`) and try again"
    ),
    "InvalidInput": "Route 53 refused the input: {message}",
    "InvalidDomainName": "not a domain name Route 53 accepts ({message}): check the spelling",
    "HostedZoneNotFound": (
        "no hosted zone holds this name: create one (`sim zone create NAME` in the simulator, "
        "Route 53 on AWS) or give --zone ZONE_ID (`dns zones`)"
    ),
    "HostedZoneAlreadyExists": (
        "a hosted zone with this caller reference exists already: run the command again"
    ),
    "ConflictingDomainExists": (
        "a hosted zone for this name exists already in the delegation set: use it (`dns zones`)"
    ),
    "HostedZoneNotEmpty": (
        "the hosted zone still holds records: remove them first (`dns remove NAME`)"
    ),
}

# A resource of a kind of the registry (cfshell.kinds) is missing: its noun and list command.
_NOT_FOUND = "no {noun}{id}: check the ID with {list}"

# botocore exceptions that are not ClientErrors, by class name.
_BOTOCORE_MESSAGES: dict[str, str] = {
    "NoCredentialsError": (
        "no AWS credentials found: set a profile (`--profile NAME`), environment credentials "
        "or SSO, or rehearse offline with `--simulate`"
    ),
    "PartialCredentialsError": "the AWS credentials are incomplete: {detail}",
    "ProfileNotFound": "{detail}: check `--profile` against ~/.aws/config",
    "NoRegionError": "no AWS region configured: give `--region NAME`",
    "EndpointConnectionError": (
        "cannot reach {detail}: check the network, or that the simulator at `--endpoint-url` "
        "is running"
    ),
    "ConnectTimeoutError": (
        "connecting to AWS timed out ({detail}): check the network and try again"
    ),
    "ReadTimeoutError": "AWS did not answer in time ({detail}): try again",
    "ConnectionClosedError": "the connection closed early ({detail}): try again",
    "SSOTokenLoadError": "the SSO session has expired or is missing: run `aws sso login`",
    "UnauthorizedSSOTokenError": "the SSO session has expired: run `aws sso login`",
    "TokenRetrievalError": "the SSO token could not be refreshed: run `aws sso login`",
    "ParamValidationError": "a request parameter is not valid ({detail}); this is a cfshell bug",
}


def _class_names(exc: BaseException) -> list[str]:
    return [cls.__name__ for cls in type(exc).__mro__]


def is_client_error(exc: BaseException) -> bool:
    return "ClientError" in _class_names(exc) and isinstance(getattr(exc, "response", None), dict)


def is_botocore_error(exc: BaseException) -> bool:
    """True for botocore's own failures (credentials, network...), not for ClientError."""
    return "BotoCoreError" in _class_names(exc)


def from_client_error(error: Any, **context: Any) -> AwsError:
    """Turn a botocore ClientError into an AwsError whose message says what to do next.

    `context` may name the resource (`id=`, `bucket=`, and its kind as the context names it,
    `kind=`: "key-group"...) for the sentence; `simulated=True`
    (as a string or bool) says the call went to the simulator, where the RTMP API still exists.
    What the command looked up names the other resource involved (see `_involved`):
    `related=[(kind, id), ...]` the resources using this one (the `...InUse` codes);
    `holder=(kind, id)` the distribution of this account holding `cname=` (None: no
    distribution of this account has any of `cnames=`, so another account's does);
    `state="enabled"|"deploying"` why a distribution is not deletable yet (`selected=True`:
    it is the selected one, so the commands suggested leave its ID out).
    """
    response = getattr(error, "response", {}) or {}
    err = response.get("Error", {}) or {}
    code = str(err.get("Code", "") or "")
    message = str(err.get("Message", "") or "").strip().rstrip(".")
    operation = str(getattr(error, "operation_name", "") or "")
    simulated = str(context.pop("simulated", "")).lower() in ("1", "true", "yes")

    if operation == "CreateStreamingDistribution" and not simulated:
        if code not in _STREAMING_INPUT_CODES:
            # Keep what AWS said: the refusal may also be a plain permission problem.
            said = f"{code}: {message}" if message else code
            return AwsError(f"{RTMP_RETIRED} (AWS answered {said})", code=code, operation=operation)

    from . import kinds  # the registry: what the resource is, and which command lists it

    # A caller's `kind=` wins over the operation's name (as in `ListDistributionsByKeyGroup`).
    entry = kinds.get(context.get("kind") or "") or kinds.of_operation(operation)
    missing = kinds.of_not_found(code)  # NoSuchDistribution names its kind, whatever the call
    if missing is not None and (entry is None or code not in entry.not_found_codes):
        entry = missing
    noun = entry.noun if entry else "such resource"
    list_command = entry.list_command if entry else ""
    fields = {
        "id": f" {context['id']}" if context.get("id") else "",
        "bucket": f" {context['bucket']}" if context.get("bucket") else "",
        "what": f"the {noun}" if entry else "the resource",
        "noun": noun,
        "list": f"`{list_command}`" if list_command else "the matching `list` command",
        "message": message or code,
        "operation": operation or "this call",
    }
    involved = _involved(code, context, noun, fields["id"])
    if involved is not None:
        return AwsError(" ".join(involved.split()), code=code, operation=operation)
    template = _MESSAGES.get(code)
    if template is None and (code in kinds.SHARED_NOT_FOUND or missing is not None):
        template = _NOT_FOUND
    if template is None:
        if code.startswith("NoSuch"):
            template = "not found ({message}): check the ID with the matching `list` command"
        else:
            status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", "")
            text = f"{operation or 'the call'} failed: {code or status}"
            return AwsError(
                f"{text}: {message}" if message else text, code=code, operation=operation
            )
    sentence = " ".join(template.format(**fields).split())
    return AwsError(sentence, code=code, operation=operation)


def translate(exc: BaseException, **context: Any) -> CfShellError | None:
    """The CfShellError to report for `exc`, or None when it is not an error cfshell knows."""
    if isinstance(exc, CfShellError):
        return exc
    if is_client_error(exc):
        return from_client_error(exc, **context)
    names = _class_names(exc)
    for name in names:
        template = _BOTOCORE_MESSAGES.get(name)
        if template is not None:
            return CfShellError(template.format(detail=_botocore_detail(exc)))
    if "WaiterError" in names:
        return CfShellError(f"waiting failed: {exc}")
    if "BotoCoreError" in names:
        return CfShellError(f"AWS call failed: {exc}")
    return None


def _botocore_detail(exc: BaseException) -> str:
    kwargs = getattr(exc, "kwargs", {}) or {}
    if "endpoint_url" in kwargs:
        return str(kwargs["endpoint_url"])
    if "profile" in kwargs:
        return f"profile {kwargs['profile']!r} not found"
    return str(exc)


# --- sentences naming the other resource involved ------------------------------------------

# How to make a resource of each kind stop using one of the code's kind: `{rid}` is the user.
_DETACH: dict[str, tuple[str, dict[str, str]]] = {
    "CloudFrontOriginAccessIdentityInUse": (
        "detach it first",
        {
            "streaming": "`streaming modify {rid} --no-oai`",
            "distribution": "`distribution modify {rid} --oac` moves it to an OAC",
        },
    ),
    "OriginAccessControlInUse": (
        "give {them} another origin access first",
        {"distribution": "`distribution modify {rid} --oac OTHER_ID` or `--oai ID`"},
    ),
    "ResourceInUse": (
        "stop trusting it first",
        {"distribution": "`distribution modify {rid} --no-key-groups` or `--key-group OTHER_ID`"},
    ),
    "PublicKeyInUse": ("take it out first", {"key-group": "`key-group remove {rid} --key {id}`"}),
}
_NOT_DISABLED = {
    "StreamingDistributionNotDisabled": "streaming",
    "DistributionNotDisabled": "distribution",
}
# The kind a refusal's code speaks of (a call's operation tells it, a refusal has none).
_CODE_KINDS = {
    "CloudFrontOriginAccessIdentityInUse": "oai",
    "OriginAccessControlInUse": "oac",
    "PublicKeyInUse": "key",
    **_NOT_DISABLED,
}
_NAMED_CNAME = re.compile(r"CNAME (\S+) is already", re.IGNORECASE)


def _noun(kind: str) -> str:
    from . import kinds

    return kinds.noun(kind)


def _name(kind: str, resource_id: str) -> str:
    return f"{_noun(kind)} {resource_id}"


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _involved(code: str, context: dict[str, Any], noun: str, rid: str) -> str | None:
    """The sentence naming the other resource involved, when the command found it (else None:
    the code's plain sentence)."""
    related = [tuple(r) for r in context.get("related") or ()]
    if related and (code in _DETACH or code.endswith(("InUse", "InUseException"))):
        users = _and([_name(k, i) for k, i in related])
        verb = "is still in" if code == "PublicKeyInUse" else "is still used by"
        advice, steps = _DETACH.get(code, ("change or delete {them} first", {}))
        them = "them" if len(related) > 1 else "it"
        if code == "OriginAccessControlInUse":
            them = "those distributions" if len(related) > 1 else "that distribution"
        advice = advice.format(them=them)
        how = [steps[k].format(rid=i, id=rid.strip()) for k, i in related if k in steps]
        return (
            f"{noun}{rid} {verb} {users}: {advice}"
            + (f" ({'; '.join(how)})" if how else "")
            + ", then delete it"
        )
    if code in _NOT_DISABLED and context.get("state"):
        command = _NOT_DISABLED[code]
        what = f"{_noun(command)}{rid}"
        # The selected one needs no ID in the commands suggested (`[ID]` defaults to it).
        rid = "" if str(context.get("selected", "")).lower() in ("1", "true") else rid
        if context["state"] == "deploying":
            return (
                f"{what} is disabled, but that change is still deploying (InProgress): run "
                f"`{command} wait{rid}` and delete it again, or `{command} delete{rid} --force` "
                "(it waits, then deletes)"
            )
        return (
            f"{what} is enabled, and must be disabled and Deployed before it can be deleted: run "
            f"`{command} modify{rid} --disable` and `{command} wait{rid}` first, or "
            f"`{command} delete{rid} --force` (it disables, waits, then deletes)"
        )
    if code == "CNAMEAlreadyExists" and "holder" in context:
        cname = context.get("cname") or ""
        holder = context["holder"]
        if holder:
            kind, holder_id = holder
            return (
                f"CNAME {cname} is already used by {_name(kind, holder_id)} in this account: "
                f"remove it there first (`{kind} modify {holder_id} --remove-cname {cname}`) "
                "or choose another name"
            )
        given = [cname] if cname else list(context.get("cnames") or ())
        which = f"CNAME {given[0]} is" if len(given) == 1 else f"one of {_and(given)} is"
        return (
            f"{which} already used by a distribution in another account (none of this "
            "account's distributions has it): choose another name, or ask the owner of that "
            "account to remove it from their distribution"
        )
    return None


def refused_cname(exc: BaseException) -> str:
    """The CNAME a CNAMEAlreadyExists names in its message ("" when it names none, as AWS's
    own message does not)."""
    message = str((getattr(exc, "response", {}) or {}).get("Error", {}).get("Message", ""))
    found = _NAMED_CNAME.search(message)
    return found.group(1) if found else ""


def refusal(code: str, **context: Any) -> AwsError:
    """The error AWS would answer with `code`, for a refusal the command knows before asking
    (a precondition: enabled, still deploying, in use): the same sentence, from the same place."""
    context.setdefault("kind", _CODE_KINDS.get(code, ""))
    stand_in = SimpleNamespace(response={"Error": {"Code": code}}, operation_name="")
    return from_client_error(stand_in, **context)


def missing_bucket(bucket: str) -> UsageError:
    """A bucket named as an origin, or to grant on, does not exist."""
    return UsageError(
        f"bucket {bucket} does not exist: check the name, or create it first "
        f"(`sim bucket create {bucket}` in the simulator)"
    )
