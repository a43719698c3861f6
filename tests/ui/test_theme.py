"""The colour theme chosen in the command palette is remembered across runs (privately,
in the app's own database, through the coach)."""

from __future__ import annotations

from backcoach.clock import FixedClock
from tests.conftest import at
from tests.ui.conftest import SIZE, settle


async def test_the_chosen_theme_is_there_next_run(make_app, db_path):
    from backcoach.coach import Coach

    app = make_app()
    default = app.theme
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == default
        app.theme = "nord"  # what the palette's "Change theme" does
        await settle(pilot)
    coach = Coach.open(db_path, FixedClock(at("2026-03-02 09:00")))
    assert coach.theme() == "nord"
    coach.close()

    again = make_app(welcomed=False)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


async def test_an_unknown_stored_theme_is_ignored(make_app, db_path):
    from backcoach.coach import Coach

    app = make_app()
    default = app.theme
    coach = Coach.open(db_path, FixedClock(at("2026-03-02 09:00")))
    coach.remember_theme("no-such-theme")
    coach.close()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == default
