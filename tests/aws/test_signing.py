"""Known-answer tests for signed URLs and cookies: every signature verifies with `cryptography`
against the public key, policies are exactly as CloudFront documents them."""

from __future__ import annotations

import base64
import json
import os
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from botocore.signers import CloudFrontSigner
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from cfshell.aws import signing
from cfshell.aws.signing import PrivateKey, Signer, SigningError

URL = "https://d111111abcdef8.cloudfront.net/videos/intro/index.m3u8"
EXPIRES = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)  # 1893499200
STARTS = datetime(2029, 12, 31, 12, 0, tzinfo=UTC)  # 1893412800


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def ec_key():
    return ec.generate_private_key(ec.SECP256R1())


def _std_b64(text: str) -> bytes:
    return base64.b64decode(text.replace("-", "+").replace("_", "=").replace("~", "/"))


def _params(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def _verify(key, message: bytes, signature: bytes, digest=None) -> None:
    digest = digest or hashes.SHA1()
    public = key.public_key()
    if isinstance(key, rsa.RSAPrivateKey):
        public.verify(signature, message, padding.PKCS1v15(), digest)
    else:
        public.verify(signature, message, ec.ECDSA(digest))


def test_canned_policy_is_exactly_the_documented_text():
    assert signing.canned_policy(URL, EXPIRES) == (
        '{"Statement":[{"Resource":"https://d111111abcdef8.cloudfront.net/videos/intro/'
        'index.m3u8","Condition":{"DateLessThan":{"AWS:EpochTime":1893499200}}}]}'
    )


def test_custom_policy_has_no_whitespace_and_every_condition():
    policy = signing.custom_policy(
        "https://d111111abcdef8.cloudfront.net/videos/*", EXPIRES, STARTS, "192.0.2.0/24"
    )
    assert " " not in policy and "\n" not in policy
    assert json.loads(policy) == {
        "Statement": [
            {
                "Resource": "https://d111111abcdef8.cloudfront.net/videos/*",
                "Condition": {
                    "DateLessThan": {"AWS:EpochTime": 1893499200},
                    "DateGreaterThan": {"AWS:EpochTime": 1893412800},
                    "IpAddress": {"AWS:SourceIp": "192.0.2.0/24"},
                },
            }
        ]
    }
    single = signing.custom_policy(URL, EXPIRES, ip_range="192.0.2.7")
    assert '"IpAddress":{"AWS:SourceIp":"192.0.2.7/32"}' in single


def test_cloudfront_base64_substitutions():
    # b"\xfb\xff" is "+/8=" in standard base64.
    assert base64.b64encode(b"\xfb\xff") == b"+/8="
    assert signing.cf_b64encode(b"\xfb\xff") == "-~8_"
    assert signing.cf_b64decode("-~8_") == b"\xfb\xff"


def test_canned_url_rsa_sha1(rsa_key):
    url = Signer(PrivateKey(rsa_key, "rsa2048"), "K2JCJMDEHXQW5F").sign_url(URL, expires=EXPIRES)
    assert url.startswith(URL + "?Expires=1893499200&Signature=")
    params = _params(url)
    assert [name for name, _ in params] == ["Expires", "Signature", "Key-Pair-Id"]
    assert dict(params)["Key-Pair-Id"] == "K2JCJMDEHXQW5F"
    signature = dict(params)["Signature"]
    assert not set(signature) & set("+/=")
    _verify(rsa_key, signing.canned_policy(URL, EXPIRES).encode(), _std_b64(signature))


def test_rsa_sha1_url_is_what_botocore_and_aws_cli_make(rsa_key):
    def cli_signer(message: bytes) -> bytes:  # aws-cli's RSASigner.sign
        return rsa_key.sign(message, padding.PKCS1v15(), hashes.SHA1())

    expected = CloudFrontSigner("K1", cli_signer).generate_presigned_url(
        URL, date_less_than=EXPIRES
    )
    assert Signer(PrivateKey(rsa_key, "rsa2048"), "K1").sign_url(URL, expires=EXPIRES) == expected


def test_url_with_a_query_string_keeps_it_and_signs_it(rsa_key):
    url = URL + "?quality=hd"
    signed = Signer(PrivateKey(rsa_key, "rsa2048"), "K1").sign_url(url, expires=EXPIRES)
    assert signed.startswith(url + "&Expires=")
    _verify(
        rsa_key,
        signing.canned_policy(url, EXPIRES).encode(),
        _std_b64(dict(_params(signed))["Signature"]),
    )


def test_custom_url_carries_the_policy(rsa_key):
    signer = Signer(PrivateKey(rsa_key, "rsa2048"), "K1")
    resource = "https://d111111abcdef8.cloudfront.net/videos/*"
    url = signer.sign_url(
        URL, expires=EXPIRES, starts=STARTS, ip_range="192.0.2.0/24", resource=resource
    )
    params = _params(url)
    assert [name for name, _ in params] == ["Policy", "Signature", "Key-Pair-Id"]
    policy = _std_b64(dict(params)["Policy"])
    assert policy.decode() == signing.custom_policy(resource, EXPIRES, STARTS, "192.0.2.0/24")
    _verify(rsa_key, policy, _std_b64(dict(params)["Signature"]))


@pytest.mark.parametrize("option", ["starts", "ip_range", "resource"])
def test_any_condition_beyond_expiry_makes_a_custom_policy(rsa_key, option):
    value = {"starts": STARTS, "ip_range": "192.0.2.1", "resource": URL[:-5] + "*"}[option]
    url = Signer(PrivateKey(rsa_key, "rsa2048"), "K1").sign_url(
        URL, expires=EXPIRES, **{option: value}
    )
    assert "Policy=" in url and "Expires=" not in url


def test_sha256_url_names_its_hash_and_verifies_over_sha256(rsa_key):
    url = Signer(PrivateKey(rsa_key, "rsa2048"), "K1", "sha256").sign_url(URL, expires=EXPIRES)
    params = _params(url)
    assert [name for name, _ in params] == ["Expires", "Signature", "Key-Pair-Id", "Hash-Algorithm"]
    assert dict(params)["Hash-Algorithm"] == "SHA256"
    signature = _std_b64(dict(params)["Signature"])
    policy = signing.canned_policy(URL, EXPIRES).encode()
    _verify(rsa_key, policy, signature, hashes.SHA256())
    with pytest.raises(InvalidSignature):
        _verify(rsa_key, policy, signature, hashes.SHA1())


@pytest.mark.parametrize("hash_name,digest", [("sha1", hashes.SHA1()), ("sha256", hashes.SHA256())])
def test_ecdsa_signatures_verify(ec_key, hash_name, digest):
    url = Signer(PrivateKey(ec_key, "ecdsa-p256"), "K1", hash_name).sign_url(URL, expires=EXPIRES)
    signature = _std_b64(dict(_params(url))["Signature"])
    _verify(ec_key, signing.canned_policy(URL, EXPIRES).encode(), signature, digest)


def test_canned_cookies(rsa_key):
    cookies = Signer(PrivateKey(rsa_key, "rsa2048"), "K1").sign_cookies(URL, expires=EXPIRES)
    assert list(cookies.cookies) == [
        "CloudFront-Expires",
        "CloudFront-Signature",
        "CloudFront-Key-Pair-Id",
    ]
    assert cookies.cookies["CloudFront-Expires"] == "1893499200"
    _verify(
        rsa_key,
        signing.canned_policy(URL, EXPIRES).encode(),
        _std_b64(cookies.cookies["CloudFront-Signature"]),
    )
    headers = cookies.set_cookie_headers()
    assert headers[0] == (
        "CloudFront-Expires=1893499200; Domain=d111111abcdef8.cloudfront.net; Path=/; "
        "Secure; HttpOnly"
    )
    assert cookies.cookie_header().startswith(
        "CloudFront-Expires=1893499200; CloudFront-Signature="
    )


def test_custom_cookies_with_sha256(ec_key):
    resource = "https://d111111abcdef8.cloudfront.net/*"
    cookies = Signer(PrivateKey(ec_key, "ecdsa-p256"), "K1", "sha256").sign_cookies(
        URL, expires=EXPIRES, resource=resource
    )
    assert list(cookies.cookies) == [
        "CloudFront-Policy",
        "CloudFront-Signature",
        "CloudFront-Key-Pair-Id",
        "CloudFront-Hash-Algorithm",
    ]
    assert cookies.cookies["CloudFront-Hash-Algorithm"] == "SHA256"
    policy = _std_b64(cookies.cookies["CloudFront-Policy"])
    assert policy.decode() == signing.custom_policy(resource, EXPIRES)
    _verify(ec_key, policy, _std_b64(cookies.cookies["CloudFront-Signature"]), hashes.SHA256())


def test_fast_path_matches_sign_url(rsa_key, ec_key):
    urls = [f"https://d1.cloudfront.net/seg{i}.ts" for i in range(5)] + ["", "  "]
    rsa_signer = Signer(PrivateKey(rsa_key, "rsa2048"), "K1")
    fast = list(rsa_signer.sign_urls(urls, expires=EXPIRES))
    assert fast == [rsa_signer.sign_url(u, expires=EXPIRES) for u in urls if u.strip()]
    ec_signer = Signer(PrivateKey(ec_key, "ecdsa-p256"), "K1", "sha256")
    for url, signed in zip(urls, ec_signer.sign_urls(urls, expires=EXPIRES), strict=False):
        params = dict(_params(signed))
        assert params["Hash-Algorithm"] == "SHA256"
        _verify(
            ec_key,
            signing.canned_policy(url, EXPIRES).encode(),
            _std_b64(params["Signature"]),
            hashes.SHA256(),
        )


def test_parse_time():
    now = datetime(2030, 1, 1, tzinfo=UTC)
    assert signing.parse_time("1h", now=now) == now + timedelta(hours=1)
    assert signing.parse_time("30m", now=now) == now + timedelta(minutes=30)
    assert signing.parse_time("2d", now=now) == now + timedelta(days=2)
    assert signing.parse_time("1h30m", now=now) == now + timedelta(minutes=90)
    assert signing.parse_time("2030-06-01T10:00:00Z") == datetime(2030, 6, 1, 10, tzinfo=UTC)
    assert signing.parse_time("2030-06-01T12:00:00+02:00") == datetime(2030, 6, 1, 10, tzinfo=UTC)
    assert signing.parse_time("2030-06-01") == datetime(2030, 6, 1, tzinfo=UTC)
    assert signing.parse_time("1893499200") == EXPIRES
    for bad in ("tomorrow", "1x", "2030-13-01", ""):
        with pytest.raises(SigningError):
            signing.parse_time(bad)


def test_bad_inputs_are_one_line_errors(rsa_key):
    with pytest.raises(SigningError, match="not an IP address"):
        signing.normalize_cidr("10.0.0.300")
    with pytest.raises(SigningError, match="host bits|not an IP"):
        signing.normalize_cidr("192.0.2.1/24")
    signer = Signer(PrivateKey(rsa_key, "rsa2048"), "K1")
    with pytest.raises(SigningError, match="http"):
        signer.sign_url("d1.cloudfront.net/a", expires=EXPIRES)
    with pytest.raises(SigningError, match="hash"):
        Signer(PrivateKey(rsa_key, "rsa2048"), "K1", "md5")


def _write(path, data: bytes, mode: int) -> str:
    path.write_bytes(data)
    os.chmod(path, mode)
    return str(path)


def _pem(key, fmt=serialization.PrivateFormat.PKCS8, encryption=None) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, fmt, encryption or serialization.NoEncryption()
    )


