"""Rule objects. Each one checks one thing and says why in one sentence.

An exercise rule looks at one exercise in a `Context` and returns a `Verdict`
when it stands in the way, or None. A program rule (phase, red flags) can stop
everything at once. Adding a rule type means adding a class here and naming
it in the program loader's registry; the engine does not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, ClassVar

from backcoach.domain.history import CheckIn, History, SetRecord

if TYPE_CHECKING:
    from backcoach.domain.program import Exercise, Program

AVAILABLE = "available"
BLOCKED = "blocked"
LOCKED = "locked"
DONE = "done"
LATER = "later"
STATUSES = (AVAILABLE, BLOCKED, LOCKED, DONE, LATER)
SEVERITY = {LOCKED: 4, BLOCKED: 3, DONE: 2, LATER: 1, AVAILABLE: 0}


def local(dt: datetime, tz: tzinfo | None) -> datetime:
    """`dt` in the patient's time zone (the system's when tz is None)."""
    return dt.astimezone(tz)


def clock_text(dt: datetime, tz: tzinfo | None, today: date) -> str:
    """"14:30", or "Tue 4 Nov 14:30" when not today."""
    when = local(dt, tz)
    if when.date() == today:
        return when.strftime("%H:%M")
    return f"{when.strftime('%a')} {when.day} {when.strftime('%b %H:%M')}"


def day_text(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def names(program: Program, ids: list[str] | tuple[str, ...]) -> str:
    titles = [program.title_of(i) for i in ids]
    if len(titles) <= 1:
        return "".join(titles)
    return ", ".join(titles[:-1]) + " and " + titles[-1]


@dataclass(frozen=True)
class Verdict:
    """Why an exercise cannot be done now."""

    status: str
    reason: str
    next_allowed_at: datetime | None = None
    unlocks_on: date | None = None
    rule: str = ""
    missing: tuple[str, ...] = ()


@dataclass
class Context:
    """Everything a rule may look at, with small helpers over the history window."""

    program: Program
    history: History
    now: datetime
    tz: tzinfo | None = None
    checkin: CheckIn = field(default_factory=CheckIn)
    required_next: str | None = None
    required_because: str = ""
    required_prereqs: tuple[str, ...] = ()

    @property
    def today(self) -> date:
        return local(self.now, self.tz).date()

    def at_local(self, day: date, clock: time) -> datetime:
        naive = datetime.combine(day, clock)
        return naive.replace(tzinfo=self.tz) if self.tz else naive.astimezone()

    def sets_on(self, exercise_id: str, day: date) -> list[SetRecord]:
        return [s for s in self.history.sets
                if s.exercise_id == exercise_id and local(s.ended_at, self.tz).date() == day
                and s.ended_at <= self.now]

    def regular_completed_today(self, exercise_id: str) -> list[SetRecord]:
        """Completed sets today that count towards the daily cap and spacing."""
        return [s for s in self.sets_on(exercise_id, self.today)
                if s.completed and not s.follow_up]

    def completed_in_session(self, exercise_id: str) -> bool:
        return any(s.exercise_id == exercise_id and s.completed for s in self.history.session)

    def ever_done(self, exercise_id: str) -> bool:
        first = self.history.first_done.get(exercise_id)
        return (first is not None and first <= self.now) or self.completed_in_session(exercise_id)

    def practice_days(self, exercise_id: str) -> set[date]:
        return {local(s.ended_at, self.tz).date() for s in self.history.sets
                if s.exercise_id == exercise_id and s.completed and s.ended_at <= self.now}


class ExerciseRule:
    """Base of the per-exercise rules."""

    kind: ClassVar[str] = ""
    #: True when a set required by a follow-with rule ignores this rule.
    waived_for_follow_up: ClassVar[bool] = False
    #: How many days of history the rule looks back over.
    lookback_days: int = 1

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        raise NotImplementedError

    def describe(self, program: Program) -> str:
        raise NotImplementedError

    def references(self) -> tuple[str, ...]:
        """Exercise ids this rule names (checked by the loader)."""
        return ()


@dataclass(frozen=True)
class AfterInSession(ExerciseRule):
    """before: this exercise only after `after` in the same session."""

    after: tuple[str, ...]
    kind: ClassVar[str] = "after_in_session"

    def check(self, exercise, ctx):
        missing = tuple(a for a in self.after if not ctx.completed_in_session(a))
        if missing:
            return Verdict(BLOCKED, f"{exercise.title}: do {names(ctx.program, missing)} "
                                    "first in this session.", rule=self.kind, missing=missing)
        return None

    def describe(self, program):
        return f"Only after {names(program, self.after)} in the same session."

    def references(self):
        return self.after


@dataclass(frozen=True)
class FirstTimeAfter(ExerciseRule):
    """first-time prerequisites: the very first set only after these were done."""

    after: tuple[str, ...]
    kind: ClassVar[str] = "first_time_after"

    def check(self, exercise, ctx):
        if ctx.ever_done(exercise.id):
            return None
        missing = tuple(a for a in self.after if not ctx.ever_done(a))
        if missing:
            return Verdict(BLOCKED, f"The first time, do {names(ctx.program, missing)} "
                                    f"before {exercise.title}.", rule=self.kind, missing=missing)
        return None

    def describe(self, program):
        return f"The first time ever, only after {names(program, self.after)}."

    def references(self):
        return self.after


@dataclass(frozen=True)
class FollowWith(ExerciseRule):
    """follow-with: after a completed set of this exercise, `then` comes next.

    It never blocks the exercise it sits on; the engine reads it to decide
    what is required next in the session.
    """

    then: str
    kind: ClassVar[str] = "follow_with"

    def check(self, exercise, ctx):
        return None

    def describe(self, program):
        return f"Do {program.title_of(self.then)} immediately after."

    def references(self):
        return (self.then,)


@dataclass(frozen=True)
class DailyCap(ExerciseRule):
    """dose: at most `most` regular sets a local calendar day."""

    most: int
    kind: ClassVar[str] = "daily_cap"
    waived_for_follow_up: ClassVar[bool] = True

    def check(self, exercise, ctx):
        done = len(ctx.regular_completed_today(exercise.id))
        if done >= self.most:
            tomorrow = ctx.at_local(ctx.today + timedelta(days=1), time(0))
            return Verdict(DONE, f"Done for today: {done} of {self.most} sets.",
                           next_allowed_at=tomorrow, rule=self.kind)
        return None

    def describe(self, program):
        return f"At most {self.most} sets a day."


@dataclass(frozen=True)
class MinInterval(ExerciseRule):
    """spacing: at least `minutes` between regular sets of this exercise."""

    minutes: int
    evenly: bool = False
    kind: ClassVar[str] = "min_interval"
    waived_for_follow_up: ClassVar[bool] = True

    def check(self, exercise, ctx):
        recent = [s for s in ctx.history.sets
                  if s.exercise_id == exercise.id and s.completed and not s.follow_up
                  and s.ended_at <= ctx.now]
        if not recent:
            return None
        last = max(s.ended_at for s in recent)
        ready = last + timedelta(minutes=self.minutes)
        if ctx.now < ready:
            return Verdict(LATER, f"Next set from {clock_text(ready, ctx.tz, ctx.today)}: "
                                  f"sets are spaced {_minutes_text(self.minutes)} apart.",
                           next_allowed_at=ready, rule=self.kind)
        return None

    def describe(self, program):
        spread = ", spread evenly over the day" if self.evenly else ""
        return f"At least {_minutes_text(self.minutes)} between sets{spread}."


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

    def check(self, exercise, ctx):
        if ctx.ever_done(exercise.id):
            return None
        when = self.unlocks_on(ctx)
        if when is None:
            return None
        plural = "s" if self.max_gap_days > 1 else ""
        gap = "without a missed day" if self.max_gap_days == 0 else \
            f"with no more than {self.max_gap_days} missed day{plural} in a row"
        return Verdict(LOCKED, f"{exercise.title} unlocks on {day_text(when)}, after "
                               f"{self.weeks} week{'s' if self.weeks != 1 else ''} of "
                               f"{ctx.program.title_of(self.after)} {gap}.",
                       unlocks_on=when, next_allowed_at=ctx.at_local(when, time(0)),
                       rule=self.kind)

    def describe(self, program):
        return (f"Unlocks after {self.weeks} weeks of {program.title_of(self.after)} "
                f"(longest allowed gap: {self.max_gap_days} day(s)).")

    def references(self):
        return (self.after,)


@dataclass(frozen=True)
class Substitute(ExerciseRule):
    """substitute: this exercise may stand in for `for_exercise` when `when` applies."""

    for_exercise: str
    when: str = "cannot-lie-down"
    kind: ClassVar[str] = "substitute"

    def check(self, exercise, ctx):
        return None

    def applies(self, checkin: CheckIn) -> bool:
        return self.when == "cannot-lie-down" and checkin.cannot_lie_down

    def describe(self, program):
        return f"Stands in for {program.title_of(self.for_exercise)} when you cannot lie down."

    def references(self):
        return (self.for_exercise,)


@dataclass(frozen=True)
class NotBefore(ExerciseRule):
    """time of day: not before a local clock time."""

    clock: time
    kind: ClassVar[str] = "not_before"
    waived_for_follow_up: ClassVar[bool] = True

    def check(self, exercise, ctx):
        start = ctx.at_local(ctx.today, self.clock)
        if ctx.now < start:
            return Verdict(LATER, f"Not before {self.clock.strftime('%H:%M')}.",
                           next_allowed_at=start, rule=self.kind)
        return None

    def describe(self, program):
        return f"Not before {self.clock.strftime('%H:%M')}."


@dataclass(frozen=True)
class NotSoonAfterFirstCheckIn(ExerciseRule):
    """time of day: not within `minutes` of the day's first check-in (first thing)."""

    minutes: int
    kind: ClassVar[str] = "not_first_thing"
    waived_for_follow_up: ClassVar[bool] = True

    def check(self, exercise, ctx):
        today = [p.at for p in ctx.history.pain_today if p.at <= ctx.now]
        if not today:
            return None
        ready = min(today) + timedelta(minutes=self.minutes)
        if ctx.now < ready:
            return Verdict(LATER, f"Not first thing in the day: from "
                                  f"{clock_text(ready, ctx.tz, ctx.today)}, "
                                  f"{_minutes_text(self.minutes)} after your first check-in.",
                           next_allowed_at=ready, rule=self.kind)
        return None

    def describe(self, program):
        return f"Not within {_minutes_text(self.minutes)} of the day's first check-in."


