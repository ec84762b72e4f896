"""What every cfshell CommandSet shares: the Session, output, confirmation, `--output/--query`.

A command set is built with one argument, the Session (cfshell.session), so any cmd2 4.x app
can register it::

    app = cmd2.Cmd(command_sets=[StreamingCommands(session)])

Commands parse their arguments, call the service layer (cfshell.aws), and hand the result to
`self.show(...)`; they raise CfShellError (or let botocore errors through) on failure. The
cfshell app reports either in one line (cfshell.app.CfShell.onecmd); in another cmd2 app they
reach cmd2's own exception printing.

Do not give a command set properties that call AWS: cmd2 reads every attribute of a set when it
registers it, and a property would start the simulator (or a client) at start-up.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import io
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import cmd2
from rich.console import RenderableType
from rich.text import Text

from .. import kinds
from ..errors import NotConfirmed, UsageError, is_client_error, translate
from ..render import OUTPUTS, Field

if TYPE_CHECKING:
    from ..session import Session

PIPE_WIDTH = 250


def add_output_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """`--output table|json` and `--query JMESPATH`, for every read command."""
    parser.add_argument(
        "--output", choices=OUTPUTS, help="output format for this command (default: `set output`)"
    )
    parser.add_argument(
        "--query",
        metavar="JMESPATH",
        help="JMESPath on the JSON data, whose keys head the table's columns "
        "(e.g. Id, or [].Id for a list)",
    )
    return parser


def add_yes_option(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    return parser


def add_select_option(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """`--no-select`, for every command that creates: keep the selection as it was."""
    parser.add_argument(
        "--no-select",
        action="store_true",
        help="do not select what this command creates (the selection stays as it was)",
    )
    return parser


def add_id_argument(
    parser: argparse.ArgumentParser | Any, noun: str, choices_provider: Any
) -> None:
    """The optional `ID` of a command on one resource: left out, the selected one is meant."""
    parser.add_argument(
        "id",
        nargs="?",
        metavar="ID",
        help=f"{noun} ID (default: the selected one)",
        choices_provider=choices_provider,
    )


def _suggest(word: str, names: Iterable[str]) -> list[str]:
    return difflib.get_close_matches(word, sorted(set(names)), n=3, cutoff=0.6)


def _or(quoted: Sequence[str]) -> str:
    return " or ".join(f"`{q}`" for q in quoted)


class _Subcommands(argparse._SubParsersAction):
    """argparse's subcommands action, except that options the chosen subcommand does not know
    are refused with that subcommand's usage (argparse hands them back to the parent, whose
    usage says nothing about them)."""

    def __call__(self, parser: Any, namespace: Any, values: Any, option_string: Any = None) -> None:
        super().__call__(parser, namespace, values, option_string)
        extras = vars(namespace).pop(argparse._UNRECOGNIZED_ARGS_ATTR, None)
        if extras:
            chosen = self._name_parser_map[values[0]]
            message = f"unrecognized arguments: {' '.join(extras)}"
            flags = [o for a in chosen._actions for o in a.option_strings if o.startswith("--")]
            near = [
                f for x in extras if x.startswith("-") for f in _suggest(x.split("=")[0], flags)
            ]
            if near:
                message += f" (did you mean {_or(near[:3])}?)"
            chosen.error(message)


class CfParser(cmd2.Cmd2ArgumentParser):
    """cmd2's parser, clearer about subcommands: a group typed alone prints its help (and
    fails), an unknown subcommand's error names the closest ones, and a
    wrong option is reported with the subcommand's usage (_Subcommands)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register("action", "parsers", _Subcommands)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        if args is not None and not list(args) and self._required_subcommands() is not None:
            # The group's help instead of "required: SUBCOMMAND"; still a failure (status 2,
            # as argparse's errors) in a script, as `aws cloudfront` alone is.
            self.print_help()
            self.exit(2)
        return super().parse_known_args(args, namespace)

    def _required_subcommands(self) -> Any:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction) and action.required:
                return action
        return None

    def _check_value(self, action: Any, value: Any) -> None:
        if isinstance(action, argparse._SubParsersAction) and value not in action.choices:
            names = sorted(set(action.choices))
            near = _suggest(value, names)
            hint = f": did you mean {_or([f'{self.prog} {n}' for n in near])}?" if near else ""
            choices = ", ".join(names)
            raise argparse.ArgumentError(
                action, f"invalid choice: {value!r}{hint} (choose from {choices})"
            )
        super()._check_value(action, value)


