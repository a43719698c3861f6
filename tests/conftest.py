"""Shared fixtures: the shipped programs, a fixed time zone, a temporary database."""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROGRAMS = ROOT / "programs"
DATA = Path(__file__).resolve().parent / "data"
TZ = ZoneInfo("Europe/Berlin")

os.environ["TZ"] = "Europe/Berlin"  # SQLite's 'localtime' and astimezone() follow it
time.tzset()


def at(text: str) -> datetime:
    """A local Berlin time, e.g. at("2026-03-02 10:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture(scope="session")
def catalog():
    from backcoach.programs.catalog import Catalog

    return Catalog.default()


@pytest.fixture(scope="session")
def mckenzie(catalog):
    return catalog.load("mckenzie")


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "data" / "backcoach.sqlite3"


@pytest.fixture
def repo(db_path):
    """The repository with one-call writes at explicit times (tests/helpers/log.py)."""
    from backcoach.storage.database import open_database
    from backcoach.storage.repository import Repository
    from tests.helpers.log import TestLog

    database = open_database(db_path)
    yield TestLog(Repository(database, TZ))
    database.close()


@pytest.fixture
def coach(db_path, mckenzie):
    """The use-case layer on a temporary database, McKenzie active, clock fixed (move it with
    `coach.clock.current = at(...)`), a safety check with no warning signs recorded."""
    from backcoach.clock import FixedClock
    from backcoach.coach import Coach

    clock = FixedClock(at("2026-03-02 07:00"))
    coach = Coach.open(db_path, clock, "mckenzie", tz=TZ)
    coach.record_safety({})
    yield coach
    coach.close()
