"""History aggregates and insights on hand-made histories with known answers."""

from __future__ import annotations

from datetime import date, timedelta, timezone

import pytest

from backcoach.coach.demo import write_demo
from backcoach.domain.history import STOP_SPREADING, STOPPED, SetRecord
from backcoach.domain.trends import (
    DayPain,
    DaySets,
    ExerciseEffect,
    daily_pattern,
    daily_targets,
    effect_insights,
    exercise_adherence,
    leg_symptoms,
    not_easing,
    rolling_mean,
    streaks,
)
from backcoach.storage.queries import history_summary, recent_sessions, timeline_markers
from tests.conftest import TZ, at

D0 = date(2026, 3, 1)


def day(n: int, mean: float, **kw) -> DayPain:
    return DayPain(D0 + timedelta(days=n), mean, int(mean), int(mean) + 1, 1, **kw)


def test_rolling_mean_skips_empty_days():
    days = [day(0, 2), day(1, 4), day(5, 6), day(9, 8)]
    assert rolling_mean(days) == ((days[0].day, 2.0), (days[1].day, 3.0), (days[2].day, 4.0),
                                  (days[3].day, 7.0))


def test_rolling_mean_single_point():
    assert rolling_mean([day(0, 5)]) == ((D0, 5.0),)


def test_streaks():
    active = {D0 + timedelta(days=n) for n in (0, 1, 2, 5, 6, 7, 8, 10, 11)}
    assert streaks(active, D0 + timedelta(days=11)) == (2, 4)
    assert streaks(active, D0 + timedelta(days=12)) == (2, 4)  # today not done yet
    assert streaks(active, D0 + timedelta(days=13)) == (0, 4)
    assert streaks(set(), D0) == (0, 0)


def test_not_easing_after_four_weeks():
    flat = tuple(day(n, 5.0) for n in range(28))
    insight = not_easing(flat, D0 + timedelta(days=27))
    assert insight is not None and insight.see_clinician
    assert "has not eased over the last 4 weeks" in insight.text
    better = tuple(day(n, 6 - n * 0.15) for n in range(28))
    assert not_easing(better, D0 + timedelta(days=27)) is None
    too_little = flat[:10]
    assert not_easing(too_little, D0 + timedelta(days=27)) is None


def test_leg_symptoms_suggest_a_clinician():
    sets = (DaySets(D0, 5, 1, spreading=1), DaySets(D0 + timedelta(days=1), 5, 0))
    insight = leg_symptoms(sets, D0 + timedelta(days=3))
    assert insight.see_clinician and "on 1 day in" in insight.text
    assert leg_symptoms(sets, D0 + timedelta(days=40)) is None


def test_daily_pattern_needs_enough_data_and_shows_numbers():
    morning = tuple(day(n, 4, morning_mean=6.0, later_mean=3.0) for n in range(14))
    insight = daily_pattern(morning)
    assert "worse in the morning and eases later" in insight.text
    assert "6.0 before 10:00 vs 3.0 from 14:00, over 14 days" in insight.text
    assert "diagnos" not in insight.text.lower()
    activity = tuple(day(n, 4, morning_mean=2.0, later_mean=4.5) for n in range(14))
    assert "rises as the day goes on" in daily_pattern(activity).text
    assert daily_pattern(morning[:13]) is None
    even = tuple(day(n, 4, morning_mean=4.0, later_mean=4.2) for n in range(20))
    assert daily_pattern(even) is None


def test_effect_insights_have_counts():
    effects = (ExerciseEffect("prone-lying", 12, -1.5), ExerciseEffect("lying-flexion", 3, -2.0),
               ExerciseEffect("prone-press-up", 9, 0.4))
    texts = [i.text for i in effect_insights(effects)]
    assert texts == ["Sessions with prone-lying were followed by pain 1.5 points lower on "
                     "average (12 sessions)."]


# --- the SQL aggregates on a real database ---------------------------------------------

