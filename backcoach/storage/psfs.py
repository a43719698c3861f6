"""The Patient-Specific Functional Scale's rows: an assessment written, assessments read.

The ratings of one assessment share their time (`at`); void ratings are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from itertools import groupby

from sqlalchemy import Connection, insert, select

from backcoach.domain.psfs import Assessment, Rating
from backcoach.storage.database import Database
from backcoach.storage.repository import local_fields
from backcoach.storage.schema import PSFS, live


def write_assessment(conn: Connection, tz: tzinfo | None, at: datetime,
                     ratings: Sequence[tuple[str, int]]) -> Assessment:
    """Store one assessment (all its ratings at `at`), inside the caller's transaction."""
    local = local_fields(at, tz)
    conn.execute(insert(PSFS), [{"at": at, "activity": name, "score": score, **local}
                                for name, score in ratings])
    return Assessment(at, tuple(Rating(name, score) for name, score in ratings))


def read_assessments(database: Database, limit: int | None = None) -> list[Assessment]:
    """Every assessment, oldest first (the latest `limit` ones when given)."""
    with database.read() as conn:
        rows = conn.execute(select(PSFS.c.at, PSFS.c.activity, PSFS.c.score)
                            .where(live(PSFS)).order_by(PSFS.c.at, PSFS.c.id)).all()
    out = [Assessment(at, tuple(Rating(row[1], row[2]) for row in group))
           for at, group in groupby(rows, key=lambda row: row[0])]
    return out[-limit:] if limit else out
