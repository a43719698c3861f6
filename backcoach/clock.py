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


EARLIEST = datetime(2000, 1, 1).astimezone()


def checked_time(value: datetime) -> datetime:
    """`value` made aware (local if naive) and within a sane window; ValueError if not:
    before 2000, more than a day ahead of the real clock, or a local time that does not
    exist (skipped when the clocks went forward)."""
    if not 2000 <= value.year <= 2100:
        raise ValueError(f"{value:%Y-%m-%d} is before 2000" if value.year < 2000 else
                         f"{value:%Y-%m-%d} is more than a day ahead of the clock")
    if value.tzinfo is None:
        aware = value.astimezone()
        if aware.astimezone().replace(tzinfo=None) != value:
            raise ValueError(f"{value:%Y-%m-%d %H:%M} does not exist in local time (the "
                             "clocks went forward then); give a time before or after the gap")
        value = aware
    if value < EARLIEST:
        raise ValueError(f"{value:%Y-%m-%d} is before 2000")
    if value > system_now() + timedelta(days=1):
        raise ValueError(f"{value:%Y-%m-%d %H:%M} is more than a day ahead of the clock")
    return value


def env_time() -> datetime | None:
    """$BACKCOACH_NOW as an aware datetime (local if it has no offset); ValueError if bad."""
    fixed = os.environ.get(NOW_ENV)
    if not fixed:
        return None
    return checked_time(datetime.fromisoformat(fixed))


def clock_from_env() -> Clock:
    """$BACKCOACH_NOW starts the clock at that time (it then runs); else the system clock."""
    try:
        start = env_time()
    except ValueError:
        start = None
    return OffsetClock(start) if start else system_now
