"""The schema: SQLModel tables, the one definition every statement is built from.

Log tables keep what happened. Each row that a per-day figure counts also keeps the
patient's local date (and UTC offset, and for pain the local hour) as it was when it was
written, so days mean the patient's days on any server, whatever its clock or zone.
The `day_*` tables are per-day aggregates, kept up to date as rows are written
(`aggregates.py`); the history view reads them instead of scanning the log.
A set or pain score entered by mistake is marked void (`void_at`, `void_by`): it stays in
the log and its exports, and every read for plans, history and reports leaves it out
(`schema.live()`). Every row belongs to a patient (`patient_id`, filled in by the database: the
connected role on PostgreSQL, where row-level security shows each patient only their own
rows; '' on SQLite); log rows imported from another database keep their `uid` there.
Alembic scripts (`migrations/versions/`) create and upgrade this schema; statements use
the Core tables derived from these classes (`schema.py`), not ORM objects.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from backcoach.storage.types import CurrentPatient, Day, UTCDateTime


def _time(nullable: bool = False) -> Column:
    return Column(UTCDateTime, nullable=nullable)


def _day() -> Column:
    return Column(Day, nullable=False)


def _patient(primary_key: bool = False) -> Any:
    """Whose row it is: filled in by the database (the connected role on PostgreSQL)."""
    return Field(default=None, sa_column=Column(String, nullable=False, primary_key=primary_key,
                                                server_default=CurrentPatient()))


def _uid() -> Any:
    """A row's id across databases: kept from the export it was imported from (null for a
    row written here; the export derives one, see `exchange.row_uid`)."""
    return Field(default=None, sa_column=Column(String, nullable=True))


def _unique_uid(table: str) -> Index:
    return Index(f"ux_{table}_uid", "patient_id", "uid", unique=True)


class ProgramTextRow(SQLModel, table=True):
    __tablename__ = "program_text"
    __table_args__ = (UniqueConstraint("patient_id", "content_hash",
                                       name="uq_program_text_hash"),
                      _unique_uid("program_text"))
    id: int | None = Field(default=None, primary_key=True)
    program_id: str
    version: str
    content_hash: str
    text: str
    stored_at: datetime = Field(sa_column=_time())
    patient_id: str = _patient()
    uid: str | None = _uid()


class SessionRow(SQLModel, table=True):
    __tablename__ = "session"
    __table_args__ = (Index("ix_session_started", "started_at"), _unique_uid("session"))
    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(sa_column=_time())
    ended_at: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    program_id: str
    program_version: str
    program_hash: str
    source: str = "cli"
    note: str | None = None
    local_day: str = Field(sa_column=_day())
    utc_offset: int = 0  # minutes east of UTC when it was written
    patient_id: str = _patient()
    uid: str | None = _uid()


class SetRow(SQLModel, table=True):
    __tablename__ = "exercise_set"
    __table_args__ = (
        CheckConstraint("outcome IN ('completed', 'partial', 'stopped')", name="ck_set_outcome"),
        Index("ix_set_ended", "ended_at"),
        Index("ix_set_exercise_outcome_ended", "exercise_id", "outcome", "ended_at"),
        Index("ix_set_exercise_outcome_day", "exercise_id", "outcome", "local_day", "ended_at"),
        Index("ix_set_session", "session_id"),
        Index("ix_set_day", "local_day"),
        _unique_uid("exercise_set"),
    )
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(sa_column=Column(Integer, ForeignKey("session.id"), nullable=False))
    exercise_id: str
    program_id: str
    program_version: str
    program_hash: str
    started_at: datetime = Field(sa_column=_time())
    ended_at: datetime = Field(sa_column=_time())
    reps: int | None = None
    hold_seconds: int | None = None
    outcome: str
    stop_reason: str | None = None
    symptom_response: str | None = None
    follow_up: bool = False
    local_day: str = Field(sa_column=_day())
    utc_offset: int = 0
    void_at: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    void_by: str | None = None  # who marked it void ("user via app|cli")
    patient_id: str = _patient()
    uid: str | None = _uid()


class PainRow(SQLModel, table=True):
    __tablename__ = "pain_score"
    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 10", name="ck_pain_score"),
        Index("ix_pain_at", "at"),
        Index("ix_pain_session", "session_id", "context"),
        Index("ix_pain_day", "local_day"),
        _unique_uid("pain_score"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=_time())
    score: int
    context: str
    location: str | None = None
    session_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("session.id"), nullable=True))
    local_day: str = Field(sa_column=_day())
    utc_offset: int = 0
    local_hour: int = 0
    void_at: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    void_by: str | None = None
    patient_id: str = _patient()
    uid: str | None = _uid()


class AcuteEpisodeRow(SQLModel, table=True):
    __tablename__ = "acute_episode"
    __table_args__ = (Index("ix_acute_started", "started_at"),
                      Index("ix_acute_ended", "ended_at"), _unique_uid("acute_episode"))
    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(sa_column=_time())
    ended_at: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    patient_id: str = _patient()
    uid: str | None = _uid()


class RedFlagCheckRow(SQLModel, table=True):
    __tablename__ = "red_flag_check"
    __table_args__ = (Index("ix_red_flag_at", "at"), _unique_uid("red_flag_check"))
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=_time())
    answers: str
    positive: bool
    patient_id: str = _patient()
    uid: str | None = _uid()


class PsfsRatingRow(SQLModel, table=True):
    """One activity's rating in a Patient-Specific Functional Scale assessment: the ratings
    written together (the same `at`) form one assessment. `activity` is the patient's own
    words (untrusted text, never markup)."""

    __tablename__ = "psfs_rating"
    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 10", name="ck_psfs_score"),
        Index("ix_psfs_at", "at"),
        _unique_uid("psfs_rating"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=_time())
    activity: str
    score: int
    local_day: str = Field(sa_column=_day())
    utc_offset: int = 0
    void_at: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    void_by: str | None = None
    patient_id: str = _patient()
    uid: str | None = _uid()


class SettingRow(SQLModel, table=True):
    __tablename__ = "setting"
    key: str = Field(primary_key=True)
    value: str
    patient_id: str = _patient(primary_key=True)


class PatientRow(SQLModel, table=True):
    """A clinic's patient: `id` is also their PostgreSQL login role (`clinic add-patient`).
    Unused on SQLite, whose one patient is implicit."""

    __tablename__ = "patient"
    id: str = Field(primary_key=True)
    name: str
    added_at: datetime = Field(sa_column=_time())


class AssignmentRow(SQLModel, table=True):
    """The program a clinic's physiotherapist assigned to a patient: its checked text, which
    the patient's app and command line then follow (`clinic assign`)."""

    __tablename__ = "assignment"
    patient_id: str = Field(primary_key=True)
    program_id: str
    version: str
    content_hash: str
    text: str
    assigned_at: datetime = Field(sa_column=_time())


