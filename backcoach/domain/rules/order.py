"""Order rules: before (same session), first-time prerequisites, follow-with, substitute."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from backcoach.domain.history import CheckIn
from backcoach.domain.rules.base import BLOCKED, Context, ExerciseRule, Verdict, names

if TYPE_CHECKING:
    from backcoach.domain.program import Exercise, Program



@dataclass(frozen=True)
class AfterInSession(ExerciseRule):
    """before: this exercise only after `after` in the same session."""

    after: tuple[str, ...]
    kind: ClassVar[str] = "after_in_session"

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        missing = tuple(a for a in self.after if not ctx.completed_in_session(a))
        if missing:
            return Verdict(BLOCKED, f"{exercise.title}: do {names(ctx.program, missing)} "
                                    "first in this session.", rule=self.kind, missing=missing)
        return None

    def blocks(self, exercise: Exercise, ctx: Context) -> bool:
        return not all(ctx.completed_in_session(a) for a in self.after)

    def describe(self, program: Program) -> str:
        return f"Only after {names(program, self.after)} in the same session."

    def references(self) -> tuple[str, ...]:
        return self.after


@dataclass(frozen=True)
class SessionStartsWith(ExerciseRule):
    """before: `first` opens every session; this exercise only once it was done in it."""

    first: str
    kind: ClassVar[str] = "session_starts_with"

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        if ctx.completed_in_session(self.first):
            return None
        title = ctx.program.title_of(self.first)
        return Verdict(BLOCKED, f"{title} opens every session: do it first, then "
                                f"{exercise.title}.", rule=self.kind, missing=(self.first,))

    def blocks(self, exercise: Exercise, ctx: Context) -> bool:
        return not ctx.completed_in_session(self.first)

    def describe(self, program: Program) -> str:
        return f"Only after {program.title_of(self.first)}, which opens every session."

    def references(self) -> tuple[str, ...]:
        return (self.first,)


@dataclass(frozen=True)
class FirstTimeAfter(ExerciseRule):
    """first-time prerequisites: the very first set only after these were done."""

    after: tuple[str, ...]
    kind: ClassVar[str] = "first_time_after"

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        if ctx.ever_done(exercise.id):
            return None
        missing = tuple(a for a in self.after if not ctx.ever_done(a))
        if missing:
            return Verdict(BLOCKED, f"The first time, do {names(ctx.program, missing)} "
                                    f"before {exercise.title}.", rule=self.kind, missing=missing)
        return None

    def blocks(self, exercise: Exercise, ctx: Context) -> bool:
        return not ctx.ever_done(exercise.id) and not all(ctx.ever_done(a) for a in self.after)

    def describe(self, program: Program) -> str:
        return f"The first time ever, only after {names(program, self.after)}."

    def references(self) -> tuple[str, ...]:
        return self.after


@dataclass(frozen=True)
class FollowWith(ExerciseRule):
    """follow-with: after a completed set of this exercise, `then` comes next.

    It never blocks the exercise it sits on; the engine reads it to decide
    what is required next in the session.
    """

    then: str
    kind: ClassVar[str] = "follow_with"

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        return None

    def describe(self, program: Program) -> str:
        return f"Do {program.title_of(self.then)} immediately after."

    def references(self) -> tuple[str, ...]:
        return (self.then,)


@dataclass(frozen=True)
class Substitute(ExerciseRule):
    """substitute: this exercise may stand in for `for_exercise` when `when` applies."""

    for_exercise: str
    when: str = "cannot-lie-down"
    kind: ClassVar[str] = "substitute"

    def check(self, exercise: Exercise, ctx: Context) -> Verdict | None:
        return None

    def applies(self, checkin: CheckIn) -> bool:
        return self.when == "cannot-lie-down" and checkin.cannot_lie_down

    def describe(self, program: Program) -> str:
        return f"Stands in for {program.title_of(self.for_exercise)} when you cannot lie down."

    def references(self) -> tuple[str, ...]:
        return (self.for_exercise,)


