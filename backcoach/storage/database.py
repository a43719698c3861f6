"""Opening the database: privacy, durability pragmas, versioned upgrades with a backup."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from backcoach.paths import create_private_file, ensure_private_folder
from backcoach.storage.migrations import APPLICATION_ID, LATEST, STEPS

HEADER = b"SQLite format 3\x00"
BUSY_MS = 30_000


class StorageError(Exception):
    """A problem with the database the user can act on (never a traceback)."""


def explain(error: BaseException, path: Path | str) -> StorageError:
    """Turn a SQLite error into one plain sentence."""
    text = str(getattr(error, "orig", None) or error).lower()
    if "readonly" in text or "read-only" in text:
        return StorageError(f"the database {path} is read-only; nothing was written")
    if "full" in text:
        return StorageError(f"the disk is full: nothing was written to {path}; "
                            "free some space and try again")
    if "locked" in text or "busy" in text:
        return StorageError(f"the database {path} is busy (another backcoach is writing); "
                            "nothing was written, try again")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StorageError(f"the database {path} is damaged ({text}); nothing was written. "
                            "Restore a backup copy (*.bak next to it) or an export")
    if "unable to open" in text:
        return StorageError(f"cannot open the database {path} (check the folder exists and "
                            "is writable)")
    return StorageError(f"database error in {path}: {text}")


def _preflight(path: Path) -> int:
    """Read-only look at an existing file: is it ours, which version? Writes nothing."""
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
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise explain(error, path) from None
    finally:
        conn.close()
    if tables and app_id != APPLICATION_ID:
        raise StorageError(f"{path} is an SQLite database of another program; "
                           "nothing was written")
    if version > LATEST:
        raise StorageError(f"{path} was made by a newer backcoach (schema {version}, this one "
                           f"knows {LATEST}); upgrade backcoach. Nothing was written")
    return version


def _on_connect(dbapi_conn, _record) -> None:
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
    mode = "DEFERRED" if conn.get_execution_options().get("read_only") else "IMMEDIATE"
    conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """An open backcoach database file."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One BEGIN IMMEDIATE transaction, committed (fsynced) when the block ends."""
        try:
            with self.engine.connect() as conn:
                with conn.begin():
                    yield conn
        except DBAPIError as error:
            raise explain(error, self.path) from None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A deferred (read) transaction: one consistent snapshot."""
        try:
            with self.engine.connect().execution_options(read_only=True) as conn:
                with conn.begin():
                    yield conn
        except DBAPIError as error:
            raise explain(error, self.path) from None

    def close(self) -> None:
        self.engine.dispose()


def open_database(path: Path) -> Database:
    """Open (creating or upgrading) the database at `path`; StorageError on any problem."""
    path = Path(path)
    try:
        ensure_private_folder(path.parent)
        existed = path.exists()
        if existed and not stat.S_ISREG(path.stat().st_mode):
            raise StorageError(f"cannot use {path}: not a regular file (FIFO, device or "
                               "folder)")
        version = _preflight(path) if existed else 0
        if not existed:
            create_private_file(path)
        else:
            _tighten(path)
    except OSError as error:
        raise StorageError(f"cannot use {path}: {error.strerror or error}") from None
    except sqlite3.DatabaseError as error:
        raise explain(error, path) from None
    engine = create_engine(f"sqlite:///{path}", connect_args={
        "timeout": BUSY_MS / 1000, "check_same_thread": False})  # the app saves from workers
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    database = Database(path, engine)
    if version < LATEST:
        try:
            _upgrade(database, version)
        except StorageError:
            engine.dispose()
            raise
    return database


def _tighten(path: Path) -> None:
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if candidate.exists() and os.access(candidate, os.W_OK) \
                and candidate.stat().st_mode & 0o077:
            os.chmod(candidate, 0o600)


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


def _upgrade(database: Database, version: int) -> None:
    """Run every step after `version` in one transaction, foreign keys off for rebuilds."""
    if version > 0:
        backup_copy(database.path, f"v{version}")
    conn = sqlite3.connect(database.path, timeout=BUSY_MS / 1000)
    try:
        _on_connect(conn, None)  # the same pragmas as every connection
        conn.execute("PRAGMA foreign_keys=OFF")  # table rebuilds; checked before commit
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            for step in range(current + 1, LATEST + 1):
                for statement in _statements(STEPS[step]):
                    conn.execute(statement)
            problems = conn.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise StorageError(f"upgrade found broken references {problems[:3]}; "
                                   "nothing was changed")
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version={LATEST}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    except sqlite3.DatabaseError as error:
        raise explain(error, database.path) from None
    finally:
        conn.close()


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
