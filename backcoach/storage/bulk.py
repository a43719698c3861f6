"""Many rows at once (made-up history): explicit ids, executemany in chunks, one transaction."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection

from backcoach.domain.history import SetRecord
from backcoach.domain.program import Program
from backcoach.storage.types import to_db

COLUMNS = {
    "program_text": "id, program_id, version, content_hash, text, stored_at",
    "session": "id, started_at, ended_at, program_id, program_version, program_hash, source, note",
    "exercise_set": "id, session_id, exercise_id, program_id, program_version, program_hash, "
                    "started_at, ended_at, reps, hold_seconds, outcome, stop_reason, "
                    "symptom_response, follow_up",
    "pain_score": "id, at, score, context, location, session_id",
    "acute_episode": "id, started_at, ended_at",
    "red_flag_check": "id, at, answers, positive",
    "setting": "key, value",
}
CHUNK = 20_000  # rows held in memory before they are written


class BulkWriter:
    """Buffers rows per table and inserts them in order (sessions before their sets)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.rows: dict[str, list[tuple[object, ...]]] = {t: [] for t in COLUMNS}
        self.counts: dict[str, int] = {t: 0 for t in COLUMNS}
        self.next_id: dict[str, int] = {t: 1 for t in COLUMNS}
        self.programs: set[str] = set()
        self.open_sessions: dict[int, tuple[object, ...]] = {}

    def _add(self, table: str, *values: object) -> int:
        ident = self.next_id[table]
        self.next_id[table] += 1
        self.rows[table].append((ident, *values))
        return ident

    def session(self, start: datetime, program: Program) -> int:
        if program.content_hash not in self.programs:
            self.programs.add(program.content_hash)
            self._add("program_text", program.id, program.version, program.content_hash,
                      program.source_text, to_db(start))
        ident = self.next_id["session"]
        self.next_id["session"] += 1
        self.open_sessions[ident] = (ident, to_db(start), None, program.id, program.version,
                                     program.content_hash, "tui", None)
        return ident

    def end_session(self, session_id: int, end: datetime) -> None:
        row = list(self.open_sessions.pop(session_id))
        row[2] = to_db(end)
        self.rows["session"].append(tuple(row))
        if sum(len(r) for r in self.rows.values()) >= CHUNK and not self.open_sessions:
            self.flush()

    def exercise_set(self, program: Program, record: SetRecord, started_at: datetime) -> int:
        return self._add("exercise_set", record.session_id, record.exercise_id, program.id,
                         program.version, program.content_hash, to_db(started_at),
                         to_db(record.ended_at), record.reps, record.seconds,
                         str(record.outcome), record.stop_reason, record.symptom,
                         int(record.follow_up))

    def pain(self, at: datetime, score: int, context: str, session_id: int | None) -> int:
        return self._add("pain_score", to_db(at), score, context, None, session_id)

    def acute_episode(self, start: datetime, end: datetime | None) -> int:
        return self._add("acute_episode", to_db(start), to_db(end) if end else None)

    def red_flags(self, at: datetime, answers: dict[str, bool], positive: bool) -> int:
        return self._add("red_flag_check", to_db(at), json.dumps(answers, sort_keys=True),
                         int(positive))

    def setting(self, key: str, value: str) -> None:
        self.rows["setting"].append((key, value))

    def flush(self) -> None:
        for table, rows in self.rows.items():
            if not rows:
                continue
            if table == "setting":
                self.conn.exec_driver_sql(
                    f"DELETE FROM setting WHERE key IN ({', '.join('?' for _ in rows)})",
                    tuple(r[0] for r in rows))
            marks = ", ".join("?" for _ in rows[0])
            self.conn.exec_driver_sql(
                f"INSERT INTO {table} ({COLUMNS[table]}) VALUES ({marks})", rows)
            self.counts[table] += len(rows)
            rows.clear()

    def finish(self) -> dict[str, int]:
        """Write what is left (an unfinished session is dropped); counts per table."""
        for session_id in list(self.open_sessions):
            self.open_sessions.pop(session_id)
        self.flush()
        return dict(self.counts)
