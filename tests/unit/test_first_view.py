"""The first frame's plan as text (coach/first_view.py): worked out in a forked child, it
is the text the database's plan gives; a slow, failed or missing child means no preview,
never a wait beyond WAIT or a process left behind."""

from __future__ import annotations

import os
import time

import pytest

from backcoach.coach import first_view
from backcoach.coach.today_view import TodayView, today_view
from tests.helpers.preview import local


def test_the_forked_view_is_the_text_of_the_databases_plan(opened):
    db, clock, coach = opened
    coach.today_plan()  # kept for the next start
    clock.current = local("2026-03-08 14:30")
    view = first_view.start(db, "mckenzie", None, clock)()
    assert view is not None and view.rows[0][1].startswith("1. Prone lying")
    assert coach.program is not None
    assert view == today_view(coach.today_plan(), coach.program)
    assert view == first_view.view_here(db, "mckenzie", None, clock)


def test_no_child_without_a_kept_plan_or_for_a_server(tmp_path, monkeypatch):
    def no_fork() -> int:
        raise AssertionError("forked for nothing")

    monkeypatch.setattr(os, "fork", no_fork)
    clock = lambda: local("2026-03-08 14:30")  # noqa: E731
    assert first_view.start(tmp_path / "new.sqlite3", None, None, clock)() is None
    assert first_view.start("postgresql+psycopg://u@h/db", None, None, clock)() is None


@pytest.mark.parametrize("child", ["slow", "failing"])
def test_a_slow_or_failing_child_gives_no_preview_and_is_reaped(opened, monkeypatch,
                                                                child):
    db, clock, coach = opened
    coach.today_plan()

    def slow(*args):
        time.sleep(30)

    def failing(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(first_view, "view_here", slow if child == "slow" else failing)
    monkeypatch.setattr(first_view, "WAIT", 0.3)
    forked = []
    real_fork = os.fork

    def fork() -> int:
        forked.append(pid := real_fork())
        return pid

    monkeypatch.setattr(os, "fork", fork)
    started = time.monotonic()
    assert first_view.start(db, "mckenzie", None, clock)() is None
    assert time.monotonic() - started < 5
    assert forked and forked[0] > 0
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)  # already reaped


@pytest.mark.parametrize("data", [None, 3, (), ("h", "n"), ("h", "n", [("a",)], None),
                                  ("h", 2, (), None), ("h", "n", (), 5)])
def test_anything_but_a_view_reads_as_none(data):
    assert TodayView.from_data(data) is None


def test_a_view_survives_its_plain_form():
    view = TodayView("head", "next", (("available", "1. A\nwhy"),), "nord")
    assert TodayView.from_data(view.as_data()) == view