def test_load_private_key_and_permission_warning(tmp_path, rsa_key, ec_key):
    private = signing.load_private_key(_write(tmp_path / "ok.pem", _pem(rsa_key), 0o600))
    assert private.algorithm == "rsa2048"
    assert not private.too_open and private.permission_warning() is None

    legacy = _pem(rsa_key, serialization.PrivateFormat.TraditionalOpenSSL)
    open_key = signing.load_private_key(_write(tmp_path / "open.pem", legacy, 0o644))
    assert open_key.too_open
    warning = open_key.permission_warning()
    assert "0644" in warning and "open.pem" in warning and "chmod 600" in warning

    ec_file = _write(tmp_path / "ec.pem", _pem(ec_key), 0o640)
    assert signing.load_private_key(ec_file).algorithm == "ecdsa-p256"
    assert signing.load_private_key(ec_file).too_open


def test_load_private_key_errors(tmp_path, rsa_key):
    with pytest.raises(SigningError, match="no private key file"):
        signing.load_private_key(tmp_path / "missing.pem")
    with pytest.raises(SigningError, match="no PEM private key"):
        signing.load_private_key(_write(tmp_path / "junk.pem", b"hello", 0o600))
    encrypted = _pem(
        rsa_key, encryption=serialization.BestAvailableEncryption(b"secret-passphrase")
    )
    with pytest.raises(SigningError, match="encrypted"):
        signing.load_private_key(_write(tmp_path / "enc.pem", encrypted, 0o600))
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    assert signing.load_private_key(
        _write(tmp_path / "small.pem", _pem(small), 0o600)
    ).algorithm == ("rsa1024")
    p384 = ec.generate_private_key(ec.SECP384R1())
    with pytest.raises(SigningError, match="P-256"):
        signing.load_private_key(_write(tmp_path / "p384.pem", _pem(p384), 0o600))