def new_parser(description: str, epilog: str | None = None) -> cmd2.Cmd2ArgumentParser:
    """A parser whose description and example (epilog) show in `help CMD`."""
    return CfParser(
        description=description,
        epilog=epilog,
        formatter_class=cmd2.RawDescriptionCmd2HelpFormatter,
    )


def base_parser(description: str) -> Callable[[], cmd2.Cmd2ArgumentParser]:
    """The builder of a base command's parser (`streaming`, `oai`...: it only dispatches
    subcommands), for `cmd2.with_argparser`: cmd2 builds it when the command is first used,
    not at import (a dozen of them cost start-up time a one-command run does not need)."""

    def build() -> cmd2.Cmd2ArgumentParser:
        parser = new_parser(description)
        # `prog` given: argparse would otherwise format a usage line (rich, slow) to learn the
        # subcommands' prefix, which cmd2 recomputes anyway when it registers the command.
        parser.add_subparsers(
            title="subcommands",
            metavar="SUBCOMMAND",
            required=True,
            prog=parser.prog,
            # Any cmd2 parser may be attached (a plugin's own), not only CfParser.
            parser_class=cmd2.Cmd2ArgumentParser,
        )
        return parser

    return build


class CfShellCommandSet(cmd2.CommandSet):
    """Base of cfshell's command sets: constructor takes the Session, helpers for output."""

    DEFAULT_CATEGORY = "CloudFront"

    session: Session

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    @property
    def context(self) -> Any:
        return self.session.context

    @property
    def renderer(self) -> Any:
        return self.session.renderer

    # --- calls --------------------------------------------------------------------------

    def cf(self) -> Any:
        # A method, not a property: cmd2 inspects every attribute when it registers a set.
        return self.session.client("cloudfront")

    def call(
        self, func: Any, *args: Any, id: str = "", bucket: str = "", kind: str = "", **kwargs: Any
    ) -> Any:
        """`func(*args, **kwargs)`; a ClientError becomes a sentence naming `id` or `bucket`.

        `kind` (as the context names it: "key-group"...) says what `id` is, where the error
        code alone does not (CloudFront's NoSuchResource); else the operation's name tells."""
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            if is_client_error(exc):
                simulated = "true" if self.session.offline else ""
                raise translate(exc, id=id, bucket=bucket, kind=kind, simulated=simulated) from exc
            raise

    def call_on(self, func: Any, resource_id: str, *args: Any, **kwargs: Any) -> Any:
        """`func(cf, resource_id, ...)`; a ClientError's sentence names the resource."""
        return self.call(func, self.cf(), resource_id, *args, id=resource_id, **kwargs)

    def select_created(self, args: Any, kind: str, resource_id: str, label: str = "") -> None:
        """Select what a `create` made, unless `--no-select` was given."""
        if not getattr(args, "no_select", False):
            self.context.select(kind, resource_id, label)

    def selected_domain(self) -> str:
        """The selected distribution's domain name: what a URL given as a path alone means."""
        dist_id = self.context.get("distribution")
        if not dist_id:
            raise UsageError(
                "a path alone needs a selected distribution: give the full URL, or "
                "`use distribution ID`"
            )
        label = self.context.label("distribution")
        if label.endswith(".cloudfront.net"):
            return label
        from ..aws import distributions

        dist, _ = self.call_on(distributions.get, dist_id)
        return dist["DomainName"]

    def viewer_url(self, url: str, *, web_only: bool = False) -> str:
        """`url`, or a path on the selected distribution's domain; `web_only`: anything but
        http(s) is refused (what a viewer requests)."""
        if url.startswith("/"):
            return f"https://{self.selected_domain()}{url}"
        if web_only and not url.startswith(("http://", "https://")):
            raise UsageError(f"{url[:60]!r} is not a URL: give https://DOMAIN/PATH or a path")
        return url

    def timeout_arg(self, given: float | None) -> float:
        """Seconds a wait may take: `--timeout`, else `set wait_timeout` (0: AWS's limit)."""
        if given is not None:
            if given <= 0:
                raise UsageError("--timeout must be a positive number of seconds")
            return given
        return float(self.session.wait_timeout or 0)

    # --- output -------------------------------------------------------------------------

    def show(self, renderable: RenderableType) -> None:
        """Print one renderable to stdout (tables keep their layout, text prints as is)."""
        if isinstance(renderable, str | Text):
            self._cmd.poutput(renderable)
            return
        if _is_tty(self._cmd.stdout):
            self._cmd.poutput(renderable, soft_wrap=False)
            return
        # Piped or captured, a table keeps whole rows instead of wrapping at 80 columns.
        from rich.console import Console

        console = Console(file=io.StringIO(), width=PIPE_WIDTH, color_system=None)
        console.print(renderable)
        self._cmd.poutput(console.file.getvalue().rstrip("\n"))

    def say(self, text: str) -> None:
        """A line of plain text to stdout (progress and results of write commands)."""
        self._cmd.poutput(text)

    def show_rows(self, rows: Sequence[dict], view: Sequence[Field], args: Any, **kw: Any) -> None:
        self.show(
            self.renderer.rows(
                rows,
                view,
                query=getattr(args, "query", None),
                output=getattr(args, "output", None),
                **kw,
            )
        )

    def show_record(self, record: dict, view: Sequence[Field], args: Any) -> None:
        self.show(
            self.renderer.record(
                record,
                view,
                query=getattr(args, "query", None),
                output=getattr(args, "output", None),
            )
        )

    def json_output(self, args: Any) -> bool:
        return (getattr(args, "output", None) or self.renderer.output) == "json"

    # --- confirmation -------------------------------------------------------------------

    def confirm(self, action: str, args: Any = None) -> None:
        """Go on only if the user agrees to `action` (or gave --yes); else raise NotConfirmed."""
        confirm(self._cmd, self.session, action, yes=getattr(args, "yes", False))

    # --- completion of live IDs (choices_provider=choose("KIND"), or choose_ids) ------------
    # cmd2 calls these with the command's own set as `self`, so any subclass can use them.

    def choose_ids(self, kind: str) -> cmd2.Choices:
        """Live IDs of `kind` (a kind of the registry), each with its label."""
        return self.choose_live(kinds.get(kind))

    def choose_live(self, kind: kinds.Kind | None) -> cmd2.Choices:
        """Live IDs of `kind` as its registry entry lists them; nothing for a kind without one."""

        def items() -> list[cmd2.CompletionItem]:
            if kind is None or kind.lister is None:
                return []
            return [
                cmd2.CompletionItem(resource_id, display_meta=label)
                for resource_id, label in kind.lister.items(self.session.client)
            ]

        return _choices(items)

    # Completers of live IDs other modules name (choices_provider=CfShellCommandSet.choose_oai).
    choose_streaming: ClassVar[Any]
    choose_oai: ClassVar[Any]
    choose_bucket: ClassVar[Any]

    def choose_streaming_cname(self, arg_tokens: dict[str, list[str]]) -> cmd2.Choices:
        """The current CNAMEs of the streaming distribution named on the line (or selected)."""
        from ..aws import streaming

        def items() -> list[cmd2.CompletionItem]:
            given = (arg_tokens.get("id") or [None])[0]
            dist_id = self.context.require("streaming", given)
            config, _ = streaming.get_config(self.session.client("cloudfront"), dist_id)
            return [cmd2.CompletionItem(c) for c in streaming.cnames_of(config)]

        return _choices(items)


