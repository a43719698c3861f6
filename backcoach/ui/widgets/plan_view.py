"""PlanView: today's plan, one entry per exercise, status in words (not colour alone).

The status mark has its own column, so a long reason wraps under the reason, not under
the mark. Titles and reasons are program text: shown literally (rich Text, never markup).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

STATUS_MARK = {"available": "▶ ready", "done": "✓ done", "later": "◷ later",
               "locked": "⊘ locked", "blocked": "✗ blocked"}  # words, not colour alone
MARK_WIDTH = 11


ROW_STYLE = {"available": Style(bold=True), "locked": Style(dim=True),
             "done": Style(dim=True)}


class PlanView(VerticalScroll):
    """Shows a plan's rows; attributes down: call show(rows). The whole plan is one
    table in one widget: a widget per entry cost the first frame ~140 ms."""

    DEFAULT_CSS = """
    PlanView { height: 1fr; }
    PlanView > Static { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        #: each entry's text beside its mark, as shown (tests read it)
        self.texts: list[Text] = []

    def compose(self) -> ComposeResult:
        yield Static("")

    def show(self, rows: Iterable[tuple[str, str]]) -> None:
        """`rows`: each exercise's status and its text (coach/today_view.py)."""
        table = Table.grid(padding=(0, 0, 1, 0), expand=True, collapse_padding=False)
        table.add_column(width=MARK_WIDTH, no_wrap=True)
        table.add_column(ratio=1)
        self.texts = []
        for status, text in rows:
            style = ROW_STYLE.get(status, Style())
            body = Text(text, style=style)
            self.texts.append(body)
            table.add_row(Text(STATUS_MARK[status], style=style), body)
        self.query_one(Static).update(table)
