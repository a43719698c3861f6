"""Issue 13, item 3 in the app: the activity scale (PSFS) at first run and weekly from
Today; esc skips it until tomorrow; last time's activities come back; every key a patient
in pain might press (esc, x, a, ctrl+p, ctrl+q) leaves the log as it was."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from backcoach.domain.safety import DISCUSS, RED_FLAGS
from backcoach.ui.screens.psfs import PsfsScreen
from backcoach.ui.screens.today import TodayScreen
from backcoach.ui.screens.welcome import ProgramScreen
from tests.conftest import at
from tests.ui.conftest import SIZE, settle
from tests.ui.test_flows import rows


def ratings(db_path) -> list[tuple]:
    return rows(db_path, "SELECT activity, score FROM psfs_rating ORDER BY id")


def due_line_shown(app) -> bool:
    return bool(app.today.query_one("#psfs-due").display)


def record(db_path, clock, when: str, *pairs) -> None:
    from backcoach.clock import FixedClock
    from backcoach.coach import Coach

    coach = Coach.open(db_path, FixedClock(at(when)), "mckenzie")
    coach.record_psfs(list(pairs))
    coach.close()


async def open_scale(app, pilot) -> PsfsScreen:
    """From Today, w: the activity scale."""
    await settle(pilot)
    await pilot.press("w")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, PsfsScreen)
    return screen


async def test_first_run_asks_the_scale_after_the_program_and_saves_it(make_app, db_path):
    app = make_app(welcomed=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", *["n"] * (len(RED_FLAGS) + len(DISCUSS)))
        await settle(pilot)
        assert isinstance(app.screen, ProgramScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PsfsScreen)
        await pilot.press(*"walking 30 min", "enter", "4", "enter")
        await pilot.press(*"bending to dress", "enter", "6", "enter")
        await pilot.press("enter")  # enter on an empty name: save
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert not due_line_shown(app)
        assert any("mean 5.0/10" in n.message for n in app._notifications)
    assert ratings(db_path) == [("walking 30 min", 4), ("bending to dress", 6)]


async def test_weekly_due_line_esc_skips_until_tomorrow(make_app, db_path, clock):
    record(db_path, clock, "2026-02-20 09:00", ("walking", 3))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen) and due_line_shown(app)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, PsfsScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen) and not due_line_shown(app)
    assert ratings(db_path) == [("walking", 3)]
    again = make_app(welcomed=False)  # a later launch the same day: not asked again
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not due_line_shown(again)
    clock.advance(days=1)
    tomorrow = make_app(welcomed=False)
    async with tomorrow.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert due_line_shown(tomorrow)


async def test_last_times_activities_are_rated_again(make_app, db_path, clock):
    record(db_path, clock, "2026-02-20 09:00", ("walking 30 min", 3), ("lifting [b]x[/b]", 2))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_scale(app, pilot)
        assert screen.query_one("#name-1", Input).value == "lifting [b]x[/b]"
        assert screen.focused is screen.query_one("#score-0", Input)
        await pilot.press("6", "enter")
        assert screen.focused is screen.query_one("#score-1", Input)  # the next rating
        await pilot.press("5", "enter")
        assert screen.focused is screen.query_one("#name-2", Input)  # a new activity
        await pilot.press("enter")  # an empty name: save
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    assert ratings(db_path)[2:] == [("walking 30 min", 6), ("lifting [b]x[/b]", 5)]


async def test_an_incomplete_row_is_named_and_nothing_is_saved(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_scale(app, pilot)
        await pilot.press(*"walking", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PsfsScreen)
        assert "Rate activity 1 from 0 to 10" in str(app.screen.query_one("#psfs-status")
                                                       .render())
        await pilot.press("tab", *"12", "ctrl+s")  # the field takes two digits; 12 is refused
        await settle(pilot)
        assert isinstance(app.screen, PsfsScreen)
    assert ratings(db_path) == []


@pytest.mark.parametrize("step", ["name", "score", "incomplete"])
async def test_keys_a_patient_in_pain_presses_record_nothing(make_app, db_path, step):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_scale(app, pilot)
        if step != "name":
            await pilot.press(*"walking", "enter")
        if step == "incomplete":
            await pilot.press("ctrl+s")  # no rating yet: said so, nothing saved
            await settle(pilot)
            assert app.screen is screen
        await pilot.press("x", "a")  # typed into the field (digits only in a score)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.screen is not screen  # the command palette
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        typed = screen.query_one("#name-0", Input).value
        assert typed == ("xa" if step == "name" else "walking")  # kept through the palette
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, PsfsScreen)
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert ratings(db_path) == []
    assert app.return_code == 0


async def test_the_command_palette_offers_the_scale(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert "Activity scale" in names
        app.action_psfs()
        await settle(pilot)
        assert isinstance(app.screen, PsfsScreen)


async def test_history_shows_the_scale_with_names_as_written(make_app, db_path, clock):
    record(db_path, clock, "2026-02-16 09:00", ("walking 30 min", 3), ("lifting [b]x[/b]", 2))
    record(db_path, clock, "2026-02-23 09:00", ("walking 30 min", 6), ("lifting [b]x[/b]", 4))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        shown = str(app.screen.query_one("#psfs").render())
        assert "2026-02-23  ██████████··········   5.0" in shown
        assert "walking 30 min: 3 → 6" in shown and "lifting [b]x[/b]: 2 → 4" in shown
        assert "+2.5 since the first" in shown and "usually noticeable" in shown
