"""An app on a temporary database with a clock that moves only when the test says so."""

from __future__ import annotations

import pytest

from backcoach.clock import FixedClock
from tests.conftest import at

SIZE = (100, 32)


@pytest.fixture
def clock():
    return FixedClock(at("2026-03-02 09:00"))


@pytest.fixture
def make_app(db_path, clock):
    from backcoach.ui.app import BackcoachApp

    def build(program: str | None = None, welcomed: bool = True):
        if welcomed:
            from backcoach.coach import Coach

            coach = Coach.open(db_path, clock, program or "mckenzie")
            coach.finish_welcome()
            coach.choose_program(program or "mckenzie")
            coach.record_safety({"fever_unwell": False})
            coach.close()
        return BackcoachApp(db_path, clock)

    return build


async def settle(pilot, times: int = 3) -> None:
    """Let workers finish and messages land."""
    for _ in range(times):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
