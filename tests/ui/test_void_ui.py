"""Issue 13, item 2 in the app: undo the session's last set (u), and mark an entry void
from the session detail (v); nothing is deleted, and keys at the wrong moment do nothing."""

from __future__ import annotations

from textual.widgets import DataTable

from backcoach.ui.screens.dialogs import ConfirmModal
from backcoach.ui.screens.runner import RunnerScreen
from backcoach.ui.screens.session_detail import SessionModal
from tests.ui.conftest import settle
from tests.ui.test_flows import answer_symptom, hold_set, in_session, rows


async def test_undo_the_last_set_keeps_it_marked_void(make_app, db_path, clock):
    app = make_app()
    async with in_session(app) as (pilot, runner):
        assert isinstance(runner, RunnerScreen)
        await pilot.press("u")  # nothing done yet: nothing to undo, nothing asked
        assert app.screen is runner and "No set of this session to undo" in str(
            runner.query_one("#status").render())
        await hold_set(pilot, clock, 120)
        await answer_symptom(pilot)
        assert runner.plan.entry("prone-lying").sets_today == 1
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal) and "Prone lying" in app.screen.question
        await pilot.press("escape")  # escape: no
        await settle(pilot)
        assert app.screen is runner and runner.plan.entry("prone-lying").sets_today == 1
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is runner
        assert runner.plan.entry("prone-lying").sets_today == 0
        assert runner.state.done == []
        assert "Undone" in str(runner.query_one("#status").render())
        await pilot.press("space")  # a set going: u does not undo anything
        await pilot.press("u")
        await settle(pilot)
        assert app.screen is runner and runner.set_going
    assert rows(db_path, "SELECT exercise_id, void_at IS NOT NULL, void_by LIKE '% via app' "
                         "FROM exercise_set") == [("prone-lying", 1, 1)]


async def test_void_a_pain_score_from_the_session_detail(make_app, db_path, clock):
    app = make_app()
    async with in_session(app) as (pilot, runner):
        await hold_set(pilot, clock, 120)
        await answer_symptom(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("7")  # pain after: meant 2
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")  # the after-session screen: back to Today
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert "Today: 4.0 → 7.0" in str(app.screen.query_one("#overview").render())
        table = app.screen.query_one("#sessions", DataTable)
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, SessionModal)
        text = modal.rows_text()
        assert "pain 4/10" in text and "pain 7/10" in text and "Prone lying" in text
        entries = modal.query_one("#entries", DataTable)
        entries.focus()
        entries.move_cursor(row=[i for i in range(entries.row_count)
                                 if "7/10" in str(entries.get_row_at(i))][0])
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is modal and "VOID" in modal.rows_text()
        await pilot.press("v")  # again: void already, nothing asked
        await settle(pilot)
        assert app.screen is modal and "void already" in str(modal.query_one("#said").render())
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, SessionModal)
        overview = str(app.screen.query_one("#overview").render())
        assert "Today: 4.0 → 7.0" not in overview  # recomputed without the void score
    assert rows(db_path, "SELECT score, void_at IS NOT NULL FROM pain_score ORDER BY id") == [
        (4, 0), (7, 1)]
    assert rows(db_path, "SELECT count(*) FROM day_pairs") == [(0,)]  # no longer a pair


async def test_session_detail_survives_every_key(make_app, db_path, clock):
    app = make_app()
    async with in_session(app) as (pilot, runner):
        await hold_set(pilot, clock, 120)
        await answer_symptom(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("escape", "enter")  # no pain score, no note
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        app.screen.query_one("#sessions", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionModal)
        for key in ("x", "a", "u", "s", "enter"):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, SessionModal)
    assert rows(db_path, "SELECT count(*) FROM exercise_set WHERE void_at IS NULL") == [(1,)]
