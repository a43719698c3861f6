"""Dose and time rules: daily cap, spacing, time of day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from typing import TYPE_CHECKING, ClassVar

from backcoach.domain.rules.base import (
    BLOCKED,
    DONE,
    LATER,
    Context,
    ExerciseRule,
    Verdict,
    clock_text,
    minutes_text,
)
from backcoach.text import plural

if TYPE_CHECKING:
    from backcoach.domain.program import Exercise, Program



@dataclass(frozen=True)
class DailyCap(ExerciseRule):
    """dose: at most `most` regular sets a local calendar day."""

    most: int
    kind: ClassVar[str] = "daily_cap"
    waived_for_follow_up: ClassVar[bool] = True

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        # the whole day counts, sets logged for later in the day included
        done = len(ctx.regular_completed_on(exercise.id, ctx.today, whole_day=True))
        if done >= self.most:
            return Verdict(DONE, f"Done for today: {done} of {plural(self.most, 'set')}.",
                           next_allowed_at=ctx.tomorrow, rule=self.kind)
        return None

    def blocks(self, exercise: Exercise, ctx: Context) -> bool:
        return len(ctx.regular_completed_on(exercise.id, ctx.today, whole_day=True)) \
            >= self.most

    def describe(self, program: Program) -> str:
        return f"At most {plural(self.most, 'set')} a day."


@dataclass(frozen=True)
class MinInterval(ExerciseRule):
    """spacing: at least `minutes` between regular sets of this exercise."""

    minutes: int
    evenly: bool = False
    kind: ClassVar[str] = "min_interval"
    waived_for_follow_up: ClassVar[bool] = True

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        gap = timedelta(minutes=self.minutes)
        regular = ctx.regular_completed_times(exercise.id)
        now, until = ctx.now, ctx.now + gap
        later = [t for t in regular if now < t < until]
        if later:  # a set entered for an earlier time keeps its distance from later ones
            return Verdict(BLOCKED, f"A set at {clock_text(min(later), ctx.tz, ctx.today)} is "
                                    f"already logged: sets are spaced "
                                    f"{minutes_text(self.minutes)} apart.", rule=self.kind)
        recent = [t for t in regular if t <= now]
        if not recent:
            return None
        ready = max(recent) + gap
        if ctx.now < ready:
            return Verdict(LATER, f"Next set from {clock_text(ready, ctx.tz, ctx.today)}: "
                                  f"sets are spaced {minutes_text(self.minutes)} apart.",
                           next_allowed_at=ready, rule=self.kind)
        return None

    def blocks(self, exercise: Exercise, ctx: Context) -> bool:
        regular = ctx.regular_completed_times(exercise.id)
        if not regular:
            return False
        gap = timedelta(minutes=self.minutes)
        now = ctx.now
        until = now + gap
        latest = None  # max() of those up to now: the first of equal ones
        for t in regular:
            if t <= now:
                if latest is None or t > latest:
                    latest = t
            elif t < until:
                return True  # a set already logged for later
        return latest is not None and now < latest + gap

    def describe(self, program: Program) -> str:
        return f"At least {minutes_text(self.minutes)} between sets."


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

    def blocks(self, exercise: Exercise, ctx: Context) -> bool:
        return ctx.now < ctx.at_local(ctx.today, self.clock)

    def describe(self, program: Program) -> str:
        return f"Not before {self.clock.strftime('%H:%M')}."


@dataclass(frozen=True)
class NotSoonAfterFirstCheckIn(ExerciseRule):
    """time of day: not first thing in the morning — not within `minutes` of the start of
    the patient's day: the day's first check-in, else its first set, else `day_starts`."""

    minutes: int
    kind: ClassVar[str] = "not_first_thing"
    waived_for_follow_up: ClassVar[bool] = True

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        start = ctx.day_started()
        ready = start + timedelta(minutes=self.minutes)
        if ctx.now < ready:
            return Verdict(LATER, f"Not first thing in the day: from "
                                  f"{clock_text(ready, ctx.tz, ctx.today)}, "
                                  f"{minutes_text(self.minutes)} after your day started.",
                           next_allowed_at=ready, rule=self.kind)
        return None

    def blocks(self, exercise: Exercise, ctx: Context) -> bool:
        return ctx.now < ctx.day_started() + timedelta(minutes=self.minutes)

    def describe(self, program: Program) -> str:
        return (f"Not within {minutes_text(self.minutes)} of the start of the day (the first "
                f"check-in or set, else {program.day_starts:%H:%M}).")


@dataclass(frozen=True)
class Bouts(ExerciseRule):
    """dose: sets come in bouts done back to back; at most `per_day` bouts a day, at least
    `gap_minutes` apart."""

    per_bout: int
    per_day: int | None
    gap_minutes: int = 240
    kind: ClassVar[str] = "bouts"
    waived_for_follow_up: ClassVar[bool] = True

    def sets_left(self, exercise: Exercise, ctx: Context) -> int:
        """Sets still to do in the bout under way (0 when none is under way)."""
        done = len(ctx.regular_completed_on(exercise.id, ctx.today))
        return (self.per_bout - done % self.per_bout) % self.per_bout

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        done = ctx.regular_completed_on(exercise.id, ctx.today)
        if not done or self.sets_left(exercise, ctx):
            return None  # the first set of the day, or within a bout
        bouts = len(done) // self.per_bout
        if self._done_for_today(bouts):
            return Verdict(DONE, f"Done for today: {bouts} of {self.per_day} bouts of "
                                 f"{self.per_bout} sets.", next_allowed_at=ctx.tomorrow,
                           rule=self.kind)
        ready = max(s.ended_at for s in done) + timedelta(minutes=self.gap_minutes)
        if ctx.now < ready:
            return Verdict(LATER, f"Bout done: the next bout of {self.per_bout} sets from "
                                  f"{clock_text(ready, ctx.tz, ctx.today)} "
                                  f"({minutes_text(self.gap_minutes)} between bouts).",
                           next_allowed_at=ready, rule=self.kind)
        return None

    def blocks(self, exercise: Exercise, ctx: Context) -> bool:
        done = ctx.regular_completed_on(exercise.id, ctx.today)
        if not done or self.sets_left(exercise, ctx):
            return False
        if self._done_for_today(len(done) // self.per_bout):
            return True
        return ctx.now < max(s.ended_at for s in done) + timedelta(minutes=self.gap_minutes)

    def _done_for_today(self, bouts: int) -> bool:
        return self.per_day is not None and bouts >= self.per_day

    def describe(self, program: Program) -> str:
        most = f", at most {self.per_day} bouts a day" if self.per_day else ""
        return (f"Sets in bouts of {self.per_bout} done back to back{most}, "
                f"{minutes_text(self.gap_minutes)} between bouts.")
