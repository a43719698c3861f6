"""The Core tables every statement is built from: those of the SQLModel classes in
`tables.py`, the one definition of the schema.

Deriving them imports SQLModel and pydantic and builds 13 models, about half of a short
command's time. So the derived tables are kept in the private cache (`private_cache.py`),
filed under a hash of the files that define them and of the library versions; a command that
reads and writes rows then imports SQLAlchemy Core alone. A missing or doubtful copy is
derived again from `tables.py`.
"""

from __future__ import annotations

import hashlib
import sys
from importlib.util import find_spec
from pathlib import Path

import sqlalchemy
from sqlalchemy import MetaData, Table
from sqlalchemy.sql import ColumnElement

from backcoach import private_cache

#: every table, in the order they are named below
NAMES = ("program_text", "session", "exercise_set", "pain_score", "acute_episode",
         "red_flag_check", "psfs_rating", "setting", "patient", "assignment", "day_pain",
         "day_pairs", "day_exercise")
HERE = Path(__file__).resolve().parent
DEFINITIONS = (HERE / "tables.py", HERE / "types.py")


def cache_name() -> str:
    """Where the derived tables are filed: changes with their definition or the libraries."""
    digest = hashlib.sha256(f"{sys.version}\0{sqlalchemy.__version__}\0".encode())
    spec = find_spec("sqlmodel")  # finds the package without importing it
    for path in (*DEFINITIONS, *([Path(spec.origin)] if spec and spec.origin else [])):
        try:
            digest.update(path.read_bytes())
        except OSError as error:
            digest.update(f"unreadable:{error}".encode())
    return f"schema-{digest.hexdigest()[:40]}.pickle"


def load() -> MetaData:
    """The Core tables: from the cache, else derived from `tables.py` (and cached)."""
    name = cache_name()
    metadata = private_cache.lookup(name, MetaData)
    if metadata is None or set(metadata.tables) != set(NAMES):
        from backcoach.storage.tables import core_metadata

        metadata = core_metadata()
        private_cache.store(name, metadata)
    return metadata


METADATA = load()
PROGRAMS, SESSIONS, SETS, PAIN, ACUTE, FLAGS, PSFS, SETTINGS, PATIENTS, ASSIGNMENTS, \
    DAY_PAIN, DAY_PAIRS, DAY_EXERCISE = (METADATA.tables[name] for name in NAMES)
#: the log, in insert order (a row's references come before it)
LOG_TABLES = (PROGRAMS, SESSIONS, SETS, PAIN, ACUTE, FLAGS, PSFS)
DAY_TABLES = (DAY_PAIN, DAY_PAIRS, DAY_EXERCISE)
CLINIC_TABLES = (PATIENTS, ASSIGNMENTS)
#: tables holding one patient's rows (a `patient_id` column): row-level security on a clinic
PATIENT_TABLES = (*LOG_TABLES, SETTINGS, *DAY_TABLES)
ALL_TABLES = (*PATIENT_TABLES, *CLINIC_TABLES)


def live(table: Table) -> ColumnElement[bool]:
    """Rows of a log table that count (not marked void)."""
    return table.c.void_at.is_(None)
