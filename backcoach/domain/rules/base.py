"""Statuses, verdicts, the context rules look at, and the two rule base classes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import compress, repeat
from operator import eq
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from backcoach.domain.history import COMPLETED, CheckIn, History, SetRecord
from backcoach.domain.status import Status

if TYPE_CHECKING:
    from backcoach.domain.program import Exercise, Program

T = TypeVar("T")


class cached_property(Generic[T]):  # noqa: N801 (named after functools')
    """functools.cached_property without its lock (Python 3.11 takes one on every first
    read, a cost a plan made thousands of times pays for each of its few lazy fields)."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> T:
        if instance is None:
            return self  # type: ignore[return-value]  # read on the class, as functools'
        value = self.func(instance)
        instance.__dict__[self.name] = value  # later reads find it there, not here
        return value


AVAILABLE = Status.AVAILABLE
BLOCKED = Status.BLOCKED
LOCKED = Status.LOCKED
DONE = Status.DONE
LATER = Status.LATER
SEVERITY: dict[str, int] = {LOCKED: 4, BLOCKED: 3, DONE: 2, LATER: 1, AVAILABLE: 0}


def local(dt: datetime, tz: tzinfo | None) -> datetime:
    """`dt` in the patient's time zone (the system's when tz is None)."""
    return dt.astimezone(tz)


def clock_text(dt: datetime, tz: tzinfo | None, today: date) -> str:
    """"14:30", or "Tue 4 Nov 14:30" when not today."""
    when = local(dt, tz)
    if when.date() == today:
        return f"{when.hour:02d}:{when.minute:02d}"  # strftime("%H:%M"), faster
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

    @cached_property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()  # local(now, tz), without the call

    @property
    def tomorrow(self) -> datetime:
        """The coming local midnight: when "for today" ends."""
        return self.at_local(self.today + timedelta(days=1), time(0))

    def at_local(self, day: date, clock: time) -> datetime:
        naive = datetime.combine(day, clock)
        return naive.replace(tzinfo=self.tz) if self.tz else naive.astimezone()

    @cached_property
    def _index(self) -> _Index:
        """The history's sets indexed once per plan (each set's local day computed once)."""
        return _Index(self.history, self.now, self.tz, self.today)

    def _by_day(self) -> dict[tuple[str, date], list[SetRecord]]:
        """The sets up to now, grouped by (exercise, local day); built once per plan."""
        return self._index.by_day

    def sets_on(self, exercise_id: str, day: date) -> list[SetRecord]:
        return list(self._index.on(exercise_id, day))

    def regular_completed_on(self, exercise_id: str, day: date,
                             whole_day: bool = False) -> list[SetRecord]:
        """Completed sets that count towards caps and bouts (follow-ups belong to their
        cause); `whole_day` includes sets logged for later that day (entered afterwards)."""
        return [s for s in self._index.on(exercise_id, day, whole_day)
                if s.outcome == COMPLETED and not s.follow_up]

    def regular_completed_times(self, exercise_id: str) -> list[datetime]:
        """When each completed set that counts towards spacing ended, on any day of the
        window, later than now included (in time order)."""
        return self._index.regular_times_of(exercise_id)

    def day_started(self) -> datetime:
        """The start of the patient's day: the first check-in, else the first set, else the
        program's `day_starts` time."""
        checkins = [p.at for p in self.history.pain_today if p.at <= self.now]
        if checkins:
            return min(checkins)
        first = self._index.first_today
        if first is not None:
            return first
        return self.at_local(self.today, self.program.day_starts)

    def regular_completed_today(self, exercise_id: str) -> list[SetRecord]:
        """Completed sets today that count towards the daily cap and spacing."""
        return self.regular_completed_on(exercise_id, self.today)

    def spreads_today(self) -> tuple[SetRecord, ...]:
        """Today's sets (up to now) after which pain spread down the leg, in time order."""
        return self._index.spreads_today

    def completed_in_session(self, exercise_id: str) -> bool:
        return exercise_id in self._session_done

    @cached_property
    def _session_done(self) -> frozenset[str]:
        """The exercises with a completed set in the session."""
        return frozenset(s.exercise_id for s in self.history.session if s.completed)

    def ever_done(self, exercise_id: str) -> bool:
        first = self.history.first_done.get(exercise_id)
        return (first is not None and first <= self.now) or self.completed_in_session(exercise_id)

    def practice_days(self, exercise_id: str) -> set[date]:
        return self._index.practised(exercise_id)


