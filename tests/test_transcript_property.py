"""Property: record any valid sequence of commands in a simulator, replay it on a fresh one,
and the same resources with the same relations exist (up to their IDs)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfshell.app import CfShell
from cfshell.commands.transcripts import Transcripts
from cfshell.session import Session
from tests.conftest import new_app

BUCKETS = ("bucket-one", "bucket-two")
WORDS = st.text(alphabet="abcdefghij", min_size=1, max_size=6)


def _shell() -> tuple[Session, CfShell]:
    app = new_app(deploy_seconds=0.05, poll_interval=0.02)
    return app.session, app


def _run(app: CfShell, line: str) -> None:
    _, failure = app.run_line(line)
    assert failure is None, f"{line!r}: {failure}"


def _state(session: Session, names: dict[str, str]) -> dict:
    """Every streaming distribution and OAI, with IDs replaced by their reference names."""
    cf = session.client("cloudfront")
    s3 = session.client("s3")

    def ref(resource_id: str) -> str:
        return names.get(resource_id, "?" + resource_id)

    oais = {
        ref(o["Id"]): o["Comment"]
        for o in cf.list_cloud_front_origin_access_identities()[
            "CloudFrontOriginAccessIdentityList"
        ].get("Items", [])
    }
    dists = {}
    for summary in cf.list_streaming_distributions()["StreamingDistributionList"].get("Items", []):
        config = cf.get_streaming_distribution_config(Id=summary["Id"])[
            "StreamingDistributionConfig"
        ]
        oai = config["S3Origin"]["OriginAccessIdentity"].rsplit("/", 1)[-1]
        dists[ref(summary["Id"])] = {
            "origin": config["S3Origin"]["DomainName"],
            "oai": ref(oai) if oai else "",
            "comment": config["Comment"],
            "enabled": config["Enabled"],
            "cnames": sorted(config["Aliases"].get("Items", [])),
            "signers": sorted(config["TrustedSigners"].get("Items", [])),
        }
    policies = {}
    for bucket in BUCKETS:
        try:
            policies[bucket] = s3.get_bucket_policy(Bucket=bucket)["Policy"]
        except s3.exceptions.ClientError:
            policies[bucket] = ""
    for name, text in policies.items():
        for resource_id, ref_name in names.items():
            text = text.replace(resource_id, ref_name)
        policies[name] = text
    return {"oais": oais, "streaming": dists, "policies": policies}


@st.composite
def steps(draw: st.DrawFn) -> list[tuple[str, tuple]]:
    """Abstract steps; IDs are chosen by index and typed at record time.

    Each plan opens with a distribution and an OAI, so that later steps can relate them.
    """
    opening = [
        ("streaming create", (draw(st.sampled_from(BUCKETS)), draw(WORDS))),
        ("oai create", (draw(WORDS),)),
    ]
    return opening + draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("streaming create"), st.tuples(st.sampled_from(BUCKETS), WORDS)),
                st.tuples(st.just("oai create"), st.tuples(WORDS)),
                st.tuples(st.just("use streaming"), st.tuples(st.integers(0, 3))),
                st.tuples(st.just("use oai"), st.tuples(st.integers(0, 3))),
                st.tuples(
                    st.just("streaming modify"),
                    st.tuples(
                        st.sampled_from(
                            [
                                "--oai",
                                "--no-oai",
                                "--disable",
                                "--enable",
                                "-m",
                                "--trusted-signer",
                                "--add-cname",
                                "explicit-oai",
                            ]
                        ),
                        WORDS,
                        st.integers(0, 3),
                    ),
                ),
                st.tuples(st.just("oai grant"), st.tuples(st.sampled_from(BUCKETS))),
                st.tuples(st.just("oai modify"), st.tuples(WORDS)),
            ),
            min_size=2,
            max_size=8,
        )
    )


def _line(step: tuple[str, tuple], made: dict[str, list[str]], cnames: set[str]) -> str | None:
    """The command a user would type for `step` now, or None if it is not valid now."""
    name, params = step
    if name == "streaming create":
        bucket, comment = params
        return f"streaming create {bucket} -m 'c {comment}'"
    if name == "oai create":
        return f"oai create 'o {params[0]}'"
    if name in ("use streaming", "use oai"):
        kind = name.split()[1]
        if not made[kind]:
            return None
        return f"use {kind} {made[kind][params[0] % len(made[kind])]}"
    if name == "streaming modify":
        option, word, index = params
        if not made["streaming"]:
            return None
        if option in ("--oai", "explicit-oai", "oai grant") and not made["oai"]:
            return None
        if option == "explicit-oai":
            return f"streaming modify --oai {made['oai'][index % len(made['oai'])]}"
        if option == "-m":
            return f"streaming modify -m 'm {word}'"
        if option == "--trusted-signer":
            return "streaming modify --trusted-signer self"
        if option == "--add-cname":
            host = f"{word}.example.com"
            if host in cnames:  # CNAMEs are unique across distributions
                return None
            cnames.add(host)
            return f"streaming modify --add-cname {host}"
        return f"streaming modify {option}"
    if name == "oai grant":
        return f"oai grant {params[0]}" if made["oai"] else None
    if name == "oai modify":
        return f"oai modify -m 'n {params[0]}'" if made["oai"] else None
    raise AssertionError(name)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(plan=steps())
def test_replay_on_a_fresh_simulator_rebuilds_the_same_resources(plan, tmp_path_factory) -> None:
    path = tmp_path_factory.mktemp("prop") / "t.cfsh"

    session, app = _shell()
    try:
        transcripts = Transcripts.of(app)
        _run(app, f"record start {path}")
        for bucket in BUCKETS:
            _run(app, f"sim bucket create {bucket}")
        _run(app, "clear")
        made: dict[str, list[str]] = {"streaming": [], "oai": []}
        cnames: set[str] = set()
        for step in plan:
            line = _line(step, made, cnames)
            if line is None:
                continue
            _run(app, line)
            if step[0] in ("streaming create", "oai create"):
                kind = step[0].split()[0]
                made[kind].append(session.context.get(kind))
        recorded_names = {rid: name for rid, name in transcripts.recorder.names.items()}
        _run(app, "record stop")
        recorded = _state(session, recorded_names)
    finally:
        session.close()

    session, app = _shell()
    try:
        _run(app, f"replay {path}")
        replay = Transcripts.of(app).last_replay
        replayed = _state(session, replay.replayed_ids())
    finally:
        session.close()

    assert replayed == recorded
    assert len(recorded["streaming"]) == len(made["streaming"])
    assert len(recorded["oais"]) == len(made["oai"])