def test_private_key_material_never_in_reprs(tmp_path, rsa_key):
    path = _write(tmp_path / "k.pem", _pem(rsa_key), 0o600)
    loaded = signing.load_private_key(path)
    signer = Signer(loaded, "K1")
    secret_line = _pem(rsa_key).decode().splitlines()[1]
    for text in (repr(loaded), str(loaded), repr(signer)):
        assert secret_line not in text
        assert "PRIVATE" not in text


# -- the same policy bytes as botocore's CloudFrontSigner (and so `aws cloudfront sign`) --------

RESOURCE = "https://d111111abcdef8.cloudfront.net/videos/*"
CUSTOM_CASES = {
    "starts": {"starts": STARTS},
    "ip": {"ip_range": "192.0.2.0/24"},
    "single-ip": {"ip_range": "192.0.2.7"},
    "resource": {"resource": RESOURCE},
    "starts+ip": {"starts": STARTS, "ip_range": "192.0.2.0/24"},
    "starts+resource": {"starts": STARTS, "resource": RESOURCE},
    "ip+resource": {"ip_range": "192.0.2.0/24", "resource": RESOURCE},
    "starts+ip+resource": {"starts": STARTS, "ip_range": "192.0.2.0/24", "resource": RESOURCE},
}


def _botocore_policy(options: dict) -> str:
    return CloudFrontSigner("K1", lambda m: b"").build_policy(
        options.get("resource") or URL,
        EXPIRES,
        date_greater_than=options.get("starts"),
        ip_address=options.get("ip_range"),
    )


