"""What still names a deleted OAI or OAC: `cfshell.aws.policy`'s matchers and
`cfshell.aws.grants.find_leftovers` / `clean_leftovers` through boto3 on the simulator."""

from __future__ import annotations

import json
import secrets

import pytest

from cfshell.aws import grants
from cfshell.aws import policy as bucket_policy
from tests.aws.conftest import BUCKET

OAI = "E2QWRUHEXAMPLE"
OAC = "E3OACEXAMPLE12"


def put_policy(s3, *statements, bucket=BUCKET):
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(document))


def test_matchers_tell_only_from_shared_and_the_oac_sid_with_or_without_prefix():
    only = bucket_policy.oai_statement(OAI, BUCKET)
    shared = dict(only, Sid="Shared", Principal={"AWS": [only["Principal"]["AWS"], "arn:x"]})
    anyone = dict(only, Sid="Anyone", Principal="*")
    assert bucket_policy.names_only_oai(only, OAI) and bucket_policy.names_oai(only, OAI)
    assert bucket_policy.names_oai(shared, OAI) and not bucket_policy.names_only_oai(shared, OAI)
    assert not bucket_policy.names_oai(anyone, OAI)
    assert not bucket_policy.names_oai(only, "E9OTHEREXAMPLE")
    for prefix in ("", "videos/"):
        statement = bucket_policy.oac_statement(OAC, BUCKET, ["arn:d"], prefix)
        assert bucket_policy.names_oac(statement, OAC)
    assert not bucket_policy.names_oac({"Sid": f"CfshellOac{OAC}XYZ"}, OAC)
    assert not bucket_policy.names_oac({"Sid": "KeepMe"}, OAC)


def test_find_and_clean_oai_leftovers_keep_everything_else(s3):
    user = secrets.token_hex(32)
    keep = {"Sid": "KeepMe", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*"}  # fmt: skip
    put_policy(s3, keep, bucket_policy.oai_statement(OAI, BUCKET))
    for key in ("a.mp4", "b.mp4", "c.mp4"):
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"v")
    grants.grant_acl(s3, BUCKET, user, concurrency=2)
    subject = {"oai_id": OAI, "canonical_user_id": user}
    found = grants.find_leftovers(s3, [BUCKET, "gone-bucket"], **subject)
    assert found == [grants.Leftover(BUCKET, (f"CfshellOai{OAI}",), (), 3, 3, True)]
    cleaned = grants.clean_leftovers(s3, found, **subject)
    assert cleaned == [grants.Cleaned(BUCKET, 1, False, 3, 0)]
    assert json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])["Statement"] == [keep]
    assert grants.find_leftovers(s3, [BUCKET], **subject) == []


def test_acl_grants_are_counted_over_a_bounded_number_of_objects(s3):
    user = secrets.token_hex(32)
    for n in range(12):
        s3.put_object(Bucket=BUCKET, Key=f"k{n:02}", Body=b"v")
    grants.grant_acl(s3, BUCKET, user, concurrency=2)
    [left] = grants.find_leftovers(
        s3, [BUCKET], oai_id=OAI, canonical_user_id=user, acl_limit=4, concurrency=1
    )
    assert 4 <= left.acl_scanned < 12 and left.acl_objects == left.acl_scanned
    assert not left.acl_complete


def test_oac_statement_left_is_found_and_cleaned_and_an_empty_policy_deleted(s3):
    put_policy(
        s3, bucket_policy.oac_statement(OAC, BUCKET, ["arn:aws:cloudfront::1:distribution/E1"])
    )
    found = grants.find_leftovers(s3, [BUCKET], oac_id=OAC)
    assert found == [grants.Leftover(BUCKET, (f"CfshellOac{OAC}",))]
    assert grants.clean_leftovers(s3, found, oac_id=OAC) == [grants.Cleaned(BUCKET, 1, True)]
    with pytest.raises(s3.exceptions.ClientError):
        s3.get_bucket_policy(Bucket=BUCKET)
