"""A custom domain's prerequisites, set up as a user would: CloudFront refuses a CNAME unless
the distribution has an ISSUED ACM certificate covering it (InvalidViewerCertificate)."""

from __future__ import annotations

import re


def issued_certificate(shell, name: str = "cf.example.com", *alternatives: str) -> str:
    """Through the shell: a hosted zone for the apex of `name` (unless the simulator has it),
    `cert request` writing its validation records there, `cert wait`. The certificate's ARN,
    left selected (so a `--cname` it covers picks it)."""
    apex = ".".join(name.removeprefix("*.").split(".")[-2:])
    zones = shell.session.client("route53").list_hosted_zones()["HostedZones"]
    if f"{apex}." not in {z["Name"] for z in zones}:
        shell.ok(f"sim zone create {apex} --no-select")
    alts = "".join(f" --alt '{a}'" for a in alternatives)
    out = shell.ok(f"cert request '{name}'{alts} --validate-in-route53")
    arn = re.search(r"arn:aws:acm:us-east-1:\d+:certificate/[0-9a-f-]+", out).group(0)
    shell.ok("cert wait --timeout 10")
    return arn
