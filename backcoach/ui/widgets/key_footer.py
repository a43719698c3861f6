"""KeyFooter: the compact footer every screen uses, so its keys fit 80 columns."""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    """Footer(compact=True); a key left out of it is always in the help (`?`)."""

    def __init__(self) -> None:
        super().__init__(compact=True)
