"""The one place that reads the clock. Everything else is handed `now`."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta

NOW_ENV = "BACKCOACH_NOW"
Clock = Callable[[], datetime]


def system_now() -> datetime:
    return datetime.now().astimezone()


class FixedClock:
    """A clock that moves only when told to (tests, demos, $BACKCOACH_NOW)."""

    def __init__(self, start: datetime) -> None:
        self.current = start if start.tzinfo else start.astimezone()

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


class OffsetClock:
    """Starts at a given time and then runs at real speed."""

    def __init__(self, start: datetime) -> None:
        self.offset = (start if start.tzinfo else start.astimezone()) - system_now()

    def __call__(self) -> datetime:
        return system_now() + self.offset


def env_time() -> datetime | None:
    """$BACKCOACH_NOW as an aware datetime (local if it has no offset); ValueError if bad."""
    fixed = os.environ.get(NOW_ENV)
    if not fixed:
        return None
    value = datetime.fromisoformat(fixed)
    return value.astimezone() if value.tzinfo is None else value


def clock_from_env() -> Clock:
    """$BACKCOACH_NOW starts the clock at that time (it then runs); else the system clock."""
    try:
        start = env_time()
    except ValueError:
        start = None
    return OffsetClock(start) if start else system_now
