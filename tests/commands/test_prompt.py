"""The prompt shows the selection, whole while it is short, abbreviated when it would grow long;
`context` always shows it whole."""

from __future__ import annotations

from cfshell.app import PROMPT_WIDTH

STREAMING = "E2QWRUHAPOMQZL"
OAI = "E3RSTUVWXYZK4C"
OAC = "E1OACABCDEF123"
KEY_GROUP = "7f426849-d8c2-4039-be80-5ed130c08154"


def test_a_short_selection_is_shown_whole(shell):
    shell.ok(f"use streaming {STREAMING}")
    assert shell.app.prompt == f"cfshell[sim] streaming:{STREAMING}> "


def test_four_things_selected_keep_the_prompt_short(shell):
    for line in (
        f"use streaming {STREAMING}",
        f"use oai {OAI}",
        f"use key-group {KEY_GROUP}",
        "use bucket my-video-bucket",
    ):
        shell.ok(line)
    assert shell.app.prompt == "cfshell[sim] s:…OMQZL oai:…YZK4C kg:…08154 b:my-video-b…> "
    assert len(shell.app.prompt) <= PROMPT_WIDTH
    out = shell.ok("context")
    for whole in (STREAMING, OAI, KEY_GROUP, "my-video-bucket"):
        assert whole in out


def test_kinds_with_the_same_initials_keep_their_names(shell):
    shell.ok(f"use oai {OAI}")
    shell.ok(f"use oac {OAC}")
    shell.ok(f"use streaming {STREAMING}")
    shell.ok(f"use key-group {KEY_GROUP}")
    assert shell.app.prompt == "cfshell[sim] s:…OMQZL oai:…YZK4C oac:…EF123 kg:…08154> "