def test_daily_aggregates_known_answers_with_dst_and_gaps(repo, mckenzie):
    # 29 March 2026: Berlin moves to summer time; the local day has 23 hours
    for when, score in (("2026-03-29 00:30", 2), ("2026-03-29 23:30", 6),
                        ("2026-03-30 00:10", 9), ("2026-04-02 12:00", 4)):
        repo.record_pain(score, at(when))
    summary = history_summary(repo.db, date(2026, 4, 2), 30, {"prone-lying": 10})
    assert [(d.day.isoformat(), d.mean, d.low, d.high, d.count) for d in summary.pain] == [
        ("2026-03-29", 4.0, 2, 6, 2), ("2026-03-30", 9.0, 9, 9, 1), ("2026-04-02", 4.0, 4, 4, 1)]
    assert [v for _, v in summary.rolling] == [4.0, 6.5, 5.67]


def test_before_after_and_effects(repo, mckenzie):
    for n, (before, after) in enumerate(((6, 4), (5, 5), (7, 4))):
        start = at("2026-03-02 08:00") + timedelta(hours=3 * n)
        session = repo.start_session(mckenzie, start)
        repo.record_pain(before, start, "before", session)
        repo.record_set(mckenzie, session, SetRecord("prone-lying", start + timedelta(minutes=3)))
        if n == 1:
            repo.record_set(mckenzie, session, SetRecord(
                "prone-on-elbows", start + timedelta(minutes=6), STOPPED,
                stop_reason=STOP_SPREADING))
        repo.record_pain(after, start + timedelta(minutes=10), "after", session)
    summary = history_summary(repo.db, date(2026, 3, 2), 7, {"prone-lying": 6})
    assert summary.before_after == (6.0, 4.33, 3)
    assert summary.before_after_today == (6.0, 4.33, 3)
    assert history_summary(repo.db, date(2026, 3, 3), 7, {}).before_after_today is None
    effects = {e.exercise_id: e for e in summary.effects}
    assert effects["prone-lying"].sessions == 3 and effects["prone-lying"].mean_change == -1.67
    assert "prone-on-elbows" not in effects  # stopped sets do not count
    assert summary.sets[0].completed == 3 and summary.sets[0].stopped == 1
    lying = summary.per_exercise[0]
    assert (lying.exercise_id, lying.done, lying.prescribed) == ("prone-lying", 3, 6)
    assert lying.percent == 50.0
    assert any(i.kind == "leg-symptoms" for i in summary.insights)
    lines = recent_sessions(repo.db)
    assert lines[1].stops == (("prone-on-elbows", "spreading"),)
    assert (lines[0].pain_before, lines[0].pain_after) == (7, 4)


def test_empty_database_summary(repo, mckenzie):
    summary = history_summary(repo.db, date(2026, 3, 2), 30, daily_targets(mckenzie))
    assert summary.pain == () and summary.sets == ()
    assert summary.before_after is None and summary.insights == ()
    assert summary.current_streak == 0


def test_single_data_point(repo, mckenzie):
    repo.record_pain(3, at("2026-03-02 08:00"))
    summary = history_summary(repo.db, date(2026, 3, 2), None, daily_targets(mckenzie))
    assert len(summary.pain) == 1 and summary.rolling == ((date(2026, 3, 2), 3.0),)
    assert summary.first_day == date(2026, 3, 2)


def test_markers_for_acute_and_red_flags(repo):
    repo.start_acute(at("2026-03-01 08:00"))
    repo.end_acute(at("2026-03-03 08:00"))
    repo.record_red_flags(at("2026-03-04 08:00"), {"trauma": True})
    kinds = [(m.day.day, m.kind) for m in timeline_markers(repo.db, date(2026, 3, 5), 30)]
    assert kinds == [(1, "acute"), (2, "acute"), (3, "acute"), (4, "red-flag")]


