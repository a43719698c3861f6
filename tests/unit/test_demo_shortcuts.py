"""The made-up history asks the engine its questions the short way: a rule's `blocks`
(no reason text), a plan's `dose` (no entry) and the local day handed to `start_plan`.
Over generated histories, each must say what the long way says, at every plan."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import time
from typing import Any

import pytest

from backcoach.coach import demo
from backcoach.domain.engine import build_plan
from backcoach.domain.program import Program
from backcoach.domain.rules import Bouts, NotBefore, NotSoonAfterFirstCheckIn
from tests.conftest import TZ, at


class _Nowhere:
    """A sink that keeps nothing (the simulation keeps what the rules need itself)."""

    def __init__(self) -> None:
        self.sessions = 0

    def session(self, *_: Any) -> int:
        self.sessions += 1
        return self.sessions

    def __getattr__(self, name: str) -> Any:
        return lambda *_, **__: None


def _with_timing_rules(program: Program) -> Program:
    """The program with a clock time, a start-of-day wait and bouts on its exercises."""
    extra = (NotBefore(time(9, 30)), NotSoonAfterFirstCheckIn(45), Bouts(2, 3, 150))
    return replace(program, exercises=tuple(
        replace(e, rules=e.rules + (extra[n % 3],)) for n, e in enumerate(program.exercises)))


def _checked_plans(program: Program, days: int, tz: Any) -> int:
    """Generate `days` of history; at every plan compare the short answers with the long
    ones. How many plans were compared."""
    compared = 0
    original = demo.start_plan

    def checking(program: Program, history: Any, now: Any, checkin: Any = None,
                 tz: Any = None, today: Any = None) -> Any:
        nonlocal compared
        steps = original(program, history, now, checkin, tz, today)
        assert steps.ctx.today == now.astimezone(tz).date()
        whole = build_plan(program, history, now, checkin, tz)
        fresh = original(program, history, now, checkin, tz)
        for exercise in program.exercises:
            for rule in exercise.rules:
                assert rule.blocks(exercise, fresh.ctx) == \
                    (rule.check(exercise, fresh.ctx) is not None), (rule, now)
            entry = whole.entry(exercise.id)
            asked = original(program, history, now, checkin, tz, today)
            assert asked.may_start(exercise.id) == entry.can_start, (exercise.id, now)
            assert asked.dose(exercise.id) == \
                (entry.reps_target, entry.follow_up, entry.sets_left_in_bout)
        compared += 1
        return steps

    demo.start_plan = checking  # type: ignore[assignment]
    try:
        sim = demo.Simulation(program, tz, random.Random(3))
        demo._days(_Nowhere(), sim, days, at("2026-03-02 22:00"), None)
    finally:
        demo.start_plan = original
    return compared


@pytest.mark.parametrize("program_id", ["mckenzie", "core-basics", "disc-basics",
                                        "posture-neck"])
def test_short_answers_agree_with_the_rules_over_a_made_up_history(catalog, program_id):
    assert _checked_plans(catalog.load(program_id), 75, TZ) > 200


def test_short_answers_agree_with_clock_bout_and_start_of_day_rules(catalog):
    assert _checked_plans(_with_timing_rules(catalog.load("mckenzie")), 60, None) > 200


def test_a_new_file_filled_in_chunks_has_the_whole_rebuild_and_the_schema(
        tmp_path, mckenzie, monkeypatch):
    """Into a new SQLite file the demo writes without most indexes and brings each chunk's
    days up to date as it goes: the aggregates are those of a rebuild of every day, and the
    indexes are those of a file that was never filled."""
    from backcoach.coach.demo import write_demo
    from backcoach.storage import bulk
    from backcoach.storage.aggregates import rebuild
    from backcoach.storage.database import open_database
    from backcoach.storage.repository import Repository
    from backcoach.storage.schema import DAY_TABLES

    monkeypatch.setattr(bulk, "CHUNK", 700)  # many chunks, days split between them
    database = open_database(tmp_path / "demo.sqlite3")
    write_demo(Repository(database, TZ), mckenzie, 120, 5, at("2026-03-02 22:00"), TZ)
    empty = open_database(tmp_path / "empty.sqlite3")

    def indexes(db: Any) -> set[tuple[str, str]]:
        with db.read() as conn:
            return set(conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index'").all())

    def aggregates() -> list[list[tuple[Any, ...]]]:
        with database.read() as conn:
            return [sorted(conn.exec_driver_sql(f"SELECT * FROM {t.name}").all())
                    for t in DAY_TABLES]

    try:
        assert indexes(database) == indexes(empty)
        kept = aggregates()
        assert all(kept)
        with database.write() as conn:
            rebuild(conn, None)
        assert aggregates() == kept
    finally:
        database.close()
        empty.close()
