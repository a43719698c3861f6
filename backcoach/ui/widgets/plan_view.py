"""PlanView: today's plan, one entry per exercise, status in words (not colour alone).

The status mark has its own column, so a long reason wraps under the reason, not under
the mark. Titles and reasons are program text: shown literally (rich Text, never markup).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

STATUS_MARK = {"available": "▶ ready", "done": "✓ done", "later": "◷ later",
               "locked": "⊘ locked", "blocked": "✗ blocked"}  # words, not colour alone
MARK_WIDTH = 11


def plan_body(entry: Any, number: int | None = None) -> str:
    """The entry's text beside its mark: "1. Title  ·  sets today 2/6" and the reason."""
    target = f"{entry.sets_today}/{entry.sets_target}" if entry.sets_target else \
        f"{entry.sets_today}"
    title = f"{number}. {entry.title}" if number else entry.title
    return f"{title}  ·  sets today {target}\n{entry.reason}"


ROW_STYLE = {"available": Style(bold=True), "locked": Style(dim=True),
             "done": Style(dim=True)}


class PlanView(VerticalScroll):
    """Shows a Plan; attributes down: call show(plan, numbers). The whole plan is one
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

    def show(self, plan: Any, numbers: Mapping[str, int | None] | None = None) -> None:
        """`numbers`: the program's order number of each exercise, where it gives one."""
        table = Table.grid(padding=(0, 0, 1, 0), expand=True, collapse_padding=False)
        table.add_column(width=MARK_WIDTH, no_wrap=True)
        table.add_column(ratio=1)
        self.texts = []
        for entry in plan.exercises:
            style = ROW_STYLE.get(entry.status, Style())
            body = Text(plan_body(entry, (numbers or {}).get(entry.id)), style=style)
            self.texts.append(body)
            table.add_row(Text(STATUS_MARK[entry.status], style=style), body)
        self.query_one(Static).update(table)
