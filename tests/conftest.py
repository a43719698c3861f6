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
    from backcoach.storage.database import open_database
    from backcoach.storage.repository import Repository

    database = open_database(db_path)
    yield Repository(database, TZ)
    database.close()
