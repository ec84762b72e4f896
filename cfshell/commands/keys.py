"""`key ...` and `key-group ...`: the public keys that verify signed URLs, and their groups.

    key generate NAME [--algorithm rsa2048|ecdsa-p256] [--out FILE] | upload NAME FILE
    key list | get [ID] | delete [ID] [--yes]
    key-group list | get [ID] | create NAME --key ID... | add [ID] --key ID | remove [ID] --key ID
    key-group delete [ID] [--yes]

The private key never leaves the file `key generate` writes (0600, never over an existing file):
by default the key store (cfshell.keystore: ~/.cfshell/keys/ID.pem), where `sign` finds it by the
public key's ID; a file given with --out is remembered by name for the session.
"""

from __future__ import annotations

import argparse
from typing import Any

import cmd2

from .. import keystore
from ..aws import keys
from ..errors import refusal
from ..render import fields
from .base import (
    add_id_argument,
    add_output_options,
    add_select_option,
    add_yes_option,
    base_parser,
    choose,
    new_parser,
)
from .distribution import ModernCommandSet

KEY_VIEW = fields(("Id", "ID"), "Name", ("CreatedTime", "Created"), "Comment")
KEY_GET_VIEW = fields(
    ("Id", "ID"),
    "ETag",
    "Name",
    ("CreatedTime", "Created"),
    "Comment",
    ("PrivateKeyFile", "Private key file"),
    ("EncodedKey", "Public key"),
)
GROUP_VIEW = fields(("Id", "ID"), "Name", ("Keys", "Public keys"), "Comment")
GROUP_GET_VIEW = fields(
    ("Id", "ID"),
    "ETag",
    "Name",
    ("Keys", "Public keys"),
    "Comment",
    ("LastModifiedTime", "Last modified"),
)


def _key_summary(key: dict[str, Any], etag: str = "", key_file: str = "") -> dict[str, Any]:
    config = key.get("PublicKeyConfig", key)
    record = {
        "Id": key.get("Id", ""),
        "Name": config.get("Name", ""),
        "CreatedTime": key.get("CreatedTime"),
        "Comment": config.get("Comment", ""),
        "EncodedKey": config.get("EncodedKey", ""),
    }
    if etag:
        record["ETag"] = etag
        record["PrivateKeyFile"] = key_file
    return record


def _group_summary(group: dict[str, Any], etag: str = "") -> dict[str, Any]:
    config = group.get("KeyGroupConfig", {})
    record = {
        "Id": group.get("Id", ""),
        "Name": config.get("Name", ""),
        "Keys": list(config.get("Items") or []),
        "Comment": config.get("Comment", ""),
        "LastModifiedTime": group.get("LastModifiedTime"),
    }
    if etag:
        record["ETag"] = etag
    return record


def _selected(args: argparse.Namespace) -> str:
    return "" if args.no_select else " (selected)"


def _key_id_arg(parser: argparse.ArgumentParser) -> None:
    add_id_argument(parser, "public key", choose("key"))


def _group_id_arg(parser: argparse.ArgumentParser) -> None:
    add_id_argument(parser, "key group", choose("key-group"))


def _key_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument(
        "--key",
        action="append",
        required=True,
        metavar="ID",
        dest="keys",
        help=help_text,
        choices_provider=choose("key"),
    )


def _generate_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Make a key pair: the private key goes to the key store ~/.cfshell/keys/ (a file "
        "named by the public key's ID, mode 0600) or to --out FILE (never over an existing "
        "file), the public key is uploaded and added to the selected key group, or to a new "
        "one named NAME. Selects the key and the group (unless --no-select).",
        "examples:\n  key generate video-signer\n"
        "  key generate video-signer --algorithm ecdsa-p256 --out ~/.cfshell/video.pem",
    )
    parser.add_argument("name", metavar="NAME", help="name of the public key")
    parser.add_argument(
        "--algorithm",
        choices=keys.ALGORITHMS,
        default=keys.DEFAULT_ALGORITHM,
        help="key type (default rsa2048)",
    )
    parser.add_argument(
        "--out",
        metavar="FILE",
        help="private key file (default: the key store, ~/.cfshell/keys/ID.pem)",
    )
    return add_select_option(parser)


def _upload_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Upload a public key (from a public key PEM, or the public half of a private key "
        "file) and select it.",
        "example:\n  key upload laptop-signer public.pem",
    )
    parser.add_argument("name", metavar="NAME", help="name of the public key")
    parser.add_argument("file", metavar="FILE", help="PEM file", completer=cmd2.Cmd.path_complete)
    return add_select_option(parser)


