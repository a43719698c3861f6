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
            from backcoach.storage.database import open_database
            from backcoach.storage.repository import Repository

            database = open_database(db_path)
            repo = Repository(database)
            repo.set_setting("welcome_done", "1")
            repo.set_setting("program", program or "mckenzie")
            repo.record_red_flags(clock(), {"fever_unwell": False})
            database.close()
        return BackcoachApp(db_path, clock)

    return build


async def settle(pilot, times: int = 3) -> None:
    """Let workers finish and messages land."""
    for _ in range(times):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
