"""A patient's SQLite file with a week of sets and pain scores, for the preview tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest

from backcoach.clock import FixedClock
from backcoach.coach import Coach
from backcoach.private_cache import CACHE_ENV


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone()


@contextmanager
def week_of_practice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                     ) -> Iterator[tuple[Path, FixedClock, Coach]]:
    """The file, its clock and its coach, open at 13:00 on the seventh day."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    db = tmp_path / "backcoach.sqlite3"
    clock = FixedClock(local("2026-03-02 07:00"))
    coach = Coach.open(db, clock, "mckenzie")
    coach.finish_welcome()
    for day in range(7):
        clock.current = local(f"2026-03-0{2 + day} 07:00")
        coach.record_safety({})
        coach.record_pain(5 - day // 2)
        for hour in (8, 10, 12):
            clock.current = local(f"2026-03-0{2 + day} {hour:02d}:00")
            coach.log_set("prone-lying", seconds=150)
    clock.current = local("2026-03-08 13:00")
    try:
        yield db, clock, coach
    finally:
        coach.close()
