"""Column types: UTC times as sortable text, local days as 'YYYY-MM-DD' text.

Both compare as plain bytes on every database (PostgreSQL is told collation "C"), so a
range of times or days is an index range everywhere.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import String, TypeDecorator, TypeEngine

FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def to_db(value: datetime) -> str:
    """Aware datetime → 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: backcoach stores timezone-aware times only")
    utc = value.astimezone(timezone.utc)
    if utc.year < 1000:  # isoformat pads the year to four digits, strftime may not
        return utc.strftime(FORMAT)
    return utc.isoformat(" ", "microseconds")[:26]  # FORMAT (without "+00:00"), faster


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


class _Text(TypeDecorator[Any]):
    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(String(collation="C"))
        return dialect.type_descriptor(String())


class UTCDateTime(_Text):
    """Aware datetimes in, aware UTC datetimes out."""

    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None or isinstance(value, str):
            return value  # already stored form (bulk writes, imports)
        return to_db(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else from_db(value)


class Day(_Text):
    """A local calendar day as 'YYYY-MM-DD'."""

    cache_ok = True


class CurrentPatient(FunctionElement[str]):
    """The server default of every `patient_id` column: the role connected (PostgreSQL's
    `current_user`, which its row-level security checks), one implicit patient '' on SQLite.
    Rows are filed under their patient by the database itself, never by the app's code."""

    type = String()
    name = "current_patient"
    inherit_cache = True


@compiles(CurrentPatient)
def _implicit_patient(element: CurrentPatient, compiler: Any, **kw: Any) -> str:
    return "''"


@compiles(CurrentPatient, "postgresql")
def _connected_role(element: CurrentPatient, compiler: Any, **kw: Any) -> str:
    return "CURRENT_USER"
