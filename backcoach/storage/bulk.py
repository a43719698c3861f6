"""Many rows at once (made-up history): ids chosen ahead (sessions before their sets),
executemany in chunks, one transaction, per-day aggregates rebuilt once at the end."""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select

from backcoach.domain.history import SetRecord
from backcoach.domain.program import Program
from backcoach.storage.aggregates import rebuild
from backcoach.storage.dialects import postgres, sqlite
from backcoach.storage.repository import local_fields
from backcoach.storage.schema import LOG_TABLES, SETTINGS
from backcoach.storage.types import to_db

#: insert order: a row's references are written before it
TABLES: dict[str, Table] = {table.name: table for table in (*LOG_TABLES, SETTINGS)}
CHUNK = 20_000  # rows held in memory before they are written


class BulkWriter:
    """Buffers rows per table and inserts them in order (sessions before their sets)."""

    def __init__(self, conn: Connection, tz: tzinfo | None) -> None:
        self.conn = conn
        self.tz = tz
        self.rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        self.counts: dict[str, int] = {t: 0 for t in TABLES}
        self.server = conn.dialect.name == "postgresql"
        # SQLite: the ids after the largest; PostgreSQL: drawn from each table's sequence, as
        # other patients' rows (invisible to this role on a clinic) may hold any id
        self.next_id = {name: 1 + (conn.execute(select(func.max(table.c.id))).scalar() or 0)
                        for name, table in TABLES.items()
                        if name != "setting" and not self.server}
        self.drawn: dict[str, list[int]] = {name: [] for name in TABLES}
        self.programs: set[str] = set()
        self.open_sessions: dict[int, dict[str, Any]] = {}
        self.pending = 0

    def _new_id(self, table: str) -> int:
        if not self.server:
            self.next_id[table] += 1
            return self.next_id[table] - 1
        if not self.drawn[table]:
            self.drawn[table] = postgres.draw_ids(self.conn, table, CHUNK)[::-1]
        return self.drawn[table].pop()

    def _add(self, table: str, **values: Any) -> int:
        ident = self._new_id(table)
        self.rows[table].append({"id": ident, **values})
        self.pending += 1
        return ident

    def session(self, start: datetime, program: Program) -> int:
        if program.content_hash not in self.programs:
            self.programs.add(program.content_hash)
            self._add("program_text", program_id=program.id, version=program.version,
                      content_hash=program.content_hash, text=program.source_text,
                      stored_at=to_db(start))
        ident = self._new_id("session")
        self.open_sessions[ident] = {
            "id": ident, "started_at": to_db(start), "ended_at": None, "program_id": program.id,
            "program_version": program.version, "program_hash": program.content_hash,
            "source": "tui", "note": None, **local_fields(start, self.tz)}
        return ident

    def end_session(self, session_id: int, end: datetime) -> None:
        row = self.open_sessions.pop(session_id)
        row["ended_at"] = to_db(end)
        self.rows["session"].append(row)
        self.pending += 1
        if self.pending >= CHUNK and not self.open_sessions:
            self.flush()

    def exercise_set(self, program: Program, record: SetRecord, started_at: datetime,
                     local: datetime | None = None) -> int:
        """`local`: the set's end in the writer's time zone, if the caller has it."""
        return self._add(
            "exercise_set", session_id=record.session_id, exercise_id=record.exercise_id,
            program_id=program.id, program_version=program.version,
            program_hash=program.content_hash, started_at=to_db(started_at),
            ended_at=to_db(record.ended_at), reps=record.reps, hold_seconds=record.seconds,
            outcome=str(record.outcome), stop_reason=record.stop_reason,
            symptom_response=record.symptom, follow_up=bool(record.follow_up),
            **local_fields(record.ended_at, self.tz, local))

    def pain(self, at: datetime, score: int, context: str, session_id: int | None) -> int:
        local = at.astimezone(self.tz)
        return self._add("pain_score", at=to_db(at), score=score, context=context,
                         location=None, session_id=session_id, local_hour=local.hour,
                         **local_fields(at, self.tz, local))

    def acute_episode(self, start: datetime, end: datetime | None) -> int:
        return self._add("acute_episode", started_at=to_db(start),
                         ended_at=to_db(end) if end else None)

    def red_flags(self, at: datetime, answers: dict[str, bool], positive: bool) -> int:
        return self._add("red_flag_check", at=to_db(at),
                         answers=json.dumps(answers, sort_keys=True), positive=bool(positive))

    def setting(self, key: str, value: str) -> None:
        self.rows["setting"].append({"key": key, "value": value})

    def flush(self) -> None:
        for name, rows in self.rows.items():
            if not rows:
                continue
            table = TABLES[name]
            if name == "setting":
                self.conn.execute(delete(table).where(table.c.key.in_([r["key"] for r in rows])))
            if self.conn.dialect.name != "sqlite" or not sqlite.insert_many(self.conn, table,
                                                                            rows):
                self.conn.execute(insert(table), rows)
            self.counts[name] += len(rows)
            rows.clear()
        self.pending = 0

    def finish(self) -> dict[str, int]:
        """Write what is left (an unfinished session is dropped), bring the per-day
        aggregates and id sequences up to date; counts per table."""
        self.open_sessions.clear()
        self.flush()
        from backcoach.storage.clinic import is_clinic

        if self.server and not is_clinic(self.conn):  # ids drawn but unused are given back
            postgres.reset_sequences(self.conn, [t for t in TABLES if t != "setting"])
        rebuild(self.conn, None)
        return dict(self.counts)
