"""Safety rules: spreading pain, lying down, red flags, the acute phase."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from backcoach.domain.history import SetRecord
from backcoach.domain.rules.base import (
    BLOCKED,
    Context,
    ExerciseRule,
    ProgramRule,
    Verdict,
    clock_text,
)

if TYPE_CHECKING:
    from backcoach.domain.program import Exercise, Program



@dataclass(frozen=True)
class SpreadingPainStop(ExerciseRule):
    """symptom response: pain spreading down the leg after an exercise stops it, and every
    exercise that moves the spine the same way, for the rest of the day (the program's
    fallback excepted: the patient goes back to it)."""

    fallback: str | None = None
    kind: ClassVar[str] = "spreading_stop"

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        cause = spread_today(ctx, exercise)
        if cause is None or not self._stops(exercise, cause):
            return None  # the fallback stays open unless pain spread after it itself
        back = (f" Go back to {ctx.program.title_of(self.fallback)}."
                if self.fallback and self.fallback != cause.id else "")
        after = cause.title if cause.id == exercise.id else \
            f"{cause.title} (it moves the back the same way)"
        return Verdict(BLOCKED, f"Stopped for today: pain spread down the leg after "
                                f"{after}.{back} If it happens again, contact your "
                                "physiotherapist or doctor.",
                       next_allowed_at=ctx.tomorrow, rule=self.kind)

    def blocks(self, exercise: Exercise, ctx: Context) -> bool:
        if not ctx.spreads_today():
            return False
        cause = spread_today(ctx, exercise)
        return cause is not None and self._stops(exercise, cause)

    def _stops(self, exercise: Exercise, cause: Exercise) -> bool:
        return not (exercise.id == self.fallback and cause.id != exercise.id)

    def describe(self, program: Program) -> str:
        back = (f"; go back to {program.title_of(self.fallback)}" if self.fallback
                and program.has(self.fallback) else "")
        return ("Stopped for the day, with every exercise that moves the back the same way, "
                f"if pain spreads down the leg{back}.")


@dataclass(frozen=True)
class LyingPosition(ExerciseRule):
    """An exercise done lying down is not offered when the patient cannot lie down."""

    substitute: str | None = None
    kind: ClassVar[str] = "lying"

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        if ctx.checkin.cannot_lie_down:
            instead = (f" Do {ctx.program.title_of(self.substitute)} instead."
                       if self.substitute else "")
            return Verdict(BLOCKED, f"You said you cannot lie down today.{instead}",
                           rule=self.kind)
        return None

    def blocks(self, exercise: Exercise, ctx: Context) -> bool:
        return ctx.checkin.cannot_lie_down

    def describe(self, program: Program) -> str:
        return "Done lying down."


@dataclass(frozen=True)
class RedFlagStop(ProgramRule):
    """safety: a "yes" on the latest red-flag check stops all exercise."""

    kind: ClassVar[str] = "red_flag"
    phase: ClassVar[str] = "red-flag"

    def check(self, ctx: Context) -> Verdict | None:
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

    def check(self, ctx: Context) -> Verdict | None:
        since = ctx.history.acute_since
        if since is not None and since <= ctx.now:
            return Verdict(BLOCKED, "Acute episode since "
                                    f"{clock_text(since, ctx.tz, ctx.today)}: rest, no "
                                    "exercises until you end it.", rule=self.kind)
        if ctx.checkin.pain is not None:
            latest = ctx.checkin.pain
        else:
            now = ctx.now
            since = now - ctx.program.acute_window
            scores = [p for p in ctx.history.pain_recent + ctx.history.pain_today
                      if since <= p.at <= now]
            if not scores:
                return None
            latest = max(scores, key=lambda p: p.at).score
        if self.threshold is not None and latest >= self.threshold:
            return Verdict(BLOCKED, f"Pain {latest}/10 is at the acute level of this program "
                                    f"({self.threshold}/10): rest, no exercises now. When "
                                    "it eases, record a lower pain score.", rule=self.kind)
        return None


def spreads_today(ctx: Context) -> tuple[SetRecord, ...]:
    """Today's sets (up to now) after which pain spread down the leg, in time order."""
    return ctx.spreads_today()


def spread_today(ctx: Context, exercise: Exercise) -> Exercise | None:
    """The exercise after which pain spread today that stops `exercise` (itself, or one of
    the same direction), if any."""
    for record in ctx.spreads_today():
        if record.exercise_id == exercise.id:
            return exercise
        cause = ctx.program.find(record.exercise_id)
        if cause is not None and exercise.direction != "none" \
                and cause.direction == exercise.direction:
            return cause
    return None


@dataclass(frozen=True)
class SafetyCheckFirst(ProgramRule):
    """safety: a program that asks the warning-sign questions asks them before anything."""

    kind: ClassVar[str] = "safety_check_first"
    phase: ClassVar[str] = "safety-check"

    def check(self, ctx: Context) -> Verdict | None:
        if ctx.program.red_flag_check_days is None:
            return None
        last = ctx.history.last_red_flag
        if last is None or last.at > ctx.now:
            return Verdict(BLOCKED, "Answer the safety questions first (backcoach safety, or "
                                    "r in the app).", rule=self.kind)
        return None
