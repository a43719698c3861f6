"""The history screen on a fixed demo database: ranges, sessions, drill-down, export."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from backcoach.ui.screens.history import ExportModal, HistoryScreen
from backcoach.ui.screens.session_detail import SessionModal
from tests.conftest import at
from tests.ui.conftest import SIZE, settle


@pytest.fixture
def demo_app(make_app, db_path, mckenzie):
    from backcoach.coach.demo import write_demo
    from backcoach.storage.database import open_database
    from backcoach.storage.repository import Repository

    app = make_app()
    database = open_database(db_path)
    database.engine.dispose()
    with database.write() as conn:
        conn.exec_driver_sql("DELETE FROM red_flag_check")
        conn.exec_driver_sql("DELETE FROM setting")
    write_demo(Repository(database), mckenzie, 120, 11, at("2026-03-02 23:59"), None)
    database.close()
    return app


async def test_history_ranges_sessions_and_drill_down(demo_app, tmp_path):
    app = demo_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        chart = str(screen.query_one("#chart").render())
        assert "7-day mean" in chart and "•" in chart
        assert "30 days" in str(screen.query_one("#range").render())
        overview = str(screen.query_one("#overview").render())
        assert "Pain before → after sessions" in overview and "Adherence" in overview
        table = screen.query_one("#sessions", DataTable)
        assert table.row_count == 100  # the latest 100 sessions
        await pilot.press("4")
        await settle(pilot)
        assert "all" in str(screen.query_one("#range").render())
        assert "A" in str(screen.query_one("#chart").render())  # the acute episode is marked
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionModal)
        assert "Prone lying  120 s" in app.screen.rows_text()  # completed: the usual, unsaid
        await pilot.press("escape")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportModal)
        target = tmp_path / "out.csv"
        field = app.screen.query_one(Input)
        field.value = str(target)
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
    assert target.read_text().startswith("record,id,time")
    assert target.stat().st_mode & 0o777 == 0o600


def test_history_snapshot(snap_compare, demo_app):
    async def open_history(pilot):
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)

    assert snap_compare(demo_app, terminal_size=SIZE, run_before=open_history)


def test_history_snapshot_80x24(snap_compare, demo_app):
    async def open_history(pilot):
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=open_history)


async def test_stored_control_characters_never_reach_the_terminal(make_app, db_path):
    """A reason holding a terminal escape (from an old database) is shown escaped."""
    import sqlite3

    app = make_app()
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("INSERT INTO session (id, started_at, ended_at, program_id, "
                     "program_version, program_hash, source) VALUES (1, '2026-03-01 09:00:00."
                     "000000', NULL, 'mckenzie', '1.0\x1b]0;owned\x07', 'h', 'tui')")
        conn.execute("INSERT INTO exercise_set (session_id, exercise_id, program_id, "
                     "program_version, program_hash, started_at, ended_at, outcome, "
                     "stop_reason, follow_up) VALUES (1, 'prone-lying', 'mckenzie', '1.0', 'h', "
                     "'2026-03-01 09:00:00.000000', '2026-03-01 09:01:00.000000', 'stopped', "
                     "'pain\x1b[2J', 0)")
    conn.close()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        table = app.screen.query_one("#sessions", DataTable)
        assert "\x1b" not in str(table.get_row_at(0))
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionModal)
        assert "\x1b" not in app.screen.rows_text() and "\\x1b[2J" in app.screen.rows_text()


def a_session_with_words(db_path, clock) -> None:
    """A session: prone lying completed (pain moved further down the leg afterwards),
    prone on elbows stopped for spreading pain, and a note."""
    from backcoach.coach import Coach
    from backcoach.domain.history import PERIPHERALISING, STOP_SPREADING
    from backcoach.domain.status import Outcome

    coach = Coach.open(db_path, clock, "mckenzie")
    coach.record_safety({"fever_unwell": False})
    state, _ = coach.start_session(4, False, False)
    started = clock()
    clock.advance(seconds=130)
    done = coach.save_set(state, "prone-lying", started, seconds=130)
    coach.answer_symptom(state, done.set_id, PERIPHERALISING)
    coach.save_set(state, "prone-on-elbows", clock(), outcome=Outcome.STOPPED,
                   stop_reason=STOP_SPREADING)
    coach.finish_session(state, 5, "worse after the bus ride")
    coach.close()


async def test_history_shows_titles_the_note_and_the_patients_words(make_app, db_path, clock):
    app = make_app()
    a_session_with_words(db_path, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        table = app.screen.query_one("#sessions", DataTable)
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[2] == "Prone lying, Prone on elbows"
        assert row[4] == "Prone on elbows: pain spread down the leg"
        assert row[5] == "worse after the bus ride"
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionModal)
        text = f"{app.screen.query_one('#note').render()}\n{app.screen.rows_text()}"
        assert "Note: worse after the bus ride" in text
        assert "Prone lying  130 s, pain spread further down the leg" in text
        assert "Prone on elbows  stopped, pain spread down the leg" in text
        for jargon in ("peripheral", "centralis", "spreading", "prone-lying"):
            assert jargon not in text and jargon not in " ".join(row)


def test_the_report_uses_the_same_words(db_path, clock, tmp_path):
    from backcoach.coach import Coach
    from backcoach.report import sessions_table

    a_session_with_words(db_path, clock)
    coach = Coach.open(db_path, clock, "mckenzie")
    html = sessions_table(coach.recent_sessions(5))
    coach.close()
    assert "Prone on elbows: pain spread down the leg" in html
    assert "worse after the bus ride" in html and "spreading" not in html
