"""The words of the resource commands: one-line help, description, help section, and each
shared subcommand's description and example, for every kind cfshell.commands.lifecycle drives.

One table, so that the four command sets differ only in what they do, and a wording is
changed in one place. Stdlib only.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def example(*lines: str) -> str:
    return "example:\n  " + "\n  ".join(lines)


def examples(*lines: str) -> str:
    return "examples:\n  " + "\n  ".join(lines)


@dataclass(frozen=True)
class Texts:
    """`about`: the command's one-line help; `description`: its parser's; `category`: its help
    section; `sub`: subcommand -> (description, epilog with the examples)."""

    about: str
    description: str
    category: str
    sub: dict[str, tuple[str, str]] = field(default_factory=dict)


TEXTS: dict[str, Texts] = {
    "streaming": Texts(
        "RTMP streaming distributions.",
        "RTMP streaming distributions (the seed's legacy path).",
        "Streaming (RTMP, legacy)",
        {
            "list": (
                "List every streaming distribution.",
                example("streaming list", "streaming list --query '[].DomainName'"),
            ),
            "get": (
                "Show one streaming distribution: ID, ETag, status, domain, origin, CNAMEs, "
                "comment, OAI, trusted and active signers, last modified.",
                example("streaming get", "streaming get E2QWRUHAPOMQZL --output json"),
            ),
            "create": (
                "Create a streaming distribution on an S3 bucket (and select it).",
                example(
                    "streaming create my-video-bucket --cname cf.example.com -m 'training videos'"
                ),
            ),
            "modify": (
                "Change a streaming distribution: read its config, change it, write it back with "
                "its ETag.",
                examples(
                    "streaming modify --oai            (attach the selected OAI)",
                    "streaming modify --trusted-signer self",
                    "streaming modify --disable",
                ),
            ),
            "wait": ("", example("streaming wait --timeout 600")),
            "delete": (
                "Delete a streaming distribution. It must be disabled and Deployed; --force "
                "disables it, waits, then deletes, reporting each step. The ETag is fetched when "
                "left out.",
                example("streaming delete --force --yes"),
            ),
        },
    ),
    "distribution": Texts(
        "Web distributions.",
        "Web distributions on an S3 origin (the modern path).",
        "Distributions (web)",
        {
            "list": (
                "List every web distribution.",
                example("distribution list", "distribution list --query '[].DomainName'"),
            ),
            "get": (
                "Show one distribution: ID, ETag, status, domain, origin and its access "
                "(OAC/OAI), trusted key groups, CNAMEs, comment, cache settings, last modified.",
                example("distribution get", "distribution get E2QWRUHAPOMQZL --output json"),
            ),
            "create": (
                "Create a web distribution on an S3 bucket (and select it): origin access control "
                "by default, HTTPS redirect, the managed CachingOptimized cache policy.",
                examples(
                    "distribution create my-video-bucket --private --cname cf.example.com",
                    "distribution create my-video-bucket --oai E1OAIID -m 'legacy OAI'",
                ),
            ),
            "modify": (
                "Change a distribution: read its config, change it, write it back with its ETag.",
                examples(
                    "distribution modify --private          (trust the selected key group)",
                    "distribution modify --add-cname cf.example.com",
                    "distribution modify --disable",
                ),
            ),
            "wait": ("", example("distribution wait --timeout 900")),
            "delete": (
                "Delete a distribution. It must be disabled and Deployed; --force disables it, "
                "waits, then deletes, reporting each step.",
                example("distribution delete --force --yes"),
            ),
        },
    ),
    "oai": Texts(
        "Origin access identities.",
        "CloudFront origin access identities (OAI).",
        "Origin access",
        {
            "list": ("List every origin access identity.", example("oai list")),
            "get": (
                "Show one origin access identity: ID, ETag, caller reference, comment, canonical "
                "user ID.",
                example("oai get --query S3CanonicalUserId"),
            ),
            "create": (
                "Create an origin access identity (and select it).",
                example("oai create video bucket reader"),
            ),
            "modify": (
                "Change an origin access identity's comment.",
                example("oai modify -m 'new comment'"),
            ),
            "delete": (
                "Delete an origin access identity (no distribution may use it). The ETag is "
                "fetched when left out. Bucket-policy statements and object ACL grants that "
                "still name it are reported first (buckets the distributions read from, the "
                "selected one, --bucket); --clean removes them with it.",
                examples("oai delete --yes", "oai delete --clean --bucket my-video-bucket --yes"),
            ),
        },
    ),
    "oac": Texts(
        "Origin access controls.",
        "CloudFront origin access controls (OAC).",
        "Origin access",
        {
            "list": ("List origin access controls.", example("oac list")),
            "get": ("Show one origin access control.", example("oac get")),
            "create": (
                "Create an origin access control for S3 origins (and select it).",
                example("oac create video-oac -m 'private videos'"),
            ),
            "modify": (
                "Change an origin access control's name, description or signing behavior.",
                example("oac modify --signing no-override"),
            ),
            "delete": (
                "Delete an origin access control (no distribution may use it). Bucket-policy "
                "statements `oac grant` wrote for it are reported first; --clean removes them.",
                examples("oac delete --yes", "oac delete --clean --bucket my-video-bucket --yes"),
            ),
        },
    ),
}
