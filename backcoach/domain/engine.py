"""The rules engine: (program, history, now, check-in) → plan. Pure: no I/O, no clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo

from backcoach.domain.history import CheckIn, History
from backcoach.domain.pain_course import not_easing_text
from backcoach.domain.program import Exercise, Program
from backcoach.domain.rules import (
    AVAILABLE,
    BLOCKED,
    LATER,
    LOCKED,
    SEVERITY,
    Bouts,
    Context,
    FirstTimeAfter,
    FollowWith,
    SpreadingPainStop,
    Substitute,
    Verdict,
    spreads_today,
)
from backcoach.domain.status import Phase, Status
from backcoach.domain.windows import long_window_exercises, lookback_days  # noqa: F401
from backcoach.text import plural


@dataclass(frozen=True)
class ExercisePlan:
    """One exercise's place in the plan, with the reason in one sentence."""

    id: str
    title: str
    status: Status
    reason: str
    sets_today: int
    sets_target: int | None
    next_allowed_at: datetime | None
    unlocks_on: date | None = None
    dose: str = ""
    follow_up: bool = False
    reps_target: int | None = None  # reps a set today (after any progression)
    #: pain spread down the leg after this exercise today: it is over for the day
    stopped_for_today: bool = False
    #: sets still to do back to back in the current bout (None: the dose has no bouts)
    sets_left_in_bout: int | None = None

    @property
    def can_start(self) -> bool:
        return self.status == AVAILABLE


@dataclass(frozen=True)
class Plan:
    """What may be done now, and why."""

    now: datetime
    program_id: str
    phase: Phase
    required_next: str | None
    exercises: tuple[ExercisePlan, ...]
    advice: str = ""
    red_flag_check_due: bool = False
    #: what the patient should know today (pain spreading, pain not easing), in sentences
    notices: tuple[str, ...] = ()

    def entry(self, exercise_id: str) -> ExercisePlan:
        for item in self.exercises:
            if item.id == exercise_id:
                return item
        raise KeyError(exercise_id)

    @property
    def available(self) -> tuple[ExercisePlan, ...]:
        return tuple(e for e in self.exercises if e.can_start)

    @property
    def next_due(self) -> datetime | None:
        """The earliest time an exercise waiting on spacing or time of day may start."""
        times = [e.next_allowed_at for e in self.exercises
                 if e.status == LATER and e.next_allowed_at]
        return min(times) if times else None

    @property
    def next_action(self) -> ExercisePlan | None:
        """The exercise to do next: the required one if it can start, else the first
        available (while a follow-up waits for its first-time prerequisite, that one)."""
        if self.required_next and self.entry(self.required_next).can_start:
            return self.entry(self.required_next)
        return self.available[0] if self.available else None


def build_plan(program: Program, history: History, now: datetime,
               checkin: CheckIn | None = None, tz: tzinfo | None = None) -> Plan:
    """Evaluate every rule of `program` at `now` (timezone-aware)."""
    return start_plan(program, history, now, checkin, tz).complete()


