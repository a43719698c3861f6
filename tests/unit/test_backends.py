"""One code path: the same history gives the same answers on SQLite and on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.helpers import postgres

NOW = {"BACKCOACH_NOW": "2026-11-21T12:00"}


def cli(db: str, *args: str) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "backcoach", "--db", db, *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, **NOW})


@pytest.fixture
def both(tmp_path, postgres_server):
    url = postgres.create_database()
    yield str(tmp_path / "backcoach.sqlite3"), url
    postgres.drop_database(url)


def test_demo_plan_history_and_exports_are_identical(both):
    commands = [("plan", "--json"), ("history", "--days", "30", "--json"),
                ("history", "--json"), ("history",), ("next",),
                ("export", "--format", "json"), ("export", "--format", "csv"),
                ("export", "--format", "fhir")]
    outputs: dict[str, list[str]] = {}
    for db in both:
        demo = cli(db, "demo", "--days", "120", "--seed", "7")
        assert demo.returncode == 0, demo.stderr
        for done in (cli(db, "pain", "4"), cli(db, "log", "prone-lying")):
            assert done.returncode == 0, done.stderr
        results = [cli(db, *command) for command in commands]
        assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
        outputs[db] = [r.stdout for r in results]
    sqlite_out, postgres_out = outputs.values()
    for command, a, b in zip(commands, sqlite_out, postgres_out, strict=True):
        assert a == b, command
        assert len(a) > 60, command  # something real was compared
