"""The physiotherapist's dashboard (`backcoach clinic`) on a throwaway clinic: who needs a
call sorts first, `enter` shows one patient's history and nobody else's, `r` writes their
report, every step survives Esc, x, a, ctrl+p and ctrl+q, and a database that cannot be
used is one line, never a traceback. Snapshots at 80×24 (fixed ids, clock and title)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Static

from backcoach.cli import main
from backcoach.clock import FixedClock
from tests.conftest import PROGRAMS, at
from tests.ui.conftest import settle

NOW = at("2026-03-02 09:00")
SMALL = (80, 24)


def cli(url: str, *argv: str) -> None:
    """A command run by the patient, connected as their own role."""
    assert main(["--db", url, *argv]) == 0, argv


def when(days: int, hour: int = 9) -> str:
    return (NOW - timedelta(days=days)).replace(hour=hour).strftime("%Y-%m-%d %H:%M")


def fill(url: str, pain: tuple[int, ...], flag: str | None = None) -> None:
    """A small made-up history: one session a day, its pain score and a set."""
    cli(url, "safety", "--no", "--at", when(len(pain) + 1))
    for day, score in zip(range(len(pain), 0, -1), pain, strict=True):
        cli(url, "pain", str(score), "--at", when(day, 8))
        cli(url, "log", "prone-lying", "--seconds", "150", "--at", when(day))
    if flag:
        cli(url, "safety", "--yes", flag, "--at", when(0, 8))


def assign(clinic, patient_id: str) -> None:
    from backcoach.coach.practice import Practice

    practice = Practice.open(clinic.url, FixedClock(NOW))
    try:
        practice.assign(patient_id, PROGRAMS / "mckenzie.toml")
    finally:
        practice.close()


@pytest.fixture
def patients(clinic, capsys) -> dict[str, str]:
    """Three patients: Ann (getting better), Bob (a positive safety check this morning),
    Cy (no program yet); their ids by first name."""
    ann, ann_url = clinic.add_patient("ann", "Ann Example")
    bob, bob_url = clinic.add_patient("bob", "Bob [bold]Example[/]")
    cy, _ = clinic.add_patient("cy", "Cy Example")
    for patient in (ann, bob):
        assign(clinic, patient)
    fill(ann_url, (6, 6, 5, 4, 3, 3, 2, 2, 2))
    fill(bob_url, (5, 5), flag="fever_unwell")
    capsys.readouterr()
    return {"ann": ann, "bob": bob, "cy": cy}


def dashboard(clinic, tmp_path, target: str | None = None):
    from backcoach.ui.clinic.app import DashboardApp

    return DashboardApp(target or clinic.url, FixedClock(NOW), folder=tmp_path)


def order(app) -> list[str]:
    table = app.dashboard.query_one(DataTable)
    return [str(table.coordinate_to_cell_key((row, 0)).row_key.value)
            for row in range(table.row_count)]


def row_text(app, patient_id: str) -> str:
    table = app.dashboard.query_one(DataTable)
    return " | ".join(cell.plain for cell in table.get_row(patient_id))


def screen_text(app) -> str:
    return "\n".join("".join(seg.text for seg in strip)
                     for strip in app.screen._compositor.render_strips())


async def loaded(pilot) -> None:
    await settle(pilot, 5)
    assert pilot.app.dashboard.done


async def test_urgent_first_then_who_needs_a_call(clinic, patients, tmp_path):
    app = dashboard(clinic, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        assert order(app) == [patients["bob"], patients["cy"], patients["ann"]]
        bob = row_text(app, patients["bob"])
        assert "positive safety check 02 Mar: call now" in bob
        assert "[bold]" in bob  # a name is data, never markup
        assert "no program assigned yet" in row_text(app, patients["cy"])
        ann = row_text(app, patients["ann"])
        assert "yesterday" in ann and "McKenzie" in ann and "4.1→2.7" in ann, ann
        progress = str(app.dashboard.query_one("#progress", Static).render())
        assert progress.startswith("3 patients · 2 to call (1 now)"), progress


async def test_enter_shows_that_patients_history_only(clinic, patients, tmp_path):
    from backcoach.ui.screens.history import HistoryScreen

    app = dashboard(clinic, tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot)
        for patient, sessions in (("ann", 9), ("bob", 2)):
            table = app.dashboard.query_one(DataTable)
            table.move_cursor(row=order(app).index(patients[patient]))
            await pilot.press("enter")
            await settle(pilot, 5)
            assert isinstance(app.screen, HistoryScreen)
            assert app.coach is not None and app.coach.repo.db.role == patients[patient]
            assert app.screen.query_one("#sessions", DataTable).row_count == sessions
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is app.dashboard


async def test_no_program_no_history(clinic, patients, tmp_path):
    app = dashboard(clinic, tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot)
        table = app.dashboard.query_one(DataTable)
        table.move_cursor(row=order(app).index(patients["cy"]))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.dashboard
        said = [n.message for n in app._notifications]
        assert any("has no program assigned yet" in text for text in said), said


async def test_r_writes_the_report(clinic, patients, tmp_path):
    app = dashboard(clinic, tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot)
        await pilot.press("r")
        await settle(pilot)
        path = tmp_path / f"backcoach-{patients['bob']}-20260302.html"
        assert path.is_file(), [n.message for n in app._notifications]
        assert "<html" in path.read_text().lower()
        assert any(str(path) in n.message for n in app._notifications)


async def test_every_step_survives_the_keys(clinic, patients, tmp_path):
    from textual.command import CommandPalette

    app = dashboard(clinic, tmp_path)

    async def survives(name: str) -> None:
        before = app.screen
        for key in ("x", "a"):
            await pilot.press(key)
            await settle(pilot, 1)
            assert app.is_running, (name, key)
        await pilot.press("ctrl+p")
        await settle(pilot, 1)
        assert isinstance(app.screen, CommandPalette), name
        await pilot.press("escape")
        await settle(pilot, 1)
        assert app.screen is before, name
        await pilot.press("escape")
        await settle(pilot, 1)
        assert app.is_running, name

    async with app.run_test(size=SMALL) as pilot:
        await survives("loading")
        await loaded(pilot)
        await survives("dashboard")
        await pilot.press("question_mark")
        await settle(pilot)
        assert "Keys on the dashboard" in screen_text(app)
        await survives("help")
        table = app.dashboard.query_one(DataTable)
        table.move_cursor(row=order(app).index(patients["ann"]))
        await pilot.press("enter")
        await settle(pilot, 5)
        await pilot.press("enter")  # History: a session in detail
        await settle(pilot)
        await survives("session detail")
        await survives("history")
        assert app.screen is app.dashboard
        await pilot.press("ctrl+q")
        await settle(pilot, 1)
    assert app.return_code == 0


@pytest.mark.parametrize("target, said", [
    ("postgresql+psycopg://nobody:secret@localhost:1/nothing", "cannot connect"),
    ("sqlite", "a clinic keeps its patients on PostgreSQL"),
    ("not a clinic", "not set up as a clinic"),
])
async def test_a_database_that_cannot_be_used_is_one_line(clinic, tmp_path, target, said):
    from sqlalchemy.engine import make_url

    from tests.helpers import postgres

    made = None
    if target == "sqlite":
        target = str(tmp_path / "x.sqlite3")
    elif target == "not a clinic":
        made = target = postgres.create_database()
    try:
        app = dashboard(clinic, tmp_path, target)
        async with app.run_test(size=SMALL) as pilot:
            await settle(pilot, 3)
            line = str(app.dashboard.query_one("#progress", Static).render())
            assert said in line.lower() or said in line, line
            assert "Traceback" not in screen_text(app)
            await pilot.press("escape", "x", "a", "q")
            await settle(pilot, 1)
        assert app.return_code == 1
    finally:
        if made:
            postgres.drop_database(made)
    assert f":{make_url(clinic.url).password}@" not in app.sub_title


# --- snapshots: fixed ids (dropped afterwards), clock and title ------------------------------
@pytest.fixture
def fixed_patients(clinic, capsys) -> None:
    from backcoach.coach.practice import Practice

    names = {"dash-snap-ann": "Ann Example", "dash-snap-bob": "Bob Example",
             "dash-snap-cy": "Cy Example"}
    for patient in names:
        clinic._admin(f'DROP ROLE IF EXISTS "{patient}"')  # left by an interrupted run
    practice = Practice.open(clinic.url, FixedClock(NOW))
    try:
        for patient, name in names.items():
            practice.add_patient(patient, name)
            clinic.roles.append(patient)
            clinic._admin(f"ALTER ROLE \"{patient}\" PASSWORD 'secret'")
    finally:
        practice.close()
    for patient in ("dash-snap-ann", "dash-snap-bob"):
        assign(clinic, patient)
    fill(clinic.role_url("dash-snap-ann", "secret"), (6, 6, 5, 4, 3, 3, 2, 2, 2))
    fill(clinic.role_url("dash-snap-bob", "secret"), (5, 5), flag="fever_unwell")
    capsys.readouterr()


def snapshot_app(clinic, tmp_path):
    app = dashboard(clinic, tmp_path)
    app.sub_title = "physio@localhost/clinic"  # the test database's name is random
    return app


def test_dashboard_80x24(snap_compare, clinic, fixed_patients, tmp_path):
    async def ready(pilot):
        await loaded(pilot)

    assert snap_compare(snapshot_app(clinic, tmp_path), terminal_size=SMALL, run_before=ready)


def test_dashboard_help_80x24(snap_compare, clinic, fixed_patients, tmp_path):
    async def ready(pilot):
        await loaded(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(snapshot_app(clinic, tmp_path), terminal_size=SMALL, run_before=ready)
