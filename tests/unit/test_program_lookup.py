"""Programs are identified by their declared id, never by file name (issue 9)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import PROGRAMS, ROOT


def cli(*args: str, db) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "backcoach", "--db", str(db), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={"BACKCOACH_NOW": "2026-03-02T10:00", "PATH": "/usr/bin:/bin",
                               "TZ": "Europe/Berlin"})


def test_a_copy_with_another_id_does_not_shadow_the_shipped_program(tmp_path):
    folder = tmp_path / "physio"
    folder.mkdir()
    text = (PROGRAMS / "mckenzie.toml").read_text().replace('id = "mckenzie"', 'id = "myphysio"')
    (folder / "mckenzie.toml").write_text(text)  # same file name, another id
    db = tmp_path / "db.sqlite3"
    assert cli("safety", "--no", db=db).returncode == 0
    shipped = cli("--programs", str(folder), "--program", "mckenzie", "plan", "--json", db=db)
    assert json.loads(shipped.stdout)["program"] == "mckenzie"
    logged = cli("--programs", str(folder), "--program", "myphysio", "log", "prone-lying", db=db)
    assert logged.returncode == 0, logged.stderr
    import sqlite3
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT program_id FROM exercise_set").fetchall() == [("myphysio",)]


def test_two_files_with_one_id_are_an_error_naming_both(tmp_path):
    folder = tmp_path / "physio"
    folder.mkdir()
    (folder / "mine.toml").write_text((PROGRAMS / "mckenzie.toml").read_text())
    result = cli("--programs", str(folder), "--program", "mckenzie", "plan", db=tmp_path / "d")
    assert result.returncode == 2
    assert "mine.toml" in result.stderr and "programs/mckenzie.toml" in result.stderr
    assert "Traceback" not in result.stderr
