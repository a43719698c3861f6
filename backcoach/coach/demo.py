"""Made-up history that follows the active program: each set is one the rules engine
allowed at that moment (order, follow-ups, spacing, caps, unlocks, bouts), with the
program's own doses. Adherence drifts, pain mostly improves with flare-ups, one acute
episode, a few stopped sets, weekly safety checks. Deterministic for a seed; written
in chunks inside one transaction."""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, Protocol

from backcoach.coach.demo_process import can_fork, generated, replay
from backcoach.coach.errors import Refused
from backcoach.domain.engine import PlanSteps, start_plan
from backcoach.domain.history import (
    CENTRALISING,
    SAME,
    STOP_PAIN,
    STOP_SPREADING,
    CheckIn,
    History,
    PainScore,
    RedFlagCheck,
    SetRecord,
)
from backcoach.domain.program import Exercise, Program
from backcoach.domain.rules import Bouts
from backcoach.domain.safety import RED_FLAGS
from backcoach.domain.status import Outcome, Phase
from backcoach.domain.windows import long_window_exercises, lookback_days
from backcoach.storage.repository import Repository


class Sink(Protocol):
    """Where the made-up log goes: a BulkWriter, or the calls recorded for one."""

    def session(self, start: datetime, program: Program) -> int: ...

    def end_session(self, session_id: int, end: datetime) -> None: ...

    def exercise_set(self, program: Program, record: SetRecord, started_at: datetime,
                     local: datetime | None = None) -> Any: ...

    def pain(self, at: datetime, score: int, context: str, session_id: int | None) -> Any: ...

    def acute_episode(self, start: datetime, end: datetime | None) -> Any: ...

    def red_flags(self, at: datetime, answers: dict[str, bool], positive: bool) -> Any: ...


@dataclass
class Simulation:
    """The made-up patient's log so far, kept as small as the rules need: yesterday's and
    today's sets, and for the unlocks still ahead one completed set a day of their
    prerequisites (what storage would read for the engine, without the rest)."""

    program: Program
    tz: tzinfo | None
    rng: random.Random
    #: yesterday's and today's sets (and any past midnight), each with its local day
    recent: list[tuple[date, SetRecord]] = field(default_factory=list)
    #: one completed set a day, before yesterday, of each exercise an unlock still reads
    practice: dict[str, list[tuple[date, SetRecord]]] = field(default_factory=dict)
    first_done: dict[str, datetime] = field(default_factory=dict)
    pain_today: list[PainScore] = field(default_factory=list)
    last_check: RedFlagCheck | None = None
    recent_from: date = date.min  # the first day `recent` holds

    def __post_init__(self) -> None:
        self.long_window = long_window_exercises(self.program)
        self.done_count = 0
        self.lookback = lookback_days(self.program)
        # practice and recent sets in time order, with their days and ends (for bisect)
        self._sets: list[SetRecord] = []
        self._days: list[date] = []
        self._ends: list[datetime] = []
        # what the last history was given, until it changes
        self._seen: tuple[tuple[SetRecord, ...], tuple[date, ...]] | None = None
        self._first_done: dict[str, datetime] = {}
        self._pain: tuple[PainScore, ...] = ()

    def history(self, session: list[SetRecord]) -> History:
        if self._seen is None:
            self._seen = (tuple(self._sets), tuple(self._days))
        sets, days = self._seen
        return History(sets=sets, set_days=days, session=tuple(session),
                       first_done=self._first_done, pain_today=self._pain,
                       last_red_flag=self.last_check)

    def new_day(self, day: date) -> None:
        keep = self.recent_from = day - timedelta(days=1)
        if len(self.first_done) != self.done_count:  # a first set since: fewer unlocks ahead
            self.long_window = long_window_exercises(self.program, self.first_done)
            self.done_count = len(self.first_done)
        moved = [(d, s) for d, s in self.recent if d < keep]
        if moved:
            self.recent = [(d, s) for d, s in self.recent if d >= keep]
        horizon = day - timedelta(days=self.lookback)
        practice = {}
        for exercise_id in self.long_window:
            days = list(self.practice.get(exercise_id, ()))
            for local_day, record in moved:  # one completed set a day
                if record.completed and record.exercise_id == exercise_id \
                        and (not days or days[-1][0] != local_day):
                    days.append((local_day, record))
            days = [(d, s) for d, s in days if d >= horizon]
            if days:
                practice[exercise_id] = days
        self.practice = practice
        self.pain_today = []
        self._pain = ()
        older = [pair for records in self.practice.values() for pair in records]
        pairs = sorted(older + self.recent if older else self.recent, key=_ended)
        self._sets = [s for _, s in pairs]
        self._days = [d for d, _ in pairs]
        self._ends = [s.ended_at for s in self._sets]
        self._seen = None

    def pain(self, score: PainScore) -> None:
        self.pain_today.append(score)
        self._pain = tuple(self.pain_today)

    def done(self, record: SetRecord, local_day: date) -> None:
        self.recent.append((local_day, record))
        if record.completed and record.exercise_id not in self.first_done:
            self.first_done[record.exercise_id] = record.ended_at
            self._first_done = dict(self.first_done)
        at = bisect_right(self._ends, record.ended_at)  # where a stable sort puts it
        self._ends.insert(at, record.ended_at)
        self._sets.insert(at, record)
        self._days.insert(at, local_day)
        self._seen = None


