"""`next --json` and `remind` (issue 13, item 1)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def cli(db, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backcoach", "--db", str(db), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={"TZ": "Europe/Berlin", "PATH": "/usr/bin:/bin"})


def test_next_json_after_a_set_names_the_time_with_offset(tmp_path):
    db = tmp_path / "db"
    assert cli(db, "safety", "--no", "--at", "2026-03-01T08:00").returncode == 0
    now = json.loads(cli(db, "next", "--json", "--at", "2026-03-02T10:00").stdout)
    assert now["exercise"] == "prone-lying" and now["at"] == "2026-03-02T10:00:00+01:00"
    assert cli(db, "log", "prone-lying", "--at", "2026-03-02T10:00").returncode == 0
    later = json.loads(cli(db, "next", "--json", "--at", "2026-03-02T10:40").stdout)
    assert set(later) == {"exercise", "title", "at", "reason"}
    assert later["exercise"] == "prone-lying" and later["at"] == "2026-03-02T12:00:00+01:00"


def test_remind_speaks_once_when_something_became_due(tmp_path):
    db = tmp_path / "db"
    assert cli(db, "safety", "--no", "--at", "2026-03-01T08:00").returncode == 0
    assert cli(db, "log", "prone-lying", "--at", "2026-03-02T10:00").returncode == 0
    assert cli(db, "remind", "--at", "2026-03-02T10:30").stdout == ""
    assert cli(db, "remind", "--at", "2026-03-02T11:00").stdout == ""
    spoken = cli(db, "remind", "--at", "2026-03-02T12:05")
    assert spoken.returncode == 0 and "Prone lying is due now" in spoken.stdout
    assert cli(db, "remind", "--at", "2026-03-02T12:10").stdout == ""
