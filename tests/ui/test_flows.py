"""Whole flows through the app with Pilot, checked against the database."""

from __future__ import annotations

import sqlite3
from contextlib import asynccontextmanager

from textual.widgets import OptionList

from backcoach.domain.safety import DISCUSS, RED_FLAGS
from backcoach.ui.screens.checkin import CheckInScreen
from backcoach.ui.screens.dialogs import ChooseModal, ConfirmModal, StopModal, SymptomModal
from backcoach.ui.screens.runner import RunnerScreen
from backcoach.ui.screens.today import TodayScreen
from backcoach.ui.screens.welcome import ProgramScreen, RedFlagScreen, SeekCareScreen
from backcoach.ui.widgets.hold_timer import HoldTimer
from tests.ui.conftest import SIZE, settle


def rows(db_path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


async def check_in(pilot, pain: str = "4") -> None:
    await pilot.press("s")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CheckInScreen)
    await pilot.press(pain, "n", "y")
    await settle(pilot)


@asynccontextmanager
async def in_session(app):
    """The app, checked in (pain 4, not acute, can lie down), on the session runner."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await check_in(pilot)
        yield pilot, app.screen


async def hold_set(pilot, clock, seconds: int) -> None:
    """Start a hold, let `seconds` pass; if the dose is reached but may go on, end it (enter)."""
    await pilot.press("space")
    clock.advance(seconds=seconds + 6)
    await pilot.pause(0.35)
    await settle(pilot)
    runner = pilot.app.screen
    if isinstance(runner, RunnerScreen) and runner.set_going:
        await pilot.press("enter")
        await settle(pilot)


async def answer_symptom(pilot, key: str = "1") -> None:
    assert isinstance(pilot.app.screen, SymptomModal)
    await pilot.press(key)
    await settle(pilot)


async def test_first_run_with_red_flag_blocks_everything(make_app, db_path):
    app = make_app(welcomed=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, RedFlagScreen)
        await pilot.press("y", *["n"] * (len(RED_FLAGS) - 1))
        await settle(pilot)
        assert isinstance(app.screen, SeekCareScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProgramScreen)
        await pilot.press("enter")  # the highlight starts on the default program
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert app.coach.program.id == "mckenzie"
        plan = app.screen.plan
        assert plan.phase == "red-flag"
        assert not plan.available
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)  # no check-in: nothing can start
    assert rows(db_path, "SELECT positive FROM red_flag_check") == [(1,)]
    assert rows(db_path, "SELECT count(*) FROM exercise_set") == [(0,)]


async def test_full_session_ex1_ex2_ex3_ex5_ex3(make_app, db_path, clock):
    app = make_app()
    async with in_session(app) as (pilot, runner):
        assert isinstance(runner, RunnerScreen)
        assert runner.exercise.id == "prone-lying"
        await hold_set(pilot, clock, 120)
        await answer_symptom(pilot)
        await pilot.press("n")
        assert runner.exercise.id == "prone-on-elbows"
        await hold_set(pilot, clock, 120)
        await answer_symptom(pilot)
        await pilot.press("n")
        assert runner.exercise.id == "prone-press-up"
        await pilot.press(*["space"] * 10)
        await settle(pilot)
        await answer_symptom(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ChooseModal)
        options = app.screen.query_one(OptionList)
        options.highlighted = [o.id for o in options.options].index("lying-flexion")
        await pilot.press("enter")
        await settle(pilot)
        assert runner.exercise.id == "lying-flexion"
        await pilot.press(*["space"] * 5)  # 5–6 reps: the dose is reached at 5 …
        assert runner.set_going and "Reps: 5 of 5–6" in str(runner.meter.render())
        await pilot.press("enter")  # … and enter ends it as completed
        await settle(pilot)
        await answer_symptom(pilot)
        # follow-with: the runner goes straight to the press-up and offers nothing else
        assert runner.exercise.id == "prone-press-up"
        assert runner.follow_up
        assert [e.id for e in runner.plan.available] == ["prone-press-up"]
        await pilot.press(*["space"] * 10)
        await settle(pilot)
        await answer_symptom(pilot, "2")
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("2")
        await pilot.press("enter")
        await settle(pilot)
    sets = rows(db_path, "SELECT exercise_id, outcome, follow_up, symptom_response "
                         "FROM exercise_set ORDER BY id")
    assert [s[0] for s in sets] == ["prone-lying", "prone-on-elbows", "prone-press-up",
                                    "lying-flexion", "prone-press-up"]
    assert all(s[1] == "completed" for s in sets)
    assert [s[2] for s in sets] == [0, 0, 0, 0, 1]
    assert sets[-1][3] == "same"
    assert rows(db_path, "SELECT context, score FROM pain_score ORDER BY id") == [
        ("before", 4), ("after", 2)]
    assert rows(db_path, "SELECT count(*) FROM session WHERE ended_at IS NOT NULL") == [(1,)]


async def test_stop_for_spreading_pain_saves_and_blocks(make_app, db_path, clock):
    app = make_app()
    async with in_session(app) as (pilot, runner):
        await pilot.press("space")
        clock.advance(seconds=40)
        await pilot.pause(0.3)
        await pilot.press("x")
        assert isinstance(app.screen, StopModal)
        await pilot.press("2")
        await settle(pilot)
        entry = runner.plan.entry("prone-lying")
        assert entry.status == "blocked"
        assert "pain spread down the leg" in entry.reason
        status = str(runner.query_one("#status").render())
        assert "Stopped for today" in status
    assert rows(db_path, "SELECT exercise_id, outcome, stop_reason, hold_seconds "
                         "FROM exercise_set") == [("prone-lying", "stopped", "spreading", 35)]


async def test_acute_episode_nothing_can_start(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)  # nothing is recorded without a yes
        await pilot.press("y")
        await settle(pilot)
        today = app.screen
        assert today.plan.phase == "acute"
        assert "Rest" in str(today.query_one("#next").render())
        await pilot.press("s")
        await settle(pilot)
        assert app.screen is today
        await pilot.press("a", "y")  # end the episode
        await settle(pilot)
        assert today.plan.phase == "non-acute"
    assert rows(db_path, "SELECT count(*) FROM acute_episode WHERE ended_at IS NOT NULL") == \
        [(1,)]


async def test_acute_flare_at_check_in_starts_an_episode(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("9", "y")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert app.screen.plan.phase == "acute"
    assert rows(db_path, "SELECT count(*) FROM exercise_set") == [(0,)]


async def test_quitting_mid_hold_keeps_earlier_sets(make_app, db_path, clock):
    app = make_app()
    async with in_session(app) as (pilot, _):
        await hold_set(pilot, clock, 120)
        await answer_symptom(pilot)
        await pilot.press("n", "space")
        clock.advance(seconds=30)
        await pilot.pause(0.3)
        assert isinstance(app.screen.query_one(HoldTimer), HoldTimer)
        await pilot.press("ctrl+q")
    assert rows(db_path, "SELECT exercise_id, outcome FROM exercise_set") == [
        ("prone-lying", "completed")]


async def test_literal_text_from_program_files(make_app, db_path, tmp_path, clock):
    source = tmp_path / "brackets.toml"
    source.write_text('id = "brackets"\ntitle = "Press-ups [bold]x[/] [/ [0] [RED]"\n'
                      'version = "1"\n\n[[exercise]]\nid = "odd"\n'
                      'title = "Press-ups [bold]x[/] [/ [0] [RED]"\n'
                      'steps = ["[link=x]y[/link] \\\\[z]", "[/"]\n[exercise.dose]\nreps = 2\n')
    app = make_app(program=str(source))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from backcoach.ui.widgets.plan_view import PlanView
        from tests.ui.test_keys import text_of

        text = app.screen.query_one(PlanView).texts[0].plain
        assert "Press-ups [bold]x[/] [/ [0] [RED]" in text
        assert any("Press-ups [bold]x[/] [/ [0] [RED]" in line for line in text_of(app))
        await check_in(pilot)
        title = str(app.screen.query_one("#exercise-title").render())
        assert title == "Press-ups [bold]x[/] [/ [0] [RED]"
        body = str(app.screen.query_one("#exercise-text").render())
        assert "[link=x]y[/link] \\[z]" in body and "2. [/" in body


async def test_help_palette_and_start_disabled_until_data(make_app):
    from backcoach.ui.screens.dialogs import HelpModal

    assert TodayScreen().check_action("start", ()) is False  # no plan yet: start is disabled
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.check_action("start", ()) is True
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpModal)
        await pilot.press("escape")
        commands = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Start session", "History", "Programs", "Acute episode", "Safety check",
                      "Export"):
            assert title in commands


async def test_the_kept_plan_is_drawn_first_and_nothing_starts_before_the_database(
        make_app, db_path, clock):
    """Today's plan from the last run's read is on the first frame (the database is not
    open yet); s, a and k wait for the database, whose plan then replaces it."""
    from backcoach.coach import Coach
    from backcoach.coach.today_view import today_view
    from backcoach.ui.app import BackcoachApp
    from backcoach.ui.widgets.plan_view import PlanView

    make_app()
    coach = Coach.open(db_path, clock)
    kept = coach.today_plan()
    assert coach.program is not None
    shown = today_view(kept, coach.program, coach.theme())
    coach.close()
    app = BackcoachApp(db_path, clock)
    assert app.today.preview == shown
    app.open_coach = lambda: None  # type: ignore[method-assign]  # the database opens later
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        today = app.screen
        assert isinstance(today, TodayScreen) and today.previewed
        assert today.query_one(PlanView).texts[0].plain.startswith("1. Prone lying")
        for action in ("start", "acute", "pain"):
            assert today.check_action(action, ()) is False
        await pilot.press("s", "a", "k")
        assert app.screen is today and app.coach is None
        BackcoachApp.open_coach(app)  # now the database
        await settle(pilot)
        assert not today.previewed and today.plan == kept
        assert today.check_action("start", ()) is True


async def test_choosing_an_invalid_program_file_shows_check_messages(make_app, tmp_path):
    bad = tmp_path / "mine.toml"
    bad.write_text('id = "mine"\ntitle = "Mine [b]"\nversion = "1"\n\n[[exercise]]\n'
                   'id = "a"\ntitle = "A"\n[exercise.dose]\nreps = -2\n')
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ProgramScreen)
        field = app.screen.query_one("#path")
        field.value = str(bad)
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        errors = str(app.screen.query_one("#errors").render())
        assert f"{bad}:9: exercise[a].dose.reps: must be at least 1" in errors
        bad.write_text(bad.read_text().replace("reps = -2", "reps = 2"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert app.coach.program.title == "Mine [b]"
        assert "Mine [b]" in str(app.screen.query_one("#headline").render())


async def test_pain_spreading_after_a_set_goes_back_to_prone_lying(make_app, db_path, clock):
    app = make_app()
    async with in_session(app) as (pilot, runner):
        await hold_set(pilot, clock, 120)
        await answer_symptom(pilot, "1")
        await pilot.press("n")
        assert runner.exercise.id == "prone-on-elbows"
        await hold_set(pilot, clock, 120)
        await answer_symptom(pilot, "3")  # spread further down the leg
        await settle(pilot)
        assert runner.plan.entry("prone-on-elbows").status == "blocked"
        assert runner.exercise.id == "prone-lying" and runner.follow_up
        status = str(runner.query_one("#status").render())
        assert "Stopped for today: pain spread down the leg after Prone on elbows." in status
        assert "Go back to Prone lying" in status
    assert rows(db_path, "SELECT exercise_id, outcome, symptom_response FROM exercise_set "
                         "ORDER BY id") == [("prone-lying", "completed", "centralising"),
                                            ("prone-on-elbows", "completed", "peripheralising")]


async def test_weekly_safety_check_is_asked_at_check_in(make_app, db_path, clock):
    app = make_app()  # the last safety check is recorded now
    clock.advance(days=8)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.plan.red_flag_check_due
        assert "A safety check is due" in str(app.screen.query_one("#next").render())
        await check_in(pilot)
        assert isinstance(app.screen, RedFlagScreen)
        await pilot.press(*["n"] * len(RED_FLAGS))
        await settle(pilot)
        await pilot.press(*["n"] * len(DISCUSS))  # the features to discuss never block
        await settle(pilot)
        assert isinstance(app.screen, RunnerScreen)
    assert rows(db_path, "SELECT count(*), sum(positive) FROM red_flag_check") == [(2, 0)]


async def test_a_stopped_set_cannot_be_resumed_into_a_new_set(make_app, db_path, clock):
    app = make_app()
    async with in_session(app) as (pilot, runner):
        await pilot.press("space")
        clock.advance(seconds=30)
        await pilot.pause(0.3)
        await pilot.press("x", "3")
        await settle(pilot)
        await pilot.press("space")
        clock.advance(seconds=300)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert "No set is going" in str(runner.query_one("#status").render())
        assert not runner.query(HoldTimer)
    assert rows(db_path, "SELECT outcome, stop_reason FROM exercise_set") == [
        ("stopped", "other")]