def choose(kind: str) -> Any:
    """A choices_provider completing the live IDs of `kind` (any kind of the registry)."""
    return functools.partial(CfShellCommandSet.choose_ids, kind=kind)


CfShellCommandSet.choose_streaming = choose("streaming")
CfShellCommandSet.choose_oai = choose("oai")
CfShellCommandSet.choose_bucket = choose("bucket")


def _meta(*parts: Any) -> str:
    return "  ".join(str(p) for p in parts if p)


def _choices(build: Any) -> cmd2.Choices:
    """Completion never breaks the line being typed: a failure shows as a one-line hint."""
    try:
        return cmd2.Choices(items=build(), is_sorted=False)
    except Exception as exc:  # noqa: BLE001 - shown, not raised
        error = translate(exc)
        raise cmd2.CompletionError(str(error) if error else f"cannot complete: {exc}") from None


def confirm(app: Any, session: Any, action: str, *, yes: bool = False) -> None:
    """Go on only if the user agrees to `action` (or `yes`/--yes); else raise NotConfirmed.

    Outside a terminal nobody can answer, so a script needs --yes.
    """
    if yes or session.assume_yes:
        return
    if not session.interactive or not _stdin_is_tty(app):
        raise NotConfirmed(
            f"{action} needs confirmation: add --yes when not running in a terminal "
            "(nothing was changed)"
        )
    answer = app.read_input(f"{action}? [y/N] ").strip().lower()
    if answer not in ("y", "yes"):
        raise NotConfirmed(f"{action}: cancelled, nothing was changed")


def _stdin_is_tty(cmd: Any) -> bool:
    return _is_tty(getattr(cmd, "stdin", None) or sys.stdin)


def _is_tty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