# --- per-day aggregates (derived; rebuilt for a day whenever a row of that day changes) ------
class DayPainRow(SQLModel, table=True):
    """Pain scores of one local day: count, sum, range; mornings (< 10:00), evenings (≥ 14:00)."""

    __tablename__ = "day_pain"
    day: str = Field(sa_column=Column(Day, primary_key=True))
    patient_id: str = _patient(primary_key=True)
    n: int
    total: int
    low: int
    high: int
    morning_n: int
    morning_total: int
    evening_n: int
    evening_total: int


class DayPairsRow(SQLModel, table=True):
    """Sessions started on one local day with a pain score before and after."""

    __tablename__ = "day_pairs"
    day: str = Field(sa_column=Column(Day, primary_key=True))
    patient_id: str = _patient(primary_key=True)
    n: int
    before_total: int
    after_total: int


class DayExerciseRow(SQLModel, table=True):
    """One exercise on one local day: sets by outcome, and its sessions' pain change."""

    __tablename__ = "day_exercise"
    day: str = Field(sa_column=Column(Day, primary_key=True))
    exercise_id: str = Field(primary_key=True)
    patient_id: str = _patient(primary_key=True)
    completed: int
    counted: int  # completed, not a follow-up
    stopped: int
    spreading: int
    paired_sessions: int
    delta_total: int


def core_metadata() -> MetaData:
    """These tables as plain SQLAlchemy Core, for `schema.py` to cache: a copy of each,
    with SQLModel's `AutoString` (a String that only MySQL sizes) as `String`, so that
    using them needs neither SQLModel nor pydantic."""
    from sqlmodel.sql.sqltypes import AutoString

    metadata = MetaData()
    for table in SQLModel.metadata.sorted_tables:
        copy = table.to_metadata(metadata)
        for column in copy.columns:
            if isinstance(column.type, AutoString):
                column.type = String()
    return metadata
