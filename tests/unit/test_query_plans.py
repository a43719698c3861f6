"""Bounded ranges read bounded rows: SQLite's own query plans show no full scan of a log
table (or of a per-day aggregate) for the plan, the 30-day history, its timeline and the
report's recent sessions, on a database with a long history and no ANALYZE statistics."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from backcoach.clock import FixedClock
from backcoach.coach import Coach
from backcoach.storage.schema import ALL_TABLES
from tests.conftest import TZ, at

SCANNED = re.compile(r"\bSCAN (\w+)\b(?! USING (?:COVERING )?INDEX)")
# a few rows by definition: one row per program text, per setting, per acute episode
SMALL = {"program_text", "setting", "alembic_version"}


@pytest.fixture(scope="module")
def long_history(tmp_path_factory, mckenzie):
    """Two years of demo history up to now."""
    db = tmp_path_factory.mktemp("plans") / "backcoach.sqlite3"
    coach = Coach.open(db, FixedClock(at("2026-03-02 12:00")), "mckenzie", tz=TZ)
    coach.demo(730, 3)
    yield coach
    coach.close()


def statements_of(coach: Coach, action) -> list[tuple[str, object]]:
    """The SELECT statements an action sends, with their parameters."""
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    engine = coach.repo.db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


ACTIONS = {
    "plan": lambda c: c.today_plan(),
    "history 30 days": lambda c: c.history(30),
    "timeline 30 days": lambda c: c.markers(30),
    "recent sessions": lambda c: c.recent_sessions(30),
    "next due": lambda c: c.next_due(),
}


@pytest.mark.parametrize("name", ACTIONS)
def test_bounded_reads_use_indexes(long_history, name):
    statements = statements_of(long_history, lambda: ACTIONS[name](long_history))
    assert statements, "the action read nothing: the test would prove nothing"
    log_tables = {t.name for t in ALL_TABLES} - SMALL
    with long_history.repo.db.read() as conn:
        for statement, parameters in statements:
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            details = " | ".join(row[-1] for row in plan)
            scanned = {m.group(1) for m in SCANNED.finditer(details)} & log_tables
            assert not scanned, f"{name}: full scan of {scanned}:\n{statement}\n{details}"


def test_the_scan_detector_sees_a_full_scan(long_history):
    with long_history.repo.db.read() as conn:
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT * FROM exercise_set WHERE reps > 3").all()
    assert {m.group(1) for m in SCANNED.finditer(plan[0][-1])} == {"exercise_set"}
    assert not SCANNED.search("SCAN session USING INDEX ix_session_started")
