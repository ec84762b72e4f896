"""Fixtures of the service-layer tests: an S3 client of a fresh in-process simulator."""

from __future__ import annotations

import boto3
import pytest

from simulator import simulate

BUCKET = "my-video-bucket"


@pytest.fixture
def s3(monkeypatch):
    """S3 in a fresh simulator, with BUCKET made as the seed's was (ACLs enabled)."""
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    with simulate():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET, ObjectOwnership="ObjectWriter")  # ACLs enabled
        yield client
