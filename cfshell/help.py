"""Help that teaches: the seed's workflow as cfshell commands, and an example in every `help CMD`.

Command sets write their own examples in their parsers' epilog (cfshell.commands.base.new_parser).
`add_examples(app)` fills in the ones still missing (cmd2's built-in commands, base commands that
only dispatch subcommands) from `EXAMPLES`, without touching a parser that has one. The command
set cfshell.commands.guide calls it before `help` and `CMD -h`, and adds the `help workflow` topic.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from typing import Any

WORKFLOW = """\
The seed's workflow (bucket my-video-bucket, CNAME cf.example.com) as cfshell commands.
Rehearse it offline first: `cfshell --simulate` (or scripts/run), then `sim bucket create
my-video-bucket`, `sim object put my-video-bucket videos/intro.mp4` and `sim zone create
example.com` (on AWS: your Route 53 hosted zone). `[ID]` arguments default to what the last
`create` selected (see `context`). A new bucket refuses ACLs, as S3's do since April 2023:
step 6's bucket policy works on it, `oai grant --acl` needs a bucket made with --acls-enabled.

Legacy path (RTMP streaming distribution + origin access identity, as the 2010 tools did):
  1. credentials      cfshell --profile NAME           (or `profile NAME`; never keys as flags)
  2. distribution     streaming create my-video-bucket --cname cf.example.com -m "videos"
  3. DNS              dns cname cf.example.com (or a CNAME at your DNS provider to its DomainName)
  4. access identity  oai create "reads my-video-bucket"
  5. attach it        streaming modify --oai
  6. grant it         oai grant my-video-bucket          (a bucket policy; `--acl`: per object)
  7. signing key      a CloudFront key pair made in the console by the root user (no API;
                      offline: `sim key-pair create` writes pk-APKA....pem to the key store)
  8. trust signers    streaming modify --trusted-signer self
  9. verify, wait     streaming get ; streaming wait
  then viewers:       sign url https://cf.example.com/videos/intro.mp4 --key-pair-id APKA... \\
                        --private-key pk-APKA....pem --expires 1h