def _list_parser(what: str) -> Any:
    def build() -> cmd2.Cmd2ArgumentParser:
        return add_output_options(new_parser(f"List {what}."))

    return build


def _key_get_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser("Show one public key.", "example:\n  key get")
    _key_id_arg(parser)
    return add_output_options(parser)


def _key_delete_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Delete a public key (remove it from its key groups first).", "example:\n  key delete --yes"
    )
    _key_id_arg(parser)
    return add_yes_option(parser)


def _group_get_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser("Show one key group.", "example:\n  key-group get")
    _group_id_arg(parser)
    return add_output_options(parser)


def _group_create_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Create a key group of public keys (and select it).",
        "example:\n  key-group create video-signers --key K2JCJMDEHXQW5F",
    )
    parser.add_argument("name", metavar="NAME", help="key group name")
    _key_option(parser, "public key ID (repeatable, at most 5)")
    return add_select_option(parser)


def _group_add_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser("Add public keys to a key group.", "example:\n  key-group add --key K2J...")
    _group_id_arg(parser)
    _key_option(parser, "public key ID to add (repeatable)")
    return parser


def _group_remove_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Remove public keys from a key group (a group cannot be left empty).",
        "example:\n  key-group remove --key K2J...",
    )
    _group_id_arg(parser)
    _key_option(parser, "public key ID to remove (repeatable)")
    return parser


def _group_delete_parser() -> cmd2.Cmd2ArgumentParser:
    parser = new_parser(
        "Delete a key group (no distribution may trust it).", "example:\n  key-group delete --yes"
    )
    _group_id_arg(parser)
    return add_yes_option(parser)


