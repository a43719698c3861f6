"""Dose and time rules: daily cap, spacing, time of day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from typing import TYPE_CHECKING, ClassVar

from backcoach.domain.rules.base import (
    DONE,
    LATER,
    Context,
    ExerciseRule,
    Verdict,
    clock_text,
    minutes_text,
)

if TYPE_CHECKING:
    from backcoach.domain.program import Exercise, Program



@dataclass(frozen=True)
class DailyCap(ExerciseRule):
    """dose: at most `most` regular sets a local calendar day."""

    most: int
    kind: ClassVar[str] = "daily_cap"
    waived_for_follow_up: ClassVar[bool] = True

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        done = len(ctx.regular_completed_today(exercise.id))
        if done >= self.most:
            tomorrow = ctx.at_local(ctx.today + timedelta(days=1), time(0))
            return Verdict(DONE, f"Done for today: {done} of {self.most} sets.",
                           next_allowed_at=tomorrow, rule=self.kind)
        return None

    def describe(self, program: Program) -> str:
        return f"At most {self.most} sets a day."


@dataclass(frozen=True)
class MinInterval(ExerciseRule):
    """spacing: at least `minutes` between regular sets of this exercise."""

    minutes: int
    evenly: bool = False
    kind: ClassVar[str] = "min_interval"
    waived_for_follow_up: ClassVar[bool] = True

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        recent = [s for s in ctx.history.sets
                  if s.exercise_id == exercise.id and s.completed and not s.follow_up
                  and s.ended_at <= ctx.now]
        if not recent:
            return None
        last = max(s.ended_at for s in recent)
        ready = last + timedelta(minutes=self.minutes)
        if ctx.now < ready:
            return Verdict(LATER, f"Next set from {clock_text(ready, ctx.tz, ctx.today)}: "
                                  f"sets are spaced {minutes_text(self.minutes)} apart.",
                           next_allowed_at=ready, rule=self.kind)
        return None

    def describe(self, program: Program) -> str:
        spread = ", spread evenly over the day" if self.evenly else ""
        return f"At least {minutes_text(self.minutes)} between sets{spread}."


@dataclass(frozen=True)
class NotBefore(ExerciseRule):
    """time of day: not before a local clock time."""

    clock: time
    kind: ClassVar[str] = "not_before"
    waived_for_follow_up: ClassVar[bool] = True

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        start = ctx.at_local(ctx.today, self.clock)
        if ctx.now < start:
            return Verdict(LATER, f"Not before {self.clock.strftime('%H:%M')}.",
                           next_allowed_at=start, rule=self.kind)
        return None

    def describe(self, program: Program) -> str:
        return f"Not before {self.clock.strftime('%H:%M')}."


@dataclass(frozen=True)
class NotSoonAfterFirstCheckIn(ExerciseRule):
    """time of day: not within `minutes` of the day's first check-in (first thing)."""

    minutes: int
    kind: ClassVar[str] = "not_first_thing"
    waived_for_follow_up: ClassVar[bool] = True

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        today = [p.at for p in ctx.history.pain_today if p.at <= ctx.now]
        if not today:
            return None
        ready = min(today) + timedelta(minutes=self.minutes)
        if ctx.now < ready:
            return Verdict(LATER, f"Not first thing in the day: from "
                                  f"{clock_text(ready, ctx.tz, ctx.today)}, "
                                  f"{minutes_text(self.minutes)} after your first check-in.",
                           next_allowed_at=ready, rule=self.kind)
        return None

    def describe(self, program: Program) -> str:
        return f"Not within {minutes_text(self.minutes)} of the day's first check-in."


