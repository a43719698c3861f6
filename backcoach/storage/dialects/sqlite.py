"""SQLite, the embedded default: a private file, durability pragmas, WAL, the backup API."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, insert

from backcoach.paths import create_private_file, ensure_private_folder
from backcoach.storage.errors import StorageError, explain

HEADER = b"SQLite format 3\x00"
BUSY_MS = 30_000
APPLICATION_ID = 0x42434B48  # "BCKH": marks a backcoach database


def prepare_file(path: Path, newest: int) -> int:
    """Create the file 0600 in a 0700 folder, or check an existing one is a backcoach
    database this version can read; returns its schema version (0: new). Writes nothing to
    an existing file but tightened permissions."""
    try:
        ensure_private_folder(path.parent)
        if path.exists():
            if not stat.S_ISREG(path.stat().st_mode):
                raise StorageError(f"cannot use {path}: not a regular file (FIFO, device or "
                                   "folder)")
            version = _preflight(path, newest)
            _tighten(path)
            return version
        create_private_file(path)
        return 0
    except OSError as error:
        raise StorageError(f"cannot use {path}: {error.strerror or error}") from None
    except sqlite3.DatabaseError as error:
        raise explain(error, path) from None


def _preflight(path: Path, newest: int) -> int:
    """Read-only look at an existing file: is it ours, which version?"""
    with path.open("rb") as handle:
        header = handle.read(100)
    if not header:
        return 0
    if not header.startswith(HEADER):
        raise StorageError(f"{path} is not a backcoach database (not SQLite, or damaged); "
                           "nothing was written")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_MS / 1000)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise explain(error, path) from None
    finally:
        conn.close()
    if tables and app_id != APPLICATION_ID:
        raise StorageError(f"{path} is an SQLite database of another program; "
                           "nothing was written")
    if version > newest:
        raise StorageError(f"{path} was made by a newer backcoach (schema {version}, this one "
                           f"knows {newest}); upgrade backcoach. Nothing was written")
    return version


def _tighten(path: Path) -> None:
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if candidate.exists() and os.access(candidate, os.W_OK) \
                and candidate.stat().st_mode & 0o077:
            os.chmod(candidate, 0o600)


def on_connect(dbapi_conn: Any, _record: Any = None) -> None:
    """Pragmas for every connection: wait when busy, WAL, fsync on commit, foreign keys."""
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (pysqlite quirk)
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError:
        pass  # a read-only file keeps its mode; writes will say so
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_begin(conn: Connection) -> None:
    # a write takes the lock at BEGIN, so read-check-write cannot interleave
    mode = "DEFERRED" if conn.get_execution_options().get("read_only") else "IMMEDIATE"
    conn.exec_driver_sql(f"BEGIN {mode}")


def engine(path: Path) -> Engine:
    made = create_engine(f"sqlite:///{path}", connect_args={
        "timeout": BUSY_MS / 1000, "check_same_thread": False})  # the app saves from workers
    event.listen(made, "connect", on_connect)
    event.listen(made, "begin", _on_begin)
    return made


def mark_version(conn: Connection, version: int) -> None:
    """Mirror the schema version in the file header (read without SQLAlchemy at startup)."""
    conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    conn.exec_driver_sql(f"PRAGMA user_version={int(version)}")


def backup_copy(path: Path, label: str) -> Path:
    """A verified copy of the database next to it, 0600; returns its path."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{label}-{stamp}.bak")
    ok, same = "", False
    try:
        create_private_file(target)
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            ok = copy.execute("PRAGMA integrity_check").fetchone()[0]
            same = (copy.execute("PRAGMA user_version").fetchone()[0]
                    == source.execute("PRAGMA user_version").fetchone()[0])
        finally:
            copy.close()
            source.close()
    except (OSError, sqlite3.Error) as error:
        reason = getattr(error, "strerror", None) or error
        ok = f"{reason}"
    if ok != "ok" or not same:
        target.unlink(missing_ok=True)  # never leave a partial or empty backup behind
        raise StorageError(f"could not write a verified backup copy of {path} ({ok}); "
                           "nothing was changed")
    return target


def legacy_upgrade(path: Path, version: int, steps: dict[int, str], last: int) -> None:
    """Schema versions 1-3 (before Alembic): run the SQL steps up to `last`, one transaction,
    foreign keys off for the table rebuilds and checked before commit."""
    conn = sqlite3.connect(path, timeout=BUSY_MS / 1000)
    try:
        on_connect(conn)
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            for step in range(max(current, version) + 1, last + 1):
                for statement in (s.strip() for s in steps[step].split(";")):
                    if statement:
                        conn.execute(statement)
            problems = conn.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise StorageError(f"upgrade found broken references {problems[:3]}; "
                                   "nothing was changed")
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version={last}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    except sqlite3.DatabaseError as error:
        raise explain(error, path) from None
    finally:
        conn.close()


def insert_many(conn: Connection, table: Table, columns: tuple[str, ...],
                rows: list[tuple[Any, ...]]) -> bool:
    """Insert rows that already hold stored forms (text times and days), in the order of
    `columns`, with one executemany on the driver, skipping SQLAlchemy's per-row
    processing; False (nothing written) when a column left out has a default that only
    SQLAlchemy would fill in."""
    if any(c.default is not None for c in table.columns if c.name not in columns):
        return False
    statement = insert(table).compile(dialect=conn.dialect, column_keys=list(columns))
    order = [columns.index(c) for c in statement.positiontup or ()]
    if order != list(range(len(columns))):
        rows = [tuple(row[i] for i in order) for row in rows]
    conn.exec_driver_sql(statement.string, rows)
    return True


def drop_indexes(conn: Connection, tables: list[str], keep: tuple[str, ...] = ()
                 ) -> list[str]:
    """Drop the tables' own indexes (not those of their keys, nor those named in `keep`),
    in this transaction; their CREATE statements, as stored, to build them again with
    `create_indexes`. Rows added to a new empty file in bulk are indexed faster at once, by
    one sort, than one by one."""
    marks = ", ".join("?" for _ in tables)
    found = [(name, sql) for name, sql in conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY rowid", tuple(tables)).all() if name not in keep]
    for name, _ in found:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [statement for _, statement in found]


def create_indexes(conn: Connection, statements: list[str]) -> None:
    """Build again the indexes `drop_indexes` took away: the schema is as it was."""
    for statement in statements:
        conn.exec_driver_sql(statement)
