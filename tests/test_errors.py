"""cfshell.errors: every error code the simulator returns for these operations becomes one
sentence with a next step; botocore's own failures too."""

from __future__ import annotations

import pytest
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ProfileNotFound,
)

from cfshell.errors import (
    RTMP_RETIRED,
    AwsError,
    CfShellError,
    from_client_error,
    refusal,
    refused_cname,
    translate,
)


def client_error(code: str, operation: str, message: str = "", status: int = 400) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        operation,
    )


CODES = [
    ("NoSuchStreamingDistribution", "GetStreamingDistribution", "streaming list"),
    ("NoSuchDistribution", "GetDistribution", "distribution list"),
    ("NoSuchCloudFrontOriginAccessIdentity", "GetCloudFrontOriginAccessIdentity", "oai list"),
    ("PreconditionFailed", "UpdateStreamingDistribution", "without an ETag"),
    ("InvalidIfMatchVersion", "DeleteStreamingDistribution", "leave it out"),
    ("StreamingDistributionNotDisabled", "DeleteStreamingDistribution", "--force"),
    ("DistributionNotDisabled", "DeleteDistribution", "distribution delete --force"),
    ("CloudFrontOriginAccessIdentityInUse", "DeleteCloudFrontOriginAccessIdentity", "--no-oai"),
    ("CNAMEAlreadyExists", "CreateStreamingDistribution", "another distribution"),
    ("InconsistentQuantities", "UpdateStreamingDistribution", "cfshell bug"),
    ("InvalidOriginAccessIdentity", "UpdateStreamingDistribution", "oai list"),
    ("TooManyStreamingDistributionCNAMEs", "UpdateStreamingDistribution", "at most 10"),
    ("AccessDenied", "ListStreamingDistributions", "lack permission"),
    ("Throttling", "GetStreamingDistribution", "throttled"),
    ("SlowDown", "PutObjectAcl", "slow down"),
    ("AccessControlListNotSupported", "PutObjectAcl", "bucket policy"),
    ("NoSuchBucket", "ListObjectsV2", "does not exist"),
    ("InvalidArgument", "UpdateStreamingDistribution", "refused an argument"),
    ("TrustedSignerDoesNotExist", "UpdateStreamingDistribution", "self"),
    ("IllegalUpdate", "UpdateDistribution", "does not allow"),
    ("MalformedPolicy", "PutBucketPolicy", "malformed"),
    ("InvalidClientTokenId", "ListStreamingDistributions", "--profile"),
    ("ExpiredToken", "ListStreamingDistributions", "log in again"),
]


@pytest.mark.parametrize(("code", "operation", "hint"), CODES)
def test_each_code_is_one_sentence_with_a_next_step(code, operation, hint):
    error = from_client_error(client_error(code, operation, "some detail"), simulated="true")
    assert isinstance(error, AwsError) and error.code == code
    text = str(error)
    assert hint in text and "\n" not in text and "  " not in text


def test_the_sentence_names_the_resource_when_known():
    error = from_client_error(
        client_error("NoSuchStreamingDistribution", "GetStreamingDistribution"), id="E123ABCDEF"
    )
    assert str(error).startswith("no streaming distribution E123ABCDEF:")
    error = from_client_error(client_error("NoSuchBucket", "PutObject"), bucket="my-bucket")
    assert "bucket my-bucket does not exist" in str(error)


def test_no_such_resource_names_the_kind_from_context_or_operation():
    missing = client_error("NoSuchResource", "ListDistributionsByKeyGroup", status=404)
    error = from_client_error(missing, id="K1", kind="key-group")
    assert str(error) == "no key group K1: check the ID with `key-group list`"
    error = from_client_error(client_error("NoSuchResource", "GetKeyGroup", status=404), id="K1")
    assert str(error) == "no key group K1: check the ID with `key-group list`"
    error = from_client_error(client_error("NoSuchResource", "GetWidget", status=404), id="W1")
    assert str(error) == "no such resource W1: check the ID with the matching `list` command"


def test_precondition_names_what_changed():
    error = from_client_error(
        client_error("PreconditionFailed", "UpdateCloudFrontOriginAccessIdentity")
    )
    assert str(error).startswith("the origin access identity changed")


