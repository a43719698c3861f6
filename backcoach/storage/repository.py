"""The repository: domain objects in, rows out. No SQL leaves this package, no rule in it.

It reads the `History` the rules engine needs and stores what happened; the use-case
layer (`backcoach.coach`) runs the engine. `Repository.writing()` gives one write
transaction in which the coach reads the history, checks the rules and writes, so two
processes cannot both pass a daily cap.

Statements are plain SQL over the schema that `tables.py` (SQLModel) describes and
`migrations.py` creates; a test keeps the three in step.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import Connection

from backcoach.domain.history import History, PainScore, RedFlagCheck, SetRecord, current_session
from backcoach.domain.program import Program
from backcoach.domain.windows import long_window_exercises, lookback_days, whole_practice
from backcoach.storage.database import Database
from backcoach.storage.types import from_db, to_db

if TYPE_CHECKING:
    from backcoach.storage.bulk import BulkWriter

SET_COLUMNS = ("exercise_id, ended_at, outcome, follow_up, stop_reason, symptom_response, "
               "session_id, reps, hold_seconds")


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


class AcuteRow(NamedTuple):
    id: int
    started: datetime


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
        with self.writing() as log:
            log.set_setting(key, value)

    def is_empty(self) -> bool:
        with self.db.read() as conn:
            return not holds_data(conn)

    # --- the rules' view of the log ------------------------------------------------------
    def history(self, program: Program, now: datetime, session_id: int | None = None) -> History:
        with self.db.read() as conn:
            return LogWriter(conn, self.tz).history(program, now, session_id)

    @contextmanager
    def writing(self) -> Iterator[LogWriter]:
        """One write transaction (BEGIN IMMEDIATE): read, check, write, commit at the end."""
        with self.db.write() as conn:
            yield LogWriter(conn, self.tz)

    def open_acute_episode(self, at: datetime) -> datetime | None:
        with self.db.read() as conn:
            row = LogWriter(conn, self.tz).open_acute_row(at)
        return row.started if row else None

    def latest_pain(self, now: datetime) -> PainScore | None:
        """The latest pain score up to `now` (for explaining an acute day)."""
        with self.db.read() as conn:
            row = _one(conn, "SELECT at, score, context FROM pain_score WHERE at <= ? "
                             "ORDER BY at DESC, id DESC LIMIT 1", (to_db(now),))
        return PainScore(from_db(row[0]), row[1], row[2]) if row else None


class LogWriter:
    """The log inside one transaction: the history the rules need, and the writes."""

    def __init__(self, conn: Connection, tz: tzinfo | None) -> None:
        self.conn = conn
        self.tz = tz

    def history(self, program: Program, now: datetime, session_id: int | None) -> History:
        """Bounded reads: the whole local day of `now` and the day before, plus the practice
        window of unlock rules. Sets later than `now` that day are included: a set entered
        for an earlier time is checked against the whole day around it."""
        conn, tz = self.conn, self.tz
        today = now.astimezone(tz).date()
        recent = to_db(local_midnight(today - timedelta(days=1), tz))
        day_end = to_db(local_midnight(today + timedelta(days=1), tz))
        since = to_db(local_midnight(today - timedelta(days=lookback_days(program)), tz))
        until = to_db(now)
        longer = sorted(long_window_exercises(program))
        marks = ", ".join("?" for _ in longer) or "NULL"
        rows = conn.exec_driver_sql(
            f"SELECT {SET_COLUMNS} FROM exercise_set WHERE ended_at < ? AND (ended_at >= ? "
            f"OR (exercise_id IN ({marks}) AND outcome = 'completed' AND ended_at >= ?)) "
            "ORDER BY ended_at, id", (day_end, recent, *longer, since)).all()
        sets = tuple(_set_record(row) for row in rows)
        if session_id is not None:
            session = tuple(s for s in sets if s.session_id == session_id and s.ended_at <= now)
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
            (to_db(local_midnight(today, tz)), until)).all()
        flag = _one(conn, "SELECT at, positive FROM red_flag_check WHERE at <= ? "
                          "ORDER BY at DESC, id DESC LIMIT 1", (until,))
        window = conn.exec_driver_sql(
            "SELECT at, score, context FROM pain_score WHERE at >= ? AND at <= ? ORDER BY at",
            (to_db(now - program.acute_window), until)).all()
        weeks = conn.exec_driver_sql(
            "SELECT at, score, context FROM pain_score WHERE at >= ? AND at <= ? ORDER BY at",
            (to_db(local_midnight(today - timedelta(days=35), tz)), until)).all()
        return History(
            sets=sets, session=session, first_done=first_done,
            acute_since=from_db(acute[0]) if acute else None,
            pain_today=tuple(PainScore(from_db(r[0]), r[1], r[2]) for r in pain),
            last_red_flag=RedFlagCheck(from_db(flag[0]), bool(flag[1])) if flag else None,
            pain_recent=tuple(PainScore(from_db(r[0]), r[1], r[2]) for r in window),
            pain_weeks=tuple(PainScore(from_db(r[0]), r[1], r[2]) for r in weeks),
            practice_days=self._practice_days(whole_practice(program), until),
        )

    def _practice_days(self, exercise_ids: set[str], until: str) -> dict[str, tuple[date, ...]]:
        """Every local day with a completed set of these exercises (one row a day)."""
        out: dict[str, tuple[date, ...]] = {}
        for exercise_id in sorted(exercise_ids):
            rows = self.conn.exec_driver_sql(
                "SELECT DISTINCT date(ended_at, 'localtime') FROM exercise_set "
                "WHERE exercise_id = ? AND outcome = 'completed' AND ended_at <= ?",
                (exercise_id, until)).all()
            out[exercise_id] = tuple(sorted(date.fromisoformat(r[0]) for r in rows))
        return out

    def is_empty(self) -> bool:
        return not holds_data(self.conn)

    def bulk(self) -> BulkWriter:
        """Many rows at once, in this transaction (made-up history)."""
        from backcoach.storage.bulk import BulkWriter

        return BulkWriter(self.conn)

    # --- writes -------------------------------------------------------------------------
    def set_setting(self, key: str, value: str) -> None:
        self.conn.exec_driver_sql("INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT "
                                  "(key) DO UPDATE SET value = excluded.value", (key, value))

    def new_session(self, program: Program, now: datetime, source: str) -> int:
        conn = self.conn
        if not _one(conn, "SELECT 1 FROM program_text WHERE content_hash = ?",
                    (program.content_hash,)):
            _insert(conn, "program_text", program_id=program.id, version=program.version,
                    content_hash=program.content_hash, text=program.source_text,
                    stored_at=to_db(now))
        return _insert(conn, "session", started_at=to_db(now), program_id=program.id,
                       program_version=program.version, program_hash=program.content_hash,
                       source=source)

    def end_session(self, session_id: int, now: datetime, note: str | None = None) -> None:
        self.conn.exec_driver_sql("UPDATE session SET ended_at = ?, note = ? WHERE id = ?",
                                  (to_db(now), note or None, session_id))

    def insert_set(self, program: Program, session_id: int, record: SetRecord,
                   started_at: datetime | None = None) -> int:
        start = started_at or record.ended_at - timedelta(seconds=record.seconds or 0)
        return _insert(self.conn, "exercise_set", session_id=session_id,
                       exercise_id=record.exercise_id, program_id=program.id,
                       program_version=program.version, program_hash=program.content_hash,
                       started_at=to_db(start), ended_at=to_db(record.ended_at),
                       reps=record.reps, hold_seconds=record.seconds, outcome=str(record.outcome),
                       stop_reason=record.stop_reason, symptom_response=record.symptom,
                       follow_up=int(record.follow_up))

    def update_set(self, set_id: int, *, symptom: str | None = None,
                   stop_reason: str | None = None) -> None:
        """Add the symptom response or the stop reason to a saved set."""
        if symptom is not None:
            self.conn.exec_driver_sql(
                "UPDATE exercise_set SET symptom_response = ? WHERE id = ?", (symptom, set_id))
        if stop_reason is not None:
            self.conn.exec_driver_sql(
                "UPDATE exercise_set SET stop_reason = ? WHERE id = ?", (stop_reason, set_id))

    def insert_pain(self, score: int, at: datetime, context: str = "standalone",
                    session_id: int | None = None, location: str | None = None) -> int:
        if not 0 <= score <= 10:
            raise ValueError("pain score must be between 0 and 10")
        return _insert(self.conn, "pain_score", at=to_db(at), score=score, context=context,
                       session_id=session_id, location=location)

    def open_acute_row(self, at: datetime) -> AcuteRow | None:
        """The episode open at `at`, or None."""
        row = _one(self.conn, "SELECT id, started_at FROM acute_episode WHERE ended_at IS "
                              "NULL AND started_at <= ? ORDER BY started_at DESC LIMIT 1",
                   (to_db(at),))
        return AcuteRow(row[0], from_db(row[1])) if row else None

    def start_acute(self, at: datetime) -> None:
        _insert(self.conn, "acute_episode", started_at=to_db(at), ended_at=None)

    def end_acute(self, episode_id: int, at: datetime) -> None:
        self.conn.exec_driver_sql("UPDATE acute_episode SET ended_at = ? WHERE id = ?",
                                  (to_db(at), episode_id))

    def record_red_flags(self, at: datetime, answers: dict[str, bool], positive: bool) -> None:
        _insert(self.conn, "red_flag_check", at=to_db(at),
                answers=json.dumps(answers, sort_keys=True), positive=int(positive))


def _set_record(row) -> SetRecord:
    return SetRecord(exercise_id=row[0], ended_at=from_db(row[1]), outcome=row[2],
                     follow_up=bool(row[3]), stop_reason=row[4], symptom=row[5],
                     session_id=row[6], reps=row[7], seconds=row[8])
