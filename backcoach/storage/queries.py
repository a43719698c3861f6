"""Aggregates for the history view, computed in SQL (one row per day, not per record)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from backcoach.domain.trends import DayPain, DaySets, ExerciseEffect, Summary, summarise
from backcoach.storage.database import Database
from backcoach.storage.types import from_db, to_db

LOCAL_DAY = "date({col}, 'localtime')"
LOCAL_HOUR = "CAST(strftime('%H', {col}, 'localtime') AS INTEGER)"


def _since(days: int | None, today: date) -> str:
    if days is None:
        return "0000"
    start = datetime.combine(today - timedelta(days=days - 1), time(0)).astimezone()
    return to_db(start)


def history_summary(database: Database, today: date, days: int | None,
                    targets: dict[str, int]) -> Summary:
    """The whole history view for the last `days` days (None: all).

    `targets`: prescribed minimum sets a day per exercise (see trends.daily_targets).
    """
    since = _since(days, today)
    day = LOCAL_DAY.format(col="at")
    hour = LOCAL_HOUR.format(col="at")
    with database.read() as conn:
        pain_rows = conn.exec_driver_sql(
            f"SELECT {day} AS d, avg(score), min(score), max(score), count(*), "
            f"avg(CASE WHEN {hour} < 10 THEN score END), "
            f"avg(CASE WHEN {hour} >= 14 THEN score END) "
            "FROM pain_score WHERE at >= ? GROUP BY d ORDER BY d", (since,)).all()
        set_day = LOCAL_DAY.format(col="ended_at")
        set_rows = conn.exec_driver_sql(
            f"SELECT {set_day} AS d, sum(outcome = 'completed'), sum(outcome = 'stopped'), "
            "sum(stop_reason = 'spreading' OR symptom_response = 'peripheralising') "
            "FROM exercise_set WHERE ended_at >= ? GROUP BY d ORDER BY d", (since,)).all()
        before_after = _before_after(conn, since)
        before_after_today = _before_after(conn, _since(1, today))
        effect_rows = conn.exec_driver_sql(
            "SELECT e.exercise_id, count(*), avg(a.score - b.score) FROM "
            "(SELECT DISTINCT session_id, exercise_id FROM exercise_set "
            " WHERE ended_at >= ? AND outcome = 'completed') e "
            "JOIN pain_score b ON b.session_id = e.session_id AND b.context = 'before' "
            "JOIN pain_score a ON a.session_id = e.session_id AND a.context = 'after' "
            "GROUP BY e.exercise_id", (since,)).all()
        per_exercise: dict[str, int] = dict(conn.exec_driver_sql(
            "SELECT exercise_id, count(*) FROM exercise_set WHERE ended_at >= ? AND "
            "outcome = 'completed' AND follow_up = 0 GROUP BY exercise_id", (since,)).all())
        first = conn.exec_driver_sql(
            f"SELECT min(d) FROM (SELECT min({day}) AS d FROM pain_score WHERE at >= ? "
            f"UNION ALL SELECT min({set_day}) FROM exercise_set WHERE ended_at >= ?)",
            (since, since)).scalar()
    pain = tuple(DayPain(date.fromisoformat(r[0]), round(r[1], 2), r[2], r[3], r[4],
                         None if r[5] is None else round(r[5], 2),
                         None if r[6] is None else round(r[6], 2)) for r in pain_rows)
    sets = tuple(DaySets(date.fromisoformat(r[0]), r[1] or 0, r[2] or 0, r[3] or 0)
                 for r in set_rows)
    effects = tuple(ExerciseEffect(r[0], r[1], round(r[2], 2)) for r in effect_rows)
    summary = summarise(pain, sets, today, targets, before_after, effects,
                        date.fromisoformat(first) if first else None, per_exercise)
    return replace(summary, before_after_today=before_after_today)


def _before_after(conn, since: str) -> tuple[float, float, int] | None:
    """Mean pain before and after sessions started since `since`, and how many."""
    row = conn.exec_driver_sql(
        "SELECT avg(b.score), avg(a.score), count(*) FROM session s "
        "JOIN pain_score b ON b.session_id = s.id AND b.context = 'before' "
        "JOIN pain_score a ON a.session_id = s.id AND a.context = 'after' "
        "WHERE s.started_at >= ?", (since,)).first()
    if not row or not row[2]:
        return None
    return (round(row[0], 2), round(row[1], 2), row[2])


@dataclass(frozen=True)
class SessionLine:
    id: int
    started_at: datetime
    program_version: str
    exercises: str
    pain_before: int | None
    pain_after: int | None
    stops: str


@dataclass(frozen=True)
class Marker:
    day: date
    kind: str  # acute | red-flag | check


def recent_sessions(database: Database, limit: int = 100) -> list[SessionLine]:
    """The latest sessions with their exercises, pain before → after and stops."""
    with database.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT s.id, s.started_at, s.program_version, "
            " (SELECT group_concat(exercise_id, ', ') FROM exercise_set WHERE session_id = s.id),"
            " (SELECT score FROM pain_score WHERE session_id = s.id AND context = 'before'),"
            " (SELECT score FROM pain_score WHERE session_id = s.id AND context = 'after'),"
            " (SELECT group_concat(exercise_id || ': ' || coalesce(stop_reason, '?'), ', ') "
            "  FROM exercise_set WHERE session_id = s.id AND outcome = 'stopped') "
            "FROM session s ORDER BY s.started_at DESC, s.id DESC LIMIT ?", (limit,)).all()
    return [SessionLine(r[0], from_db(r[1]), r[2], r[3] or "", r[4], r[5], r[6] or "")
            for r in rows]


def session_sets(database: Database, session_id: int) -> list[tuple]:
    """(ended_at, exercise, outcome, reps, seconds, stop reason, symptom) of one session."""
    with database.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT ended_at, exercise_id, outcome, reps, hold_seconds, stop_reason, "
            "symptom_response FROM exercise_set WHERE session_id = ? ORDER BY ended_at",
            (session_id,)).all()
    return [(from_db(r[0]),) + tuple(r[1:]) for r in rows]


def timeline_markers(database: Database, today: date, days: int | None) -> list[Marker]:
    """Acute episodes (every day they cover) and red-flag checks in the range."""
    since = _since(days, today)
    markers: list[Marker] = []
    with database.read() as conn:
        for start, end in conn.exec_driver_sql(
                "SELECT started_at, ended_at FROM acute_episode "
                "WHERE ended_at IS NULL OR ended_at >= ?", (since,)).all():
            first = from_db(start).astimezone().date()
            last = from_db(end).astimezone().date() if end else today
            span = (last - first).days
            markers += [Marker(first + timedelta(days=k), "acute") for k in range(span + 1)]
        for at, positive in conn.exec_driver_sql(
                "SELECT at, positive FROM red_flag_check WHERE at >= ?", (since,)).all():
            markers.append(Marker(from_db(at).astimezone().date(),
                                  "red-flag" if positive else "check"))
    return markers
