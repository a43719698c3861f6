"""What only processes show: SIGKILL mid-write, two writers at once, CLI writes killed."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.conftest import ROOT

WRITER = [sys.executable, str(ROOT / "tests" / "helpers" / "writer.py")]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def locations(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {row[0] for row in conn.execute("SELECT location FROM pain_score")}
    finally:
        conn.close()


def kill_one(db: Path, tag: str, rng: random.Random) -> set[str]:
    """Start a writer, let it write for a random moment, SIGKILL it; return confirmed tags."""
    proc = subprocess.Popen(WRITER + [str(db), tag, "100000"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=ENV)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(rng.uniform(0, 0.25))  # long enough for some commits even on a busy machine
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    return {line.split()[1] for line in out.splitlines() if line.startswith("ok ")}


def test_sigkill_during_writes_loses_no_confirmed_write(tmp_path):
    db = tmp_path / "kill.sqlite3"
    subprocess.run(WRITER + [str(db), "init", "1"], check=True, env=ENV, capture_output=True)
    confirmed: set[str] = {"init-0"}
    rng = random.Random(7)
    kills = 200
    with ThreadPoolExecutor(max_workers=3) as pool:
        for tags in pool.map(lambda n: kill_one(db, f"k{n}", random.Random(rng.random())),
                             range(kills)):
            confirmed |= tags
    stored = locations(db)
    assert confirmed <= stored
    assert len(confirmed) > 10  # the writers really were writing when they were killed


def test_cli_writes_killed_at_random_moments(tmp_path):
    db = tmp_path / "cli.sqlite3"
    rng = random.Random(3)
    confirmed = 0
    for n in range(12):
        proc = subprocess.Popen([sys.executable, "-m", "backcoach", "--db", str(db), "pain",
                                 str(n % 11), "--at", f"2026-01-01T10:{n:02d}"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
        time.sleep(rng.uniform(0.3, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if proc.returncode == 0:
            confirmed += 1
    result = subprocess.run([sys.executable, "-m", "backcoach", "--db", str(db), "export",
                             "--format", "csv"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\npain,") >= confirmed


def test_two_processes_writing_1000_records_each(tmp_path):
    db = tmp_path / "two.sqlite3"
    subprocess.run(WRITER + [str(db), "init", "0"], check=True, env=ENV, capture_output=True)
    go = tmp_path / "go"
    procs = [subprocess.Popen(WRITER + [str(db), tag, "1000", str(go)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=ENV) for tag in ("a", "b")]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    go.touch()
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "locked" not in err
        assert out.count("ok ") == 1000
    stored = locations(db)
    assert len(stored) == 2000
    assert {f"a-{n}" for n in range(1000)} | {f"b-{n}" for n in range(1000)} == stored
