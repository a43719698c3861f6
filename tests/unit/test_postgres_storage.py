"""PostgreSQL specifics: an older schema is upgraded by the migrations, a database that
holds someone else's tables is refused untouched."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from backcoach.storage.database import StorageError, open_database
from backcoach.storage.upgrade import REVISIONS
from tests.helpers import postgres


@pytest.fixture
def pg_url(postgres_server):
    url = postgres.create_database()
    yield url
    postgres.drop_database(url)


def test_a_schema_4_database_is_upgraded_and_keeps_its_rows(pg_url):
    from alembic import command
    from alembic.config import Config

    engine = create_engine(pg_url, poolclass=NullPool)
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", "backcoach.storage:migrations")
        config.attributes["connection"] = conn
        command.upgrade(config, REVISIONS[0])
        conn.execute(text("INSERT INTO pain_score (at, score, context) "
                          "VALUES ('2026-03-02 09:30:00.000000', 4, 'standalone')"))
    engine.dispose()
    database = open_database(pg_url)
    try:
        with database.read() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() \
                == REVISIONS[-1]
            row = conn.execute(text("SELECT score, local_day FROM pain_score")).one()
            assert row.score == 4 and row.local_day in ("2026-03-02", "2026-03-03")
            assert conn.execute(text("SELECT n FROM day_pain")).scalar() == 1
    finally:
        database.close()


def test_a_database_with_other_tables_is_refused_untouched(pg_url):
    engine = create_engine(pg_url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id int)"))
    with pytest.raises(StorageError, match="not backcoach's"):
        open_database(pg_url)
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT tablename FROM pg_tables "
                                   "WHERE schemaname = 'public'")).scalars().all()
    engine.dispose()
    assert tables == ["invoices"]
