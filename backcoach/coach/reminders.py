"""What becomes due next, and a reminder that speaks only when something became due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backcoach.domain.engine import Plan
from backcoach.domain.status import Phase, Status

LAST_REMINDER = "last_reminder"  # setting: "exercise-id@ISO time" of the last reminder


@dataclass(frozen=True)
class NextDue:
    """The next exercise that becomes available, when (None: nothing is coming), and why."""

    exercise: str | None
    title: str | None
    at: datetime | None
    reason: str
    #: what a reminder is about: the exercise and its set of the day (said once)
    slot: str = ""

    def as_json(self) -> dict[str, str | None]:
        return {"exercise": self.exercise, "title": self.title,
                "at": self.at.astimezone().isoformat(timespec="seconds") if self.at else None,
                "reason": self.reason}


def next_due(plan: Plan) -> NextDue:
    """From the plan: the exercise to do now, else the earliest one waiting on spacing,
    bouts, time of day or tomorrow's cap; nothing while acute or after a warning sign."""
    if plan.phase != Phase.NON_ACUTE:
        return NextDue(None, None, None, plan.advice or "No exercise can be started now.")
    now = plan.next_action
    if now is not None:
        slot = f"{now.id}@{plan.now.astimezone().date()}#{now.sets_today}"
        return NextDue(now.id, now.title, plan.now, now.reason, slot)
    waiting = [e for e in plan.exercises if e.status in (Status.LATER, Status.DONE)
               and e.next_allowed_at is not None]
    if not waiting:
        return NextDue(None, None, None, "Nothing is scheduled: every exercise is done, "
                                         "locked or blocked for now.")
    first = min(waiting, key=lambda e: e.next_allowed_at or plan.now)
    return NextDue(first.id, first.title, first.next_allowed_at, first.reason)


def reminder_key(due: NextDue) -> str:
    return due.slot or f"{due.exercise}@{due.at.isoformat() if due.at else ''}"