def start_plan(program: Program, history: History, now: datetime,
               checkin: CheckIn | None = None, tz: tzinfo | None = None,
               today: date | None = None) -> PlanSteps:
    """The plan at `now`, its exercises evaluated only when asked for: the phase and the
    exercise required next at once, then each exercise's entry on demand (the same
    entries `build_plan` gives). For a caller that needs one decision, not the whole
    plan (the made-up history asks for the first exercise it may do). `today`: the local
    day of `now` in `tz`, when the caller has it at hand (it is not worked out again)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    ctx = Context(program, history, now, tz, checkin or CheckIn())
    if today is not None:
        vars(ctx)["today"] = today  # what the cached `Context.today` would work out
    for rule in program.program_rules:
        verdict = rule.check(ctx)
        if verdict is not None:
            return PlanSteps(ctx, Phase(rule.phase), verdict)

    required, because = _required_next(program, ctx)
    known: dict[str, Verdict | None] = {}
    if required is not None:
        exercise = program.exercise(required)  # its verdict (with texts) only if it has one
        verdict = _evaluate(exercise, ctx, follow_up=True) \
            if _stands_in_way(exercise, ctx, follow_up=True) else None
        if verdict is None or verdict.rule == FirstTimeAfter.kind:
            ctx.required_next, ctx.required_because = required, because
            ctx.required_prereqs = verdict.missing if verdict else ()
            known[required] = verdict  # its own rules read nothing of the above
    return PlanSteps(ctx, Phase.NON_ACUTE, None, known)


class PlanSteps:
    """A plan whose exercise entries are worked out one at a time, in program order."""

    def __init__(self, ctx: Context, phase: Phase, stop: Verdict | None,
                 verdicts: dict[str, Verdict | None] | None = None) -> None:
        self.ctx = ctx
        self.phase = phase
        self.stop = stop  # the program rule that stops everything, if one does
        self.required_next = ctx.required_next
        self._verdicts = verdicts or {}  # exercises already evaluated
        self._entries: dict[str, ExercisePlan] = {}

    def entry(self, exercise_id: str) -> ExercisePlan:
        """The exercise's place in the plan (KeyError if the program has no such one)."""
        found = self._entries.get(exercise_id)
        if found is None:
            ctx = self.ctx
            exercise = ctx.program.exercise(exercise_id)
            if self.stop is not None:
                found = _entry(exercise, ctx, self.stop)
            else:
                follow_up = exercise.id == ctx.required_next
                verdict = self._verdicts[exercise_id] if exercise_id in self._verdicts \
                    else _evaluate(exercise, ctx, follow_up=follow_up)
                found = _entry(exercise, ctx, verdict, follow_up)
            self._entries[exercise_id] = found
        return found

    def dose(self, exercise_id: str) -> tuple[int | None, bool, int | None]:
        """(reps a set today, a follow-up?, sets left in the bout) as `entry` gives them,
        without the entry's texts."""
        found = self._entries.get(exercise_id)
        if found is not None:
            return found.reps_target, found.follow_up, found.sets_left_in_bout
        ctx = self.ctx
        exercise = ctx.program.exercise(exercise_id)
        bouts = exercise.rule(Bouts.kind)
        return (_reps_today(exercise, ctx),
                self.stop is None and exercise_id == ctx.required_next,
                bouts.sets_left(exercise, ctx) if isinstance(bouts, Bouts) else None)

    def may_start(self, exercise_id: str) -> bool:
        """`entry(exercise_id).can_start`, worked out only as far as that needs: the first
        rule that stands in the way answers it (no entry is built for it)."""
        found = self._entries.get(exercise_id)
        if found is not None or self.stop is not None:
            return self.entry(exercise_id).can_start
        if exercise_id in self._verdicts:
            return self._verdicts[exercise_id] is None
        ctx = self.ctx
        exercise = ctx.program.exercise(exercise_id)
        if _stands_in_way(exercise, ctx, follow_up=exercise_id == ctx.required_next):
            return False
        self._verdicts[exercise_id] = None  # what `_evaluate` would say
        return True

    def entries(self) -> Iterator[ExercisePlan]:
        """Every exercise's entry, in program order, each worked out when reached."""
        for exercise in self.ctx.program.exercises:
            yield self.entry(exercise.id)

    def available(self) -> Iterator[ExercisePlan]:
        """The exercises that may start now, in program order."""
        return (e for e in self.entries() if e.can_start)

    def complete(self) -> Plan:
        """The whole plan."""
        ctx = self.ctx
        program, history, now = ctx.program, ctx.history, ctx.now
        due = _red_flag_check_due(program, history, now)
        notices = _notices(program, ctx)
        entries = tuple(self.entries())
        if self.stop is not None:
            advice = program.rest_advice if self.phase == Phase.ACUTE else self.stop.reason
            return Plan(now, program.id, self.phase, None, entries, advice, due, notices)
        return Plan(now, program.id, Phase.NON_ACUTE, ctx.required_next, entries, "", due,
                    notices)


