"""The history view, read from the per-day aggregates (one row per day, never the whole
log), and the session list, read newest first through an index."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, func, literal, or_, select
from sqlalchemy.sql import ColumnElement

from backcoach.domain.trends import DayPain, DaySets, ExerciseEffect, Summary, summarise
from backcoach.storage.database import Database
from backcoach.storage.schema import (
    ACUTE,
    DAY_EXERCISE,
    DAY_PAIN,
    DAY_PAIRS,
    FLAGS,
    PAIN,
    SESSIONS,
    SETS,
    live,
)


def _first_day(days: int | None, today: date) -> str | None:
    return None if days is None else (today - timedelta(days=days - 1)).isoformat()


def _from(column: Any, first: str | None) -> ColumnElement[bool]:
    return literal(True) if first is None else column >= first


def _mean(total: int, n: int) -> float | None:
    return round(total / n, 2) if n else None


def history_summary(database: Database, today: date, days: int | None,
                    targets: dict[str, int], titles: Mapping[str, str] | None = None
                    ) -> Summary:
    """The whole history view for the last `days` days (None: all).

    `targets`: prescribed minimum sets a day per exercise (see trends.daily_targets);
    `titles`: the exercises' titles, for the per-exercise figures and insights.
    """
    first = _first_day(days, today)
    ex = DAY_EXERCISE.c
    with database.read() as conn:
        pain_rows = conn.execute(select(DAY_PAIN).where(_from(DAY_PAIN.c.day, first))
                                 .order_by(DAY_PAIN.c.day)).all()
        set_rows = conn.execute(
            select(ex.day, func.sum(ex.completed), func.sum(ex.stopped), func.sum(ex.spreading))
            .where(_from(ex.day, first)).group_by(ex.day).order_by(ex.day)).all()
        exercise_rows = conn.execute(
            select(ex.exercise_id, func.sum(ex.counted), func.sum(ex.paired_sessions),
                   func.sum(ex.delta_total)).where(_from(ex.day, first))
            .group_by(ex.exercise_id).order_by(ex.exercise_id)).all()
        before_after = _before_after(conn, _from(DAY_PAIRS.c.day, first))
        before_after_today = _before_after(conn, DAY_PAIRS.c.day == today.isoformat())
        starts = [conn.execute(select(func.min(t.c.day)).where(_from(t.c.day, first))).scalar()
                  for t in (DAY_PAIN, DAY_EXERCISE)]
    earliest = min((day for day in starts if day), default=None)
    pain = tuple(DayPain(date.fromisoformat(r.day), round(r.total / r.n, 2), r.low, r.high, r.n,
                         _mean(r.morning_total, r.morning_n), _mean(r.evening_total, r.evening_n))
                 for r in pain_rows)
    sets = tuple(DaySets(date.fromisoformat(r[0]), int(r[1]), int(r[2]), int(r[3]))
                 for r in set_rows)
    effects = tuple(ExerciseEffect(r[0], int(r[2]), round(int(r[3]) / int(r[2]), 2))
                    for r in exercise_rows if r[2])
    per_exercise = {r[0]: int(r[1]) for r in exercise_rows if r[1]}
    summary = summarise(pain, sets, today, targets, before_after, effects,
                        date.fromisoformat(earliest) if earliest else None, per_exercise, titles)
    return replace(summary, before_after_today=before_after_today)


def _before_after(conn: Connection, where: ColumnElement[bool]
                  ) -> tuple[float, float, int] | None:
    """Mean pain before and after sessions (started on the chosen days), and how many."""
    c = DAY_PAIRS.c
    row = conn.execute(select(func.sum(c.n), func.sum(c.before_total), func.sum(c.after_total))
                       .where(where)).first()
    if not row or not row[0]:
        return None
    n = int(row[0])
    return (round(int(row[1]) / n, 2), round(int(row[2]) / n, 2), n)


@dataclass(frozen=True)
class SessionLine:
    """A session as stored: exercise ids in order, (id, stop reason code) of its stops."""

    id: int
    started_at: datetime
    program_version: str
    exercises: tuple[str, ...]
    pain_before: int | None
    pain_after: int | None
    stops: tuple[tuple[str, str | None], ...]
    note: str | None = None


@dataclass(frozen=True)
class Marker:
    day: date
    kind: str  # acute | red-flag | check


def recent_sessions(database: Database, limit: int = 100) -> list[SessionLine]:
    """The latest sessions with their exercises, pain before → after and stops."""
    with database.read() as conn:
        sessions = conn.execute(
            select(SESSIONS.c.id, SESSIONS.c.started_at, SESSIONS.c.program_version,
                   SESSIONS.c.note)
            .order_by(SESSIONS.c.started_at.desc(), SESSIONS.c.id.desc()).limit(limit)).all()
        ids = [s.id for s in sessions]
        sets = conn.execute(
            select(SETS.c.session_id, SETS.c.exercise_id, SETS.c.outcome, SETS.c.stop_reason)
            .where(SETS.c.session_id.in_(ids), live(SETS))
            .order_by(SETS.c.ended_at, SETS.c.id)).all()
        scores = conn.execute(
            select(PAIN.c.session_id, PAIN.c.context, PAIN.c.score)
            .where(PAIN.c.session_id.in_(ids), PAIN.c.context.in_(("before", "after")),
                   live(PAIN))
            .order_by(PAIN.c.at, PAIN.c.id)).all()
    done: dict[int, list[str]] = {i: [] for i in ids}
    stops: dict[int, list[tuple[str, str | None]]] = {i: [] for i in ids}
    for session_id, exercise, outcome, reason in sets:
        done[session_id].append(exercise)
        if outcome == "stopped":
            stops[session_id].append((exercise, reason))
    pain = {(s, context): score for s, context, score in scores}
    return [SessionLine(s.id, s.started_at, s.program_version, tuple(done[s.id]),
                        pain.get((s.id, "before")), pain.get((s.id, "after")),
                        tuple(stops[s.id]), s.note) for s in sessions]


@dataclass(frozen=True)
class SessionEntry:
    """A set or a pain score of one session, void or not (the session detail lists both)."""

    kind: str  # set | pain
    id: int
    at: datetime
    exercise_id: str | None = None
    outcome: str | None = None
    reps: int | None = None
    seconds: int | None = None
    stop_reason: str | None = None
    symptom: str | None = None
    score: int | None = None
    context: str | None = None
    void_at: datetime | None = None


def session_entries(database: Database, session_id: int
                    ) -> tuple[str | None, list[SessionEntry]]:
    """The session's note and its sets and pain scores in time order, void ones included."""
    with database.read() as conn:
        note = conn.execute(select(SESSIONS.c.note).where(SESSIONS.c.id == session_id)).scalar()
        sets = conn.execute(
            select(SETS.c.id, SETS.c.ended_at, SETS.c.exercise_id, SETS.c.outcome, SETS.c.reps,
                   SETS.c.hold_seconds, SETS.c.stop_reason, SETS.c.symptom_response,
                   SETS.c.void_at).where(SETS.c.session_id == session_id)).all()
        scores = conn.execute(
            select(PAIN.c.id, PAIN.c.at, PAIN.c.score, PAIN.c.context, PAIN.c.void_at)
            .where(PAIN.c.session_id == session_id)).all()
    entries = [SessionEntry("set", r.id, r.ended_at, r.exercise_id, r.outcome, r.reps,
                            r.hold_seconds, r.stop_reason, r.symptom_response,
                            void_at=r.void_at) for r in sets]
    entries += [SessionEntry("pain", r.id, r.at, score=r.score, context=r.context,
                             void_at=r.void_at) for r in scores]
    order = {"before": 0, None: 1, "after": 2}  # at the same time: before, the set, after
    return note, sorted(entries, key=lambda e: (e.at, order.get(e.context, 1), e.id))


def timeline_markers(database: Database, today: date, days: int | None) -> list[Marker]:
    """Acute episodes (every day they cover) and red-flag checks in the range."""
    first = _first_day(days, today)
    since = datetime.combine(date.fromisoformat(first), time(0)).astimezone() if first else None
    markers: list[Marker] = []
    with database.read() as conn:
        episodes = select(ACUTE.c.started_at, ACUTE.c.ended_at)
        checks = select(FLAGS.c.at, FLAGS.c.positive)
        if since is not None:
            episodes = episodes.where(or_(ACUTE.c.ended_at >= since, ACUTE.c.ended_at.is_(None)))
            checks = checks.where(FLAGS.c.at >= since)
        for start, end in conn.execute(episodes).all():
            start_day = start.astimezone().date()
            last = end.astimezone().date() if end else today
            markers += [Marker(start_day + timedelta(days=k), "acute")
                        for k in range((last - start_day).days + 1)]
        for at, positive in conn.execute(checks).all():
            markers.append(Marker(at.astimezone().date(), "red-flag" if positive else "check"))
    return markers