def _ended(pair: tuple[date, SetRecord]) -> datetime:
    return pair[1].ended_at


def _amount(exercise: Exercise, reps_target: int | None, rng: random.Random
            ) -> tuple[int | None, int | None, int]:
    """(reps, seconds, how long the set took) for the exercise's dose (`reps_target`: the
    plan's reps a set today)."""
    dose = exercise.dose
    reps = reps_target or dose.reps
    if reps and dose.hold_seconds:
        return reps, reps * dose.hold_seconds, reps * (dose.hold_seconds + (dose.rest_seconds or 3))
    if reps:
        return reps, None, reps * 5
    if dose.hold_seconds:
        return None, dose.hold_seconds, dose.hold_seconds
    seconds = (dose.duration_minutes * 60) if dose.duration_minutes else rng.randint(10, 30) * 60
    return None, seconds, seconds


def _choose(plan: PlanSteps, program: Program, done_here: set[str],
            rng: random.Random) -> str | None:
    """The exercise done next: the one required next if it may start, else the first in
    program order that may start and that the patient takes up ("as able" ones now and
    then). One done in this session already comes back only to finish a bout, so without
    bouts it is not even asked about; no entry is worked out."""
    required = plan.required_next
    if required and plan.may_start(required):
        candidates: Iterable[str] = (required,)
    else:
        candidates = (e.id for e in program.exercises
                      if not (e.id in done_here and e.rule(Bouts.kind) is None)
                      and plan.may_start(e.id))
    for exercise_id in candidates:
        if exercise_id in done_here:
            if not plan.dose(exercise_id)[2]:  # no sets left in the bout
                continue
        elif not program.exercise(exercise_id).dose.sets_per_day_min:
            done_here.add(exercise_id)  # "as able": done now and then
            if rng.random() > 0.3:
                continue
        return exercise_id
    return None


