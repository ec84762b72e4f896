"""A rehearsal's time is the simulator's clock: `sim clock`, signed URLs' expiry, paced replays."""

from __future__ import annotations

import re
import time

BUCKET = "my-video-bucket"


def _private(shell, tmp_path) -> None:
    shell.ok(f"sim bucket create {BUCKET}")
    shell.ok(f"sim object put {BUCKET} videos/intro.mp4 --size 64")
    shell.ok("key generate video-signer")
    shell.ok(f"distribution create {BUCKET} --oac --private")
    shell.ok(f"oac grant {BUCKET}")
    shell.ok("distribution wait")


def test_sim_clock_shows_and_advances(shell) -> None:
    assert "(the wall clock)" in shell.ok("sim clock")
    out = shell.ok("sim clock advance 2h")
    assert out.startswith("advanced the simulator's clock by 2h: now ")
    assert "(7200 s ahead of the wall clock)" in shell.ok("sim clock")


def test_sim_clock_refuses_what_it_cannot_do_in_one_line(shell, make_shell) -> None:
    for line, words in (
        ("sim clock advance", "give how far to advance"),
        ("sim clock advance soon", "is not a duration"),
    ):
        result = shell.run(line)
        assert result.failed and words in result.err
        assert "Traceback" not in result.err
    offline = make_shell(simulate=False, endpoint_url="https://cloudfront.example.com")
    result = offline.run("sim clock")
    assert result.failed and "only against a simulator" in result.err


def test_a_signed_url_expires_by_the_simulators_clock(shell, tmp_path) -> None:
    _private(shell, tmp_path)
    url = shell.ok("sign url /videos/intro.mp4 --expires 1h").strip()
    assert "200" in shell.ok(f"sim get '{url}'")
    shell.ok("sim clock advance 61m")
    result = shell.run(f"sim get '{url}'")
    assert result.failed
    assert "403" in result.out and "expired" in result.out
    # Signed now, on the advanced clock: valid for an hour from there.
    fresh = shell.ok("sign url /videos/intro.mp4 --expires 1h").strip()
    assert "200" in shell.ok(f"sim get '{fresh}'")


def test_a_simulator_replay_never_waits_for_a_deploy_delay(make_shell, tmp_path) -> None:
    script = tmp_path / "waits.cfsh"
    script.write_text(
        "# cfshell transcript 1\n"
        "# mode: simulate\n"
        f"sim bucket create {BUCKET}\n"
        f"streaming create {BUCKET}\n"
        "#= $streaming1\n"
        "streaming wait $streaming1\n"
        "key generate video-signer\n"
        "#= $key1\n"
        "#= $keygroup1\n"
        f"distribution create {BUCKET} --oac --private\n"
        "#= $oac1\n"
        "#= $distribution1\n"
        "distribution wait $distribution1\n"
        "streaming get $streaming1\n"
    )
    shell = make_shell(deploy_seconds=2.0)  # the default deploy delay
    shell.session.poll_interval = None  # and the default pace of polling
    started = time.monotonic()
    out = shell.ok(f"replay {script}")
    assert time.monotonic() - started < 2.0
    assert re.search(r"E[A-Z0-9]{13} is Deployed after", out)
    assert "Deployed" in out.rsplit("# line", 1)[1]


def test_a_recording_with_pauses_replays_what_it_saw(make_shell, tmp_path) -> None:
    """Deployed while the user paused: the replay sees Deployed too, without waiting."""
    path = tmp_path / "paused.cfsh"
    recorder = make_shell(deploy_seconds=0.5)
    recorder.ok(f"record start {path}")
    recorder.ok(f"sim bucket create {BUCKET}")
    recorder.ok(f"streaming create {BUCKET}")
    assert "InProgress" in recorder.ok("streaming get")
    time.sleep(1.0)
    assert "Deployed" in recorder.ok("streaming get")
    recorder.ok("record stop")
    text = path.read_text()
    times = [float(t) for t in re.findall(r"^#@ \+(\d+\.\d)s$", text, re.M)]
    assert len(times) == 4 and times == sorted(times) and times[-1] - times[-2] >= 0.9

    replayer = make_shell(deploy_seconds=0.5)
    replayer.session.poll_interval = None
    started = time.monotonic()
    out = replayer.ok(f"replay {path} --check")
    assert "check: all 4 outputs match" in out
    assert time.monotonic() - started < 1.0  # the pause is not waited for

    # A transcript from before time lines replays as it always did: in real time.
    old = tmp_path / "old.cfsh"
    old.write_text("".join(x + "\n" for x in text.splitlines() if not x.startswith("#@")))
    later = make_shell(deploy_seconds=0.5)
    result = later.run(f"replay {old} --check")
    assert result.failed  # the fast replay sees InProgress where the user saw Deployed
    assert "-Status Deployed\n+Status InProgress" in result.out
