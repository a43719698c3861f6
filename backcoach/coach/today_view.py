"""Today's screen in words: what the app draws for a plan, as plain text.

The first frame draws it from the kept preview before the rules engine is even imported
(`preview_fork.py`), and every later frame from the database's plan: one text for both.
Light on purpose: no domain, Textual or database import at module level.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backcoach.domain.engine import Plan
    from backcoach.domain.program import Program


@dataclass(frozen=True)
class TodayView:
    """The headline, what to do next, and one (status, text) row per exercise."""

    headline: str
    next: str
    rows: tuple[tuple[str, str], ...]
    theme: str | None = None  # the colour theme chosen last time, if known

    def as_data(self) -> tuple[Any, ...]:
        """Plain tuples and strings (for `marshal`: no class needed to read them)."""
        return (self.headline, self.next, self.rows, self.theme)

    @classmethod
    def from_data(cls, data: Any) -> TodayView | None:
        """The view from `as_data`, or None if `data` is not one."""
        try:
            headline, nxt, rows, theme = data
            rows = tuple((str(status), str(text)) for status, text in rows)
        except (TypeError, ValueError):
            return None
        if not (isinstance(headline, str) and isinstance(nxt, str)
                and (theme is None or isinstance(theme, str))):
            return None
        return cls(headline, nxt, rows, theme)


def next_text(plan: Plan) -> str:
    """What to do now, in words: the same plan that `s` starts from."""
    from backcoach.domain.status import Phase

    lines = []
    if plan.phase == Phase.ACUTE:
        lines += [plan.advice, "No exercise can be started. Press a to see why and how to "
                               "end the acute phase; k records a pain score."]
    elif plan.phase in (Phase.RED_FLAG, Phase.SAFETY_CHECK):
        lines += [plan.advice, "Press r to answer the safety questions."]
    else:
        nxt = plan.next_action
        if nxt is not None:
            lines.append(f"Next: {nxt.title} — {nxt.reason}  Press s to start a session.")
        else:
            due = plan.next_due
            when = f" Next set from {due.astimezone():%H:%M}." if due else ""
            lines.append("Nothing is due right now." + when)
    lines += list(getattr(plan, "notices", ()))
    if plan.red_flag_check_due and plan.phase == Phase.NON_ACUTE:
        lines.append("A safety check is due: press r.")
    return "\n".join(lines)


def plan_body(entry: Any, number: int | None = None) -> str:
    """The entry's text beside its mark: "1. Title  ·  sets today 2/6" and the reason."""
    target = f"{entry.sets_today}/{entry.sets_target}" if entry.sets_target else \
        f"{entry.sets_today}"
    title = f"{number}. {entry.title}" if number else entry.title
    return f"{title}  ·  sets today {target}\n{entry.reason}"


def today_view(plan: Plan, program: Program, theme: str | None = None) -> TodayView:
    """What Today shows for `plan` of `program`."""
    when = plan.now.astimezone()
    numbers = {e.id: e.number for e in program.exercises}
    return TodayView(
        f"{program.title} (version {program.version}) — {when:%A %d %B, %H:%M} — "
        f"phase: {plan.phase}",
        next_text(plan),
        tuple((str(entry.status), plan_body(entry, numbers.get(entry.id)))
              for entry in plan.exercises),
        theme)
