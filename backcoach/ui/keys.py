"""The help, generated from the bindings a screen really has (so it cannot drift).

A binding's `description` is its short footer label; its `tooltip` is the sentence the
help shows. Only bindings with a tooltip are listed: Textual's own (focus, scrolling)
have none, and a test checks that every binding of ours has one. Keys with the same
sentence share a line ("0–9 t").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode

#: the keys that work on every screen ("?" shown in every footer; ctrl+q in the help)
APP_BINDINGS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    Binding("question_mark", "help", "Help",
            tooltip="this help: the keys of the screen you are on"),
    Binding("ctrl+p", "command_palette", "palette", show=False, priority=True,
            tooltip="command palette: every action by name, and the colour theme"),
    Binding("ctrl+q", "quit", "Quit", show=False, priority=True,
            tooltip="quit (everything is saved as you go)"),
]
NAMES = {"question_mark": "?", "escape": "esc", "full_stop": "."}


@dataclass(frozen=True)
class KeyHelp:
    keys: tuple[str, ...]  # as typed: "s", "ctrl+q", "esc"
    text: str

    @property
    def label(self) -> str:
        return key_label(self.keys)


def key_label(keys: tuple[str, ...]) -> str:
    """"0 1 … 9" collapsed to "0–9"; other keys joined with a space."""
    digits = [k for k in keys if k.isdigit()]
    if len(digits) > 2 and [int(d) for d in digits] == list(
            range(int(digits[0]), int(digits[0]) + len(digits))):
        keys = (f"{digits[0]}–{digits[-1]}", *(k for k in keys if not k.isdigit()))
    return " ".join(keys)


def _ours(node: DOMNode) -> bool:
    return type(node).__module__.startswith("backcoach.")


def node_keys(node: DOMNode) -> list[KeyHelp]:
    """The keys one node binds itself, in binding order, merged by sentence."""
    merged: dict[str, list[str]] = {}
    bindings: list[tuple[str, Binding]] = list(node._bindings)  # noqa: SLF001 (no public API)
    for key, binding in bindings:
        text = binding.tooltip
        if binding.system or not text:
            continue
        name = NAMES.get(key, key)
        if name not in merged.setdefault(text, []):
            merged[text].append(name)
    return [KeyHelp(tuple(keys), text) for text, keys in merged.items()]


def screen_keys(screen: Any) -> list[KeyHelp]:
    """Every key that works on `screen`: its own bindings and our widgets' on it."""
    out = node_keys(screen)
    for widget in screen.walk_children():
        if _ours(widget):
            out += node_keys(widget)
    return out


def help_sections(screen: Any) -> list[tuple[str, list[KeyHelp]]]:
    """(heading, keys) for the help of `screen`: the screen's keys, then the app's."""
    name = getattr(screen, "HELP_TITLE", "") or type(screen).__name__.removesuffix("Screen")
    own = screen_keys(screen)
    taken = {key for item in own for key in item.keys}
    anywhere = [item for item in node_keys(screen.app) if not taken & set(item.keys)]
    return [(f"Keys on {name}", own), ("Anywhere", anywhere)]