def locked_exercises(program: Program, history: History, now: datetime,
                     tz: tzinfo | None = None) -> frozenset[str]:
    """The exercises an unlock rule still holds back at `now`, whatever the phase (the
    plan in an acute phase says "blocked" for all; adherence needs the locked ones)."""
    ctx = Context(program=program, history=history, now=now, tz=tz, checkin=CheckIn())
    return frozenset(e.id for e in program.exercises for rule in e.rules
                     if rule.kind == "unlock" and (verdict := rule.check(e, ctx)) is not None
                     and verdict.status == LOCKED)


def _notices(program: Program, ctx: Context) -> tuple[str, ...]:
    """Pain spread down the leg today; pain not easing over a month (seed 003)."""
    out = []
    spread = spreads_today(ctx)
    if spread:
        title = program.title_of(spread[-1].exercise_id)
        back = (f" Go back to {program.title_of(program.spreading_fallback)}."
                if program.spreading_fallback
                and program.spreading_fallback != spread[-1].exercise_id else "")
        out.append(f"Pain spread down the leg after {title} today: exercises that move the "
                   f"back the same way are stopped for today.{back} If it happens again, "
                   "contact your physiotherapist or doctor.")
    scores = [(p.at.astimezone(ctx.tz).date(), float(p.score)) for p in ctx.history.pain_weeks
              if p.at <= ctx.now]
    easing = not_easing_text(scores, ctx.today)
    if easing:
        out.append(easing)
    return tuple(out)


def _evaluate(exercise: Exercise, ctx: Context, follow_up: bool) -> Verdict | None:
    """The most severe verdict of the exercise's rules (the first of equals), or None if it
    may start."""
    worst: Verdict | None = None
    for rule in exercise.rules:
        if follow_up and rule.waived_for_follow_up:
            continue
        verdict = rule.check(exercise, ctx)
        if verdict is not None and (worst is None
                                    or SEVERITY[verdict.status] > SEVERITY[worst.status]):
            worst = verdict
    gate = _follow_with_gate(exercise, ctx)
    if gate is not None and (worst is None or SEVERITY[gate.status] > SEVERITY[worst.status]):
        worst = gate
    return worst


def _stands_in_way(exercise: Exercise, ctx: Context, follow_up: bool) -> bool:
    """True when `_evaluate` would find a verdict (no rule gives one that lets it start)."""
    if _follow_with_gate(exercise, ctx) is not None:
        return True
    for rule in exercise.rules:
        if not (follow_up and rule.waived_for_follow_up) and rule.blocks(exercise, ctx):
            return True
    return False


def _follow_with_gate(exercise: Exercise, ctx: Context) -> Verdict | None:
    required = ctx.required_next
    if required is None or exercise.id == required or exercise.id in ctx.required_prereqs:
        return None
    return Verdict(BLOCKED, f"Do {ctx.program.title_of(required)} next: "
                            f"{ctx.required_because}.", rule="required_next")


def _required_next(program: Program, ctx: Context) -> tuple[str | None, str]:
    """What the session's last sets require next (follow-with, spreading pain), and why."""
    pending: str | None = None
    cause: tuple[str, Exercise] | None = None  # (why, after which): the reason, once known
    now, fallback = ctx.now, program.spreading_fallback
    for record in ctx.history.session:
        if record.ended_at > now:
            continue
        if pending is not None and (record.exercise_id == pending
                                    or _stands_in_for(program, record.exercise_id, pending)):
            pending = None
        exercise = program.find(record.exercise_id)
        if exercise is None:
            continue
        if record.spread_pain and fallback and fallback != record.exercise_id:
            pending, cause = fallback, ("spread", exercise)
        elif record.completed:
            follow = exercise.rule(FollowWith.kind)
            if isinstance(follow, FollowWith):
                pending, cause = follow.then, ("follow", exercise)
    if pending is not None and ctx.checkin.cannot_lie_down:
        pending = _substitute_for(program, pending, ctx.checkin) or pending
    if cause is None:
        return pending, ""
    why, after = cause
    return pending, (f"pain spread down the leg after {after.title}, so go back to it"
                     if why == "spread" else f"it comes straight after {after.title}")