Modern path (web distribution + origin access control + trusted key group; AWS retired RTMP):
  1. credentials      cfshell --profile NAME           (or `profile NAME`)
  2. distribution     cert request cf.example.com --validate-in-route53 ; cert wait ;
                      distribution create my-video-bucket --cname cf.example.com -m "videos"
                      (a CNAME needs an ISSUED ACM certificate covering it: see below)
  3. DNS              dns alias cf.example.com (or a record at your DNS provider to its DomainName)
  4. access control   oac create my-video-bucket-oac   (`distribution create` makes one by default)
  5. attach it        distribution modify --oac
  6. grant it         oac grant my-video-bucket
  7. signing key      key generate viewers   (private key in ~/.cfshell/keys; key group made)
  8. trust the key    distribution modify --private
  9. verify, wait     distribution get ; distribution wait
  then viewers:       sign url /videos/intro.mp4 --expires 1h   (a path: the distribution's domain)
  and check offline:  sim get '...'   (the URL sign printed: 200, or 403 and why)

Custom domain, end to end (CloudFront serves cf.example.com only with an ISSUED ACM certificate
in us-east-1 that covers it; scripts/custom-domain.cfsh rehearses this):
  zone              sim zone create example.com     (on AWS: your Route 53 hosted zone)
  certificate       cert request cf.example.com --validate-in-route53
  wait for it       cert wait                        (ISSUED once ACM sees the validation record)
  signing key       key generate viewers
  distribution      distribution create my-video-bucket --private --cname cf.example.com
  grant             oac grant my-video-bucket
  DNS               distribution wait ; dns alias cf.example.com   (A and AAAA alias records)
  viewers           sign url https://cf.example.com/videos/intro.mp4 --expires 1h
  check offline     sim get https://cf.example.com/videos/intro.mp4?...

Day two: from the seed's set-up (OAI, trusted signers) to what AWS recommends, in the order
that refuses no viewer (scripts/migrate.cfsh rehearses it under simulated traffic):
  find              audit [--max-key-age 180d]         (each finding with the command that fixes it)
  viewers, offline  sim traffic /videos/intro.mp4 --sign --rate 20   (then `sim traffic stop`)
  OAI -> OAC        migrate oac [--disable-acls] [--dry-run]   (the OAI's grant goes once Deployed)
  signers -> group  migrate key-group --keep-signers     (group trusted, Deployed: sign with it)
                    migrate key-group --url-lifetime 24h (signers go; says which URLs stop)
  rotate a key      key rotate [--url-lifetime 24h]      (new key signs; the old stays until expiry)
  retire it         key retire KEY                       (refused while its URLs may be valid)
  other fixes       migrate https ; migrate block-public BUCKET
Every step says `done`, `already` or `would` (--dry-run); a stopped migration, run again,
continues where it stopped.

Record a rehearsal with `record start FILE` ... `record stop`; run it again with `replay FILE`.
Make it yours in ~/.cfshellrc (run at start-up): `set output json`, `region eu-west-1`,
`alias create sl streaming list`, `macro create grant oai grant {1} --prefix {2}`.
"""

# Examples for commands whose parser has none, by "command" or "command subcommand".
EXAMPLES: dict[str, str] = {
    "streaming": "streaming create my-video-bucket --cname cf.example.com\nstreaming get",
    "oai": 'oai create "reads my-video-bucket"\noai grant my-video-bucket',
    "distribution": "distribution create my-video-bucket --private\ndistribution wait",
    "oac": "oac create my-video-bucket-oac\noac grant my-video-bucket",
    "key": "key generate viewers --out viewers.pem\nkey list",
    "key list": "key list\nkey list --output json",
    "key-group": "key-group create video-signers --key K2JCJMDEHXQW5F\nkey-group list",
    "key-group list": "key-group list",
    "sign": "sign url https://cf.example.com/videos/intro.mp4 --expires 1h",
    "sim": "sim bucket create my-video-bucket\nsim object put my-video-bucket videos/intro.mp4",
    "sim zone": "sim zone create example.com",
    "migrate": "migrate oac --dry-run\nmigrate oac --yes\nmigrate key-group --keep-signers",
    "sim key-pair": "sim key-pair create",
    "sim cert": "sim cert issue",
    "cert": "cert request cf.example.com --validate-in-route53\ncert wait",
    "dns": "dns alias cf.example.com\ndns show cf.example.com",
    "sim bucket": "sim bucket create my-video-bucket",
    "sim object": "sim object put my-video-bucket videos/intro.mp4 --size 1024",
    "record": "record start rehearsal.cfsh\nrecord stop",
    "record start": "record start rehearsal.cfsh",
    "record stop": "record stop",
    "plugin": "plugin list\nplugin load example",
    "alias": "alias create sl streaming list\nalias list",
    "alias create": "alias create sl streaming list --output json",
    "macro create": "macro create grant oai grant {1} --prefix {2}",
    "alias list": "alias list",
    "alias delete": "alias delete sl",
    "macro": "macro create grant oai grant {1} --prefix {2}\ngrant my-video-bucket videos/",
    "macro list": "macro list",
    "macro delete": "macro delete grant",
    "help": "help\nhelp streaming create\nhelp workflow",
    "history": "history\nhistory -r 3      (run the third command again)",
    "quit": "quit",
    "run_script": "run_script seed.cfsh",
    "run_pyscript": "run_pyscript tally.py",
    "set": "set\nset output json\nset wait_timeout 900",
    "shell": "shell dig +short cf.example.com",
    "shortcuts": "shortcuts",
    "edit": "edit seed.cfsh",
}


def _example(text: str) -> Any:
    from cmd2.rich_utils import TextGroup
    from rich.text import Text

    return TextGroup("Example", Text(text))


class _ThenExample:
    """An epilog that was there (cmd2's notes), followed by an example."""

    def __init__(self, epilog: Any, example: Any) -> None:
        self.epilog = epilog
        self.example = example

    def __cmd2_argparse_help__(self, formatter: Any) -> Any:
        from rich.console import Group
        from rich.text import Text

        parts = [self.epilog, Text(""), self.example]
        return Group(*(_render(part, formatter) for part in parts))


def _render(part: Any, formatter: Any) -> Any:
    method = getattr(part, "__cmd2_argparse_help__", None)
    return method(formatter) if method is not None else part


def has_example(epilog: Any) -> bool:
    if isinstance(epilog, _ThenExample):
        return True
    title = getattr(epilog, "title", None)
    text = title if isinstance(title, str) else epilog if isinstance(epilog, str) else ""
    return bool(re.search(r"(?im)^examples?:?", text or ""))


def _walk(name: str, parser: argparse.ArgumentParser) -> Iterator[tuple[str, Any]]:
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub, subparser in action.choices.items():
                yield from _walk(f"{name} {sub}", subparser)


def add_examples(app: Any, commands: list[str] | None = None) -> int:
    """Give every parser of `commands` (default: all) without an epilog its EXAMPLES entry.

    Returns how many parsers still have no example (0 when every command teaches by one).
    """
    missing = 0
    for command in commands if commands is not None else app.get_all_commands():
        func = app.get_command_func(command)
        parser = app.command_parsers.get(func) if func is not None else None
        if parser is None:
            continue
        for name, sub in _walk(command, parser):
            if has_example(sub.epilog):
                continue
            if name not in EXAMPLES:
                missing += 1
            elif sub.epilog:
                sub.epilog = _ThenExample(sub.epilog, _example(EXAMPLES[name]))
            else:
                sub.epilog = _example(EXAMPLES[name])
    return missing
