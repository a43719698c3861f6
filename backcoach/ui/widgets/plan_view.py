"""PlanView: today's plan, one entry per exercise, status in words (not colour alone).

The status mark has its own column, so a long reason wraps under the reason, not under
the mark. Titles and reasons are program text: shown literally (markup=False).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

STATUS_MARK = {"available": "▶ ready", "done": "✓ done", "later": "◷ later",
               "locked": "⊘ locked", "blocked": "✗ blocked"}  # words, not colour alone


def plan_body(entry: Any, number: int | None = None) -> str:
    """The entry's text beside its mark: "1. Title  ·  sets today 2/6" and the reason."""
    target = f"{entry.sets_today}/{entry.sets_target}" if entry.sets_target else \
        f"{entry.sets_today}"
    title = f"{number}. {entry.title}" if number else entry.title
    return f"{title}  ·  sets today {target}\n{entry.reason}"


class PlanView(VerticalScroll):
    """Shows a Plan; attributes down: call show(plan, numbers)."""

    DEFAULT_CSS = """
    PlanView { height: 1fr; }
    PlanView > .entry { height: auto; margin-bottom: 1; }
    PlanView .mark { width: 11; }
    PlanView .body { width: 1fr; }
    PlanView > .available Static { text-style: bold; }
    PlanView > .locked Static, PlanView > .done Static { color: $text-muted; }
    """

    def show(self, plan: Any, numbers: Mapping[str, int | None] | None = None) -> None:
        """`numbers`: the program's order number of each exercise, where it gives one."""
        self.remove_children()
        self.mount_all(
            Horizontal(Static(STATUS_MARK[e.status], markup=False, classes="mark"),
                       Static(plan_body(e, (numbers or {}).get(e.id)), markup=False,
                              classes="body"),
                       classes=f"entry {e.status}")
            for e in plan.exercises)
