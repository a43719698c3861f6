"""Shared fixtures: the shipped programs, a fixed time zone, a temporary database."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROGRAMS = ROOT / "programs"
DATA = Path(__file__).resolve().parent / "data"
TZ = ZoneInfo("Europe/Berlin")

if "BACKCOACH_CACHE" not in os.environ:  # a private cache for this run, removed after it
    os.environ["BACKCOACH_CACHE"] = tempfile.mkdtemp(prefix="backcoach-cache-")
    atexit.register(shutil.rmtree, os.environ["BACKCOACH_CACHE"], ignore_errors=True)
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


@pytest.fixture(scope="session")
def postgres_server() -> None:
    """Skip (or, with BACKCOACH_REQUIRE_PG=1, fail) when no PostgreSQL server is named."""
    from tests.helpers import postgres

    reason = postgres.unavailable()
    if reason and postgres.required():
        pytest.fail(f"{reason} (BACKCOACH_REQUIRE_PG is set)")
    if reason:
        pytest.skip(reason)


@pytest.fixture(params=["sqlite", "postgres"])
def new_target(request, tmp_path) -> Iterator[Callable[[], str]]:
    """Makes empty databases on the test's backend: a file path (SQLite) or a URL of a fresh
    PostgreSQL database, dropped after the test."""
    from tests.helpers import postgres

    made: list[str] = []
    if request.param == "postgres":
        request.getfixturevalue("postgres_server")

    def make() -> str:
        if request.param == "sqlite":
            made.append(str(tmp_path / f"db{len(made)}" / "backcoach.sqlite3"))
        else:
            made.append(postgres.create_database())
        return made[-1]

    yield make
    if request.param == "postgres":
        for url in made:
            postgres.drop_database(url)


@pytest.fixture
def db_target(new_target) -> str:
    """An empty database on each backend: SQLite file path, then PostgreSQL URL."""
    return new_target()


@pytest.fixture
def repo(db_target):
    """The repository with one-call writes at explicit times (tests/helpers/log.py)."""
    from backcoach.storage.database import open_database
    from backcoach.storage.repository import Repository
    from tests.helpers.log import TestLog

    database = open_database(db_target)
    yield TestLog(Repository(database, TZ))
    database.close()


@pytest.fixture
def coach(db_target, mckenzie):
    """The use-case layer on a temporary database, McKenzie active, clock fixed (move it with
    `coach.clock.current = at(...)`), a safety check with no warning signs recorded."""
    from backcoach.clock import FixedClock
    from backcoach.coach import Coach

    clock = FixedClock(at("2026-03-02 07:00"))
    coach = Coach.open(db_target, clock, "mckenzie", tz=TZ)
    coach.record_safety({})
    yield coach
    coach.close()


@pytest.fixture
def clinic(postgres_server) -> Iterator[Any]:
    """A clinic database on the test PostgreSQL server (see tests/helpers/clinic.py)."""
    from tests.helpers.clinic import make_clinic

    made = make_clinic()
    yield made
    made.drop()
