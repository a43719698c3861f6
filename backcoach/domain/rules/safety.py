"""Safety rules: spreading pain, lying down, red flags, the acute phase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from typing import TYPE_CHECKING, ClassVar

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
    """symptom response: pain spreading down the leg stops this exercise for the day."""

    fallback: str | None = None
    kind: ClassVar[str] = "spreading_stop"

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        if any(s.spread_pain for s in ctx.sets_on(exercise.id, ctx.today)):
            back = (f" Go back to {ctx.program.title_of(self.fallback)}."
                    if self.fallback and self.fallback != exercise.id else "")
            tomorrow = ctx.at_local(ctx.today + timedelta(days=1), time(0))
            return Verdict(BLOCKED, f"Stopped for today: pain spread down the leg after "
                                    f"{exercise.title}.{back}",
                           next_allowed_at=tomorrow, rule=self.kind)
        return None

    def describe(self, program: Program) -> str:
        return "Stopped for the day if pain spreads down the leg."


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
