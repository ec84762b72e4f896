"""The ways to run the simulator in a Python process: `simulate()` and `serve_in_thread()`."""

from __future__ import annotations

import unittest
import urllib.error
import urllib.request

import boto3

from simulator import simulate
from simulator.launcher import serve_in_thread

CREDENTIALS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
}


def _s3(endpoint_url=None):
    return boto3.session.Session().client("s3", endpoint_url=endpoint_url, **CREDENTIALS)


def _bucket_names(s3) -> list[str]:
    return [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_context_manager_gives_fresh_state_each_time():
    with simulate():
        s3 = _s3()
        s3.create_bucket(Bucket="video-bucket")
        assert _bucket_names(s3) == ["video-bucket"]
    with simulate():
        assert _bucket_names(_s3()) == []


def test_context_manager_keeps_requests_in_the_process():
    with simulate():
        s3 = _s3()
        s3.create_bucket(Bucket="video-bucket")
        # An endpoint that does not exist would fail if anything left the process.
        assert s3.meta.endpoint_url == "https://s3.amazonaws.com"
        assert _bucket_names(s3) == ["video-bucket"]


def test_decorator_without_arguments():
    @simulate
    def make_bucket(name):
        s3 = _s3()
        s3.create_bucket(Bucket=name)
        return _bucket_names(s3)

    assert make_bucket("first-bucket") == ["first-bucket"]
    assert make_bucket("second-bucket") == ["second-bucket"]  # fresh state per call
    assert make_bucket.__name__ == "make_bucket"


def test_decorator_with_arguments():
    @simulate(fault_rate=1.0)
    def list_buckets():
        from botocore.config import Config

        s3 = boto3.session.Session().client(
            "s3", config=Config(retries={"total_max_attempts": 1}), **CREDENTIALS
        )
        try:
            s3.list_buckets()
        except s3.exceptions.ClientError as err:
            return err.response["Error"]["Code"]
        return "ok"

    assert list_buckets() == "SlowDown"
    assert list_buckets.__name__ == "list_buckets"


def test_decorator_on_a_test_function_with_fixtures(tmp_path):
    @simulate(deploy_seconds=0)
    def uses_a_path(path):
        _s3().create_bucket(Bucket="video-bucket")
        return path

    assert uses_a_path(tmp_path) == tmp_path


def _run_test_case(case: type) -> unittest.TestResult:
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
    return result


def test_decorator_on_a_test_case_class_like_mock_aws():
    # Each test runs in the simulator, its setUp included, with fresh state; nothing lost.
    @simulate
    class Buckets(unittest.TestCase):
        def setUp(self):
            _s3().create_bucket(Bucket="from-setup")

        def test_one(self):
            _s3().create_bucket(Bucket="one")
            self.assertEqual(_bucket_names(_s3()), ["from-setup", "one"])

        def test_two(self):
            self.assertEqual(_bucket_names(_s3()), ["from-setup"])

    result = _run_test_case(Buckets)
    assert (result.testsRun, result.errors, result.failures) == (2, [], [])


def test_decorator_with_arguments_on_a_test_case_class():
    @simulate(fault_rate=1.0)
    class Throttled(unittest.TestCase):
        def test_throttled(self):
            from botocore.config import Config

            s3 = boto3.session.Session().client(
                "s3", config=Config(retries={"total_max_attempts": 1}), **CREDENTIALS
            )
            with self.assertRaises(s3.exceptions.ClientError) as caught:
                s3.list_buckets()
            self.assertEqual(caught.exception.response["Error"]["Code"], "SlowDown")

    result = _run_test_case(Throttled)
    assert (result.testsRun, result.errors, result.failures) == (1, [], [])


def test_served_in_thread_answers_boto3_and_resets():
    served = serve_in_thread("127.0.0.1", 0)
    try:
        assert served.url.startswith("http://127.0.0.1:")
        s3 = _s3(served.url)
        s3.create_bucket(Bucket="video-bucket")
        assert _bucket_names(s3) == ["video-bucket"]
        served.reset()
        assert _bucket_names(s3) == []
    finally:
        served.stop()


def _web_config(bucket: str) -> dict:
    return {
        "CallerReference": "viewer-test",
        "Comment": "",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "origin",
                    "DomainName": f"{bucket}.s3.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "origin",
            "ViewerProtocolPolicy": "allow-all",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
    }


def _viewer_get(url: str, host: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_served_viewer_requests_go_to_the_edge():
    """A Host of `*.cloudfront.net` is a viewer request for CloudFront's edge, not an API call."""
    served = serve_in_thread("127.0.0.1", 0)
    try:
        s3 = _s3(served.url)
        # A public-read object: a bucket that takes ACLs, without Block Public Access, as on S3.
        s3.create_bucket(Bucket="video-bucket", ObjectOwnership="ObjectWriter")
        s3.delete_public_access_block(Bucket="video-bucket")
        s3.put_object(Bucket="video-bucket", Key="intro.mp4", Body=b"frames", ACL="public-read")
        cf = boto3.session.Session().client("cloudfront", endpoint_url=served.url, **CREDENTIALS)
        domain = cf.create_distribution(DistributionConfig=_web_config("video-bucket"))[
            "Distribution"
        ]["DomainName"]
        assert _viewer_get(f"{served.url}/intro.mp4", domain) == (200, b"frames")
        # A domain name no distribution has: CloudFront's refusal, not an S3 answer.
        status, body = _viewer_get(f"{served.url}/video-bucket", "d111111abcdef8.cloudfront.net")
        assert status == 403
        assert b"ListBucketResult" not in body
        # The same path without that Host is an S3 API call.
        assert _viewer_get(f"{served.url}/video-bucket/intro.mp4", "127.0.0.1")[0] == 200
    finally:
        served.stop()
