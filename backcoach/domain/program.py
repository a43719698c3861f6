"""The program a physiotherapist prescribes, as immutable domain objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from backcoach.text import plural

if TYPE_CHECKING:
    from backcoach.domain.rules import ExerciseRule, ProgramRule


def _span(low: int | None, high: int | None, unit: str) -> str | None:
    if low is None:
        return None
    if high is None or high == low:
        return plural(low, unit.removesuffix("s"), unit)
    return f"{low}–{high} {unit}"


def _duration(seconds: int | None, seconds_max: int | None) -> str | None:
    if seconds is None:
        return None
    if seconds % 60 == 0 and (seconds_max is None or seconds_max % 60 == 0):
        return _span(seconds // 60, None if seconds_max is None else seconds_max // 60, "min")
    return _span(seconds, seconds_max, "s")


@dataclass(frozen=True)
class Dose:
    """How much of an exercise makes one set, and how many sets a day."""

    reps: int | None = None
    reps_max: int | None = None
    hold_seconds: int | None = None
    hold_seconds_max: int | None = None
    rest_seconds: int | None = None
    duration_minutes: int | None = None
    sets_per_day_min: int | None = None
    sets_per_day_max: int | None = None
    sets_per_bout: int | None = None
    bouts_per_day: int | None = None
    bout_gap_minutes: int | None = None

    def describe(self) -> str:
        """One line such as "10 reps, hold 5 s · 6–8 sets a day"."""
        return self._text

    @cached_property
    def _text(self) -> str:
        per_set = [
            part
            for part in (
                _span(self.reps, self.reps_max, "reps"),
                (f"hold {_duration(self.hold_seconds, self.hold_seconds_max)}"
                 if self.hold_seconds else None),
                (f"{self.duration_minutes} min" if self.duration_minutes else None),
            )
            if part
        ]
        per_day = [
            part
            for part in (
                (f"{plural(self.sets_per_bout, 'set')} a bout" if self.sets_per_bout else None),
                (f"{plural(self.bouts_per_day, 'bout')} a day" if self.bouts_per_day else None),
                (f"{_span(self.sets_per_day_min, self.sets_per_day_max, 'sets')} a day"
                 if self.sets_per_day_min else None),
            )
            if part
        ]
        text = ", ".join(per_set) or "as able"
        return text + (" · " + ", ".join(per_day) if per_day else "")


@dataclass(frozen=True)
class Progression:
    """A rep count that rises from `start` by `step` every `every_days` up to `ceiling`."""

    start: int
    step: int
    every_days: int
    ceiling: int

    def reps_on_day(self, days_practised: int) -> int:
        """Target reps once the exercise has been practised on `days_practised` days."""
        steps = max(days_practised, 0) // self.every_days
        return min(self.start + steps * self.step, self.ceiling)


@dataclass(frozen=True)
class Exercise:
    """One exercise of a program, with its dose, text and rules."""

    id: str
    title: str
    number: int | None = None
    summary: str = ""
    position: str = "any"  # lying | sitting | standing | any
    direction: str = "none"  # extension | flexion | none
    steps: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    illustration: str = ""
    dose: Dose = field(default_factory=Dose)
    rules: tuple[ExerciseRule, ...] = ()
    progression: Progression | None = None
    symptom_check: bool = False

    @property
    def asks_symptom_response(self) -> bool:
        """After extension or flexion work the app may ask where the pain is now."""
        return self.symptom_check and self.direction in ("extension", "flexion")

    def rule(self, kind: str) -> ExerciseRule | None:
        """The rule of this kind, if the exercise has one."""
        return self._rules_by_kind.get(kind)

    @cached_property
    def _rules_by_kind(self) -> dict[str, ExerciseRule]:
        found: dict[str, ExerciseRule] = {}
        for rule in self.rules:
            found.setdefault(rule.kind, rule)  # the first of a kind, as before
        return found


@dataclass(frozen=True)
class Program:
    """A validated program file (with its includes merged in)."""

    id: str
    title: str
    version: str
    exercises: tuple[Exercise, ...]
    author: str = ""
    notes: str = ""
    session_gap: timedelta = timedelta(minutes=30)
    rest_advice: str = (
        "Rest today: no exercises during an acute flare. If pain is severe or new "
        "symptoms appear, contact a clinician."
    )
    acute_pain_threshold: int | None = None
    acute_window: timedelta = timedelta(hours=12)
    day_starts: time = time(7)
    red_flag_check_days: int | None = None
    spreading_fallback: str | None = None
    program_rules: tuple[ProgramRule, ...] = ()
    content_hash: str = ""
    source: str = ""
    source_text: str = ""
    includes: tuple[str, ...] = ()

    def exercise(self, exercise_id: str) -> Exercise:
        """The exercise with this id; KeyError if the program has none."""
        return self._by_id[exercise_id]

    def has(self, exercise_id: str) -> bool:
        return exercise_id in self._by_id

    def find(self, exercise_id: str) -> Exercise | None:
        """The exercise with this id, or None."""
        return self._by_id.get(exercise_id)

    def title_of(self, exercise_id: str) -> str:
        exercise = self._by_id.get(exercise_id)
        return exercise.title if exercise is not None else exercise_id

    @cached_property
    def _by_id(self) -> dict[str, Exercise]:
        """Exercises by id (the first of an id, as a search in order would find)."""
        found: dict[str, Exercise] = {}
        for exercise in self.exercises:
            found.setdefault(exercise.id, exercise)
        return found