@dataclass(frozen=True)
class SpreadingPainStop(ExerciseRule):
    """symptom response: pain spreading down the leg stops this exercise for the day."""

    fallback: str | None = None
    kind: ClassVar[str] = "spreading_stop"

    def check(self, exercise, ctx):
        if any(s.spread_pain for s in ctx.sets_on(exercise.id, ctx.today)):
            back = (f" Go back to {ctx.program.title_of(self.fallback)}."
                    if self.fallback and self.fallback != exercise.id else "")
            tomorrow = ctx.at_local(ctx.today + timedelta(days=1), time(0))
            return Verdict(BLOCKED, f"Stopped for today: pain spread down the leg after "
                                    f"{exercise.title}.{back}",
                           next_allowed_at=tomorrow, rule=self.kind)
        return None

    def describe(self, program):
        return "Stopped for the day if pain spreads down the leg."


@dataclass(frozen=True)
class LyingPosition(ExerciseRule):
    """An exercise done lying down is not offered when the patient cannot lie down."""

    substitute: str | None = None
    kind: ClassVar[str] = "lying"

    def check(self, exercise, ctx):
        if ctx.checkin.cannot_lie_down:
            instead = (f" Do {ctx.program.title_of(self.substitute)} instead."
                       if self.substitute else "")
            return Verdict(BLOCKED, f"You said you cannot lie down today.{instead}",
                           rule=self.kind)
        return None

    def describe(self, program):
        return "Done lying down."


