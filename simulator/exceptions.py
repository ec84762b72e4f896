"""One exception class per CloudFront error code the simulator returns, in moto's idiom.

The HTTP status of each comes from botocore's error shapes when moto serializes it.
Helpers editing this file concurrently: append, and re-read before editing.
"""

from moto.cloudfront.exceptions import CloudFrontException
from moto.s3.exceptions import S3ClientError


class InvalidIfMatchVersion(CloudFrontException):
    code = "InvalidIfMatchVersion"
    message = "The If-Match version is missing or not valid for the resource."


class PreconditionFailed(CloudFrontException):
    code = "PreconditionFailed"
    message = (
        "The precondition given in one or more of the request header fields evaluated to false."
    )


# --- Origin access identities and streaming distributions (simulator.models) ---


class InvalidArgument(CloudFrontException):
    code = "InvalidArgument"
    message = "The argument is invalid."


class MissingBody(CloudFrontException):
    code = "MissingBody"
    message = (
        "This operation requires a body. Ensure that the body is present and the Content-Type "
        "header is set."
    )


class IllegalUpdate(CloudFrontException):
    code = "IllegalUpdate"
    message = "The update contains modifications that are not allowed."


class InconsistentQuantities(CloudFrontException):
    code = "InconsistentQuantities"
    message = "The value of Quantity and the size of Items don't match."


class CNAMEAlreadyExists(CloudFrontException):
    code = "CNAMEAlreadyExists"
    message = (
        "One or more of the CNAMEs you provided are already associated with a different resource."
    )


class InvalidOriginAccessIdentity(CloudFrontException):
    code = "InvalidOriginAccessIdentity"
    message = "The origin access identity is not valid or doesn't exist."


class TrustedSignerDoesNotExist(CloudFrontException):
    code = "TrustedSignerDoesNotExist"
    message = "One or more of your trusted signers don't exist."


class TooManyTrustedSigners(CloudFrontException):
    code = "TooManyTrustedSigners"
    message = "Your request contains more trusted signers than are allowed per distribution."


class NoSuchCloudFrontOriginAccessIdentity(CloudFrontException):
    code = "NoSuchCloudFrontOriginAccessIdentity"
    message = "The specified origin access identity does not exist."


class CloudFrontOriginAccessIdentityAlreadyExists(CloudFrontException):
    code = "CloudFrontOriginAccessIdentityAlreadyExists"
    message = (
        "If the CallerReference is a value you already sent in a previous request to create an "
        "identity but the content of the CloudFrontOriginAccessIdentityConfig is different from "
        "the original request, CloudFront returns a CloudFrontOriginAccessIdentityAlreadyExists "
        "error."
    )


class CloudFrontOriginAccessIdentityInUse(CloudFrontException):
    code = "CloudFrontOriginAccessIdentityInUse"
    message = "The Origin Access Identity specified is already in use."


class NoSuchStreamingDistribution(CloudFrontException):
    code = "NoSuchStreamingDistribution"
    message = "The specified streaming distribution does not exist."


class StreamingDistributionAlreadyExists(CloudFrontException):
    code = "StreamingDistributionAlreadyExists"
    message = (
        "The caller reference you attempted to create the streaming distribution with is "
        "associated with another distribution"
    )


class StreamingDistributionNotDisabled(CloudFrontException):
    code = "StreamingDistributionNotDisabled"
    message = "The streaming distribution you are trying to delete has not been disabled."


class TooManyStreamingDistributionCNAMEs(CloudFrontException):
    code = "TooManyStreamingDistributionCNAMEs"
    message = "Your request contains more CNAMEs than are allowed per distribution."


# --- Web distributions corrected (simulator.web) and S3 corrections (simulator.s3) ---


class DistributionNotDisabled(CloudFrontException):
    code = "DistributionNotDisabled"
    message = "The distribution you are trying to delete has not been disabled."


class IllegalOriginAccessConfiguration(CloudFrontException):
    code = "IllegalOriginAccessConfiguration"
    message = (
        "An origin cannot contain both an origin access control (OAC) and an origin access "
        "identity (OAI)."
    )


