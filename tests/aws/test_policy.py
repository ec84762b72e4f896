"""Bucket-policy merge and removal: pure functions, no AWS."""

from __future__ import annotations

import json

from cfshell.aws import policy

OAI = "E2QWRUHEXAMPLE"
OTHER_OAI = "E1OTHEREXAMPLE"
CANONICAL = "7" * 64
BUCKET = "my-video-bucket"
OAI_ARN = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHEXAMPLE"

PUBLIC_THUMBS = {
    "Sid": "PublicThumbnails",
    "Effect": "Allow",
    "Principal": "*",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::my-video-bucket/thumbs/*",
}
DENY_HTTP = {
    "Sid": "DenyInsecure",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::my-video-bucket", "arn:aws:s3:::my-video-bucket/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}


def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def test_oai_statement_is_the_documented_shape():
    assert policy.oai_statement(OAI, BUCKET) == {
        "Sid": policy.oai_sid(OAI),
        "Effect": "Allow",
        "Principal": {"AWS": OAI_ARN},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::my-video-bucket/*",
    }
    assert policy.oai_statement(OAI, BUCKET, "videos/")["Resource"] == (
        "arn:aws:s3:::my-video-bucket/videos/*"
    )


def test_sids_are_stable_alphanumeric_and_distinct_per_oai_and_prefix():
    sids = {
        policy.oai_sid(OAI),
        policy.oai_sid(OAI, "videos/"),
        policy.oai_sid(OAI, "audio/"),
        policy.oai_sid(OTHER_OAI),
    }
    assert len(sids) == 4
    assert all(sid.isalnum() for sid in sids)
    assert policy.oai_sid(OAI, "videos/") == policy.oai_sid(OAI, "videos/")


def test_merge_into_no_policy_creates_one():
    change = policy.merge_oai(None, OAI, BUCKET)
    assert change.changed
    assert change.policy == doc(policy.oai_statement(OAI, BUCKET))


def test_merge_keeps_other_statements_in_order_and_leaves_input_alone():
    before = doc(PUBLIC_THUMBS, DENY_HTTP)
    snapshot = json.loads(json.dumps(before))
    change = policy.merge_oai(before, OAI, BUCKET)
    assert change.changed
    assert change.policy["Statement"] == [
        PUBLIC_THUMBS,
        DENY_HTTP,
        policy.oai_statement(OAI, BUCKET),
    ]
    assert before == snapshot


def test_merge_is_idempotent():
    once = policy.merge_oai(doc(PUBLIC_THUMBS), OAI, BUCKET).policy
    again = policy.merge_oai(once, OAI, BUCKET)
    assert not again.changed
    assert again.policy == once


def test_merge_accepts_the_canonical_user_form_aws_reads_back():
    rewritten = dict(policy.oai_statement(OAI, BUCKET), Principal={"CanonicalUser": CANONICAL})
    change = policy.merge_oai(doc(rewritten), OAI, BUCKET, canonical_user_id=CANONICAL)
    assert not change.changed


def test_merge_accepts_an_existing_broader_grant_written_by_someone_else():
    handwritten = {
        "Sid": "Grant a CloudFront Origin Identity access to support private content",
        "Effect": "Allow",
        "Principal": {"AWS": [OAI_ARN]},
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": "arn:aws:s3:::my-video-bucket/*",
    }
    assert not policy.merge_oai(doc(handwritten), OAI, BUCKET, prefix="videos/").changed


def test_merge_does_not_count_grants_that_do_not_give_the_access():
    other_oai = policy.oai_statement(OTHER_OAI, BUCKET)
    other_bucket = dict(policy.oai_statement(OAI, "another-bucket"), Sid="W")
    narrower = policy.oai_statement(OAI, BUCKET, "videos/")
    conditional = dict(policy.oai_statement(OAI, BUCKET), Sid="X", Condition=DENY_HTTP["Condition"])
    denied = dict(policy.oai_statement(OAI, BUCKET), Sid="Y", Effect="Deny")
    list_only = dict(policy.oai_statement(OAI, BUCKET), Sid="Z", Action="s3:ListBucket")
    for existing in (other_oai, other_bucket, narrower, conditional, denied, list_only):
        change = policy.merge_oai(doc(existing), OAI, BUCKET)
        assert change.changed, existing
        assert change.policy["Statement"] == [existing, policy.oai_statement(OAI, BUCKET)]


def test_merge_replaces_a_stale_statement_under_the_same_sid():
    stale = dict(policy.oai_statement(OAI, BUCKET), Action="s3:ListBucket")
    change = policy.merge_oai(doc(PUBLIC_THUMBS, stale), OAI, BUCKET)
    assert change.changed
    assert change.policy["Statement"] == [PUBLIC_THUMBS, policy.oai_statement(OAI, BUCKET)]


def test_merge_accepts_a_single_statement_written_as_an_object():
    change = policy.merge_oai({"Version": "2012-10-17", "Statement": PUBLIC_THUMBS}, OAI, BUCKET)
    assert change.policy["Statement"] == [PUBLIC_THUMBS, policy.oai_statement(OAI, BUCKET)]


def test_remove_takes_out_exactly_the_oai_statement():
    before = doc(PUBLIC_THUMBS, policy.oai_statement(OAI, BUCKET), DENY_HTTP)
    change = policy.remove_oai(before, OAI, BUCKET)
    assert change.changed
    assert change.policy == doc(PUBLIC_THUMBS, DENY_HTTP)


def test_remove_leaves_other_oais_and_other_prefixes():
    keep = [
        policy.oai_statement(OTHER_OAI, BUCKET),
        policy.oai_statement(OAI, BUCKET, "videos/"),
    ]
    change = policy.remove_oai(doc(*keep, policy.oai_statement(OAI, BUCKET)), OAI, BUCKET)
    assert change.policy["Statement"] == keep


def test_remove_of_the_last_statement_deletes_the_policy():
    change = policy.remove_oai(doc(policy.oai_statement(OAI, BUCKET)), OAI, BUCKET)
    assert change.changed
    assert change.policy is None


def test_remove_finds_the_statement_after_aws_rewrote_principal_and_sid():
    rewritten = dict(policy.oai_statement(OAI, BUCKET), Principal={"CanonicalUser": CANONICAL})
    del rewritten["Sid"]
    change = policy.remove_oai(
        doc(PUBLIC_THUMBS, rewritten), OAI, BUCKET, canonical_user_id=CANONICAL
    )
    assert change.policy == doc(PUBLIC_THUMBS)


def test_remove_does_not_touch_a_statement_that_grants_more():
    broader = {
        "Sid": "Shared",
        "Effect": "Allow",
        "Principal": {"AWS": [OAI_ARN, "arn:aws:iam::111122223333:root"]},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::my-video-bucket/*",
    }
    change = policy.remove_oai(doc(broader), OAI, BUCKET)
    assert not change.changed
    assert change.policy == doc(broader)


def test_remove_when_absent_changes_nothing():
    assert not policy.remove_oai(None, OAI, BUCKET).changed
    assert not policy.remove_oai(doc(PUBLIC_THUMBS), OAI, BUCKET).changed


def test_parse_and_dump_round_trip():
    text = policy.dump(doc(PUBLIC_THUMBS))
    assert policy.parse(text) == doc(PUBLIC_THUMBS)
    assert policy.parse(None) is None
    assert policy.parse("") is None


# -- the same merge, for origin access control (oac grant) ---------------------------------------

DIST_A = "arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE"
DIST_B = "arn:aws:cloudfront::123456789012:distribution/EMLARXS9EXAMPLE"


def test_oac_statement_is_the_documented_shape():
    assert policy.oac_statement("E3OACEXAMPLE", BUCKET, [DIST_A]) == {
        "Sid": policy.oac_sid("E3OACEXAMPLE"),
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::my-video-bucket/*",
        "Condition": {"StringEquals": {"AWS:SourceArn": DIST_A}},
    }


def test_oac_merge_is_idempotent_whatever_the_order_of_distributions():
    once = policy.merge_oac(doc(PUBLIC_THUMBS), "E3OAC", BUCKET, [DIST_A, DIST_B]).policy
    assert not policy.merge_oac(once, "E3OAC", BUCKET, [DIST_B, DIST_A]).changed


def test_oac_merge_updates_the_distributions_in_place():
    once = policy.merge_oac(doc(PUBLIC_THUMBS), "E3OAC", BUCKET, [DIST_A]).policy
    change = policy.merge_oac(once, "E3OAC", BUCKET, [DIST_A, DIST_B])
    assert change.changed
    assert change.policy["Statement"][0] == PUBLIC_THUMBS
    assert len(change.policy["Statement"]) == 2
    condition = change.policy["Statement"][1]["Condition"]["StringEquals"]["AWS:SourceArn"]
    assert condition == [DIST_A, DIST_B]


def test_oac_remove():
    once = policy.merge_oac(doc(PUBLIC_THUMBS), "E3OAC", BUCKET, [DIST_A]).policy
    assert policy.remove_oac(once, "E3OAC").policy == doc(PUBLIC_THUMBS)
