"""Adherence: the headline is derived from the per-exercise figures, which include every
unlocked exercise (never done: 0) and no locked one."""

from __future__ import annotations

from datetime import date, timedelta

from backcoach.domain.engine import locked_exercises
from backcoach.domain.history import History
from backcoach.domain.trends import (
    DaySets,
    daily_targets,
    overall_adherence,
    overview_lines,
    summarise,
)
from tests.conftest import at

TODAY = date(2026, 3, 10)


def test_locked_exercises_follow_the_unlock_rules(mckenzie):
    now = at("2026-03-10 09:00")
    assert locked_exercises(mckenzie, History(), now) == {"sitting-flexion", "standing-flexion"}
    practised = tuple(TODAY - timedelta(days=n) for n in range(1, 40))
    unlocked = History(practice_days={"lying-flexion": practised})
    assert locked_exercises(mckenzie, unlocked, now) == {"standing-flexion"}


def test_unlocked_exercises_count_and_locked_ones_do_not(mckenzie):
    targets = daily_targets(mckenzie, {"standing-flexion"})
    assert "sitting-flexion" in targets and "standing-flexion" not in targets
    assert "standing-extension" not in targets  # "anytime": no daily minimum


def test_headline_agrees_with_the_per_exercise_figures(mckenzie):
    targets = daily_targets(mckenzie, {"standing-flexion"})
    done = {"prone-lying": 80, "prone-on-elbows": 30, "lying-flexion": 50}  # more than 3×10
    sets = tuple(DaySets(TODAY - timedelta(days=n), 16, 0) for n in range(10))
    summary = summarise((), sets, TODAY, targets, None, first_day=TODAY - timedelta(days=9),
                        done_per_exercise=done,
                        titles={e.id: e.title for e in mckenzie.exercises})
    figures = {a.exercise_id: a for a in summary.per_exercise}
    assert set(figures) == set(targets)  # every unlocked exercise, done or not
    assert figures["prone-press-up"].done == 0 and figures["prone-press-up"].percent == 0
    assert figures["sitting-flexion"].prescribed == 30 and figures["sitting-flexion"].done == 0
    counted = sum(min(a.done, a.prescribed) for a in summary.per_exercise)
    prescribed = sum(a.prescribed for a in summary.per_exercise)
    assert summary.adherence_percent == round(100 * counted / prescribed, 1)
    assert summary.adherence_percent == overall_adherence(summary.per_exercise)
    assert counted == 60 + 30 + 30  # a surplus of one exercise never covers another
    text = "\n".join(overview_lines(summary))
    assert "Sitting flexion 0% (0/30)" in text and "Prone lying 100% (80/60)" in text


def test_no_prescription_no_headline():
    assert overall_adherence(()) is None


def test_coach_history_counts_the_unlocked_exercises(db_path):
    from backcoach.clock import FixedClock
    from backcoach.coach import Coach

    coach = Coach.open(db_path, FixedClock(at("2026-03-10 09:00")), "mckenzie")
    summary = coach.history(30)
    coach.close()
    ids = [a.exercise_id for a in summary.per_exercise]
    assert ids == ["prone-lying", "prone-on-elbows", "prone-press-up", "lying-flexion"]
    assert summary.per_exercise[0].title == "Prone lying"
