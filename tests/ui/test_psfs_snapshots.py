"""Snapshots at 80×24 of the activity scale and Today's line when it is due (clock frozen,
no blinking). Update after an intended change with:
pytest tests/ui/test_psfs_snapshots.py --snapshot-update, then look at the SVGs."""

from __future__ import annotations

from textual.widgets import Input

from tests.ui.conftest import settle
from tests.ui.test_psfs import record

SMALL = (80, 24)


def test_psfs_screen_rating_last_times_activities(snap_compare, make_app, db_path, clock):
    record(db_path, clock, "2026-02-20 09:00", ("walking 30 min", 3),
           ("bending to put on socks [b]and shoes[/b]", 2), ("sitting in the car > 1 h", 5))

    async def rating(pilot):
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.press("6", "enter")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=rating)


def test_today_with_the_weekly_scale_due(snap_compare, make_app, db_path, clock):
    record(db_path, clock, "2026-02-20 09:00", ("walking 30 min", 3))

    async def ready(pilot):
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=ready)


def test_history_scrolled_to_the_scale(snap_compare, make_app, db_path, clock):
    record(db_path, clock, "2026-02-16 09:00", ("walking 30 min", 3), ("bending", 2))
    record(db_path, clock, "2026-02-23 09:00", ("walking 30 min", 6), ("bending", 4),
           ("lifting a child", 5))

    async def history(pilot):
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        pilot.app.screen.query_one("#psfs").scroll_visible(animate=False)
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=history)