def _stands_in_for(program: Program, exercise_id: str, target: str) -> bool:
    exercise = program.find(exercise_id)
    rule = exercise.rule(Substitute.kind) if exercise is not None else None
    return isinstance(rule, Substitute) and rule.for_exercise == target


def _substitute_for(program: Program, target: str, checkin: CheckIn) -> str | None:
    for exercise in program.exercises:
        rule = exercise.rule(Substitute.kind)
        if isinstance(rule, Substitute) and rule.for_exercise == target and rule.applies(checkin):
            return exercise.id
    return None


def _entry(exercise: Exercise, ctx: Context, verdict: Verdict | None,
           follow_up: bool = False) -> ExercisePlan:
    done_today = ctx.regular_completed_today(exercise.id)  # follow-ups belong to their cause
    target = exercise.dose.sets_per_day_max
    dose = _dose_text(exercise, ctx)
    reps = _reps_today(exercise, ctx)
    bouts = exercise.rule(Bouts.kind)
    left = bouts.sets_left(exercise, ctx) if isinstance(bouts, Bouts) else None
    if verdict is None:
        reason = _available_reason(exercise, ctx, len(done_today), follow_up)
        return ExercisePlan(exercise.id, exercise.title, AVAILABLE, reason, len(done_today),
                            target, None, None, dose, follow_up, reps, sets_left_in_bout=left)
    return ExercisePlan(exercise.id, exercise.title, Status(verdict.status), verdict.reason,
                        len(done_today), target, verdict.next_allowed_at, verdict.unlocks_on,
                        dose, follow_up, reps,
                        stopped_for_today=verdict.rule == SpreadingPainStop.kind,
                        sets_left_in_bout=left)


def _available_reason(exercise: Exercise, ctx: Context, done: int, follow_up: bool) -> str:
    if follow_up:
        return f"Do {exercise.title} now: {ctx.required_because}."
    if exercise.id in ctx.required_prereqs:
        before = ctx.program.title_of(ctx.required_next or "")
        return f"Do {exercise.title} now: it comes before {before} the first time."
    low, high = exercise.dose.sets_per_day_min, exercise.dose.sets_per_day_max
    if low and high:
        span = f"{low}–{high}" if low != high else f"{low}"
        return f"Due now: set {done + 1} of {span} today."
    return "Available now: as often as you are able."


def _reps_today(exercise: Exercise, ctx: Context) -> int | None:
    """The dose's reps, or where a progression applies, today's step of it: it follows the
    days practised (days with a completed set before today), not the calendar."""
    if exercise.progression is None:
        return exercise.dose.reps
    practised = {d for d in ctx.history.practice_days.get(exercise.id, ()) if d < ctx.today}
    return exercise.progression.reps_on_day(len(practised))


def _dose_text(exercise: Exercise, ctx: Context) -> str:
    progression = exercise.progression
    if progression is None:
        return exercise.dose.describe()
    rest = replace(exercise.dose, reps=None, reps_max=None).describe()
    extra = "" if rest == "as able" else f" · {rest}"
    return (f"{plural(_reps_today(exercise, ctx) or 0, 'rep')} a set today (rising by "
            f"{progression.step} every {plural(progression.every_days, 'day')} practised, "
            f"never above {progression.ceiling}){extra}")


def _red_flag_check_due(program: Program, history: History, now: datetime) -> bool:
    if program.red_flag_check_days is None:
        return False
    last = history.last_red_flag
    return last is None or (now - last.at).days >= program.red_flag_check_days