@pytest.mark.parametrize("case", sorted(CUSTOM_CASES))
def test_custom_rsa_sha1_url_is_byte_identical_to_botocore(rsa_key, case):
    options = CUSTOM_CASES[case]

    def cli_signer(message: bytes) -> bytes:  # aws-cli's RSASigner.sign
        return rsa_key.sign(message, padding.PKCS1v15(), hashes.SHA1())

    boto = CloudFrontSigner("K1", cli_signer)
    expected = boto.generate_presigned_url(URL, policy=_botocore_policy(options))
    ours = Signer(PrivateKey(rsa_key, "rsa2048"), "K1").sign_url(URL, expires=EXPIRES, **options)
    assert ours == expected
    assert signing.custom_policy(
        options.get("resource") or URL, EXPIRES, options.get("starts"), options.get("ip_range")
    ) == _botocore_policy(options)


def test_starts_and_ip_come_in_botocores_order():
    # botocore writes IpAddress before DateGreaterThan; CloudFront verifies the exact bytes.
    policy = signing.custom_policy(URL, EXPIRES, STARTS, "192.0.2.0/24")
    assert policy.index('"IpAddress"') < policy.index('"DateGreaterThan"')
    assert policy == _botocore_policy({"starts": STARTS, "ip_range": "192.0.2.0/24"})


@pytest.mark.parametrize("case", sorted(CUSTOM_CASES))
@pytest.mark.parametrize("algorithm", ["rsa2048", "ecdsa-p256"])
def test_custom_sha256_policy_bytes_are_botocores_and_verify(rsa_key, ec_key, case, algorithm):
    # botocore's signer has no Hash-Algorithm: compare the policy bytes, verify over SHA-256.
    options = CUSTOM_CASES[case]
    key = rsa_key if algorithm == "rsa2048" else ec_key
    signer = Signer(PrivateKey(key, algorithm), "K1", "sha256")
    params = dict(_params(signer.sign_url(URL, expires=EXPIRES, **options)))
    policy = _std_b64(params["Policy"])
    assert policy == _botocore_policy(options).encode()
    assert params["Hash-Algorithm"] == "SHA256"
    _verify(key, policy, _std_b64(params["Signature"]), hashes.SHA256())
    cookies = signer.sign_cookies(URL, expires=EXPIRES, **options).cookies
    assert _std_b64(cookies["CloudFront-Policy"]) == _botocore_policy(options).encode()
    _verify(key, policy, _std_b64(cookies["CloudFront-Signature"]), hashes.SHA256())


def test_canned_cookies_sign_botocores_canned_policy(rsa_key):
    cookies = Signer(PrivateKey(rsa_key, "rsa2048"), "K1").sign_cookies(URL, expires=EXPIRES)
    _verify(
        rsa_key,
        CloudFrontSigner("K1", None).build_policy(URL, EXPIRES).encode(),
        _std_b64(cookies.cookies["CloudFront-Signature"]),
    )


