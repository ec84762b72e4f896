"""Every refusal names what it is about, and the other resource involved; preconditions known
before asking are said before any confirmation; `oai delete` / `oac delete` say what still
names them in bucket policies and ACLs, and `--clean` removes it.

Errors go to stderr (`result.err`) and fail the line (a script would exit non-zero).
"""

from __future__ import annotations

import json

import pytest

from cfshell.commands import base
from cfshell.commands.lifecycle import ResourceCommands

from .conftest import BUCKET


def _selected(shell, kind: str) -> str:
    return shell.session.context.get(kind)


def _policy(shell) -> list[dict]:
    return json.loads(shell.s3.get_bucket_policy(Bucket=BUCKET)["Policy"])["Statement"]


def _acl_grantees(shell, key: str) -> set[str]:
    grants = shell.s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    return {g["Grantee"].get("ID", "") for g in grants}


def _canonical(shell, oai_id: str) -> str:
    identity = shell.cf.get_cloud_front_origin_access_identity(Id=oai_id)
    return identity["CloudFrontOriginAccessIdentity"]["S3CanonicalUserId"]


def _refused(result, *names: str) -> str:
    """The one error line of a failed command, after checking it names each of `names`."""
    assert result.failed and result.status != 0, result
    text = " ".join(result.err.split())
    for name in names:
        assert name in text, (name, text)
    assert "needs confirmation" not in text and "Traceback" not in text
    return text


# --- an OAI or OAC in use names the distributions using it ----------------------------------


def test_deleting_an_oai_in_use_names_the_distributions_using_it(stage):
    stage.ok("oai create in use")
    oai_id = _selected(stage, "oai")
    stage.ok(f"streaming create {BUCKET} --oai")
    streaming_id = _selected(stage, "streaming")
    stage.ok(f"distribution create {BUCKET} --oai")
    web_id = _selected(stage, "distribution")
    # No --yes in a script: the refusal is the one known before asking, not the confirmation.
    text = _refused(stage.run("oai delete"), oai_id, streaming_id, web_id)
    assert f"origin access identity {oai_id} is still used by" in text
    assert f"`streaming modify {streaming_id} --no-oai`" in text
    assert f"`distribution modify {web_id} --oac`" in text
    assert stage.cf.get_cloud_front_origin_access_identity(Id=oai_id)


def test_an_oai_in_use_refused_by_aws_is_named_too(stage, monkeypatch):
    # As if it came into use between the check and the call: AWS's refusal, said the same way.
    monkeypatch.setattr(ResourceCommands, "check_deletable", lambda self, *a, **k: None)
    stage.ok("oai create in use")
    oai_id = _selected(stage, "oai")
    stage.ok(f"streaming create {BUCKET} --oai")
    streaming_id = _selected(stage, "streaming")
    text = _refused(stage.run("oai delete --yes"), oai_id, streaming_id, "--no-oai")
    assert f"still used by streaming distribution {streaming_id}" in text


def test_deleting_an_oac_in_use_names_the_distribution(stage):
    stage.ok(f"distribution create {BUCKET}")
    web_id = _selected(stage, "distribution")
    oac_id = _selected(stage, "oac")
    text = _refused(stage.run("oac delete"), oac_id, web_id)
    assert f"origin access control {oac_id} is still used by distribution {web_id}" in text


# --- CNAMEs: which name, which distribution, this account or another --------------------------


def test_a_cname_held_in_this_account_names_the_cname_and_the_distribution(stage):
    stage.ok(f"streaming create {BUCKET} --cname cf.example.com")
    holder = _selected(stage, "streaming")
    text = _refused(
        stage.run(f"streaming create {BUCKET} --cname cf.example.com"),
        "CNAME cf.example.com",
        f"streaming distribution {holder}",
        "in this account",
    )
    assert f"`streaming modify {holder} --remove-cname cf.example.com`" in text
    # The same through a modify of another distribution.
    stage.ok(f"streaming create {BUCKET} --cname other.example.com")
    other = _selected(stage, "streaming")
    _refused(
        stage.run(f"streaming modify {other} --add-cname CF.example.com"),
        "cf.example.com",
        f"streaming distribution {holder} in this account",
    )


def test_a_cname_held_by_another_account_says_so(stage, monkeypatch):
    from cfshell.aws import streaming

    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    streaming.create(stage.cf, streaming.new_config(BUCKET, cnames=["theirs.example.com"]))
    monkeypatch.delenv("MOTO_ACCOUNT_ID")
    assert not stage.cf.list_streaming_distributions()["StreamingDistributionList"].get("Items")
    text = _refused(
        stage.run(f"streaming create {BUCKET} --cname theirs.example.com"),
        "CNAME theirs.example.com",
        "another account",
    )
    assert "in this account" not in text


