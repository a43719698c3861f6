"""Many rows at once (made-up history): ids chosen ahead (sessions before their sets), rows
kept as tuples and inserted in chunks (on SQLite by the driver's executemany), one
transaction, per-day aggregates rebuilt once at the end."""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select

from backcoach.domain.history import SetRecord
from backcoach.domain.program import Program
from backcoach.storage.aggregates import rebuild
from backcoach.storage.dialects import postgres, sqlite
from backcoach.storage.repository import local_day_offset
from backcoach.storage.schema import LOG_TABLES, SETTINGS
from backcoach.storage.types import to_db

#: insert order: a row's references are written before it
TABLES: dict[str, Table] = {table.name: table for table in (*LOG_TABLES, SETTINGS)}
#: the columns each row holds, in order (the others take their defaults)
COLUMNS: dict[str, tuple[str, ...]] = {
    "program_text": ("id", "program_id", "version", "content_hash", "text", "stored_at"),
    "session": ("id", "started_at", "ended_at", "program_id", "program_version",
                "program_hash", "source", "note", "local_day", "utc_offset"),
    "exercise_set": ("id", "session_id", "exercise_id", "program_id", "program_version",
                     "program_hash", "started_at", "ended_at", "reps", "hold_seconds",
                     "outcome", "stop_reason", "symptom_response", "follow_up", "local_day",
                     "utc_offset"),
    "pain_score": ("id", "at", "score", "context", "location", "session_id", "local_hour",
                   "local_day", "utc_offset"),
    "acute_episode": ("id", "started_at", "ended_at"),
    "red_flag_check": ("id", "at", "answers", "positive"),
    "setting": ("key", "value"),
}
CHUNK = 20_000  # rows held in memory before they are written
#: the indexes the per-day aggregates' rebuild of some days reads (kept while a new file fills)
REBUILD_READS = ("ix_set_day", "ix_pain_day", "ix_pain_session")


