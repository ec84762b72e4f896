"""Signed URLs and cookies described by what they grant (cfshell.bearer), and compared so."""

from __future__ import annotations

import math

from cfshell import bearer, transcript
from cfshell.aws import keys, signing

URL = "https://d111111abcdef8.cloudfront.net/videos/intro.mp4"
NOW = 1_800_000_000.4


def _signer() -> tuple[signing.Signer, str]:
    pair = keys.generate_key_pair()
    return signing.Signer(pair.key, "K2JCJMDEHXQW5F"), pair.public_key_pem


def test_iso_durations() -> None:
    assert [bearer.iso_duration(s) for s in (0, 5, 90, 3600, 5400, 86400, 90061, -5)] == [
        "PT0S", "PT5S", "PT1M30S", "PT1H", "PT1H30M", "P1D", "P1DT1H1M1S", "-PT5S",
    ]  # fmt: skip


def test_a_canned_url_is_described_by_resource_key_and_lifetime() -> None:
    signer, _ = _signer()
    url = signer.sign_url(URL, expires=signing.parse_time("1h", now=_dt(NOW)))
    assert bearer.describe_url(url, NOW) == (
        f"<signed URL {URL} canned policy, expires PT1H after the command, key K2JCJMDEHXQW5F>"
    )


def test_a_custom_policy_says_what_it_grants() -> None:
    signer, _ = _signer()
    url = signer.sign_url(
        URL,
        expires=signing.parse_time("2h", now=_dt(NOW)),
        starts=signing.parse_time("10m", now=_dt(NOW)),
        ip_range="203.0.113.0/24",
        resource="https://d111111abcdef8.cloudfront.net/videos/*",
    )
    assert bearer.describe_url(url, NOW) == (
        f"<signed URL {URL} custom policy for https://d111111abcdef8.cloudfront.net/videos/*, "
        "valid from PT10M after the command, from 203.0.113.0/24, expires PT2H after the "
        "command, key K2JCJMDEHXQW5F>"
    )


def test_cookies_keep_their_names_and_lose_their_values() -> None:
    signer, _ = _signer()
    cookies = signer.sign_cookies(
        URL, expires=signing.parse_time("1h", now=_dt(NOW)), resource=URL.rsplit("/", 1)[0] + "/*"
    )
    text = "\n".join(f"Set-Cookie: {h}" for h in cookies.set_cookie_headers())
    described = bearer.describe(text, NOW)
    assert "CloudFront-Policy=<policy custom policy for https://d111111abcdef8.cloudfront.net/" in (
        described
    )
    assert "CloudFront-Signature=<signature>;" in described
    assert "CloudFront-Key-Pair-Id=K2JCJMDEHXQW5F;" in described
    assert cookies.cookies["CloudFront-Signature"] not in described
    assert bearer.find_cookies(text) == [
        f"CloudFront-Policy={cookies.cookies['CloudFront-Policy']}",
        f"CloudFront-Signature={cookies.cookies['CloudFront-Signature']}",
    ]


def test_a_signature_is_verified_with_the_runs_key() -> None:
    signer, public = _signer()
    _, other = _signer()
    url = signer.sign_url(URL, expires=signing.parse_time("1h", now=_dt(NOW)))

    def verify_with(pem):
        return lambda key_id, message, signature, algorithm: keys.verify_signature(
            pem, message, signature, algorithm
        )

    assert "does not verify" not in bearer.describe_url(url, NOW, verify_with(public))
    assert bearer.describe_url(url, NOW, verify_with(other)).endswith(
        ", signature does not verify>"
    )


def test_check_compares_a_signed_url_by_meaning_not_bytes() -> None:
    signer, public = _signer()
    recorded = signer.sign_url(URL, expires=signing.parse_time("1h", now=_dt(NOW)))
    step = transcript.Step(1, "sign url /videos/intro.mp4")
    step.output = [bearer.describe_url(recorded, NOW)]
    later = NOW + 5000
    replayed = _signer()[0].sign_url(URL, expires=signing.parse_time("1h", now=_dt(later)))
    assert replayed != recorded

    def compare(output, started, verify=None):
        return transcript.compare(
            step, output, recorded_names={}, replayed_names={}, started=started, verify=verify
        )

    assert compare(replayed, later) is None  # other bytes, same grant
    longer = signer.sign_url(URL, expires=signing.parse_time("2h", now=_dt(later)))
    assert "+<signed URL https://<domain>/videos/intro.mp4 canned policy, expires PT2H" in (
        compare(longer, later)
    )
    refused = compare(replayed, later, verify=lambda *a: False)
    assert "signature does not verify" in refused


def _dt(epoch: float):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(math.floor(epoch) + (epoch % 1), UTC)
