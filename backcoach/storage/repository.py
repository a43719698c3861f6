"""The repository: domain objects in, domain objects out. No SQL leaves this package.

Statements are plain SQL over the schema that `tables.py` (SQLModel) describes and
`migrations.py` creates; a test keeps the three in step. Plain SQL keeps the plan and
the app's start light: no ORM import, no statement compilation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import Connection

from backcoach.domain.engine import Plan, build_plan, long_window_exercises, lookback_days
from backcoach.domain.history import (
    COMPLETED, CheckIn, History, PainScore, RedFlagCheck, SetRecord, current_session,
)
from backcoach.domain.program import Program
from backcoach.storage.database import Database
from backcoach.storage.types import from_db, to_db

SET_COLUMNS = ("exercise_id, ended_at, outcome, follow_up, stop_reason, symptom_response, "
               "session_id, reps, hold_seconds")


class Refused(Exception):
    """The rules do not allow this now; the message is the engine's one-sentence reason."""


@dataclass(frozen=True)
class Logged:
    """What `log_set` wrote, and the plan it was checked against."""

    set_id: int
    session_id: int
    follow_up: bool
    plan: Plan


def local_midnight(day: date, tz: tzinfo | None) -> datetime:
    naive = datetime.combine(day, time(0))
    return naive.replace(tzinfo=tz) if tz else naive.astimezone()


LOG_TABLES = ("program_text", "session", "exercise_set", "pain_score", "acute_episode",
              "red_flag_check")


def holds_data(conn: Connection) -> bool:
    """True once anything has been logged (settings alone do not count)."""
    return any(conn.exec_driver_sql(f"SELECT 1 FROM {table} LIMIT 1").first()
               for table in LOG_TABLES)


def _one(conn: Connection, sql: str, params: tuple = ()):
    return conn.exec_driver_sql(sql, params).first()


def _insert(conn: Connection, table: str, **values) -> int:
    names = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    return conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                                tuple(values.values())).lastrowid