def _minutes_text(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} h"
    if minutes > 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes} min"


class ProgramRule:
    """A rule over the whole program: when it applies, nothing can be started."""

    kind: ClassVar[str] = ""
    phase: ClassVar[str] = ""

    def check(self, ctx: Context) -> Verdict | None:
        raise NotImplementedError


@dataclass(frozen=True)
class RedFlagStop(ProgramRule):
    """safety: a "yes" on the latest red-flag check stops all exercise."""

    kind: ClassVar[str] = "red_flag"
    phase: ClassVar[str] = "red-flag"

    def check(self, ctx):
        last = ctx.history.last_red_flag
        if last is not None and last.positive and last.at <= ctx.now:
            return Verdict(BLOCKED, "You reported a warning sign: no exercises until a "
                                    "clinician has seen you. Please seek medical care.",
                           rule=self.kind)
        return None


@dataclass(frozen=True)
class AcutePhase(ProgramRule):
    """phase: no exercise during an acute episode or at acute pain levels."""

    threshold: int | None = None
    advice: str = ""
    kind: ClassVar[str] = "acute"
    phase: ClassVar[str] = "acute"

    def check(self, ctx):
        since = ctx.history.acute_since
        if since is not None and since <= ctx.now:
            return Verdict(BLOCKED, "Acute episode since "
                                    f"{clock_text(since, ctx.tz, ctx.today)}: rest, no "
                                    "exercises until you end it.", rule=self.kind)
        scores = [p for p in ctx.history.pain_today if p.at <= ctx.now]
        if ctx.checkin.pain is not None:
            latest = ctx.checkin.pain
        elif scores:
            latest = max(scores, key=lambda p: p.at).score
        else:
            return None
        if self.threshold is not None and latest >= self.threshold:
            return Verdict(BLOCKED, f"Pain {latest}/10 is at the acute level of this program "
                                    f"({self.threshold}/10): rest, no exercises now.",
                           rule=self.kind)
        return None
