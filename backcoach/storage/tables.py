"""SQLModel tables (the current schema version). Rows stay inside storage."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from backcoach.storage.types import UTCDateTime


def _time(nullable: bool = False) -> Column:
    return Column(UTCDateTime, nullable=nullable)


class ProgramTextRow(SQLModel, table=True):
    __tablename__ = "program_text"
    id: int | None = Field(default=None, primary_key=True)
    program_id: str
    version: str
    content_hash: str = Field(unique=True)
    text: str
    stored_at: datetime = Field(sa_column=_time())


class SessionRow(SQLModel, table=True):
    __tablename__ = "session"
    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(sa_column=_time())
    ended_at: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    program_id: str
    program_version: str
    program_hash: str
    source: str = "cli"
    note: str | None = None


class SetRow(SQLModel, table=True):
    __tablename__ = "exercise_set"
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


class PainRow(SQLModel, table=True):
    __tablename__ = "pain_score"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=_time())
    score: int
    context: str
    location: str | None = None
    session_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("session.id"), nullable=True))


class AcuteEpisodeRow(SQLModel, table=True):
    __tablename__ = "acute_episode"
    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(sa_column=_time())
    ended_at: datetime | None = Field(default=None, sa_column=_time(nullable=True))


class RedFlagCheckRow(SQLModel, table=True):
    __tablename__ = "red_flag_check"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=_time())
    answers: str
    positive: bool


class SettingRow(SQLModel, table=True):
    __tablename__ = "setting"
    key: str = Field(primary_key=True)
    value: str


ALL_TABLES = (ProgramTextRow, SessionRow, SetRow, PainRow, AcuteEpisodeRow, RedFlagCheckRow,
              SettingRow)
