"""The repository: domain objects in, domain objects out. No SQL leaves this package."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import Connection, func, insert, or_, select, update

from backcoach.domain.engine import Plan, build_plan, lookback_days
from backcoach.domain.history import (
    COMPLETED, CheckIn, History, PainScore, RedFlagCheck, SetRecord, current_session,
)
from backcoach.domain.program import Program
from backcoach.storage.database import Database
from backcoach.storage.tables import (
    AcuteEpisodeRow, PainRow, ProgramTextRow, RedFlagCheckRow, SessionRow, SetRow, SettingRow,
)

SETS = SetRow.__table__
SESSIONS = SessionRow.__table__
PAIN = PainRow.__table__
ACUTE = AcuteEpisodeRow.__table__
FLAGS = RedFlagCheckRow.__table__
SETTINGS = SettingRow.__table__
TEXTS = ProgramTextRow.__table__


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


class Repository:
    """Reads and writes the log for one database."""

    def __init__(self, database: Database, tz: tzinfo | None = None) -> None:
        self.db = database
        self.tz = tz

    # --- settings -------------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        with self.db.read() as conn:
            return conn.execute(select(SETTINGS.c.value).where(SETTINGS.c.key == key)).scalar()

    def set_setting(self, key: str, value: str) -> None:
        with self.db.write() as conn:
            conn.execute(SETTINGS.delete().where(SETTINGS.c.key == key))
            conn.execute(insert(SETTINGS).values(key=key, value=value))

    def is_empty(self) -> bool:
        with self.db.read() as conn:
            return not any(conn.execute(select(t.c.id).limit(1)).first()
                           for t in (SESSIONS, SETS, PAIN, ACUTE, FLAGS))

    # --- the rules' view of the log ------------------------------------------------------
    def history(self, program: Program, now: datetime, session_id: int | None = None) -> History:
        with self.db.read() as conn:
            return self._history(conn, program, now, session_id)

    def plan(self, program: Program, now: datetime, checkin: CheckIn | None = None,
             session_id: int | None = None) -> Plan:
        return build_plan(program, self.history(program, now, session_id), now, checkin, self.tz)

    def _history(self, conn: Connection, program: Program, now: datetime,
                 session_id: int | None) -> History:
        today = now.astimezone(self.tz).date()
        since = local_midnight(today - timedelta(days=lookback_days(program)), self.tz)
        rows = conn.execute(
            select(SETS).where(SETS.c.ended_at >= since, SETS.c.ended_at <= now)
            .order_by(SETS.c.ended_at, SETS.c.id)).all()
        sets = tuple(_set_record(row) for row in rows)
        if session_id is not None:
            session = tuple(s for s in sets if s.session_id == session_id)
        else:
            session = current_session(sets, now, program.session_gap)
        first_done = {}
        for exercise in program.exercises:
            first = conn.execute(select(func.min(SETS.c.ended_at)).where(
                SETS.c.exercise_id == exercise.id, SETS.c.outcome == COMPLETED)).scalar()
            if first is not None:
                first_done[exercise.id] = first
        acute = conn.execute(select(ACUTE.c.started_at).where(
            ACUTE.c.started_at <= now,
            or_(ACUTE.c.ended_at.is_(None), ACUTE.c.ended_at > now))
            .order_by(ACUTE.c.started_at.desc()).limit(1)).scalar()
        pain = conn.execute(select(PAIN.c.at, PAIN.c.score, PAIN.c.context).where(
            PAIN.c.at >= local_midnight(today, self.tz), PAIN.c.at <= now)
            .order_by(PAIN.c.at)).all()
        flag = conn.execute(select(FLAGS.c.at, FLAGS.c.positive).where(FLAGS.c.at <= now)
                            .order_by(FLAGS.c.at.desc(), FLAGS.c.id.desc()).limit(1)).first()
        return History(
            sets=sets, session=session, first_done=first_done, acute_since=acute,
            pain_today=tuple(PainScore(r.at, r.score, r.context) for r in pain),
            last_red_flag=RedFlagCheck(flag.at, bool(flag.positive)) if flag else None,
        )

    # --- writes -------------------------------------------------------------------------
    def log_set(self, program: Program, exercise_id: str, now: datetime, *,
                reps: int | None = None, seconds: int | None = None,
                pain: int | None = None, checkin: CheckIn | None = None) -> Logged:
        """Record a completed set from the CLI, if the rules allow it now (else Refused)."""
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
            conn.execute(update(SESSIONS).where(SESSIONS.c.id == session_id)
                         .values(ended_at=now, note=note or None))

    def record_set(self, program: Program, session_id: int, record: SetRecord,
                   started_at: datetime | None = None) -> int:
        """Save one set of an explicit (TUI) session the moment it ends."""
        with self.db.write() as conn:
            return self._insert_set(conn, program, session_id, record, started_at)

    def set_symptom(self, set_id: int, symptom: str) -> None:
        """The symptom response asked right after a saved set."""
        with self.db.write() as conn:
            conn.execute(update(SETS).where(SETS.c.id == set_id).values(symptom_response=symptom))

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
            conn.execute(insert(ACUTE).values(started_at=at, ended_at=None))

    def end_acute(self, at: datetime) -> None:
        with self.db.write() as conn:
            row = conn.execute(select(ACUTE.c.id, ACUTE.c.started_at).where(
                ACUTE.c.ended_at.is_(None), ACUTE.c.started_at <= at)
                .order_by(ACUTE.c.started_at.desc()).limit(1)).first()
            if row is None:
                raise Refused("there is no open acute episode to end")
            conn.execute(update(ACUTE).where(ACUTE.c.id == row.id).values(ended_at=at))

    def record_red_flags(self, at: datetime, answers: dict[str, bool]) -> bool:
        positive = any(answers.values())
        with self.db.write() as conn:
            conn.execute(insert(FLAGS).values(at=at, answers=json.dumps(answers, sort_keys=True),
                                              positive=positive))
        return positive

    # --- helpers ------------------------------------------------------------------------
    def _open_acute(self, conn: Connection, at: datetime) -> datetime | None:
        return conn.execute(select(ACUTE.c.started_at).where(
            ACUTE.c.ended_at.is_(None), ACUTE.c.started_at <= at)
            .order_by(ACUTE.c.started_at.desc()).limit(1)).scalar()

    def _new_session(self, conn: Connection, program: Program, now: datetime,
                     source: str) -> int:
        exists = conn.execute(select(TEXTS.c.id).where(
            TEXTS.c.content_hash == program.content_hash)).first()
        if not exists:
            conn.execute(insert(TEXTS).values(
                program_id=program.id, version=program.version,
                content_hash=program.content_hash, text=program.source_text, stored_at=now))
        return conn.execute(insert(SESSIONS).values(
            started_at=now, program_id=program.id, program_version=program.version,
            program_hash=program.content_hash, source=source)).inserted_primary_key[0]

    def _insert_set(self, conn: Connection, program: Program, session_id: int,
                    record: SetRecord, started_at: datetime | None) -> int:
        start = started_at or record.ended_at - timedelta(seconds=record.seconds or 0)
        return conn.execute(insert(SETS).values(
            session_id=session_id, exercise_id=record.exercise_id, program_id=program.id,
            program_version=program.version, program_hash=program.content_hash,
            started_at=start, ended_at=record.ended_at, reps=record.reps,
            hold_seconds=record.seconds, outcome=record.outcome,
            stop_reason=record.stop_reason, symptom_response=record.symptom,
            follow_up=record.follow_up)).inserted_primary_key[0]

    def _insert_pain(self, conn: Connection, score: int, at: datetime, context: str,
                     session_id: int | None, location: str | None = None) -> int:
        if not 0 <= score <= 10:
            raise ValueError("pain score must be between 0 and 10")
        return conn.execute(insert(PAIN).values(
            at=at, score=score, context=context, session_id=session_id,
            location=location)).inserted_primary_key[0]


def _set_record(row) -> SetRecord:
    return SetRecord(exercise_id=row.exercise_id, ended_at=row.ended_at, outcome=row.outcome,
                     follow_up=bool(row.follow_up), stop_reason=row.stop_reason,
                     symptom=row.symptom_response, session_id=row.session_id, reps=row.reps,
                     seconds=row.hold_seconds)
