"""The real app in a real terminal (tmux): first run, pain from the command line, stop and
escape, keys between sets. No traceback on screen, no lost stopped set, no invented set."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

import pytest

from backcoach.domain.safety import DISCUSS, RED_FLAGS
from tests.conftest import ROOT
from tests.system.tmux_app import TmuxApp
from tests.ui.test_flows import rows

pytestmark = pytest.mark.slow

if shutil.which("tmux") is None:  # .ci/run installs it; say so loudly rather than skip
    pytest.fail("tmux is not installed (apt-get install tmux); .ci/run installs it",
                pytrace=False)


def env(db) -> dict[str, str]:
    return {"BACKCOACH_DB": str(db), "TZ": "Europe/Berlin", "TERM": "xterm-256color",
            "BACKCOACH_NOW": "2026-03-02T09:00"}


def no_traceback(screen: str) -> None:
    assert "Traceback" not in screen and "Error" not in screen, screen


def welcomed(db) -> None:
    """As after a first run: welcome done, McKenzie chosen."""
    with sqlite3.connect(db) as conn:
        conn.executemany("INSERT INTO setting (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key, patient_id) DO UPDATE SET value = excluded.value",
                         [("welcome_done", "1"), ("program", "mckenzie")])


def cli(db, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "backcoach", "--db", str(db), *args], check=True,
                   cwd=ROOT, capture_output=True, env={**env(db), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def app_in(tmp_path):
    started: list[TmuxApp] = []

    def start(db) -> TmuxApp:
        app = TmuxApp(env(db))
        started.append(app)
        return app

    yield start
    for app in started:
        app.close()


def test_first_run_then_stop_and_escape(tmp_path, app_in):
    db = tmp_path / "db.sqlite3"
    app = app_in(db)
    app.wait_for("Welcome to backcoach")
    app.keys("Escape", "x", "a", "Enter")
    app.wait_for("Question 1 of")
    app.keys(*["n"] * len(RED_FLAGS))
    app.wait_for("discuss")
    app.keys(*["n"] * len(DISCUSS))
    app.wait_for("Choose your program")
    app.keys("Enter")
    app.wait_for("Activity scale (PSFS)")  # asked once at first run; esc: not now
    app.keys("x", "a", "Escape")  # typed into a name, then left: nothing is recorded
    app.wait_for("Press s to start")
    app.keys("s", "3", "n", "y")
    app.wait_for("Prone lying")
    app.keys("x")  # nothing going: nothing to stop, nothing saved
    app.wait_for("Nothing to stop")
    app.keys("Space", pause=2.5)
    app.keys("x")
    app.wait_for("Stopped, and saved")
    app.keys("Escape")
    app.wait_for("Stopped set saved")
    app.keys("Escape")  # leave the session: nothing is going
    no_traceback(app.wait_for("phase:"))
    app.keys("C-q")
    assert app.exit_code() == 0
    assert rows(db, "SELECT exercise_id, outcome, stop_reason FROM exercise_set") == [
        ("prone-lying", "stopped", "pain")]
    assert rows(db, "SELECT count(*) FROM psfs_rating") == [(0,)]


def test_pain_from_the_command_line_then_a_and_k(tmp_path, app_in):
    db = tmp_path / "db.sqlite3"
    cli(db, "safety", "--no")
    cli(db, "pain", "9")
    welcomed(db)
    app = app_in(db)
    app.wait_for("phase: acute")
    app.keys("a")
    app.wait_for("9/10")
    app.keys("s", "Escape", "x")
    app.keys("k", "2")
    no_traceback(app.wait_for("phase: non-acute"))
    app.keys("C-q")
    assert app.exit_code() == 0
    assert rows(db, "SELECT score FROM pain_score ORDER BY id") == [(9,), (2,)]
    assert rows(db, "SELECT count(*) FROM acute_episode") == [(0,)]


def test_keys_between_sets(tmp_path, app_in):
    db = tmp_path / "db.sqlite3"
    cli(db, "safety", "--no")
    welcomed(db)
    app = app_in(db)
    app.wait_for("Press s to start")
    app.keys("s", "4", "n", "y")
    app.wait_for("Prone lying")
    app.keys("Space", pause=7)  # 5 s to get ready, then 2 s of the hold
    app.keys("Enter")  # before the dose: a partial set
    app.wait_for("partial")
    for key in ("x", "a", "n", "C-p", "Escape", "Escape"):
        screen = app.keys(key)
        no_traceback(screen)
    no_traceback(app.wait_for("phase:"))  # back on Today after the last escape
    app.keys("C-q")
    assert app.exit_code() == 0
    assert rows(db, "SELECT outcome FROM exercise_set") == [("partial",)]
