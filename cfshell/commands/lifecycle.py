"""The flows several resource commands share, driven by a description of the kind.

`Resource` names one kind (its command, which is also its kind in the context; its nouns; its
service module; the completer of its live IDs; its views) and `ResourceCommands` runs list,
get and delete for the set's `KIND` (oai, oac).

`Deployable` adds what `distribution` and `streaming` share: both are deployed by CloudFront,
refuse deletion until disabled and Deployed, and are changed by read-modify-write, through a
service module satisfying cfshell.aws.deployable.DeployableService. `DeployableCommands` runs
create, modify, wait and `delete --force` for them; each family adds only its own options.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Self

import cmd2

from .. import kinds, names
from ..aws.waiting import format_elapsed
from ..errors import (
    AwsError,
    CfShellError,
    Interrupted,
    StepsFailed,
    UsageError,
    missing_bucket,
    refusal,
    refused_cname,
    translate,
)
from ..render import Field, cell
from .base import (
    CfShellCommandSet,
    add_id_argument,
    add_output_options,
    add_select_option,
    add_yes_option,
    base_parser,
    new_parser,
)
from .texts import TEXTS, Texts

if TYPE_CHECKING:
    from ..aws.deployable import DeployableService
    from ..session import Session

SELECTED = "\0selected"  # `--oai` (or `--oac`) given without an ID: the selected one
REPORT_EVERY = 15.0  # seconds between two progress lines of an unchanged status

Record = dict[str, Any]


@dataclass(frozen=True)
class Resource:
    """One kind a command set manages.

    command: its command, also its kind in the context and the registry ("oai").
    noun / plural: how messages name one or several ("origin access identity").
    service: its module in cfshell.aws (iter_summaries, summarize_item, get, summarize, delete).
    choose: the completer of its live IDs; id_noun: how the `[ID]` help names it.
    list_view / get_view: the fields `list` and `get` show.
    texts: its words (cfshell.commands.texts); delete_etag: whether `delete` takes an ETAG.
    in_use_code: the code AWS refuses deleting one in use with; the service's `used_by(cf, id)`
        names the users ((kind, ID) pairs), before the prompt and in that refusal.
    origin_grant: bucket policies (and ACLs) may name it: `delete` reports what still does
        and takes --clean and --bucket (the service's `grant_subject(cf, id)` names it).
    """

    command: str
    noun: str
    plural: str
    service: Any
    choose: Any
    list_view: Sequence[Field]
    get_view: Sequence[Field]
    texts: Texts
    delete_etag: bool = False
    id_noun: str = ""
    in_use_code: str = ""
    origin_grant: bool = False

    @classmethod
    def of(
        cls,
        command: str,
        service: Any,
        choose: Any,
        views: tuple[Sequence[Field], Sequence[Field]],
        **more: Any,
    ) -> Self:
        """The kind the registry (cfshell.kinds) names `command`; `views`: of list and get."""
        noun = kinds.noun(command)
        plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
        list_view, get_view = views
        return cls(
            command=command,
            noun=noun,
            plural=plural,
            service=service,
            choose=choose,
            list_view=list_view,
            get_view=get_view,
            texts=TEXTS[command],
            **more,
        )


@dataclass(frozen=True, kw_only=True)
class Deployable(Resource):
    """A distribution family: `service` is a DeployableService; `origin(record)` says where a
    summary reads from; `modifiable` names the fields a modify reports, in its order."""

    service: DeployableService
    origin: Callable[[Record], str]
    modifiable: str  # field names, separated by spaces

    def modifiable_labels(self) -> list[tuple[str, str]]:
        """(field, label) of each modifiable field: its heading in `get`'s view, lower case."""
        titles = {f.key: f.heading or f.key for f in self.get_view}
        return [(key, _lower(titles[key])) for key in self.modifiable.split()]


def _lower(title: str) -> str:
    """`Trusted signers` -> `trusted signers`; an acronym (`OAI`, `CNAMEs`) stays."""
    return title if title[1:2].isupper() else title[:1].lower() + title[1:]


# How both families' views start: ID, (ETag,) status, enabled, domain name.
LIST_HEAD = (("Id", "ID"), "Status", "Enabled", ("DomainName", "Domain name"))
GET_HEAD = (("Id", "ID"), "ETag", *LIST_HEAD[1:])


def signers_field(name: str, label: str, signer: str) -> Field:
    """The field of who may sign (cfshell.aws.deployable.active_signers): `SIGNER: KEY IDS; ...`."""

    def show(items: Sequence[Record] | None) -> str:
        return "; ".join(f"{i[signer]}: {cell(i['KeyPairIds'])}" for i in items or []) or "-"

    return Field(name, label, show)


# --- parsers ----------------------------------------------------------------------------------


def id_arg(parser: argparse.ArgumentParser | Any, kind: Resource) -> None:
    add_id_argument(parser, kind.id_noun or kind.noun, kind.choose)


def parser(kind: Resource, name: str) -> cmd2.Cmd2ArgumentParser:
    """A parser for `<command> <name>` with its description and example (texts), and the
    `[ID]` argument unless it is `list` or `create`."""
    description, epilog = kind.texts.sub[name]
    made = new_parser(description or WAIT_DESCRIPTION, epilog)
    if name not in ("list", "create"):
        id_arg(made, kind)
    return made


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


WAIT_DESCRIPTION = (
    "Wait until the distribution is Deployed, showing elapsed time and status. "
    "Ctrl-C stops waiting (the shell stays)."
)


def _list_parser(kind: Resource) -> cmd2.Cmd2ArgumentParser:
    return add_output_options(parser(kind, "list"))


def _get_parser(kind: Resource) -> cmd2.Cmd2ArgumentParser:
    return add_output_options(parser(kind, "get"))


def _wait_parser(kind: Resource) -> cmd2.Cmd2ArgumentParser:
    made = parser(kind, "wait")
    made.add_argument(
        "--timeout",
        type=float,
        metavar="S",
        help="seconds to wait at most (default: `set wait_timeout`, else AWS's waiter limit)",
    )
    return made


def _delete_parser(kind: Resource) -> cmd2.Cmd2ArgumentParser:
    """`delete [ID] [ETAG] [--force] [--yes]`: ETAG where the kind takes one, --force for the
    deployable kinds."""
    made = parser(kind, "delete")
    if kind.delete_etag:
        made.add_argument("etag", nargs="?", metavar="ETAG", help=f"ETag from `{kind.command} get`")
    if isinstance(kind, Deployable):
        made.add_argument("--force", action="store_true", help="disable, wait, then delete")
    if kind.origin_grant:
        label = kinds.get(kind.command).short if kinds.get(kind.command) else kind.noun
        made.add_argument(
            "--clean",
            action="store_true",
            help=f"also remove the bucket-policy statements naming only this {label}"
            + (" and its object ACL grants" if kind.command == "oai" else ""),
        )
        made.add_argument(
            "--bucket",
            action="append",
            default=[],
            dest="buckets",
            metavar="BUCKET",
            help="look in this bucket too (repeatable; the buckets the account's distributions "
            "read from, and the selected one, are always looked in)",
            choices_provider=CfShellCommandSet.choose_bucket,
        )
    return add_yes_option(made)


def create_parser(kind: Deployable, bucket_help: str) -> cmd2.Cmd2ArgumentParser:
    """`create BUCKET` of a distribution family; its options come after."""
    made = parser(kind, "create")
    made.add_argument(
        "bucket",
        metavar="BUCKET",
        help=bucket_help,
        choices_provider=CfShellCommandSet.choose_bucket,
    )
    return made


def add_create_options(made: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """`--disabled` and `--no-select`, the last options of a distribution's create."""
    made.add_argument("--disabled", action="store_true", help="create it disabled")
    return add_select_option(made)


def add_cname_option(parser: argparse.ArgumentParser, *, modify: bool) -> None:
    """`-c/--cname HOST`, repeatable; on a modify it replaces every CNAME."""
    parser.add_argument(
        "-c",
        "--cname",
        action="append",
        metavar="HOST",
        dest="cnames",
        help="alternate domain name (repeatable" + ("; replaces all)" if modify else ")"),
    )


def add_oai_option(parser: argparse.ArgumentParser | Any, *flags: str, instead: str = "") -> None:
    """`--oai [ID]`: an origin access identity, the selected one when no ID follows."""
    parser.add_argument(
        *flags,
        nargs="?",
        const=SELECTED,
        metavar="ID",
        help=f"origin access identity{instead} (without ID: the selected one)",
        choices_provider=CfShellCommandSet.choose_oai,
    )


def add_state_options(parser: argparse.ArgumentParser) -> None:
    """`-e/--enable | -d/--disable`, for a modify."""
    state = parser.add_mutually_exclusive_group()
    state.add_argument("-e", "--enable", action="store_true", help="enable it")
    state.add_argument("-d", "--disable", action="store_true", help="disable it")


def add_cname_edits(parser: argparse.ArgumentParser, choose_cname: Any) -> None:
    """`--add-cname HOST` and `--remove-cname HOST` (completed by `choose_cname`), for a modify."""
    parser.add_argument(
        "--add-cname", action="append", default=[], metavar="HOST", help="add one CNAME"
    )
    parser.add_argument(
        "--remove-cname",
        action="append",
        default=[],
        metavar="HOST",
        help="remove one CNAME",
        choices_provider=choose_cname,
    )


def _base_command(kind: Resource) -> Callable[[Any, argparse.Namespace], None]:
    """`do_<command>`: the command itself, which only dispatches to its subcommands."""
    doc, description = kind.texts.about, kind.texts.description

    def dispatch(self: Any, args: argparse.Namespace) -> None:
        args.cmd2_subcommand_func(args)

    dispatch.__name__ = dispatch.__qualname__ = f"do_{kind.command}"
    dispatch.__doc__ = doc
    return cmd2.with_argparser(base_parser(description))(dispatch)


def _subcommand(kind: Resource, name: str) -> Callable[[Any, argparse.Namespace], None]:
    """`<command> <name>` (list, get, wait, delete), running the set's `<name>_command`."""
    parsers: dict[str, tuple[Callable[[Resource], cmd2.Cmd2ArgumentParser], str]] = {
        "list": (_list_parser, f"list {kind.plural}"),
        "get": (_get_parser, f"show one {kind.noun}"),
        "wait": (_wait_parser, "wait until Deployed"),
        "delete": (_delete_parser, "delete one"),
    }
    build, help_text = parsers[name]

    def run(self: Any, args: argparse.Namespace) -> None:
        getattr(self, f"{name}_command")(args)

    run.__name__ = run.__qualname__ = f"_{name}"
    return cmd2.as_subcommand_to(kind.command, name, lambda: build(kind), help=help_text)(run)


# --- flows ------------------------------------------------------------------------------------


class ResourceCommands(CfShellCommandSet):
    """Base of a resource's command set: list, get and delete for `KIND`.

    A set names its kind where it is declared, `class OaiCommands(ResourceCommands,
    kind=KIND)`: that makes the command (`do_oai`), its shared subcommands (`SUBCOMMANDS`)
    and the set's help category, and registers the set (not ABSTRACT). The set's body adds
    what is its own (create, modify...).
    """

    ABSTRACT = True  # a base: a set naming its kind is registered
    KIND: ClassVar[Resource]
    SUBCOMMANDS: ClassVar[tuple[str, ...]] = ("list", "get", "delete")
    if TYPE_CHECKING:
        session: Session

    def __init_subclass__(cls, kind: Resource | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if kind is None:
            return
        cls.KIND = kind
        cls.ABSTRACT = False
        cls.DEFAULT_CATEGORY = kind.texts.category
        setattr(cls, f"do_{kind.command}", _base_command(kind))
        for name in cls.SUBCOMMANDS:
            setattr(cls, f"_{name}", _subcommand(kind, name))

    # --- the shared subcommands run these ------------------------------------------------

    def list_command(self, args: argparse.Namespace) -> None:
        service = self.KIND.service
        rows = [service.summarize_item(i) for i in service.iter_summaries(self.cf())]
        self.show_rows(rows, self.KIND.list_view, args, empty=f"no {self.KIND.plural}")

    def get_command(self, args: argparse.Namespace) -> None:
        resource_id = self.context.require(self.KIND.command, args.id)
        found, etag = self.call_on(self.KIND.service.get, resource_id)
        self.show_record(self.KIND.service.summarize(found, etag), self.KIND.get_view, args)

    def delete_command(self, args: argparse.Namespace) -> None:
        kind = self.KIND
        resource_id = self.context.require(kind.command, args.id)
        etag = getattr(args, "etag", None)
        force = getattr(args, "force", False)
        if force and etag:
            raise UsageError("--force fetches fresh ETags as it goes: leave out the ETAG")
        self.check_deletable(resource_id, force=force)  # before the prompt: no useless "yes"
        subject, leftovers = self.leftovers(resource_id, args)
        self.confirm(f"delete {kind.noun} {resource_id}", args)
        if force:
            self.force_delete(resource_id)
        else:
            self.delete_one(resource_id, etag)
            self.say(f"deleted {kind.noun} {resource_id}")
        self.context.forget(kind.command, resource_id)
        if leftovers and args.clean:
            self.clean(resource_id, subject, leftovers)

    # --- what still names an OAI or OAC (kinds with origin_grant) -------------------------

    def leftovers(self, resource_id: str, args: argparse.Namespace) -> tuple[dict[str, str], list]:
        """How grants name the resource, and what still names it in the buckets looked in;
        said before the prompt (what --clean would remove, or removes)."""
        kind = self.KIND
        if not kind.origin_grant:
            return {}, []
        from ..aws import buckets as s3_buckets
        from ..aws import grants

        try:
            subject = self.call_on(kind.service.grant_subject, resource_id)
        except AwsError as error:
            entry = kinds.get(kind.command)
            if entry is not None and error.code in entry.not_found_codes:
                return {}, []  # the delete says it is missing
            raise
        given = [names.bucket_name(b) for b in args.buckets]
        for bucket in given:  # a bucket named by the user is checked; found ones may be gone
            exists = self.call(
                s3_buckets.bucket_exists, self.session.client("s3"), bucket, bucket=bucket
            )
            if not exists:
                raise missing_bucket(bucket)
        buckets = grants.origin_buckets(self.cf()) + given
        if self.context.get("bucket"):
            buckets.append(self.context.get("bucket"))
        found = self.call(
            grants.find_leftovers,
            self.session.client("s3"),
            buckets,
            concurrency=self.session.concurrency,
            **subject,
        )
        self.say_leftovers(resource_id, found, args.clean)
        return subject, found

    def say_leftovers(self, resource_id: str, found: list, clean: bool) -> None:
        what = f"{self.short()} {resource_id}"
        for left in found:
            where = f"bucket {left.bucket}:"
            for label in left.statements:
                self.say(f"{where} policy statement {label} names only {what}")
            for label in left.shared:
                self.say(
                    f"{where} policy statement {label} names {what} among other principals "
                    "(--clean leaves it: edit that policy)"
                )
            if left.acl_objects:
                read = "" if left.acl_complete else f" (of the first {left.acl_scanned} read)"
                self.say(f"{where} {left.acl_objects} object ACLs grant {what}{read}")
        if not clean and any(left.statements or left.acl_objects for left in found):
            self.say(f"add --clean to remove them with {what}; without it they stay")

    def clean(self, resource_id: str, subject: dict[str, str], found: list) -> None:
        """Remove what names the deleted resource (policy statements naming only it, ACLs)."""
        from ..aws import grants

        what = f"{self.short()} {resource_id}"
        cleaned = self.call(
            grants.clean_leftovers,
            self.session.client("s3"),
            found,
            concurrency=self.session.concurrency,
            **subject,
        )
        for done in cleaned:
            if done.statements:
                gone = "; it was all the policy said, so the policy was deleted"
                self.say(
                    f"removed {_plural(done.statements, 'policy statement')} naming {what} "
                    f"from bucket {done.bucket}" + (gone if done.policy_deleted else "")
                )
            if done.acl_objects or done.acl_failed:
                failed = f" ({done.acl_failed} failed: run `oai revoke`)" if done.acl_failed else ""
                self.say(
                    f"revoked {what}'s ACL grants on {_plural(done.acl_objects, 'object')} "
                    f"of bucket {done.bucket}{failed}"
                )

    def short(self) -> str:
        entry = kinds.get(self.KIND.command)
        return entry.short if entry else self.KIND.noun

    def check_deletable(self, resource_id: str, *, force: bool = False) -> None:
        """Refuse what AWS would refuse and can be known now: one in use (naming its users).
        A missing one is left to the delete to report."""
        users = self.users_of(resource_id)
        if users:
            raise self.in_use(resource_id, users)

    def users_of(self, resource_id: str) -> list[tuple[str, str]]:
        """(kind, ID) of what uses the resource, when the kind can tell (its `used_by`)."""
        used_by = getattr(self.KIND.service, "used_by", None)
        if not self.KIND.in_use_code or used_by is None:
            return []
        return list(self.call(used_by, self.cf(), resource_id))

    def in_use(self, resource_id: str, users: list[tuple[str, str]]) -> AwsError:
        kind = self.KIND
        return refusal(kind.in_use_code, id=resource_id, kind=kind.command, related=users)

    def delete_one(self, resource_id: str, etag: str | None) -> None:
        """Delete; a refusal is said again with what it is about (`explained`)."""
        try:
            self.call_on(self.KIND.service.delete, resource_id, etag)
        except AwsError as error:
            raise self.explained(error, resource_id) from error.__cause__

    def explained(self, error: AwsError, resource_id: str) -> CfShellError:
        """`error` naming the other resource involved: the users of one still in use."""
        if error.code and error.code == self.KIND.in_use_code:
            users = self.users_of(resource_id)
            if users:
                return self.in_use(resource_id, users)
        return error

    def again(self, error: AwsError, resource_id: str = "", **context: Any) -> CfShellError:
        """`error` translated once more, with what the command looked up since (`context`, as
        cfshell.errors.from_client_error takes it)."""
        cause = error.__cause__
        simulated = "true" if self.session.offline else ""
        found = translate(cause, id=resource_id, simulated=simulated, **context) if cause else None
        return found or error

    def force_delete(self, resource_id: str) -> None:
        """`delete --force`: only deployable kinds have it (DeployableCommands)."""
        raise UsageError(f"{self.KIND.command} delete has no --force")

    def select_new(self, args: argparse.Namespace, resource_id: str, label: str = "") -> str:
        """Select what a create made (unless --no-select); the words its message ends with."""
        self.select_created(args, self.KIND.command, resource_id, label)
        return "" if getattr(args, "no_select", False) else " (selected)"

    def shown_as_json(self, args: argparse.Namespace, record: Record) -> bool:
        """With JSON output, show `record` as the command's whole answer; True if shown."""
        if not self.json_output(args):
            return False
        self.show(self.renderer.value(record))
        return True


class DeployableCommands(ResourceCommands):
    """Base of the `distribution` and `streaming` sets: the flows both run, for `KIND`."""

    KIND: ClassVar[Deployable]
    SUBCOMMANDS = ("list", "get", "wait", "delete")

    def wait_command(self, args: argparse.Namespace) -> None:
        self.wait_deployed(self.context.require(self.KIND.command, args.id), args.timeout)

    # --- create and modify ----------------------------------------------------------------

    def new_bucket(self, given: str) -> str:
        """The bucket name in `given` (a name or an S3 domain); an error if it does not exist."""
        from ..aws import buckets

        bucket = names.bucket_name(given)
        if not self.call(buckets.bucket_exists, self.session.client("s3"), bucket, bucket=bucket):
            raise missing_bucket(bucket)
        return bucket

    def oai_arg(self, value: str | None) -> str | None:
        """The OAI ID of `--oai [ID]` (None when not given)."""
        if value is None:
            return None
        return self.context.require("oai", None if value == SELECTED else value)

    def create_from(self, args: argparse.Namespace, config: Record) -> tuple[Record, bool]:
        """Create from `config`, select it (unless --no-select) and say so, or show it as
        JSON; the distribution, and whether its sentence was said (not JSON)."""
        kind = self.KIND
        try:
            dist, etag = self.call(kind.service.create, self.cf(), config)
        except AwsError as error:
            raise self.cname_explained(error, config, "") from error.__cause__
        selected = self.select_new(args, dist["Id"], dist.get("DomainName", ""))
        record = kind.service.summarize(dist, etag)
        if self.shown_as_json(args, record):
            return dist, False
        self.say(
            f"created {kind.noun} {dist['Id']} on {kind.origin(record)}: "
            f"domain {record['DomainName']}, status {record['Status']}{selected}"
        )
        return dist, True

    def common_changes(self, args: argparse.Namespace) -> dict[str, Any]:
        """The changes of the options both modify commands take: comment, state, CNAMEs."""
        if args.cnames is not None and (args.add_cname or args.remove_cname):
            raise UsageError(
                "--cname replaces every CNAME: do not combine it with --add-cname/--remove-cname"
            )
        changes: dict[str, Any] = {}
        if args.comment is not None:
            changes["comment"] = args.comment
        if args.enable or args.disable:
            changes["enabled"] = bool(args.enable)
        if args.cnames is not None:
            changes["cnames"] = args.cnames
        if args.add_cname:
            changes["add_cnames"] = args.add_cname
        if args.remove_cname:
            changes["remove_cnames"] = args.remove_cname
        return changes

    def cname_explained(self, error: AwsError, config: Record, dist_id: str) -> CfShellError:
        """A CNAMEAlreadyExists naming the CNAME and who holds it: a distribution of this
        account (found among their aliases), else another account."""
        if error.code != "CNAMEAlreadyExists":
            return error
        from ..aws import deployable

        named = refused_cname(error.__cause__) if error.__cause__ else ""
        given = [named] if named else self.KIND.service.cnames_of(config)
        held = self.call(deployable.who_holds_cname, self.cf(), given, dist_id)
        if held:
            cname, kind, holder = held
            return self.again(error, dist_id, cname=cname, holder=(kind, holder))
        return self.again(error, dist_id, cname=named, cnames=given, holder=None)

    def nothing_to_change(self) -> UsageError:
        return UsageError(
            f"nothing to change: give an option (see `help {self.KIND.command} modify`)"
        )

    def modify_with(
        self,
        args: argparse.Namespace,
        dist_id: str,
        changes: dict[str, Any],
        more: Callable[[Record], dict[str, Any]] | None = None,
    ) -> tuple[Record, bool]:
        """Read-modify-write `changes` (and `more(config)`, worked out from the config read);
        say what changed, or show the result as JSON. The distribution written, and whether
        its sentence was said (not JSON)."""
        kind = self.KIND
        before: Record = {}
        written: Record = {}

        def change(config: Record) -> Record:
            before.update(kind.service.summarize({kind.service.FAMILY.config_key: config}))
            new = kind.service.changed(config, {**changes, **(more(config) if more else {})})
            written.update(new)
            return new

        try:
            dist, etag = self.call_on(kind.service.update, dist_id, change)
        except AwsError as error:
            raise self.cname_explained(error, written, dist_id) from error.__cause__
        after = kind.service.summarize(dist, etag)
        if self.shown_as_json(args, after):
            return dist, False
        self.say_modified(dist_id, before, after)
        return dist, True

    def say_modified(self, dist_id: str, before: Record, after: Record) -> None:
        """`modified ID: LABEL OLD -> NEW; ...; status S` over the kind's modifiable fields."""
        changed = [
            f"{label} {cell(before.get(key))} -> {cell(after.get(key))}"
            for key, label in self.KIND.modifiable_labels()
            if before.get(key) != after.get(key)
        ]
        summary = "; ".join(changed) if changed else "no change"
        self.say(f"modified {dist_id}: {summary}; status {after['Status']}")

    # --- wait and delete --force --------------------------------------------------------

    def wait_deployed(
        self, dist_id: str, timeout: float | None, *, changed_nothing: bool = True
    ) -> Record:
        """Wait until Deployed, reporting progress; `changed_nothing`: a Ctrl-C may say that
        nothing was changed (not so inside `delete --force`, which may have disabled it)."""
        limit = self.timeout_arg(timeout)
        last: dict[str, Any] = {"status": None, "shown": -1e9}

        def on_poll(elapsed: float, status: str) -> None:
            if status != last["status"] or elapsed - last["shown"] >= REPORT_EVERY:
                self.say(f"[{format_elapsed(elapsed):>7}] {dist_id} {status}")
                last.update(status=status, shown=elapsed)

        started = time.monotonic()
        try:
            dist = self.call_on(
                self.KIND.service.wait_deployed,
                dist_id,
                timeout=limit,
                interval=self.session.effective_poll_interval(),
                on_poll=on_poll,
            )
        except KeyboardInterrupt:
            raise Interrupted(
                f"stopped waiting after {format_elapsed(time.monotonic() - started)}: "
                f"{dist_id} was {last['status'] or 'not read yet'}"
                + (" (nothing was changed)" if changed_nothing else "")
            ) from None
        self.say(f"{dist_id} is Deployed after {format_elapsed(time.monotonic() - started)}")
        return dist

    def check_deletable(self, resource_id: str, *, force: bool = False) -> None:
        """Before the prompt: enabled, or disabled but still deploying, is refused with the
        next command (`--force` does both steps itself)."""
        if force:
            return
        state = self.undeletable_state(resource_id)
        if state:
            raise self.not_disabled(resource_id, state)

    def undeletable_state(self, resource_id: str) -> str:
        """What stops a delete now: "enabled", "deploying" (disabled, not yet Deployed), or ""
        (deletable, or missing: the delete reports that)."""
        kind = self.KIND
        try:
            dist, _ = self.call_on(kind.service.get, resource_id)
        except AwsError as error:
            entry = kinds.get(kind.command)
            if entry is not None and error.code in entry.not_found_codes:
                return ""
            raise
        if dist.get(kind.service.FAMILY.config_key, {}).get("Enabled"):
            return "enabled"
        return "" if dist.get("Status") == "Deployed" else "deploying"

    def not_disabled(self, resource_id: str, state: str) -> AwsError:
        code = f"{self.KIND.service.FAMILY.shape}NotDisabled"
        selected = self.context.get(self.KIND.command) == resource_id
        return refusal(code, id=resource_id, state=state, selected=selected)

    def explained(self, error: AwsError, resource_id: str) -> CfShellError:
        """A `...NotDisabled` says which: enabled, or still deploying (read again now)."""
        if error.code.endswith("NotDisabled"):
            state = self.undeletable_state(resource_id)
            if state:
                return self.not_disabled(resource_id, state)
        return super().explained(error, resource_id)

    def force_delete(self, resource_id: str) -> None:
        """Disable, wait, delete, saying each step; a failure after a change says what changed."""
        kind = self.KIND
        done: list[str] = []
        step = "read"
        try:
            config, etag = self.call_on(kind.service.get_config, resource_id)
            if config.get("Enabled"):
                step = "disable"
                self.call_on(kind.service.disable, resource_id, config, etag)
                done.append(f"disabled {resource_id}")
                self.say(f"disabled {resource_id}")
            else:
                self.say(f"{resource_id} is already disabled")
            step = "wait"
            self.wait_deployed(resource_id, None, changed_nothing=not done)
            step = "delete"
            self.call_on(kind.service.delete, resource_id, None)
            self.say(f"deleted {kind.noun} {resource_id}")
        except (Exception, KeyboardInterrupt) as exc:
            if not done:
                raise
            error = exc if isinstance(exc, CfShellError) else translate(exc)
            reason = str(error) if error else f"{type(exc).__name__}: {exc}"
            failed = StepsFailed(
                f"{kind.command} delete --force stopped at step '{step}': {reason}; "
                f"already done: {'; '.join(done)} "
                f"(run `{kind.command} delete --force` again to finish)",
                done=done,
                cause=exc,
            )
            if isinstance(exc, KeyboardInterrupt | Interrupted):
                failed.exit_status = Interrupted.exit_status  # a script stopped by Ctrl-C: 130
            raise failed from exc