def test_real_aws_refusing_rtmp_points_to_web_distributions():
    refused = client_error("AccessDenied", "CreateStreamingDistribution", "Access denied.")
    error = from_client_error(refused)
    assert str(error) == f"{RTMP_RETIRED} (AWS answered AccessDenied: Access denied)"
    assert "2020-12-31" in str(error) and "distribution create" in str(error)
    # In the simulator the same code means what it says.
    error = from_client_error(
        client_error("AccessDenied", "CreateStreamingDistribution"), simulated="true"
    )
    assert "lack permission" in str(error)
    # An input error is still that input error against AWS.
    error = from_client_error(client_error("CNAMEAlreadyExists", "CreateStreamingDistribution"))
    assert "another distribution" in str(error)


def test_unknown_code_keeps_code_and_message():
    error = from_client_error(client_error("Weird", "GetThing", "it broke."))
    assert str(error) == "GetThing failed: Weird: it broke"


@pytest.mark.parametrize(
    ("exc", "hint"),
    [
        (NoCredentialsError(), "--simulate"),
        (NoRegionError(), "--region"),
        (ProfileNotFound(profile="nope"), "profile 'nope' not found"),
        (
            EndpointConnectionError(endpoint_url="http://127.0.0.1:9"),
            "cannot reach http://127.0.0.1:9",
        ),
    ],
)
def test_botocore_failures_are_sentences(exc, hint):
    error = translate(exc)
    assert isinstance(error, CfShellError) and hint in str(error)


def test_other_exceptions_are_not_translated():
    assert translate(ValueError("bug")) is None


def test_in_use_names_the_resources_using_it_and_how_to_detach_each():
    in_use = client_error(
        "CloudFrontOriginAccessIdentityInUse", "DeleteCloudFrontOriginAccessIdentity"
    )
    text = str(
        from_client_error(
            in_use, id="E1OAI", related=[("streaming", "E2S"), ("distribution", "E3D")]
        )
    )
    assert text.startswith(
        "origin access identity E1OAI is still used by "
        "streaming distribution E2S and distribution E3D:"
    )
    assert "`streaming modify E2S --no-oai`" in text and "`distribution modify E3D --oac`" in text
    # Known before asking: the same sentence, without a call to AWS.
    assert (
        str(
            refusal(
                "CloudFrontOriginAccessIdentityInUse",
                id="E1OAI",
                related=[("streaming", "E2S"), ("distribution", "E3D")],
            )
        )
        == text
    )
    text = str(
        refusal(
            "OriginAccessControlInUse", id="E1OAC", kind="oac", related=[("distribution", "E3D")]
        )
    )
    assert "origin access control E1OAC is still used by distribution E3D" in text
    assert "`distribution modify E3D --oac OTHER_ID`" in text


def test_not_disabled_says_why_by_state():
    refused = client_error("StreamingDistributionNotDisabled", "DeleteStreamingDistribution")
    deploying = str(from_client_error(refused, id="E1", state="deploying"))
    assert "streaming distribution E1 is disabled" in deploying and "still deploying" in deploying
    assert "`streaming wait E1`" in deploying and "`streaming delete E1 --force`" in deploying
    assert "--disable`" not in deploying
    enabled = str(refusal("DistributionNotDisabled", id="E2", state="enabled"))
    assert (
        "distribution E2 is enabled" in enabled and "`distribution modify E2 --disable`" in enabled
    )


def test_cname_already_exists_names_the_cname_and_its_holder():
    taken = client_error(
        "CNAMEAlreadyExists", "CreateStreamingDistribution", "One or more CNAMEs..."
    )
    text = str(from_client_error(taken, cname="cf.example.com", holder=("distribution", "E9")))
    assert "CNAME cf.example.com is already used by distribution E9 in this account" in text
    assert "`distribution modify E9 --remove-cname cf.example.com`" in text
    text = str(from_client_error(taken, cnames=["a.example.com", "b.example.com"], holder=None))
    assert "one of a.example.com and b.example.com" in text and "another account" in text
    named = client_error(
        "CNAMEAlreadyExists", "UpdateDistribution", "The CNAME x.example.com is already associated"
    )
    assert refused_cname(named) == "x.example.com" and refused_cname(taken) == ""


def test_etag_refusals_name_the_resource_when_known():
    stale = client_error("InvalidIfMatchVersion", "DeleteStreamingDistribution")
    assert "current one for the streaming distribution E1AB: leave it out" in str(
        from_client_error(stale, id="E1AB")
    )
    changed = client_error("PreconditionFailed", "UpdateDistribution")
    assert str(from_client_error(changed, id="E2CD")).startswith("the distribution E2CD changed")