class BulkWriter:
    """Buffers rows per table and inserts them in order (sessions before their sets)."""

    def __init__(self, conn: Connection, tz: tzinfo | None) -> None:
        self.conn = conn
        self.tz = tz
        self.rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
        self.counts: dict[str, int] = {t: 0 for t in TABLES}
        self.server = conn.dialect.name == "postgresql"
        # SQLite: the ids after the largest; PostgreSQL: drawn from each table's sequence, as
        # other patients' rows (invisible to this role on a clinic) may hold any id
        self.next_id = {name: 1 + (conn.execute(select(func.max(table.c.id))).scalar() or 0)
                        for name, table in TABLES.items()
                        if name != "setting" and not self.server}
        self.drawn: dict[str, list[int]] = {name: [] for name in TABLES}
        self.programs: set[str] = set()
        self.open_sessions: dict[int, tuple[Any, ...]] = {}
        self.pending = 0
        self._last: tuple[datetime | None, str] = (None, "")
        #: SQLite, every log table empty (a new file): the indexes that the aggregates of a
        #: chunk's days do not read are dropped now and built at the end; those aggregates
        #: are brought up to date after each chunk (while the rows are being made)
        self.fresh = not self.server and all(n == 1 for n in self.next_id.values())
        self.indexes = sqlite.drop_indexes(conn, list(self.rows), keep=REBUILD_READS) \
            if self.fresh else []

    def _utc(self, value: datetime) -> str:
        """`to_db(value)`; the last one is kept, as a set starts when the one before ended
        and a session's pain scores share its sets' times (the same objects)."""
        if value is not self._last[0]:
            self._last = (value, to_db(value))
        return self._last[1]

    def _new_id(self, table: str) -> int:
        if not self.server:
            self.next_id[table] += 1
            return self.next_id[table] - 1
        if not self.drawn[table]:
            self.drawn[table] = postgres.draw_ids(self.conn, table, CHUNK)[::-1]
        return self.drawn[table].pop()

    def _add(self, table: str, *values: Any) -> int:
        ident = self._new_id(table)
        self.rows[table].append((ident, *values))
        self.pending += 1
        return ident

    def session(self, start: datetime, program: Program) -> int:
        if program.content_hash not in self.programs:
            self.programs.add(program.content_hash)
            self._add("program_text", program.id, program.version, program.content_hash,
                      program.source_text, to_db(start))
        ident = self._new_id("session")
        self.open_sessions[ident] = (ident, self._utc(start), program.id, program.version,
                                     program.content_hash, "tui", None,
                                     *local_day_offset(start.astimezone(self.tz)))
        return ident

    def end_session(self, session_id: int, end: datetime) -> None:
        ident, start, *rest = self.open_sessions.pop(session_id)
        self.rows["session"].append((ident, start, self._utc(end), *rest))
        self.pending += 1
        if self.pending >= CHUNK and not self.open_sessions:
            self.flush()

    def exercise_set(self, program: Program, record: SetRecord, started_at: datetime,
                     local: datetime | None = None) -> int:
        """`local`: the set's end in the writer's time zone, if the caller has it."""
        return self.set_row(program, started_at, record.exercise_id, record.ended_at,
                            record.outcome, record.follow_up, record.stop_reason,
                            record.symptom, record.session_id, record.reps, record.seconds,
                            local)

    def set_row(self, program: Program, started_at: datetime, exercise_id: str,
                ended_at: datetime, outcome: str, follow_up: bool, stop_reason: str | None,
                symptom: str | None, session_id: int | None, reps: int | None,
                seconds: int | None, local: datetime | None = None) -> int:
        """`exercise_set` from the fields of its record (no SetRecord made)."""
        return self._add(
            "exercise_set", session_id, exercise_id, program.id, program.version,
            program.content_hash, self._utc(started_at), self._utc(ended_at), reps, seconds,
            str(outcome), stop_reason, symptom, bool(follow_up),
            *local_day_offset(local if local is not None else ended_at.astimezone(self.tz)))

    def pain(self, at: datetime, score: int, context: str, session_id: int | None) -> int:
        local = at.astimezone(self.tz)
        return self._add("pain_score", self._utc(at), score, context, None, session_id,
                         local.hour, *local_day_offset(local))

    def acute_episode(self, start: datetime, end: datetime | None) -> int:
        return self._add("acute_episode", to_db(start), to_db(end) if end else None)

    def red_flags(self, at: datetime, answers: dict[str, bool], positive: bool) -> int:
        return self._add("red_flag_check", to_db(at), json.dumps(answers, sort_keys=True),
                         bool(positive))

    def setting(self, key: str, value: str) -> None:
        self.rows["setting"].append((key, value))

    def flush(self) -> None:
        """Write the rows held so far."""
        for name, rows in self.rows.items():
            if not rows:
                continue
            table, columns = TABLES[name], COLUMNS[name]
            if name == "setting":
                self.conn.execute(delete(table).where(table.c.key.in_([r[0] for r in rows])))
            if self.conn.dialect.name != "sqlite" \
                    or not sqlite.insert_many(self.conn, table, columns, rows):
                self.conn.execute(insert(table),
                                  [dict(zip(columns, row, strict=True)) for row in rows])
            self.counts[name] += len(rows)
        if self.fresh:
            rebuild(self.conn, {row[COLUMNS[name].index("local_day")]
                                for name in ("session", "exercise_set", "pain_score")
                                for row in self.rows[name]})
        self.rows = {name: [] for name in self.rows}
        self.pending = 0

    def finish(self) -> dict[str, int]:
        """Write what is left (an unfinished session is dropped), bring the per-day
        aggregates and id sequences up to date; counts per table."""
        self.open_sessions.clear()
        self.flush()
        if self.indexes:
            sqlite.create_indexes(self.conn, self.indexes)
            self.indexes = []
        if self.fresh:  # every day's aggregates were rebuilt with its chunk
            return dict(self.counts)
        from backcoach.storage.clinic import is_clinic

        if self.server and not is_clinic(self.conn):  # ids drawn but unused are given back
            postgres.reset_sequences(self.conn, [t for t in TABLES if t != "setting"])
        rebuild(self.conn, None)
        return dict(self.counts)