class _Index:
    """One pass over a history's sets (each set's local day computed once, or given): today's
    sets by exercise at once, the rest derived when first asked for."""

    def __init__(self, history: History, now: datetime, tz: tzinfo | None,
                 today: date) -> None:
        self.now, self.today = now, today
        #: `regular_times_of` by exercise, as far as asked for
        self.regular_times: dict[str, list[datetime]] = {}
        sets, given = history.sets, history.set_days
        self.sets = sets
        self.days: Sequence[date] = given if len(given) == len(sets) else \
            [record.ended_at.astimezone(tz).date() for record in sets]
        todays = list(compress(sets, map(eq, self.days, repeat(today))))  # day == today
        #: today's sets up to now, in order
        self.today_sets = [record for record in todays if not record.ended_at > now]
        self.later_today = len(self.today_sets) < len(todays)  # some of today's end after now
        self.today_by_exercise: dict[str, list[SetRecord]] = {}
        for record in self.today_sets:
            found = self.today_by_exercise.get(record.exercise_id)
            if found is None:
                self.today_by_exercise[record.exercise_id] = [record]
            else:
                found.append(record)

    @cached_property
    def later(self) -> bool:
        """Some set ends after now."""
        now = self.now
        return any(record.ended_at > now for record in self.sets)

    def on(self, exercise_id: str, day: date, whole_day: bool = False) -> Sequence[SetRecord]:
        """The exercise's sets on a local day: up to now, or (`whole_day`) later ones too."""
        if day == self.today and not (whole_day and self.later_today):
            return self.today_by_exercise.get(exercise_id, ())
        return (self.whole_day if whole_day else self.by_day).get((exercise_id, day), ())

    @cached_property
    def by_day(self) -> dict[tuple[str, date], list[SetRecord]]:
        """By (exercise, local day), up to now."""
        index: dict[tuple[str, date], list[SetRecord]] = {}
        now = self.now
        for record, day in zip(self.sets, self.days, strict=True):
            if record.ended_at <= now:
                index.setdefault((record.exercise_id, day), []).append(record)
        return index

    @cached_property
    def whole_day(self) -> dict[tuple[str, date], list[SetRecord]]:
        """By (exercise, local day), sets later than now included."""
        if not self.later:
            return self.by_day
        index: dict[tuple[str, date], list[SetRecord]] = {}
        for record, day in zip(self.sets, self.days, strict=True):
            index.setdefault((record.exercise_id, day), []).append(record)
        return index

    def regular_times_of(self, exercise_id: str) -> list[datetime]:
        """When the exercise's completed sets that are not follow-ups ended, in order."""
        found = self.regular_times.get(exercise_id)
        if found is None:
            found = self.regular_times[exercise_id] = [
                record.ended_at for record in self.sets if record.exercise_id == exercise_id
                and record.outcome == COMPLETED and not record.follow_up]
        return found


    def practised(self, exercise_id: str) -> set[date]:
        """Days with a completed set of the exercise up to now."""
        return set(self.practice[exercise_id])

    @cached_property
    def practice(self) -> defaultdict[str, set[date]]:
        index: defaultdict[str, set[date]] = defaultdict(set)
        now = self.now
        for record, day in zip(self.sets, self.days, strict=True):
            if record.outcome == COMPLETED and record.ended_at <= now:
                index[record.exercise_id].add(day)
        return index

    @cached_property
    def spreads_today(self) -> tuple[SetRecord, ...]:
        return tuple(record for record in self.today_sets if record.spread_pain)

    @cached_property
    def first_today(self) -> datetime | None:
        return min((record.ended_at for record in self.today_sets), default=None)


class ExerciseRule:
    """Base of the per-exercise rules."""

    kind: ClassVar[str] = ""
    #: True when a set required by a follow-with rule ignores this rule.
    waived_for_follow_up: ClassVar[bool] = False
    #: How many days of history the rule looks back over.
    lookback_days: int = 1
    #: True when the rule reads no history once its exercise was done (ever).
    settled_once_done: ClassVar[bool] = False

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        raise NotImplementedError

    def blocks(self, exercise: Exercise, ctx: Context) -> bool:
        """`check(...) is not None`, without the verdict's text where a rule says so (the
        made-up history asks this some hundred thousand times; a test compares the two)."""
        return self.check(exercise, ctx) is not None

    def describe(self, program: Program) -> str:
        raise NotImplementedError

    def references(self) -> tuple[str, ...]:
        """Exercise ids this rule names (checked by the loader)."""
        return ()


def minutes_text(minutes: int) -> str:
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