@pytest.mark.parametrize("days", [1, pytest.param(3650, marks=pytest.mark.slow)])
def test_ten_years_of_demo_data_add_up(repo, mckenzie, days):
    counts = write_demo(repo.repo, mckenzie, days, 5, at("2026-03-02 23:59"), TZ)
    summary = history_summary(repo.db, date(2026, 3, 2), None, daily_targets(mckenzie))
    with repo.db.read() as conn:
        completed = conn.exec_driver_sql(
            "SELECT count(*) FROM exercise_set WHERE outcome='completed'").scalar()
        episodes = conn.exec_driver_sql("SELECT count(*) FROM acute_episode").scalar()
    assert sum(d.completed for d in summary.sets) == completed
    assert sum(d.count for d in summary.pain) == counts["pain_score"]
    if days == 3650:
        assert len(summary.pain) == 3650
        assert summary.pain[0].mean > summary.pain[-1].mean  # pain mostly improves
        assert episodes == 1
        assert 0 < summary.adherence_percent <= 100


def test_daily_targets_and_exercise_adherence(mckenzie):
    targets = daily_targets(mckenzie)
    assert targets == {"prone-lying": 6, "prone-on-elbows": 6, "prone-press-up": 6,
                       "lying-flexion": 3}  # locked progressions and "anytime" left out
    result = {a.exercise_id: a for a in exercise_adherence({"prone-lying": 84, "lying-flexion": 9},
                                                           targets, 14)}
    assert result["prone-lying"].percent == 100.0 and result["prone-lying"].prescribed == 84
    assert result["lying-flexion"].percent == round(100 * 9 / 42, 1)
    assert result["prone-press-up"].done == 0 and result["prone-press-up"].percent == 0.0


def test_demo_writes_nothing_after_now(repo, mckenzie):
    until = at("2026-03-02 12:30")
    write_demo(repo.repo, mckenzie, 40, 3, until, TZ)
    from sqlalchemy import text

    limit = until.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    with repo.db.read() as conn:
        for table, column in (("session", "ended_at"), ("exercise_set", "ended_at"),
                              ("pain_score", "at"), ("red_flag_check", "at")):
            latest = conn.execute(text(f"SELECT max({column}) FROM {table}")).scalar()
            assert latest <= limit, table
        orphans = conn.execute(text("SELECT count(*) FROM exercise_set WHERE session_id NOT IN "
                                    "(SELECT id FROM session)")).scalar()
        today = conn.execute(text("SELECT count(*) FROM session WHERE started_at >= :t"),
                             {"t": "2026-03-01 23:00:00.000000"}).scalar()
    assert orphans == 0
    assert 0 < today < 8  # the morning's sessions, not the evening's


@pytest.mark.parametrize("program_id", ["posture-neck", "disc-basics", "core-basics"])
def test_demo_follows_the_chosen_program_and_its_rules(repo, catalog, program_id):
    """Made-up history uses the program's own exercises, tagged with it, and obeys its caps."""
    program = catalog.load(program_id)
    write_demo(repo.repo, program, 30, 2, at("2026-03-02 23:59"), TZ)
    from sqlalchemy import func, select

    from backcoach.storage.schema import SETS

    with repo.db.read() as conn:
        found = conn.execute(select(SETS.c.exercise_id, SETS.c.program_id).distinct()).all()
        per_day = conn.execute(
            select(SETS.c.exercise_id, func.count().label("n"))
            .where(SETS.c.outcome == "completed", SETS.c.follow_up.is_(False))
            .group_by(SETS.c.exercise_id, SETS.c.local_day)).all()
    assert found and {p for _, p in found} == {program_id}
    assert {e for e, _ in found} <= {e.id for e in program.exercises}
    for exercise in program.exercises:
        cap = exercise.dose.sets_per_day_max
        if cap:
            most = max((n for e, n in per_day if e == exercise.id), default=None)
            assert most is None or most <= cap, exercise.id
