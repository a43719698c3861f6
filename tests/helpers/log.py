"""Storage-level writes at explicit times, for tests that build a log (no rules checked)."""

from __future__ import annotations

from datetime import datetime

from backcoach.domain.history import SetRecord
from backcoach.domain.program import Program
from backcoach.storage.repository import Repository


class TestLog:
    """A Repository plus one-call writes at given times (each its own transaction)."""

    __test__ = False  # not a pytest class

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.db = repo.db

    def __getattr__(self, name: str):
        return getattr(self.repo, name)

    def record_pain(self, score: int, at: datetime, context: str = "standalone",
                    session_id: int | None = None, location: str | None = None) -> int:
        with self.repo.writing() as log:
            return log.insert_pain(score, at, context, session_id, location)

    def start_session(self, program: Program, at: datetime, source: str = "tui") -> int:
        with self.repo.writing() as log:
            return log.new_session(program, at, source)

    def end_session(self, session_id: int, at: datetime, note: str | None = None) -> None:
        with self.repo.writing() as log:
            log.end_session(session_id, at, note)

    def record_set(self, program: Program, session_id: int, record: SetRecord,
                   started_at: datetime | None = None) -> int:
        with self.repo.writing() as log:
            return log.insert_set(program, session_id, record, started_at)

    def start_acute(self, at: datetime) -> None:
        with self.repo.writing() as log:
            log.start_acute(at)

    def end_acute(self, at: datetime) -> None:
        with self.repo.writing() as log:
            row = log.open_acute_row(at)
            assert row is not None
            log.end_acute(row.id, at)

    def record_red_flags(self, at: datetime, answers: dict[str, bool]) -> None:
        with self.repo.writing() as log:
            log.record_red_flags(at, answers, any(answers.values()))


def count_rows(target: str, table: str) -> int:
    """How many rows a table holds, read through a connection of its own."""
    from sqlalchemy import func, select

    from backcoach.storage.database import open_database
    from backcoach.storage.tables import SQLModel

    database = open_database(target)
    try:
        with database.read() as conn:
            rows = select(func.count()).select_from(SQLModel.metadata.tables[table])
            return int(conn.execute(rows).scalar_one())
    finally:
        database.close()
