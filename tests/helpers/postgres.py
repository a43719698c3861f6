"""Throwaway PostgreSQL databases for tests, on the server named by BACKCOACH_TEST_PG.

BACKCOACH_TEST_PG is an admin URL (a role that may CREATE DATABASE), e.g.
``postgresql+psycopg://backcoach:backcoach@localhost/postgres``. Each test gets a database
of its own, dropped afterwards. Without a reachable server the PostgreSQL variants skip
with the reason, unless BACKCOACH_REQUIRE_PG=1 (CI), where they fail instead.
"""

from __future__ import annotations

import os
import time
import uuid
from functools import cache

ADMIN_ENV = "BACKCOACH_TEST_PG"
REQUIRE_ENV = "BACKCOACH_REQUIRE_PG"


def required() -> bool:
    """Whether a missing server is a failure (CI) rather than a skip."""
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


@cache
def unavailable() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when the server answers."""
    url = os.environ.get(ADMIN_ENV)
    if not url:
        return f"no PostgreSQL server named ({ADMIN_ENV} is not set)"
    try:
        with _admin() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as error:  # any reason the server cannot be used is the skip reason
        return f"PostgreSQL at {ADMIN_ENV} is unreachable: {error}"
    return None


def create_database() -> str:
    """A new empty database; returns its URL (same server and role as the admin URL)."""
    from sqlalchemy.engine import make_url

    name = f"bc_test_{uuid.uuid4().hex[:12]}"
    with _admin() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return make_url(os.environ[ADMIN_ENV]).set(database=name).render_as_string(
        hide_password=False)


def drop_database(url: str) -> None:
    """Drop a database made by create_database, even if a connection was left open."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ProgrammingError

    name = make_url(url).database
    assert name and name.startswith("bc_test_"), name
    for attempt in range(20):  # an autovacuum worker in it: FORCE needs pg_signal_backend
        try:
            with _admin() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except ProgrammingError:
            if attempt == 19:
                raise
            time.sleep(0.5)


def _admin():
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(os.environ[ADMIN_ENV], isolation_level="AUTOCOMMIT",
                           poolclass=NullPool)
    return engine.connect()
