"""cfshell's command sets in someone else's cmd2 app: a bare `cmd2.Cmd`, our sets, the seed's
workflow.

Nothing of cfshell.app is used: the host app is plain cmd2, the sets get a Session, and the final
state is read back with boto3 from the same in-process simulator.
"""

from __future__ import annotations

import io
import json

import cmd2
import pytest

from cfshell.commands.grants import GrantCommands
from cfshell.commands.oai import OaiCommands
from cfshell.commands.streaming import StreamingCommands
from cfshell.session import Session

BUCKET = "my-video-bucket"
CNAME = "cf.example.com"
KEYS = ["videos/intro.mp4", "videos/lesson-1.mp4", "videos/lesson-2.mp4"]


class HostApp(cmd2.Cmd):
    """Somebody's own cmd2 tool, with its own command."""

    def __init__(self, session: Session) -> None:
        super().__init__(
            stdout=io.StringIO(),
            allow_cli_args=False,
            # Only the sets given here (auto-loading would pick up every CommandSet imported).
            auto_load_commands=False,
            command_sets=[StreamingCommands(session), OaiCommands(session), GrantCommands(session)],
        )

    def do_team(self, _statement: cmd2.Statement) -> None:
        """The host's own command."""
        self.poutput("team tool")


@pytest.fixture
def host(capsys, monkeypatch):
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    session = Session(simulate=True, deploy_seconds=0.3)
    session.poll_interval = 0.05
    app = HostApp(session)

    def run(line: str) -> str:
        capsys.readouterr()
        app.stdout.seek(0)
        app.stdout.truncate()
        app.onecmd_plus_hooks(line)
        err = capsys.readouterr().err
        assert not err, f"{line!r} wrote to stderr: {err}"
        return app.stdout.getvalue()

    try:
        yield app, session, run
    finally:
        session.close()


def test_the_seed_workflow_runs_in_a_bare_cmd2_app(host):
    app, session, run = host
    s3 = session.client("s3")
    cf = session.client("cloudfront")
    s3.create_bucket(Bucket=BUCKET)
    for key in KEYS:
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"video")

    assert run("team").strip() == "team tool"
    # 2. the streaming distribution, with the CNAME and a comment
    created = run(f'streaming create {BUCKET} --cname {CNAME} -m "videos of {BUCKET}"')
    dist_id = session.context.get("streaming")
    assert dist_id and dist_id in created
    # 4. the OAI
    run(f'oai create "reads {BUCKET}"')
    oai_id = session.context.get("oai")
    assert oai_id
    # 5., 6., 8.: attach the OAI, grant it the bucket, trust signer self
    run("streaming modify --oai")
    run(f"oai grant {BUCKET}")
    run("streaming modify --trusted-signer self")
    # 9. get, then wait until Deployed
    shown = json.loads(run("streaming get --output json"))
    assert shown["Id"] == dist_id
    waited = run("streaming wait --timeout 30")
    assert "Deployed" in waited

    # The state, as boto3 sees it.
    dist = cf.get_streaming_distribution(Id=dist_id)["StreamingDistribution"]
    config = dist["StreamingDistributionConfig"]
    assert dist["Status"] == "Deployed"
    assert config["Enabled"] is True
    assert config["Aliases"]["Items"] == [CNAME]
    assert config["Comment"] == f"videos of {BUCKET}"
    assert config["S3Origin"]["DomainName"] == f"{BUCKET}.s3.amazonaws.com"
    assert config["S3Origin"]["OriginAccessIdentity"] == (
        f"origin-access-identity/cloudfront/{oai_id}"
    )
    assert config["TrustedSigners"]["Enabled"] is True
    assert config["TrustedSigners"]["Items"] == ["self"]
    policy = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    principals = json.dumps([st.get("Principal") for st in policy["Statement"]])
    assert oai_id in principals
    assert (
        cf.get_cloud_front_origin_access_identity(Id=oai_id)["CloudFrontOriginAccessIdentity"][
            "CloudFrontOriginAccessIdentityConfig"
        ]["Comment"]
        == f"reads {BUCKET}"
    )


def test_our_commands_sit_in_their_categories_next_to_the_host_commands(host):
    app, _session, run = host
    listing = run("help")
    assert "Streaming (RTMP, legacy)" in listing and "Origin access" in listing
    assert "team" in listing
    assert app.find_commandset_for_command("streaming").session is host[1]
