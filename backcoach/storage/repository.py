"""The repository: domain objects in, rows out. No SQL leaves this package, no rule in it.

It reads the `History` the rules engine needs and stores what happened; the use-case
layer (`backcoach.coach`) runs the engine. `Repository.writing()` gives one write
transaction in which the coach reads the history, checks the rules and writes, so two
processes cannot both pass a daily cap. Statements are SQLAlchemy expressions over the
tables of `tables.py`; rows are Core rows (no ORM object per row).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Connection, exists, func, insert, or_, select, update

from backcoach.domain.history import (
    History,
    PainScore,
    RedFlagCheck,
    SetRecord,
    current_session,
    recent_pain,
)
from backcoach.domain.program import Program
from backcoach.domain.windows import long_window_exercises, lookback_days, whole_practice
from backcoach.storage.aggregates import rebuild
from backcoach.storage.database import Database, StorageError
from backcoach.storage.schema import (
    ACUTE,
    FLAGS,
    LOG_TABLES,
    PAIN,
    PROGRAMS,
    SESSIONS,
    SETS,
    SETTINGS,
    live,
)

if TYPE_CHECKING:
    from backcoach.storage.bulk import BulkWriter
    from backcoach.storage.clinic import Assignment

SET_COLUMNS = (SETS.c.exercise_id, SETS.c.ended_at, SETS.c.outcome, SETS.c.follow_up,
               SETS.c.stop_reason, SETS.c.symptom_response, SETS.c.session_id, SETS.c.reps,
               SETS.c.hold_seconds)
PAIN_COLUMNS = (PAIN.c.at, PAIN.c.score, PAIN.c.context)


def local_midnight(day: date, tz: tzinfo | None) -> datetime:
    naive = datetime.combine(day, time(0))
    return naive.replace(tzinfo=tz) if tz else naive.astimezone()


def local_fields(when: datetime, tz: tzinfo | None,
                 local: datetime | None = None) -> dict[str, Any]:
    """The local day and UTC offset (minutes) of `when`, kept with the row (`local`: `when`
    in `tz` already, if the caller has it)."""
    day, offset = local_day_offset(when.astimezone(tz) if local is None else local)
    return {"local_day": day, "utc_offset": offset}


def local_day_offset(local: datetime) -> tuple[str, int]:
    """The local day (stored form) and UTC offset in minutes of a time in the patient's zone."""
    offset = local.utcoffset()
    return local.date().isoformat(), int(offset.total_seconds() // 60) if offset else 0


def holds_data(conn: Connection) -> bool:
    """True once anything has been logged (settings alone do not count)."""
    return any(conn.execute(select(exists().select_from(table))).scalar()
               for table in LOG_TABLES)


class AcuteRow(NamedTuple):
    id: int
    started: datetime


class Entry(NamedTuple):
    """A set or pain score as a correction sees it."""

    kind: str  # set | pain
    id: int
    at: datetime
    what: str  # the exercise id, or the score
    session_id: int | None
    void_at: datetime | None


#: what `void` may mark, and the column that says when each happened
VOIDABLE = {"set": (SETS, SETS.c.ended_at), "pain": (PAIN, PAIN.c.at)}


class Repository:
    """Reads and writes the log for one database."""

    def __init__(self, database: Database, tz: tzinfo | None = None) -> None:
        self.db = database
        self.tz = tz
        self.on_clinic = False  # a patient's log on a clinic's server (see check_own_log)

    # --- settings -------------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        with self.db.read() as conn:
            value = conn.execute(select(SETTINGS.c.value).where(SETTINGS.c.key == key)).scalar()
        return None if value is None else str(value)

    def set_setting(self, key: str, value: str) -> None:
        with self.writing() as log:
            log.set_setting(key, value)

    def is_empty(self) -> bool:
        with self.db.read() as conn:
            return not holds_data(conn)

    # --- on a clinic's server ---------------------------------------------------------------
    def check_own_log(self) -> Assignment | None:
        """On a clinic's server, only a patient's own role may use a log (StorageError
        otherwise); the program assigned to them, if any."""
        if self.db.dialect != "postgresql":  # a file holds one patient: nothing to check
            return None
        from backcoach.storage import clinic

        with self.db.read() as conn:
            if not clinic.is_clinic(conn):
                return None
            if not clinic.is_patient(conn):
                raise StorageError(
                    f"{self.db.where} is a clinic's database: patients connect as their own "
                    "role (postgresql+psycopg://PATIENT-ID@HOST/DATABASE); physiotherapists "
                    "use backcoach clinic")
            self.on_clinic = True
            return clinic.assignment(conn)

    # --- the rules' view of the log ------------------------------------------------------
    def history(self, program: Program, now: datetime, session_id: int | None = None) -> History:
        with self.db.read() as conn:
            return LogWriter(conn, self.tz).history(program, now, session_id)

    @contextmanager
    def writing(self) -> Iterator[LogWriter]:
        """One write transaction: read, check, write; the touched days' aggregates are
        brought up to date, and all of it commits at the end of the block."""
        with self.db.write() as conn:
            log = LogWriter(conn, self.tz)
            yield log
            log.refresh_days()

    def open_acute_episode(self, at: datetime) -> datetime | None:
        with self.db.read() as conn:
            row = LogWriter(conn, self.tz).open_acute_row(at)
        return row.started if row else None

    def latest_time(self) -> datetime | None:
        """When the latest thing the rules read happened (set, pain score, acute episode,
        safety check): nothing in the log is later (one index lookup each)."""
        columns = (SETS.c.ended_at, PAIN.c.at, ACUTE.c.started_at, ACUTE.c.ended_at, FLAGS.c.at)
        with self.db.read() as conn:
            found = [conn.execute(select(func.max(column))).scalar() for column in columns]
        return max((t for t in found if t is not None), default=None)

    def latest_pain(self, now: datetime) -> PainScore | None:
        """The latest pain score up to `now` (for explaining an acute day)."""
        with self.db.read() as conn:
            row = conn.execute(select(*PAIN_COLUMNS).where(PAIN.c.at <= now, live(PAIN))
                               .order_by(PAIN.c.at.desc(), PAIN.c.id.desc()).limit(1)).first()
        return _pain(row) if row else None


class LogWriter:
    """The log inside one transaction: the history the rules need, and the writes."""

    def __init__(self, conn: Connection, tz: tzinfo | None) -> None:
        self.conn = conn
        self.tz = tz
        self.touched: set[str] = set()  # local days whose aggregates need a refresh

    def history(self, program: Program, now: datetime, session_id: int | None) -> History:
        """Bounded reads: the whole local day of `now` and the day before, plus the practice
        window of unlock rules. Sets later than `now` that day are included: a set entered
        for an earlier time is checked against the whole day around it."""
        conn, tz = self.conn, self.tz
        today = now.astimezone(tz).date()
        day_end = local_midnight(today + timedelta(days=1), tz)
        since = local_midnight(today - timedelta(days=lookback_days(program)), tz)
        longer = sorted(long_window_exercises(program))
        window = or_(SETS.c.ended_at >= local_midnight(today - timedelta(days=1), tz),
                     SETS.c.exercise_id.in_(longer) & (SETS.c.outcome == "completed")
                     & (SETS.c.ended_at >= since))
        rows = conn.execute(select(*SET_COLUMNS).where(SETS.c.ended_at < day_end, window,
                                                       live(SETS))
                            .order_by(SETS.c.ended_at, SETS.c.id)).all()
        sets = tuple(_set_record(row) for row in rows)
        if session_id is not None:
            session = tuple(s for s in sets if s.session_id == session_id and s.ended_at <= now)
        else:
            session = current_session(sets, now, program.session_gap)
        acute = conn.execute(
            select(ACUTE.c.started_at).where(ACUTE.c.started_at <= now, or_(
                ACUTE.c.ended_at.is_(None), ACUTE.c.ended_at > now))
            .order_by(ACUTE.c.started_at.desc()).limit(1)).scalar()
        flag = conn.execute(select(FLAGS.c.at, FLAGS.c.positive).where(FLAGS.c.at <= now)
                            .order_by(FLAGS.c.at.desc(), FLAGS.c.id.desc()).limit(1)).first()
        weeks_from = local_midnight(today - timedelta(days=35), tz)
        weeks = self._pain(weeks_from, now)
        midnight, window_from = local_midnight(today, tz), now - program.acute_window
        first_done = self._first_done(program)
        done = {exercise for exercise, first in first_done.items() if first <= now}
        return History(
            sets=sets, session=session, first_done=first_done,
            acute_since=acute,
            pain_today=tuple(p for p in weeks if p.at >= midnight),
            last_red_flag=RedFlagCheck(flag[0], bool(flag[1])) if flag else None,
            pain_recent=recent_pain(weeks, now, program.acute_window)
            if window_from >= weeks_from else self._pain(window_from, now),
            pain_weeks=weeks,
            practice_days=self._practice_days(whole_practice(program, done), now),
        )

    def _pain(self, start: datetime, end: datetime) -> tuple[PainScore, ...]:
        rows = self.conn.execute(select(*PAIN_COLUMNS).where(
            PAIN.c.at >= start, PAIN.c.at <= end, live(PAIN)).order_by(PAIN.c.at)).all()
        return tuple(_pain(row) for row in rows)

    def _first_done(self, program: Program) -> dict[str, datetime]:
        """When each exercise was first completed (one index lookup each)."""
        first_done = {}
        for exercise in program.exercises:
            first = self.conn.execute(select(func.min(SETS.c.ended_at)).where(
                SETS.c.exercise_id == exercise.id, SETS.c.outcome == "completed",
                live(SETS))).scalar()
            if first is not None:
                first_done[exercise.id] = first
        return first_done

    def _practice_days(self, exercise_ids: set[str], until: datetime
                       ) -> dict[str, tuple[date, ...]]:
        """Every local day with a completed set of these exercises (one row a day)."""
        out: dict[str, tuple[date, ...]] = {}
        for exercise_id in sorted(exercise_ids):
            rows = self.conn.execute(
                select(SETS.c.local_day).distinct().where(
                    SETS.c.exercise_id == exercise_id, SETS.c.outcome == "completed",
                    SETS.c.ended_at <= until, live(SETS)).order_by(SETS.c.local_day)).scalars()
            out[exercise_id] = tuple(date.fromisoformat(day) for day in rows)
        return out

    def is_empty(self) -> bool:
        return not holds_data(self.conn)

    def bulk(self) -> BulkWriter:
        """Many rows at once, in this transaction (made-up history, imports)."""
        from backcoach.storage.bulk import BulkWriter

        return BulkWriter(self.conn, self.tz)

    def refresh_days(self) -> None:
        """Bring the per-day aggregates of the days written to up to date."""
        if self.touched:
            rebuild(self.conn, self.touched)
            self.touched.clear()

    # --- writes -------------------------------------------------------------------------
    def set_setting(self, key: str, value: str) -> None:
        done = self.conn.execute(update(SETTINGS).where(SETTINGS.c.key == key)
                                 .values(value=value))
        if not done.rowcount:
            self.conn.execute(insert(SETTINGS).values(key=key, value=value))

    def _insert(self, table: Any, **values: Any) -> int:
        key = self.conn.execute(insert(table).values(**values)).inserted_primary_key
        assert key is not None
        return int(key[0])

    def new_session(self, program: Program, now: datetime, source: str) -> int:
        known = self.conn.execute(select(PROGRAMS.c.id).where(
            PROGRAMS.c.content_hash == program.content_hash)).first()
        if not known:
            self._insert(PROGRAMS, program_id=program.id, version=program.version,
                         content_hash=program.content_hash, text=program.source_text,
                         stored_at=now)
        return self._insert(SESSIONS, started_at=now, program_id=program.id,
                            program_version=program.version, program_hash=program.content_hash,
                            source=source, **local_fields(now, self.tz))

    def end_session(self, session_id: int, now: datetime, note: str | None = None) -> None:
        self.conn.execute(update(SESSIONS).where(SESSIONS.c.id == session_id)
                          .values(ended_at=now, note=note or None))

    def insert_set(self, program: Program, session_id: int, record: SetRecord,
                   started_at: datetime | None = None) -> int:
        start = started_at or record.ended_at - timedelta(seconds=record.seconds or 0)
        local = local_fields(record.ended_at, self.tz)
        self.touched.add(local["local_day"])
        return self._insert(SETS, session_id=session_id, exercise_id=record.exercise_id,
                            program_id=program.id, program_version=program.version,
                            program_hash=program.content_hash, started_at=start,
                            ended_at=record.ended_at, reps=record.reps,
                            hold_seconds=record.seconds, outcome=str(record.outcome),
                            stop_reason=record.stop_reason, symptom_response=record.symptom,
                            follow_up=bool(record.follow_up), **local)

    def update_set(self, set_id: int, *, symptom: str | None = None,
                   stop_reason: str | None = None) -> None:
        """Add the symptom response or the stop reason to a saved set."""
        values = {k: v for k, v in (("symptom_response", symptom), ("stop_reason", stop_reason))
                  if v is not None}
        if values:
            self.conn.execute(update(SETS).where(SETS.c.id == set_id).values(**values))
            self.touched.update(self.conn.execute(
                select(SETS.c.local_day).where(SETS.c.id == set_id)).scalars())

    def insert_pain(self, score: int, at: datetime, context: str = "standalone",
                    session_id: int | None = None, location: str | None = None) -> int:
        if not 0 <= score <= 10:
            raise ValueError("pain score must be between 0 and 10")
        local = local_fields(at, self.tz)
        self.touched.add(local["local_day"])
        if session_id is not None:
            self._touch_session(session_id)
        return self._insert(PAIN, at=at, score=score, context=context, session_id=session_id,
                            location=location, local_hour=at.astimezone(self.tz).hour, **local)

    def entry(self, kind: str, entry_id: int) -> Entry | None:
        """The set or pain score with this id, void or not (None if there is none)."""
        table, when = VOIDABLE[kind]
        what = table.c.exercise_id if kind == "set" else table.c.score
        row = self.conn.execute(select(when, what, table.c.session_id, table.c.void_at)
                                .where(table.c.id == entry_id)).first()
        return Entry(kind, entry_id, row[0], str(row[1]), row[2], row[3]) if row else None

    def void(self, entry: Entry, at: datetime, by: str) -> None:
        """Mark an entry void: it stays in the log; its days' figures are recomputed."""
        table, _ = VOIDABLE[entry.kind]
        self.conn.execute(update(table).where(table.c.id == entry.id)
                          .values(void_at=at, void_by=by))
        self.touched.update(self.conn.execute(
            select(table.c.local_day).where(table.c.id == entry.id)).scalars())
        if entry.kind == "pain" and entry.session_id is not None:
            self._touch_session(entry.session_id)

    def _touch_session(self, session_id: int) -> None:
        """A pain score of a session changed: the days of its before/after pair and of its
        exercises need their aggregates refreshed."""
        for table in (PAIN, SETS):
            self.touched.update(self.conn.execute(select(table.c.local_day).distinct()
                                .where(table.c.session_id == session_id)).scalars())

    def open_acute_row(self, at: datetime) -> AcuteRow | None:
        """The episode open at `at`, or None."""
        row = self.conn.execute(
            select(ACUTE.c.id, ACUTE.c.started_at)
            .where(ACUTE.c.ended_at.is_(None), ACUTE.c.started_at <= at)
            .order_by(ACUTE.c.started_at.desc()).limit(1)).first()
        return AcuteRow(row[0], row[1]) if row else None

    def start_acute(self, at: datetime) -> None:
        self._insert(ACUTE, started_at=at, ended_at=None)

    def end_acute(self, episode_id: int, at: datetime) -> None:
        self.conn.execute(update(ACUTE).where(ACUTE.c.id == episode_id).values(ended_at=at))

    def record_red_flags(self, at: datetime, answers: dict[str, bool], positive: bool) -> None:
        self._insert(FLAGS, at=at, answers=json.dumps(answers, sort_keys=True),
                     positive=bool(positive))


def _pain(row: Sequence[Any]) -> PainScore:
    return PainScore(row[0], row[1], row[2])


def _set_record(row: Sequence[Any]) -> SetRecord:
    return SetRecord(exercise_id=row[0], ended_at=row[1], outcome=row[2],
                     follow_up=bool(row[3]), stop_reason=row[4], symptom=row[5],
                     session_id=row[6], reps=row[7], seconds=row[8])
