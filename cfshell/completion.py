"""Tab at the prompt: one match is inserted; several are listed, and nothing is inserted.

prompt_toolkit's Tab inserts the part all matches share before listing them: on
`streaming get <Tab>` with two live IDs that is `E`, a prefix of no ID, which Enter would then
run as `streaming get E`. Here several matches only open the menu (Tab again walks it), so the
line holds what was typed or one whole match.
"""

from __future__ import annotations

from typing import Any

from prompt_toolkit.buffer import CompletionState
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.key_binding import KeyBindings


def add_tab_binding(bindings: KeyBindings) -> KeyBindings:
    """Bind Tab on `bindings` (cmd2's, which come after prompt_toolkit's and so win)."""

    @bindings.add("tab")
    def _tab(event: Any) -> None:
        buffer = event.current_buffer
        if buffer.complete_state:
            buffer.complete_next()
            return
        event.app.create_background_task(complete_whole(buffer))

    return bindings


async def complete_whole(buffer: Any) -> None:
    """Complete `buffer`'s word: the match if there is one, else the menu of all of them."""
    if buffer.completer is None:
        return
    document = buffer.document
    event = CompleteEvent(completion_requested=True)
    found = [c async for c in buffer.completer.get_completions_async(document, event)]
    if buffer.document != document or buffer.complete_state:
        return  # typed on meanwhile, or the completer changed the line itself (a quote)
    if len(found) == 1:
        buffer.apply_completion(found[0])
    elif found:
        buffer.complete_state = CompletionState(original_document=document, completions=found)
        buffer.on_completions_changed.fire()
