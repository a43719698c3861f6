"""Snapshots of the key screens (Textual pinned in pyproject; clock frozen; no blinking).

Update after an intended change with: pytest tests/ui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from textual.widgets import Input

from tests.ui.conftest import SIZE, settle


def test_welcome_screen(snap_compare, make_app):
    async def ready(pilot):
        await settle(pilot)

    assert snap_compare(make_app(welcomed=False), terminal_size=SIZE, run_before=ready)


def holding(clock):
    """Check in and hold the first set for 65 s (a run_before for snap_compare)."""
    async def mid_hold(pilot):
        await settle(pilot)
        await pilot.press("s", "4", "n", "y")
        await settle(pilot)
        await pilot.press("space")
        clock.advance(seconds=65)
        await pilot.pause(0.35)

    return mid_hold


def test_today_screen(snap_compare, make_app):
    async def ready(pilot):
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=ready)


def test_runner_mid_hold(snap_compare, make_app, clock):
    mid_hold = holding(clock)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=mid_hold)


def test_after_session_screen(snap_compare, make_app, clock):
    async def after(pilot):
        await settle(pilot)
        await pilot.press("s", "6", "n", "y")
        await settle(pilot)
        await pilot.press("space")
        clock.advance(seconds=126)
        await pilot.pause(0.35)
        await settle(pilot)
        await pilot.press("enter")  # the dose (2 min) is reached: end the set
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("3")
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.press(*"easier today")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=after)


# --- 80×24: the smallest terminal backcoach promises to fit ----------------------------------
SMALL = (80, 24)


def test_today_screen_80x24(snap_compare, make_app):
    async def ready(pilot):
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=ready)


def test_help_on_today_80x24(snap_compare, make_app):
    async def ready(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=ready)


def test_checkin_80x24(snap_compare, make_app):
    async def ready(pilot):
        await settle(pilot)
        await pilot.press("s", "4")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=ready)


def test_runner_80x24(snap_compare, make_app, clock):
    mid_hold = holding(clock)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=mid_hold)


def test_welcome_80x24(snap_compare, make_app):
    async def ready(pilot):
        await settle(pilot)

    assert snap_compare(make_app(welcomed=False), terminal_size=SMALL, run_before=ready)
