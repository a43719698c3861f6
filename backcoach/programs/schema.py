"""The program file format, as strict pydantic models (also the JSON Schema source)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _no_control_characters(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("contains a control character (only text, tabs and new lines)")
    return value


ExerciseId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
Line = Annotated[str, StringConstraints(max_length=200), AfterValidator(_no_control_characters)]
Text = Annotated[str, StringConstraints(max_length=4000), AfterValidator(_no_control_characters)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=120),
                  AfterValidator(_no_control_characters)]
Clock = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class DoseFile(_Strict):
    """How much makes a set, and how many sets a day."""

    reps: int | None = Field(None, ge=1, le=1000, description="Repetitions in one set.")
    reps_max: int | None = Field(None, ge=1, le=1000, description="Upper end of a rep range.")
    hold_seconds: int | None = Field(None, ge=1, le=3600, description="Hold per rep or set.")
    hold_seconds_max: int | None = Field(None, ge=1, le=3600)
    rest_seconds: int | None = Field(None, ge=0, le=3600, description="Rest between reps.")
    duration_minutes: int | None = Field(None, ge=1, le=600)
    sets_per_day_min: int | None = Field(None, ge=1, le=50)
    sets_per_day_max: int | None = Field(None, ge=1, le=50)
    sets_per_bout: int | None = Field(None, ge=1, le=50,
                                      description="Sets done back to back as one bout.")
    bouts_per_day: int | None = Field(None, ge=1, le=24, description="Bouts a day at most.")
    bout_gap_minutes: int | None = Field(None, ge=1, le=1440,
                                         description="Rest between two bouts (default 240).")


class UnlockFile(_Strict):
    """Locked until another exercise was practised for a number of weeks."""

    after: ExerciseId
    weeks: int = Field(ge=1, le=104)
    max_gap_days: int = Field(0, ge=0, le=14,
                              description="Longest run of missed days still 'continuous'.")


class SubstituteFile(_Strict):
    """This exercise may stand in for another in a stated situation."""

    exercise: ExerciseId
    when: Literal["cannot-lie-down"] = "cannot-lie-down"


class ProgressionFile(_Strict):
    """Reps rise from start by step every N days, never above ceiling."""

    start: int = Field(ge=1, le=1000)
    step: int = Field(ge=1, le=1000)
    every_days: int = Field(ge=1, le=365)
    ceiling: int = Field(ge=1, le=1000)


class RulesFile(_Strict):
    """The rules of one exercise (SPEC §3)."""

    min_interval_minutes: int | None = Field(None, ge=1, le=1440)
    evenly_spaced: bool = Field(False, description=(
        "Kept for older files; the spacing rule is min_interval_minutes (nothing more is "
        "enforced, so nothing more is shown)."))
    after_in_session: list[ExerciseId] = Field(default_factory=list, max_length=20)
    first_time_after: list[ExerciseId] = Field(default_factory=list, max_length=20)
    follow_with: ExerciseId | None = None
    unlock: UnlockFile | None = None
    substitute_for: SubstituteFile | None = None
    not_before: Clock | None = None
    not_within_minutes_of_first_checkin: int | None = Field(None, ge=1, le=720)
    progression: ProgressionFile | None = None
    symptom_check: bool = False


class ExerciseFile(_Strict):
    """One exercise: its words, its dose and its rules."""

    id: ExerciseId
    title: Title
    number: int | None = Field(None, ge=1, le=99)
    summary: Text = ""
    position: Literal["lying", "sitting", "standing", "any"] = "any"
    direction: Literal["extension", "flexion", "none"] = "none"
    steps: list[Text] = Field(default_factory=list, max_length=30)
    cautions: list[Text] = Field(default_factory=list, max_length=30)
    illustration: Text = ""
    dose: DoseFile = Field(default_factory=lambda: DoseFile())
    rules: RulesFile = Field(default_factory=lambda: RulesFile())


class PhaseFile(_Strict):
    """When the program counts as being in the acute phase."""

    acute_pain_threshold: int | None = Field(None, ge=0, le=10)
    acute_window_hours: int = Field(12, ge=1, le=72, description=(
        "A pain score at or above the threshold keeps the acute phase for this many hours "
        "(until a lower score is recorded)."))
    rest_advice: Text | None = None


class SafetyFile(_Strict):
    """Red-flag checks and what to do when pain spreads."""

    red_flag_check_days: int | None = Field(None, ge=1, le=365)
    on_spreading_pain: ExerciseId | None = None


class ProgramFile(_Strict):
    """A backcoach program file."""

    id: ExerciseId
    title: Title
    version: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    author: Line = ""
    notes: Text = ""
    include: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=10)
    session_gap_minutes: int = Field(30, ge=1, le=720)
    session_starts_with: ExerciseId | None = Field(None, description=(
        "An exercise of this file that opens every session: the file's other exercises "
        "only after it in the same session."))
    day_starts: Clock = Field("07:00", description=(
        "When the patient's day starts if there is no check-in or set yet (for 'not first "
        "thing in the morning')."))
    phase: PhaseFile = Field(default_factory=lambda: PhaseFile())
    safety: SafetyFile = Field(default_factory=lambda: SafetyFile())
    exercise: list[ExerciseFile] = Field(default_factory=list, max_length=100)


def json_schema() -> dict:
    """The JSON Schema of program files (for Taplo / Even Better TOML)."""
    schema = ProgramFile.model_json_schema()
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["title"] = "backcoach program file"
    return schema
