"""Bring an opened database to the current schema: Alembic scripts, run in-process.

Schema versions 1-3 predate Alembic; their SQL steps (`legacy_sql.py`) bring such a file to
version 4, which Alembic's first revision stands for. An SQLite file keeps a verified
backup copy before any upgrade and mirrors the version in its header, so an up-to-date
file opens without importing Alembic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from backcoach.storage.dialects import sqlite
from backcoach.storage.errors import StorageError
from backcoach.text import plural

if TYPE_CHECKING:
    from backcoach.storage.database import Database

SCHEMA_VERSION = 8
REVISIONS = ("0004", "0005", "0006", "0007", "0008")  # Alembic revisions, oldest first (last: head)
LEGACY_LAST = 4


def sqlite_file(database: Database, version: int) -> None:
    """Upgrade an SQLite file at `version` (0: new) to the current schema."""
    if version == SCHEMA_VERSION:
        return
    assert database.path is not None
    if version > 0:
        sqlite.backup_copy(database.path, f"v{version}")
    if 0 < version < LEGACY_LAST:
        from backcoach.storage.legacy_sql import STEPS

        sqlite.legacy_upgrade(database.path, version, STEPS, LEGACY_LAST)
    with database.write() as conn:
        legacy = version > 0 and revision(conn) is None  # stamped by Alembic from 4 on
        run_alembic(conn, stamp=REVISIONS[0] if legacy else None)
        sqlite.mark_version(conn, SCHEMA_VERSION)


def server(database: Database) -> None:
    """Upgrade a PostgreSQL database to the current schema (writers wait meanwhile)."""
    with database.read() as conn:
        current = revision(conn)
        foreign = current is None and conn.execute(text(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")).scalar()
    if current == REVISIONS[-1]:
        return
    if foreign:
        raise StorageError(f"{database.where} already holds {plural(foreign, 'table')} that "
                           "are not backcoach's; give backcoach a database of its own. Nothing was "
                           "written")
    if current is not None and current not in REVISIONS:
        raise StorageError(f"{database.where} was made by a newer backcoach (schema "
                           f"{current}); upgrade backcoach. Nothing was written")
    with database.write() as conn:
        run_alembic(conn)


def revision(conn: Connection) -> str | None:
    """The stored Alembic revision, None for a database without one."""
    if conn.dialect.name == "postgresql":
        if conn.execute(text("SELECT to_regclass('alembic_version')")).scalar() is None:
            return None
    elif not conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'")
                          ).first():
        return None
    value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None if value is None else str(value)


def run_alembic(conn: Connection, stamp: str | None = None) -> None:
    """Run the scripts after the stored revision (after `stamp`, for a legacy file), inside
    the caller's transaction; then rebuild the per-day aggregates from the log with today's
    code (scripts change the schema only, so none depends on code newer than itself)."""
    from alembic import command
    from alembic.config import Config

    from backcoach.storage.aggregates import rebuild

    config = Config()
    config.set_main_option("script_location", "backcoach.storage:migrations")
    config.attributes["connection"] = conn
    if stamp:
        command.stamp(config, stamp)
    command.upgrade(config, "head")
    rebuild(conn, None)
