"""One exception class per CloudFront error code the simulator returns, in moto's idiom.

The HTTP status of each comes from botocore's error shapes when moto serializes it.
Helpers editing this file concurrently: append, and re-read before editing.
"""

from moto.cloudfront.exceptions import CloudFrontException


class InvalidIfMatchVersion(CloudFrontException):
    code = "InvalidIfMatchVersion"
    message = "The If-Match version is missing or not valid for the resource."


class PreconditionFailed(CloudFrontException):
    code = "PreconditionFailed"
    message = "The precondition given in one or more of the request header fields evaluated to false."
