"""PlanView: today's plan, one line per exercise, status in words (not colour alone)."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

STATUS_MARK = {"available": "▶ ready", "done": "✓ done", "later": "◷ later",
               "locked": "⊘ locked", "blocked": "✗ blocked"}  # words, not colour alone


def plan_line(entry) -> str:
    target = f"{entry.sets_today}/{entry.sets_target}" if entry.sets_target else \
        f"{entry.sets_today}"
    return f"{STATUS_MARK[entry.status]:<10} {entry.title}  ·  sets today {target}\n" \
           f"           {entry.reason}"


class PlanView(VerticalScroll):
    """Shows a Plan; attributes down: call show(plan)."""

    DEFAULT_CSS = """
    PlanView { height: 1fr; }
    PlanView > Static { margin-bottom: 1; }
    PlanView > .available { text-style: bold; }
    PlanView > .locked, PlanView > .done { color: $text-muted; }
    """

    def show(self, plan) -> None:
        self.remove_children()
        self.mount_all(Static(plan_line(e), markup=False, classes=e.status)
                       for e in plan.exercises)
