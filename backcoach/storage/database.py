"""Opening the database named by a path (SQLite) or a URL (PostgreSQL): one `Database`
with read and write transactions, created or upgraded on open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from backcoach.storage.dialects import postgres, sqlite
from backcoach.storage.errors import StorageError, explain

__all__ = ["Database", "StorageError", "open_database", "parse_target"]


class Database:
    """An open backcoach database: SQLite file or PostgreSQL server."""

    def __init__(self, engine: Engine, where: str, path: Path | None = None,
                 role: str | None = None) -> None:
        self.engine = engine
        self.where = where  # for messages: the path, or the URL without its password
        self.path = path  # the SQLite file, None on a server
        self.dialect = engine.dialect.name
        #: on a clinic's server: the patient role every transaction acts as (see `as_role`)
        self.role = role

    def as_role(self, role: str) -> Database:
        """The same server, every transaction acting as `role` (`SET LOCAL ROLE`): its
        row-level security then shows and accepts that patient's rows only. The caller
        must be a member of the role (a clinic's physiotherapists are, see `clinic init`)."""
        return Database(self.engine, self.where, None, role)

    def _act_as_role(self, conn: Connection) -> None:
        if self.role is not None:
            quoted = conn.dialect.identifier_preparer.quote_identifier(self.role)
            conn.execute(text(f"SET LOCAL ROLE {quoted}"))

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction, committed (durably) when the block ends. Writers take
        turns: SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock."""
        try:
            with self.engine.connect() as conn:
                with conn.begin():
                    self._act_as_role(conn)
                    if self.dialect == "postgresql":
                        postgres.begin_write(conn)
                    yield conn
        except DBAPIError as error:
            raise explain(error, self.where) from None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot."""
        options: dict[str, Any] = {"read_only": True}
        if self.dialect == "postgresql":
            options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        try:
            with self.engine.connect().execution_options(**options) as conn:
                with conn.begin():
                    self._act_as_role(conn)
                    yield conn
        except DBAPIError as error:
            raise explain(error, self.where) from None

    def close(self) -> None:
        if self.role is None:  # a role's view borrows the engine of the database it came from
            self.engine.dispose()


def parse_target(target: str | Path) -> Path | URL:
    """A path (SQLite) or a database URL; `sqlite:///PATH` counts as the path."""
    if isinstance(target, Path) or "://" not in target:
        return Path(target).expanduser()
    try:
        url = make_url(target)
    except ArgumentError:
        raise StorageError(f"{_hide(target)} is not a database URL or a file path") from None
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise StorageError("an SQLite URL needs a file: sqlite:///PATH (or just the PATH)")
        return Path(url.database).expanduser()
    if url.get_backend_name() != "postgresql":
        raise StorageError(f"backcoach stores its log in SQLite (a file path) or PostgreSQL "
                           f"(postgresql+psycopg://…), not {url.get_backend_name()}")
    return url


def _hide(text: str) -> str:
    head, _, tail = text.rpartition("@")
    return f"{head.split('://')[0]}://…@{tail}" if head else text


def open_database(target: str | Path) -> Database:
    """Open (creating or upgrading) the database; StorageError on any problem."""
    from backcoach.storage import upgrade

    chosen = parse_target(target)
    if isinstance(chosen, Path):
        version = sqlite.prepare_file(chosen, upgrade.SCHEMA_VERSION)
        database = Database(sqlite.engine(chosen), str(chosen), chosen)
        try:
            upgrade.sqlite_file(database, version)
        except BaseException:
            database.close()
            raise
        return database
    where = chosen.render_as_string(hide_password=True)
    database = Database(postgres.engine(chosen), where)
    try:
        upgrade.server(database)
    except DBAPIError as error:
        database.close()
        raise explain(error, where) from None
    except BaseException:
        database.close()
        raise
    return database
