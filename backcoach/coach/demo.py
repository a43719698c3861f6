"""Made-up history for newcomers and benchmarks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from backcoach.domain.program import Program
from backcoach.storage.repository import Repository


def write_demo(repo: Repository, program: Program, days: int, seed: int, now: datetime,
               tz: tzinfo | None,
               progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    from backcoach.storage.demo import generate

    rows = generate(program, days, seed, now.astimezone(tz).date(), progress, until=now)
    return rows.write(repo.db)