class KeyCommands(ModernCommandSet):
    """`key` and `key-group`."""

    ABSTRACT = False
    DEFAULT_CATEGORY = "Signing keys"

    @cmd2.with_argparser(base_parser("Public keys for signed URLs and cookies."))
    def do_key(self, args: argparse.Namespace) -> None:
        """Public keys."""
        args.cmd2_subcommand_func(args)

    @cmd2.with_argparser(base_parser("Key groups: the public keys a distribution trusts."))
    def do_key_group(self, args: argparse.Namespace) -> None:
        """Key groups."""
        args.cmd2_subcommand_func(args)

    # --- key ------------------------------------------------------------------------------

    @cmd2.as_subcommand_to("key", "generate", _generate_parser, help="make, write, upload a key")
    def _generate(self, args: argparse.Namespace) -> None:
        group_id = self.context.get("key-group")
        result = self.call(
            keys.generate,
            self.cf(),
            args.name,
            algorithm=args.algorithm,
            out=args.out,
            key_group_id=group_id,
            id=group_id or "",
            kind="key-group",
        )
        if args.out:
            self.key_files()[result.public_key_id] = result.private_key_path
        self.select_created(args, "key", result.public_key_id, args.name)
        group_name = "" if group_id else args.name
        self.select_created(args, "key-group", result.key_group_id, group_name)
        self.say(
            f"generated {result.algorithm} key pair {args.name}: private key in "
            f"{keystore.display(result.private_key_path)} (mode 0600, keep it secret)"
        )
        selected = "" if args.no_select else "selected; "
        self.say(f"uploaded public key {result.public_key_id} ({selected}the Key-Pair-Id)")
        how = "created key group" if result.key_group_created else "added to key group"
        self.say(f"{how} {result.key_group_id}" + _selected(args))

    @cmd2.as_subcommand_to("key", "upload", _upload_parser, help="upload a public key")
    def _upload(self, args: argparse.Namespace) -> None:
        pem = keys.read_public_key(args.file)
        key, _ = self.call(keys.upload_public_key, self.cf(), args.name, pem)
        self.select_created(args, "key", key["Id"], args.name)
        self.say(f"uploaded public key {key['Id']} ({args.name})" + _selected(args))

    @cmd2.as_subcommand_to("key", "list", _list_parser("public keys"), help="list public keys")
    def _key_list(self, args: argparse.Namespace) -> None:
        rows = [_key_summary(k) for k in keys.iter_public_keys(self.cf())]
        self.show_rows(rows, KEY_VIEW, args, empty="no public keys")

    @cmd2.as_subcommand_to("key", "get", _key_get_parser, help="show one public key")
    def _key_get(self, args: argparse.Namespace) -> None:
        key_id = self.context.require("key", args.id)
        key, etag = self.call_on(keys.get_public_key, key_id)
        self.show_record(_key_summary(key, etag, self.private_key_file(key_id)), KEY_GET_VIEW, args)

    @cmd2.as_subcommand_to("key", "delete", _key_delete_parser, help="delete one public key")
    def _key_delete(self, args: argparse.Namespace) -> None:
        key_id = self.context.require("key", args.id)
        held = self.call(keys.groups_holding, self.cf(), key_id)
        if held:  # said before the prompt, naming the groups
            raise refusal("PublicKeyInUse", id=key_id, related=held)
        self.confirm(f"delete public key {key_id}", args)
        self.call_on(keys.delete_public_key, key_id)
        self.context.forget("key", key_id)
        self.say(f"deleted public key {key_id}")

    def private_key_file(self, key_id: str) -> str:
        """Where this machine holds the private key of `key_id`: a file `key generate --out`
        wrote in this session, else the key store's (as `~/...`); '' if nowhere."""
        path = self.key_files().get(key_id) or keystore.find(key_id)
        return keystore.display(path) if path else ""

    # --- key-group ------------------------------------------------------------------------

    @cmd2.as_subcommand_to("key-group", "list", _list_parser("key groups"), help="list key groups")
    def _group_list(self, args: argparse.Namespace) -> None:
        rows = [_group_summary(g) for g in keys.iter_key_groups(self.cf())]
        self.show_rows(rows, GROUP_VIEW, args, empty="no key groups")

    @cmd2.as_subcommand_to("key-group", "get", _group_get_parser, help="show one key group")
    def _group_get(self, args: argparse.Namespace) -> None:
        group_id = self.context.require("key-group", args.id)
        group, etag = self.call_on(keys.get_key_group, group_id, kind="key-group")
        self.show_record(_group_summary(group, etag), GROUP_GET_VIEW, args)

    @cmd2.as_subcommand_to("key-group", "create", _group_create_parser, help="create one")
    def _group_create(self, args: argparse.Namespace) -> None:
        key_ids = [self.context.require("key", k) for k in args.keys]
        group, _ = self.call(keys.create_key_group, self.cf(), args.name, key_ids)
        self.select_created(args, "key-group", group["Id"], args.name)
        held = ", ".join(_group_summary(group)["Keys"])
        self.say(f"created key group {group['Id']} ({args.name}) with {held}" + _selected(args))

    @cmd2.as_subcommand_to("key-group", "add", _group_add_parser, help="add public keys")
    def _group_add(self, args: argparse.Namespace) -> None:
        group_id = self.context.require("key-group", args.id)
        key_ids = [self.context.require("key", k) for k in args.keys]
        group, _ = self.call_on(keys.add_keys_to_group, group_id, key_ids, kind="key-group")
        self.say(f"key group {group_id} holds {', '.join(_group_summary(group)['Keys'])}")

    @cmd2.as_subcommand_to("key-group", "remove", _group_remove_parser, help="remove public keys")
    def _group_remove(self, args: argparse.Namespace) -> None:
        group_id = self.context.require("key-group", args.id)
        key_ids = [self.context.require("key", k) for k in args.keys]
        group, _ = self.call_on(keys.remove_keys_from_group, group_id, key_ids, kind="key-group")
        self.say(f"key group {group_id} holds {', '.join(_group_summary(group)['Keys'])}")

    @cmd2.as_subcommand_to("key-group", "delete", _group_delete_parser, help="delete one")
    def _group_delete(self, args: argparse.Namespace) -> None:
        group_id = self.context.require("key-group", args.id)
        trusted_by = self.call(keys.trusting, self.cf(), group_id)
        if trusted_by:  # said before the prompt, naming the distributions
            raise refusal("ResourceInUse", id=group_id, kind="key-group", related=trusted_by)
        self.confirm(f"delete key group {group_id}", args)
        self.call_on(keys.delete_key_group, group_id, kind="key-group")
        self.context.forget("key-group", group_id)
        self.say(f"deleted key group {group_id}")


# A command name with a hyphen cannot be written as a method name: rename it after the fact.
KeyCommands.do_key_group.__name__ = "do_key-group"  # what help and usage show
setattr(KeyCommands, "do_key-group", KeyCommands.do_key_group)  # noqa: B010
del KeyCommands.do_key_group