# --- a bucket that does not exist is named as such ---------------------------------------------


def test_oac_grant_on_a_missing_bucket_says_it_does_not_exist(stage):
    stage.ok("oac create lonely")
    text = _refused(
        stage.run("oac grant no-such-bucket"),
        "bucket no-such-bucket does not exist",
        "`sim bucket create no-such-bucket`",
    )
    assert "no distribution reads" not in text


# --- deleting a distribution: enabled, or still deploying, said before the prompt ---------------


@pytest.mark.parametrize("kind", ["streaming", "distribution"])
def test_a_disabled_distribution_still_deploying_says_wait_or_force(stage, kind):
    stage.ok("sim deploy-delay 30")
    # Not selected: the commands suggested name it (for the selected one they need no ID).
    stage.ok(f"{kind} create {BUCKET} --disabled --no-select")
    dist_id = json.loads(stage.ok(f"{kind} list --output json"))[0]["Id"]
    text = _refused(
        stage.run(f"{kind} delete {dist_id}"),  # no --yes: the precondition comes first
        dist_id,
        "is disabled",
        "still deploying",
        f"`{kind} wait {dist_id}`",
        f"`{kind} delete {dist_id} --force`",
    )
    assert "--disable`" not in text  # it is disabled already


def test_still_deploying_refused_by_aws_says_wait_too(stage, monkeypatch):
    from cfshell.commands.lifecycle import DeployableCommands

    monkeypatch.setattr(DeployableCommands, "check_deletable", lambda self, *a, **k: None)
    stage.ok("sim deploy-delay 30")
    stage.ok(f"streaming create {BUCKET} --disabled")
    dist_id = _selected(stage, "streaming")
    _refused(stage.run("streaming delete --yes"), dist_id, "still deploying", "`streaming wait`")


@pytest.mark.parametrize("kind", ["streaming", "distribution"])
def test_an_enabled_distribution_is_refused_before_any_prompt(stage, kind):
    stage.ok(f"{kind} create {BUCKET}")
    dist_id = _selected(stage, kind)
    text = _refused(
        stage.run(f"{kind} delete"),
        f"{dist_id} is enabled",
        f"`{kind} modify --disable`",
        f"`{kind} delete --force`",
    )
    assert "--yes" not in text


def test_at_a_terminal_an_enabled_distribution_is_refused_without_asking(stage, monkeypatch):
    stage.session.interactive = True
    monkeypatch.setattr(base, "_stdin_is_tty", lambda cmd: True)
    prompts: list[str] = []
    monkeypatch.setattr(stage.app, "read_input", lambda prompt="", **kw: prompts.append(prompt))
    stage.ok(f"streaming create {BUCKET}")
    _refused(stage.run("streaming delete"), "is enabled", "--force")
    assert prompts == []


# --- oai delete / oac delete: what still names them, and --clean --------------------------------


def _granted_oai(stage) -> tuple[str, str]:
    """An OAI with its policy statement and ACL grants on every object of the stage's bucket."""
    stage.ok("oai create leaving")
    oai_id = _selected(stage, "oai")
    stage.ok(f"oai grant {BUCKET}")
    stage.ok(f"oai grant {BUCKET} --acl")
    return oai_id, _canonical(stage, oai_id)


def test_oai_delete_reports_what_still_names_it_in_an_origin_bucket(stage):
    oai_id, canonical = _granted_oai(stage)
    # The distribution moved to an OAC: its bucket is still an origin, the OAI is unused.
    stage.ok(f"distribution create {BUCKET} --oai")
    stage.ok("distribution modify --oac")
    out = stage.ok("oai delete --yes")
    assert f"bucket {BUCKET}: policy statement CfshellOai{oai_id} names only OAI {oai_id}" in out
    assert f"bucket {BUCKET}: 4 object ACLs grant OAI {oai_id}" in out
    assert "--clean" in out and f"deleted origin access identity {oai_id}" in out
    # Without --clean they stay.
    assert any(s.get("Sid") == f"CfshellOai{oai_id}" for s in _policy(stage))
    assert canonical in _acl_grantees(stage, "videos/intro.mp4")


def test_oai_delete_clean_removes_its_statements_and_acl_grants_only(stage):
    keep = {
        "Sid": "KeepMe",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:DeleteObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
    stage.s3.put_bucket_policy(
        Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [keep]})
    )
    oai_id, canonical = _granted_oai(stage)
    out = stage.ok(f"oai delete --clean --yes --bucket {BUCKET}")
    assert f"policy statement CfshellOai{oai_id} names only OAI {oai_id}" in out
    assert f"removed 1 policy statement naming OAI {oai_id} from bucket {BUCKET}" in out
    assert f"revoked OAI {oai_id}'s ACL grants on 4 objects of bucket {BUCKET}" in out
    assert _policy(stage) == [keep]
    assert canonical not in _acl_grantees(stage, "videos/intro.mp4")
    assert not stage.cf.list_cloud_front_origin_access_identities()[
        "CloudFrontOriginAccessIdentityList"
    ].get("Items")


