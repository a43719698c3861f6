"""PostgreSQL, for a practice: connect through psycopg, serialise writers, keep sequences
in step after rows written with explicit ids."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL

from backcoach.storage.errors import StorageError

WRITE_LOCK = 0x42434B48  # one advisory lock: read-check-write transactions take turns


def engine(url: URL) -> Engine:
    try:
        import psycopg  # noqa: F401  (a clear message when the extra is missing)
    except ImportError:
        raise StorageError("a PostgreSQL database needs psycopg: "
                           "pip install 'backcoach[postgres]'") from None
    return create_engine(url.set(drivername="postgresql+psycopg"), pool_pre_ping=True,
                         connect_args={"connect_timeout": 10})


def begin_write(conn: Connection) -> None:
    """Wait for other writers: the rules read, check and write in one turn."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})


def draw_ids(conn: Connection, table: str, count: int) -> list[int]:
    """`count` new ids from the table's sequence (nobody else will get them)."""
    return list(conn.execute(text(
        "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
        {"table": table, "n": count}).scalars())


def reset_sequences(conn: Connection, tables: list[str]) -> None:
    """After inserts with explicit ids, the next generated id follows the largest one."""
    for table in tables:
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"))
