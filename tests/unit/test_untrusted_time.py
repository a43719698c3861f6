"""Issue 14: --at and BACKCOACH_NOW only within a sane window; no silent DST shift."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def run(tmp_path, *args, now="2026-11-21T12:00", tz="UTC"):
    env = {**os.environ, "BACKCOACH_NOW": now, "TZ": tz}
    return subprocess.run([sys.executable, "-m", "backcoach", *args, "--db",
                           str(tmp_path / "db.sqlite3")], capture_output=True, text=True,
                          timeout=20, env=env)


@pytest.mark.parametrize("when,message", [("9999-12-31T23:59", "ahead"),
                                          ("0001-01-01T00:00", "before 2000"),
                                          ("1999-12-31T23:00", "before 2000")])
def test_at_outside_window_refused(tmp_path, when, message):
    result = run(tmp_path, "pain", "2", "--at", when)
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_env_outside_window_refused(tmp_path):
    result = run(tmp_path, "plan", now="9999-12-31T23:59")
    assert result.returncode == 2 and "ahead" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_spring_forward_gap_named(tmp_path):
    result = run(tmp_path, "pain", "2", "--at", "2026-03-29T02:30", tz="Europe/Berlin")
    assert result.returncode == 2 and "does not exist" in result.stderr
