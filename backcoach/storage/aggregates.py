"""Per-day aggregates (`day_pain`, `day_pairs`, `day_exercise`), rebuilt from the log for the
days a write touched, or for every day after a bulk write. One statement per table, built
from the tables, the same on SQLite and PostgreSQL; grouped by patient (a patient's own
connection sees only their rows, so it rebuilds only theirs)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, and_, case, delete, func, insert, literal, select
from sqlalchemy.sql import ColumnElement

from backcoach.storage.schema import DAY_EXERCISE, DAY_PAIN, DAY_PAIRS, PAIN, SETS, live


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _total(condition: ColumnElement[bool], value: ColumnElement[int]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def _pairs() -> tuple[Any, Any, Any]:
    """Pain before and after of the same session (aliases b, a); void scores left out."""
    before, after = PAIN.alias("b"), PAIN.alias("a")
    joined = before.join(after, and_(after.c.session_id == before.c.session_id,
                                     after.c.context == "after", after.c.void_at.is_(None),
                                     before.c.void_at.is_(None)))
    return before, after, joined


def rebuild(conn: Connection, days: Collection[str] | None) -> None:
    """Recompute the aggregates of `days` (None: of every day) from the log."""
    def only(column: ColumnElement[str]) -> ColumnElement[bool]:
        return literal(True) if days is None else column.in_(sorted(days))

    for table in (DAY_PAIN, DAY_PAIRS, DAY_EXERCISE):
        conn.execute(delete(table).where(only(table.c.day)))
    if days is not None and not days:
        return
    score, hour = PAIN.c.score, PAIN.c.local_hour
    conn.execute(insert(DAY_PAIN).from_select(
        ["day", "patient_id", "n", "total", "low", "high", "morning_n", "morning_total",
         "evening_n", "evening_total"],
        select(PAIN.c.local_day, PAIN.c.patient_id, func.count(), func.sum(score),
               func.min(score), func.max(score), _count(hour < 10), _total(hour < 10, score),
               _count(hour >= 14), _total(hour >= 14, score))
        .where(only(PAIN.c.local_day), live(PAIN))
        .group_by(PAIN.c.local_day, PAIN.c.patient_id)))

    before, after, joined = _pairs()
    conn.execute(insert(DAY_PAIRS).from_select(
        ["day", "patient_id", "n", "before_total", "after_total"],
        select(before.c.local_day, before.c.patient_id, func.count(), func.sum(before.c.score),
               func.sum(after.c.score)).select_from(joined)
        .where(before.c.context == "before", only(before.c.local_day))
        .group_by(before.c.local_day, before.c.patient_id)))

    completed = SETS.c.outcome == "completed"
    base = (select(SETS.c.local_day.label("day"), SETS.c.exercise_id, SETS.c.patient_id,
                   _count(completed).label("completed"),
                   _count(and_(completed, SETS.c.follow_up.is_(False))).label("counted"),
                   _count(SETS.c.outcome == "stopped").label("stopped"),
                   _count((SETS.c.stop_reason == "spreading")
                          | (SETS.c.symptom_response == "peripheralising")).label("spreading"))
            .where(only(SETS.c.local_day), live(SETS))
            .group_by(SETS.c.local_day, SETS.c.exercise_id, SETS.c.patient_id)
            .subquery("base"))
    done = (select(SETS.c.session_id, SETS.c.exercise_id, SETS.c.local_day,
                   SETS.c.patient_id).distinct()
            .where(completed, only(SETS.c.local_day), live(SETS)).subquery("done"))
    before, after, joined = _pairs()
    paired = (select(done.c.local_day, done.c.exercise_id, done.c.patient_id,
                     func.count().label("n"),
                     func.sum(after.c.score - before.c.score).label("delta"))
              .select_from(done.join(joined, before.c.session_id == done.c.session_id))
              .where(before.c.context == "before")
              .group_by(done.c.local_day, done.c.exercise_id, done.c.patient_id)
              .subquery("paired"))
    conn.execute(insert(DAY_EXERCISE).from_select(
        ["day", "exercise_id", "patient_id", "completed", "counted", "stopped", "spreading",
         "paired_sessions", "delta_total"],
        select(base.c.day, base.c.exercise_id, base.c.patient_id, base.c.completed, base.c.counted,
               base.c.stopped, base.c.spreading, func.coalesce(paired.c.n, 0),
               func.coalesce(paired.c.delta, 0))
        .select_from(base.outerjoin(paired, and_(paired.c.local_day == base.c.day,
                                                 paired.c.exercise_id == base.c.exercise_id,
                                                 paired.c.patient_id == base.c.patient_id)))))