class AccessControlListNotSupported(S3ClientError):
    """S3 (moto's S3 responses catch only S3ClientError); HTTP 400, moto's default for S3."""

    code = "AccessControlListNotSupported"
    message = "The bucket does not allow ACLs"


# --- Public keys and key groups (simulator.keys) ---


class NoSuchPublicKey(CloudFrontException):
    code = "NoSuchPublicKey"
    message = "The specified public key doesn't exist."


class NoSuchResource(CloudFrontException):
    # AWS's answer for a key group that does not exist.
    code = "NoSuchResource"
    message = "The specified key group does not exist."


class PublicKeyAlreadyExists(CloudFrontException):
    code = "PublicKeyAlreadyExists"
    message = "The specified public key already exists."


class KeyGroupAlreadyExists(CloudFrontException):
    code = "KeyGroupAlreadyExists"
    message = "A key group with this name already exists."


class PublicKeyInUse(CloudFrontException):
    code = "PublicKeyInUse"
    message = "The specified public key is in use."


class ResourceInUse(CloudFrontException):
    code = "ResourceInUse"
    message = "Cannot delete this resource because it is in use."


class CannotChangeImmutablePublicKeyFields(CloudFrontException):
    code = "CannotChangeImmutablePublicKeyFields"
    message = "You can't change the value of a public key."


class TooManyPublicKeys(CloudFrontException):
    code = "TooManyPublicKeys"
    message = "The maximum number of public keys for this account has been reached."


class TooManyKeyGroups(CloudFrontException):
    code = "TooManyKeyGroups"
    message = "The maximum number of key groups for this account has been reached."


class TooManyPublicKeysInKeyGroup(CloudFrontException):
    code = "TooManyPublicKeysInKeyGroup"
    message = "The number of public keys in this key group is more than the maximum allowed."


class TrustedKeyGroupDoesNotExist(CloudFrontException):
    code = "TrustedKeyGroupDoesNotExist"
    message = "The specified key group does not exist."


class TooManyKeyGroupsAssociatedToDistribution(CloudFrontException):
    code = "TooManyKeyGroupsAssociatedToDistribution"
    message = (
        "The number of key groups referenced by this distribution is more than the maximum allowed."
    )


# --- Origin access controls (simulator.oac) and invalidations (simulator.invalidations) ---


class OriginAccessControlAlreadyExists(CloudFrontException):
    code = "OriginAccessControlAlreadyExists"
    message = "An origin access control with the specified parameters already exists."


class OriginAccessControlInUse(CloudFrontException):
    code = "OriginAccessControlInUse"
    message = (
        "Cannot delete the origin access control because it's in use by one or more distributions."
    )


class TooManyInvalidationsInProgress(CloudFrontException):
    code = "TooManyInvalidationsInProgress"
    message = (
        "You have exceeded the maximum number of allowable InProgress invalidation batch "
        "requests, or invalidation objects."
    )


# --- Conformance (simulator.models, simulator.web) ---


class InvalidOrigin(CloudFrontException):
    code = "InvalidOrigin"
    message = "The Amazon S3 origin server specified does not refer to a valid Amazon S3 bucket."


# --- Custom domains (simulator.acm, simulator.web) ---


class InvalidViewerCertificate(CloudFrontException):
    code = "InvalidViewerCertificate"
    message = (
        "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, "
        "or doesn't include a valid certificate chain."
    )


# --- S3 defaults for new buckets (simulator.s3) ---


class InvalidBucketAclWithObjectOwnership(S3ClientError):
    """CreateBucket with an ACL granting others while ACLs are disabled (HTTP 400)."""

    code = "InvalidBucketAclWithObjectOwnership"
    message = "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"


class PublicPolicyBlocked(S3ClientError):
    """PutBucketPolicy with a public policy under BlockPublicPolicy: AccessDenied, which S3
    answers with HTTP 403 (simulator.s3 sets the status: botocore's S3 model has no shape)."""

    code = "AccessDenied"
    message = (
        'User: {user} is not authorized to perform: s3:PutBucketPolicy on resource: "{resource}" '
        "because public policies are blocked by the BlockPublicPolicy block public access setting."
    )
