"""Column types: timezone-aware UTC datetimes stored as sortable ISO text."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.types import String, TypeDecorator

FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def to_db(value: datetime) -> str:
    """Aware datetime → 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC (what SQLite's date functions read)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: backcoach stores timezone-aware times only")
    return value.astimezone(timezone.utc).strftime(FORMAT)


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else to_db(value)

    def process_result_value(self, value, dialect):
        return None if value is None else from_db(value)
