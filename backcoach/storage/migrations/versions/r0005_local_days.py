"""Schema 5: local days stored at write time, and per-day aggregates.

Sessions, sets and pain scores keep the patient's local date and UTC offset (pain also its
local hour) as written, so days mean the patient's days on any server. Rows written before
get them from this machine's time zone, which is what they were shown in until now.
The day_* tables are filled from the log after the last script (upgrade.py).
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from backcoach.storage.types import Day

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

LOCAL = {"session": "started_at", "exercise_set": "ended_at", "pain_score": "at"}
CHUNK = 5000


def _int(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer, nullable=False)


def upgrade() -> None:
    for table in LOCAL:
        op.add_column(table, sa.Column("local_day", Day(), nullable=False, server_default=""))
        op.add_column(table, sa.Column("utc_offset", sa.Integer, nullable=False,
                                       server_default="0"))
    op.add_column("pain_score", sa.Column("local_hour", sa.Integer, nullable=False,
                                          server_default="0"))
    _backfill()
    op.create_index("ix_set_exercise_outcome_day", "exercise_set",
                    ["exercise_id", "outcome", "local_day", "ended_at"])
    op.create_index("ix_set_day", "exercise_set", ["local_day"])
    op.create_index("ix_pain_day", "pain_score", ["local_day"])
    op.create_index("ix_acute_ended", "acute_episode", ["ended_at"])
    op.create_table("day_pain", sa.Column("day", Day(), primary_key=True),
                    *(_int(n) for n in ("n", "total", "low", "high", "morning_n",
                                        "morning_total", "evening_n", "evening_total")))
    op.create_table("day_pairs", sa.Column("day", Day(), primary_key=True),
                    *(_int(n) for n in ("n", "before_total", "after_total")))
    op.create_table("day_exercise", sa.Column("day", Day(), primary_key=True),
                    sa.Column("exercise_id", sa.String(), primary_key=True),
                    *(_int(n) for n in ("completed", "counted", "stopped", "spreading",
                                        "paired_sessions", "delta_total")))
    # the day_* tables are filled by upgrade.run_alembic once the head schema is in place


def _backfill() -> None:
    conn = op.get_bind()
    for table, column in LOCAL.items():
        rows = conn.execute(sa.text(f"SELECT id, {column} FROM {table}")).all()
        for start in range(0, len(rows), CHUNK):
            values = []
            for ident, stored in rows[start:start + CHUNK]:
                local = datetime.fromisoformat(stored).replace(tzinfo=timezone.utc).astimezone()
                offset = local.utcoffset()
                values.append({"id": ident, "day": local.date().isoformat(), "hour": local.hour,
                               "offset": int(offset.total_seconds() // 60) if offset else 0})
            extra = ", local_hour = :hour" if table == "pain_score" else ""
            conn.execute(sa.text(f"UPDATE {table} SET local_day = :day, utc_offset = :offset"
                                 f"{extra} WHERE id = :id"), values)