# -- wildcards, placeholders, the validity window --------------------------------------------


def test_a_url_with_a_wildcard_gets_a_custom_policy_for_that_pattern(rsa_key):
    pattern = "https://d111.cloudfront.net/hls/*"
    signer = Signer(PrivateKey(rsa_key, "rsa2048"), "K1")
    cookies = signer.sign_cookies(pattern, expires=EXPIRES)
    assert list(cookies.cookies) == [
        "CloudFront-Policy",
        "CloudFront-Signature",
        "CloudFront-Key-Pair-Id",
    ]
    policy = _std_b64(cookies.cookies["CloudFront-Policy"])
    assert json.loads(policy)["Statement"][0]["Resource"] == pattern
    _verify(rsa_key, policy, _std_b64(cookies.cookies["CloudFront-Signature"]))
    url = signer.sign_url(pattern, expires=EXPIRES)
    assert "Policy=" in url and "Expires=" not in url
    # The --from-file fast path makes the same choice.
    fast = list(signer.sign_urls([pattern, URL], expires=EXPIRES))
    assert "Policy=" in fast[0] and "Expires=" in fast[1]


@pytest.mark.parametrize(
    "url,resource",
    [
        ("https://DOMAIN/videos/intro.m3u8", None),
        ("https://d111.cloudfront.net/videos/", "https://DOMAIN/videos/*"),
        ("https://d111.cloudfront.net/videos/", "https://YOUR_DOMAIN:443/videos/*"),
    ],
)
def test_a_placeholder_host_is_refused(rsa_key, url, resource):
    signer = Signer(PrivateKey(rsa_key, "rsa2048"), "K1")
    host = "YOUR_DOMAIN" if resource and "YOUR" in resource else "DOMAIN"
    for sign in (signer.sign_url, signer.sign_cookies):
        with pytest.raises(SigningError) as refused:
            sign(url, expires=EXPIRES, resource=resource)
        message = str(refused.value)
        assert f"placeholder {host}" in message and "'/videos/*'" in message
        assert "real domain" in message and "\n" not in message


def test_a_resource_that_is_no_url_pattern_is_refused(rsa_key):
    signer = Signer(PrivateKey(rsa_key, "rsa2048"), "K1")
    for resource in ("videos/*", "d111.cloudfront.net/videos/*", ""):
        with pytest.raises(SigningError, match="is not a URL pattern: give a path such as"):
            signer.sign_cookies(URL, expires=EXPIRES, resource=resource)
    assert "Policy=" in signer.sign_url(URL, expires=EXPIRES, resource="http*://d111.net/*")


def test_real_hosts_are_not_placeholders():
    for url in (
        "https://d111.cloudfront.net/a",
        "https://D111.CLOUDFRONT.NET/a",
        "http://localhost/a",
        "https://cf.example.com/*",
    ):
        assert signing.placeholder_host(url) is None


def test_check_window_refuses_a_past_expiry_and_a_late_start_showing_the_times():
    now = datetime(2030, 1, 1, 11, 0, tzinfo=UTC)
    signing.check_window(EXPIRES, STARTS, now=now)  # a window to come: nothing to say
    with pytest.raises(SigningError) as past:
        signing.check_window(datetime(2020, 1, 1, tzinfo=UTC), now=now)
    assert str(past.value) == (
        "the expiry 2020-01-01T00:00:00Z is in the past (now 2030-01-01T11:00:00Z): "
        "give a later --expires, such as 2h or an ISO time to come"
    )
    with pytest.raises(SigningError) as late:
        signing.check_window(EXPIRES, EXPIRES + timedelta(hours=1), now=now)
    assert "start 2030-01-01T13:00:00Z is not before the expiry 2030-01-01T12:00:00Z" in str(
        late.value
    )
    with pytest.raises(SigningError, match="in the past"):
        signing.check_window(now, now=now)


def test_parse_time_reads_what_people_type():
    now = datetime(2030, 1, 1, tzinfo=UTC)
    for text, delta in [
        ("90m", timedelta(minutes=90)),
        ("2 hours", timedelta(hours=2)),
        ("+2h", timedelta(hours=2)),
        ("-1h", timedelta(hours=-1)),
        ("1 day", timedelta(days=1)),
        ("PT1H30M", timedelta(minutes=90)),
    ]:
        assert signing.parse_time(text, now=now) == now + delta, text
    with pytest.raises(SigningError, match="'2 fortnights' is not a time"):
        signing.parse_time("2 fortnights", now=now)
