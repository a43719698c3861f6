"""The history screen on a fixed demo database: ranges, sessions, drill-down, export."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from backcoach.ui.screens.history import ExportModal, HistoryScreen, TextModal
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
        assert isinstance(app.screen, TextModal)
        assert "completed" in app.screen.text and "Session #" in app.screen.text
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