class Repository:
    """Reads and writes the log for one database."""

    def __init__(self, database: Database, tz: tzinfo | None = None) -> None:
        self.db = database
        self.tz = tz

    # --- settings -------------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        with self.db.read() as conn:
            row = _one(conn, "SELECT value FROM setting WHERE key = ?", (key,))
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        with self.db.write() as conn:
            conn.exec_driver_sql("INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT "
                                 "(key) DO UPDATE SET value = excluded.value", (key, value))

    def is_empty(self) -> bool:
        with self.db.read() as conn:
            return not holds_data(conn)

    # --- the rules' view of the log ------------------------------------------------------
    def history(self, program: Program, now: datetime, session_id: int | None = None) -> History:
        with self.db.read() as conn:
            return self._history(conn, program, now, session_id)

    def plan(self, program: Program, now: datetime, checkin: CheckIn | None = None,
             session_id: int | None = None) -> Plan:
        return build_plan(program, self.history(program, now, session_id), now, checkin, self.tz)

    def _history(self, conn: Connection, program: Program, now: datetime,
                 session_id: int | None) -> History:
        """Bounded reads: two days of sets, plus the practice window of unlock rules."""
        today = now.astimezone(self.tz).date()
        recent = to_db(local_midnight(today - timedelta(days=1), self.tz))
        since = to_db(local_midnight(today - timedelta(days=lookback_days(program)), self.tz))
        until = to_db(now)
        longer = sorted(long_window_exercises(program))
        marks = ", ".join("?" for _ in longer) or "NULL"
        rows = conn.exec_driver_sql(
            f"SELECT {SET_COLUMNS} FROM exercise_set WHERE ended_at <= ? AND (ended_at >= ? "
            f"OR (exercise_id IN ({marks}) AND outcome = 'completed' AND ended_at >= ?)) "
            "ORDER BY ended_at, id", (until, recent, *longer, since)).all()
        sets = tuple(_set_record(row) for row in rows)
        if session_id is not None:
            session = tuple(s for s in sets if s.session_id == session_id)
        else:
            session = current_session(sets, now, program.session_gap)
        first_done = {}
        for exercise in program.exercises:
            first = _one(conn, "SELECT min(ended_at) FROM exercise_set WHERE exercise_id = ? "
                               "AND outcome = 'completed'", (exercise.id,))[0]
            if first is not None:
                first_done[exercise.id] = from_db(first)
        acute = _one(conn, "SELECT started_at FROM acute_episode WHERE started_at <= ? AND "
                           "(ended_at IS NULL OR ended_at > ?) ORDER BY started_at DESC LIMIT 1",
                     (until, until))
        pain = conn.exec_driver_sql(
            "SELECT at, score, context FROM pain_score WHERE at >= ? AND at <= ? ORDER BY at",
            (to_db(local_midnight(today, self.tz)), until)).all()
        flag = _one(conn, "SELECT at, positive FROM red_flag_check WHERE at <= ? "
                          "ORDER BY at DESC, id DESC LIMIT 1", (until,))
        return History(
            sets=sets, session=session, first_done=first_done,
            acute_since=from_db(acute[0]) if acute else None,
            pain_today=tuple(PainScore(from_db(r[0]), r[1], r[2]) for r in pain),
            last_red_flag=RedFlagCheck(from_db(flag[0]), bool(flag[1])) if flag else None,
        )

    # --- writes -------------------------------------------------------------------------
    def log_set(self, program: Program, exercise_id: str, now: datetime, *,
                reps: int | None = None, seconds: int | None = None,
                pain: int | None = None, checkin: CheckIn | None = None) -> Logged:
        """Record a completed set from the CLI, if the rules allow it now (else Refused).

        The check and the write share one BEGIN IMMEDIATE transaction, so two
        processes cannot both pass a daily cap.
        """
        with self.db.write() as conn:
            history = self._history(conn, program, now, None)
            plan = build_plan(program, history, now, checkin, self.tz)
            entry = plan.entry(exercise_id)
            if not entry.can_start:
                raise Refused(entry.reason)
            if history.session and history.session[-1].session_id is not None:
                session_id = history.session[-1].session_id
            else:
                session_id = self._new_session(conn, program, now, "cli")
            record = SetRecord(exercise_id, now, COMPLETED, follow_up=entry.follow_up,
                               reps=reps, seconds=seconds)
            set_id = self._insert_set(conn, program, session_id, record, now)
            if pain is not None:
                self._insert_pain(conn, pain, now, "after", session_id)
        return Logged(set_id, session_id, entry.follow_up, plan)

    def start_session(self, program: Program, now: datetime, source: str = "tui") -> int:
        with self.db.write() as conn:
            return self._new_session(conn, program, now, source)

    def end_session(self, session_id: int, now: datetime, note: str | None = None) -> None:
        with self.db.write() as conn:
            conn.exec_driver_sql("UPDATE session SET ended_at = ?, note = ? WHERE id = ?",
                                 (to_db(now), note or None, session_id))

    def record_set(self, program: Program, session_id: int, record: SetRecord,
                   started_at: datetime | None = None) -> int:
        """Save one set of an explicit (TUI) session the moment it ends."""
        with self.db.write() as conn:
            return self._insert_set(conn, program, session_id, record, started_at)

    def set_symptom(self, set_id: int, symptom: str) -> None:
        """The symptom response asked right after a saved set."""
        with self.db.write() as conn:
            conn.exec_driver_sql("UPDATE exercise_set SET symptom_response = ? WHERE id = ?",
                                 (symptom, set_id))

    def record_pain(self, score: int, at: datetime, context: str = "standalone",
                    session_id: int | None = None, location: str | None = None) -> int:
        with self.db.write() as conn:
            return self._insert_pain(conn, score, at, context, session_id, location)

    def open_acute_episode(self, at: datetime) -> datetime | None:
        with self.db.read() as conn:
            return self._open_acute(conn, at)

    def start_acute(self, at: datetime) -> None:
        with self.db.write() as conn:
            since = self._open_acute(conn, at)
            if since is not None:
                raise Refused(f"an acute episode is already open since "
                              f"{since.astimezone(self.tz):%Y-%m-%d %H:%M}")
            _insert(conn, "acute_episode", started_at=to_db(at), ended_at=None)

    def end_acute(self, at: datetime) -> None:
        with self.db.write() as conn:
            row = self._open_acute_row(conn, at)
            if row is None:
                raise Refused("there is no open acute episode to end")
            conn.exec_driver_sql("UPDATE acute_episode SET ended_at = ? WHERE id = ?",
                                 (to_db(at), row[0]))

    def record_red_flags(self, at: datetime, answers: dict[str, bool]) -> bool:
        positive = any(answers.values())
        with self.db.write() as conn:
            _insert(conn, "red_flag_check", at=to_db(at),
                    answers=json.dumps(answers, sort_keys=True), positive=int(positive))
        return positive

    # --- helpers ------------------------------------------------------------------------
    def _open_acute_row(self, conn: Connection, at: datetime):
        """(id, started_at) of the episode open at `at`, or None."""
        return _one(conn, "SELECT id, started_at FROM acute_episode WHERE ended_at IS NULL "
                          "AND started_at <= ? ORDER BY started_at DESC LIMIT 1", (to_db(at),))

    def _open_acute(self, conn: Connection, at: datetime) -> datetime | None:
        row = self._open_acute_row(conn, at)
        return from_db(row[1]) if row else None

    def _new_session(self, conn: Connection, program: Program, now: datetime,
                     source: str) -> int:
        if not _one(conn, "SELECT 1 FROM program_text WHERE content_hash = ?",
                    (program.content_hash,)):
            _insert(conn, "program_text", program_id=program.id, version=program.version,
                    content_hash=program.content_hash, text=program.source_text,
                    stored_at=to_db(now))
        return _insert(conn, "session", started_at=to_db(now), program_id=program.id,
                       program_version=program.version, program_hash=program.content_hash,
                       source=source)

    def _insert_set(self, conn: Connection, program: Program, session_id: int,
                    record: SetRecord, started_at: datetime | None) -> int:
        start = started_at or record.ended_at - timedelta(seconds=record.seconds or 0)
        return _insert(conn, "exercise_set", session_id=session_id,
                       exercise_id=record.exercise_id, program_id=program.id,
                       program_version=program.version, program_hash=program.content_hash,
                       started_at=to_db(start), ended_at=to_db(record.ended_at),
                       reps=record.reps, hold_seconds=record.seconds, outcome=record.outcome,
                       stop_reason=record.stop_reason, symptom_response=record.symptom,
                       follow_up=int(record.follow_up))

    def _insert_pain(self, conn: Connection, score: int, at: datetime, context: str,
                     session_id: int | None, location: str | None = None) -> int:
        if not 0 <= score <= 10:
            raise ValueError("pain score must be between 0 and 10")
        return _insert(conn, "pain_score", at=to_db(at), score=score, context=context,
                       session_id=session_id, location=location)


def _set_record(row) -> SetRecord:
    return SetRecord(exercise_id=row[0], ended_at=from_db(row[1]), outcome=row[2],
                     follow_up=bool(row[3]), stop_reason=row[4], symptom=row[5],
                     session_id=row[6], reps=row[7], seconds=row[8])
