"""Progression gate: locked until another exercise was practised for N weeks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, ClassVar

from backcoach.domain.rules.base import LOCKED, Context, ExerciseRule, Verdict, day_text
from backcoach.text import plural

if TYPE_CHECKING:
    from backcoach.domain.program import Exercise, Program



@dataclass(frozen=True)
class Unlock(ExerciseRule):
    """unlock: only after `after` was practised for `weeks` weeks.

    Practice is continuous when no run of missed calendar days is longer than
    `max_gap_days` (0: not a single day missed). Days count once they are
    over, so five weeks that start on day 1 unlock on day 36. Once the
    exercise has been done, it stays unlocked.
    """

    after: str
    weeks: int
    max_gap_days: int = 0
    kind: ClassVar[str] = "unlock"
    #: done once, it stays unlocked (and a locked exercise that names this one as its
    #: prerequisite asks only while this one was never done)
    settled_once_done: ClassVar[bool] = True

    @property
    def lookback_days(self) -> int:  # type: ignore[override]
        return self.weeks * 7 + self.max_gap_days + 2

    def unlocks_on(self, ctx: Context) -> date | None:
        """The day it unlocks if practice continues; None if already unlocked."""
        needed = self.weeks * 7
        days = sorted(ctx.practice_days(self.after), reverse=True)
        today = ctx.today
        if not days or (today - days[0]).days - 1 > self.max_gap_days:
            return self._prerequisite_unlocks_on(ctx) + timedelta(days=needed)
        start = days[0]
        for day in days[1:]:
            if (start - day).days - 1 > self.max_gap_days:
                break
            start = day
        last_full = min(days[0], today - timedelta(days=1))
        if (last_full - start).days + 1 >= needed:
            return None
        return start + timedelta(days=needed)

    def _prerequisite_unlocks_on(self, ctx: Context) -> date:
        """When `after` itself can first be practised (today, unless it is locked too)."""
        other = ctx.program.exercise(self.after) if ctx.program.has(self.after) else None
        rule = other.rule(self.kind) if other else None
        if isinstance(rule, Unlock) and not ctx.ever_done(self.after):
            return rule.unlocks_on(ctx) or ctx.today
        return ctx.today

    def earned(self, ctx: Context) -> bool:
        """The goal was reached once (any earlier run of continuous practice long enough):
        an unlock, once earned, stays earned."""
        days = sorted(d for d in ctx.history.practice_days.get(self.after, ()) if d < ctx.today)
        needed = self.weeks * 7
        start = previous = None
        for day in days:
            if previous is None or (day - previous).days - 1 > self.max_gap_days:
                start = day
            previous = day
            if start is not None and (day - start).days + 1 >= needed:
                return True
        return False

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        if ctx.ever_done(exercise.id) or self.earned(ctx):
            return None
        when = self.unlocks_on(ctx)
        if when is None:
            return None
        gap = "without a missed day" if self.max_gap_days == 0 else \
            f"with no more than {plural(self.max_gap_days, 'missed day')} in a row"
        return Verdict(LOCKED, f"{exercise.title} unlocks on {day_text(when)}, after "
                               f"{plural(self.weeks, 'week')} of "
                               f"{ctx.program.title_of(self.after)} {gap}.",
                       unlocks_on=when, next_allowed_at=ctx.at_local(when, time(0)),
                       rule=self.kind)

    def blocks(self, exercise: Exercise, ctx: Context) -> bool:
        return not (ctx.ever_done(exercise.id) or self.earned(ctx)) \
            and self.unlocks_on(ctx) is not None

    def describe(self, program: Program) -> str:
        gap = "no missed day" if self.max_gap_days == 0 else \
            f"at most {plural(self.max_gap_days, 'missed day')} in a row"
        return (f"Unlocks after {plural(self.weeks, 'week')} of "
                f"{program.title_of(self.after)} ({gap}); once earned, it stays unlocked.")

    def references(self) -> tuple[str, ...]:
        return (self.after,)