def write_demo(repo: Repository, program: Program, days: int, seed: int, now: datetime,
               tz: tzinfo | None,
               progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Write `days` days of made-up history ending at `now` (nothing later)."""
    sim = Simulation(program, tz, random.Random(seed))
    with repo.writing() as log:
        if not log.is_empty():
            raise Refused("demo refuses a database that already holds data; "
                          "use --db NEW.sqlite3")
        bulk = log.bulk()
        if can_fork():  # made in a second process, written here
            sessions: dict[int, int] = {}
            for batch in generated(lambda sink: _days(sink, sim, days, now, sink.progress)):
                replay(bulk, program, tz, batch, sessions, progress)
        else:
            _days(bulk, sim, days, now, progress)
        bulk.setting("program", program.id)
        bulk.setting("welcome_done", "1")
        return bulk.finish()


def _days(bulk: Sink, sim: Simulation, days: int, now: datetime,
          progress: Callable[[int, int], None] | None) -> None:
    """Each day: pain on waking, the weekly safety check, then the day's sessions."""
    program, rng, tz = sim.program, sim.rng, sim.tz
    first = now.astimezone(tz).date() - timedelta(days=days - 1)
    acute_start = days // 3 if days >= 30 else None
    drift = flare = 0.0

    zones: dict[tuple[timedelta | None, str | None], tzinfo | None] = {}

    def at(day: date, clock: time) -> datetime:
        naive = datetime.combine(day, clock)
        if tz:
            return naive.replace(tzinfo=tz)
        aware = naive.astimezone()  # the system's zone: a new fixed offset each time, so
        zone = aware.tzinfo  # share one per offset (times with one zone compare faster)
        return aware.replace(tzinfo=zones.setdefault((aware.utcoffset(), aware.tzname()), zone))

    for n in range(days):
        day = first + timedelta(days=n)
        if progress and n % 365 == 0:
            progress(n, days)
        sim.new_day(day)
        drift = max(-0.5, min(0.2, drift + rng.gauss(0, 0.03)))
        adherence = max(0.1, min(1.0, 0.7 + 0.2 * math.sin(n / 14) + drift))
        if rng.random() < 1 / 60:
            flare = rng.uniform(2, 3.5)
        flare *= 0.75
        base = 2 + 4.5 * math.exp(-n / 120) + flare + rng.gauss(0, 0.4)
        in_acute = acute_start is not None and acute_start <= n < acute_start + 4
        if in_acute:
            base = 8 + rng.random()
        if acute_start is not None and n == acute_start:
            bulk.acute_episode(at(day, time(7, 30)), at(day + timedelta(days=4), time(8)))
        morning = at(day, time(7, rng.randint(0, 40)))
        if morning > now:
            break
        score = _pain(base + 0.8, rng)
        bulk.pain(morning, score, "standalone", None)
        sim.pain(PainScore(morning, score))
        if n % 7 == 0:
            check = at(day, time(7, 45))
            if check <= now:
                bulk.red_flags(check, {q.key: False for q in RED_FLAGS}, False)
                sim.last_check = RedFlagCheck(check, False)
        if in_acute or sim.last_check is None:
            continue
        sessions = min(8, max(0, round(adherence * 7 + rng.gauss(0, 0.7))))
        opening = at(day, time(8)) if sessions else now
        for k in range(sessions):
            start = opening + timedelta(hours=2 * k, minutes=rng.randint(0, 25))
            if start > now:
                break
            _session(bulk, sim, program, start, now, _pain(base - 0.2 * k, rng))


def _session(bulk: Sink, sim: Simulation, program: Program, start: datetime, now: datetime,
             before: int) -> None:
    """One guided session: check in, then whatever the plan allows, then pain after."""
    rng, tz = sim.rng, sim.tz
    now = now.astimezone(start.tzinfo)  # the same instant in the session's zone: faster `>`
    checkin = CheckIn(before, False)
    session_id: int | None = None
    clock = start
    today = start.astimezone(tz).date()  # the local day of `clock`, as the plan would find
    done: list[SetRecord] = []
    done_here: set[str] = set()
    for _ in range(16):
        plan = start_plan(program, sim.history(done), clock, checkin, tz, today)
        if plan.phase != Phase.NON_ACUTE:
            break
        chosen = _choose(plan, program, done_here, rng)
        if chosen is None:
            break
        exercise = program.exercise(chosen)
        reps_target, follow_up, _ = plan.dose(chosen)
        reps, seconds, length = _amount(exercise, reps_target, rng)
        begun, clock = clock, clock + timedelta(seconds=length + 20)
        if clock > now:
            break
        if session_id is None:
            session_id = bulk.session(start, program)
            bulk.pain(start, before, "before", session_id)
            sim.pain(PainScore(start, before, "before"))
        stopped = rng.random() < 0.015
        reason = (STOP_SPREADING if rng.random() < 0.1 else STOP_PAIN) if stopped else None
        symptom = rng.choice([CENTRALISING, SAME, SAME]) \
            if exercise.asks_symptom_response and not stopped else None
        record = SetRecord(chosen, clock, Outcome.STOPPED if stopped else Outcome.COMPLETED,
                           follow_up, reason, symptom, session_id, reps, seconds)
        local = clock.astimezone(tz)
        today = local.date()
        bulk.exercise_set(program, record, begun, local)
        done.append(record)
        done_here.add(chosen)
        sim.done(record, today)
        if stopped:
            break
    if session_id is not None:
        after = max(0, min(10, before - rng.choice([0, 1, 1, 1, 2])))
        bulk.pain(clock, after, "after", session_id)
        sim.pain(PainScore(clock, after, "after"))
        bulk.end_session(session_id, clock)


def _pain(level: float, rng: random.Random) -> int:
    return max(0, min(10, round(level + rng.gauss(0, 0.6))))

