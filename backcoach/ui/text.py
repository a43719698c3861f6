"""Untrusted text (from program files) as Textual content that is never parsed as markup."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


def literal(text: str, **kwargs) -> Static:
    """A Static that shows `text` exactly, brackets and all."""
    return Static(Content(text), markup=False, **kwargs)


STATUS_MARK = {"available": "▶ ready", "done": "✓ done", "later": "◷ later",
               "locked": "⊘ locked", "blocked": "✗ blocked"}