def test_a_statement_naming_the_oai_among_others_is_reported_not_removed(stage):
    stage.ok("oai create shared")
    oai_id = _selected(stage, "oai")
    shared = {
        "Sid": "Shared",
        "Effect": "Allow",
        "Principal": {
            "AWS": [
                f"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity {oai_id}",
                "arn:aws:iam::123456789012:root",
            ]
        },
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
    stage.s3.put_bucket_policy(
        Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [shared]})
    )
    stage.ok(f"use bucket {BUCKET}")  # the selected bucket is looked in too
    out = stage.ok("oai delete --clean --yes")
    assert f"policy statement Shared names OAI {oai_id} among other principals" in out
    assert "removed" not in out
    assert [s["Sid"] for s in _policy(stage)] == ["Shared"]


def test_oac_delete_reports_its_statement_and_clean_removes_it(stage):
    stage.ok(f"distribution create {BUCKET}")
    oac_id = _selected(stage, "oac")
    stage.ok(f"oac grant {BUCKET}")
    stage.ok("distribution delete --force --yes")
    # No --yes: the report, then the confirmation refused.
    result = stage.run(f"oac delete --bucket {BUCKET}")
    assert f"bucket {BUCKET}: policy statement CfshellOac{oac_id} names only OAC {oac_id}" in (
        result.out
    )
    assert result.failed and "--yes" in result.err
    out = stage.ok(f"oac delete --clean --yes --bucket {BUCKET}")
    assert f"removed 1 policy statement naming OAC {oac_id} from bucket {BUCKET}" in out
    assert "the policy was deleted" in out
    with pytest.raises(stage.s3.exceptions.ClientError):
        stage.s3.get_bucket_policy(Bucket=BUCKET)


# --- key groups and public keys in use -------------------------------------------------------


def test_a_key_group_trusted_by_a_distribution_and_its_key_are_named(stage):
    stage.ok("key generate signers")
    key_id, group_id = _selected(stage, "key"), _selected(stage, "key-group")
    stage.ok(f"distribution create {BUCKET} --private")
    web_id = _selected(stage, "distribution")
    text = _refused(stage.run("key-group delete"), group_id, f"distribution {web_id}")
    assert f"`distribution modify {web_id} --no-key-groups`" in text
    text = _refused(stage.run("key delete"), key_id, f"key group {group_id}")
    assert f"`key-group remove {group_id} --key {key_id}`" in text


def test_a_script_without_yes_stops_at_the_precondition_with_a_non_zero_status(tmp_path):
    from tests.test_main import cfshell

    script = tmp_path / "delete.cfsh"
    script.write_text(
        f"sim bucket create {BUCKET}\nstreaming create {BUCKET}\nstreaming delete\noai list\n"
    )
    run = cfshell("--simulate", "--script", str(script))
    assert run.returncode != 0
    assert "is enabled" in run.stderr and "`streaming delete --force`" in run.stderr
    assert "needs confirmation" not in run.stderr and "Traceback" not in run.stderr
    assert "line 3" in run.stderr


def test_oai_delete_with_a_missing_bucket_names_it_before_the_prompt(shell):
    shell.ok("oai create leaving")
    oai_id = _selected(shell, "oai")
    _refused(
        shell.run("oai delete --bucket no-such-bucket"),
        "bucket no-such-bucket does not exist",
        "`sim bucket create no-such-bucket`",
    )
    assert shell.cf.get_cloud_front_origin_access_identity(Id=oai_id)


def test_a_cname_held_by_a_web_distribution_is_named_from_either_family(stage):
    from tests.domains import issued_certificate

    issued_certificate(stage, "*.example.com")
    stage.ok(f"distribution create {BUCKET} --cname www.example.com")
    holder = _selected(stage, "distribution")
    text = _refused(
        stage.run(f"streaming create {BUCKET} --cname www.example.com"),
        "CNAME www.example.com",
        f"distribution {holder} in this account",
    )
    assert f"`distribution modify {holder} --remove-cname www.example.com`" in text
    stage.ok(f"distribution create {BUCKET} --no-select")
    other = next(
        d["Id"]
        for d in json.loads(stage.ok("distribution list --output json"))
        if d["Id"] != holder
    )
    _refused(
        stage.run(f"distribution modify {other} --add-cname www.example.com"),
        "CNAME www.example.com",
        f"distribution {holder} in this account",
    )
