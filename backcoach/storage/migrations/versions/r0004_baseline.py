"""Schema 4, the last one made without Alembic: the log tables and their indexes.

A legacy SQLite file (schema 1-4) is brought to 4 by `legacy_sql.py` and stamped with
this revision; a new database (SQLite or PostgreSQL) is created by it.
"""

import sqlalchemy as sa
from alembic import op

from backcoach.storage.types import UTCDateTime

revision = "0004"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True)


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, UTCDateTime(), nullable=nullable)


def _text(name: str, nullable: bool = False, unique: bool = False,
          server_default: str | None = None) -> sa.Column:
    return sa.Column(name, sa.String(), nullable=nullable, unique=unique,
                     server_default=server_default)


def upgrade() -> None:
    op.create_table("program_text", _id(), _text("program_id"), _text("version"),
                    _text("content_hash", unique=True), _text("text"), _time("stored_at"))
    op.create_table("session", _id(), _time("started_at"), _time("ended_at", True),
                    _text("program_id"), _text("program_version"), _text("program_hash"),
                    _text("source", server_default="cli"), _text("note", True))
    op.create_table(
        "exercise_set", _id(),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("session.id"), nullable=False),
        _text("exercise_id"), _text("program_id"), _text("program_version"),
        _text("program_hash"), _time("started_at"), _time("ended_at"),
        sa.Column("reps", sa.Integer), sa.Column("hold_seconds", sa.Integer),
        _text("outcome"), _text("stop_reason", True), _text("symptom_response", True),
        sa.Column("follow_up", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.CheckConstraint("outcome IN ('completed', 'partial', 'stopped')",
                           name="ck_set_outcome"))
    op.create_table(
        "pain_score", _id(), _time("at"), sa.Column("score", sa.Integer, nullable=False),
        _text("context"),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("session.id"), nullable=True),
        _text("location", True),
        sa.CheckConstraint("score BETWEEN 0 AND 10", name="ck_pain_score"))
    op.create_table("acute_episode", _id(), _time("started_at"), _time("ended_at", True))
    op.create_table("red_flag_check", _id(), _time("at"), _text("answers"),
                    sa.Column("positive", sa.Boolean, nullable=False))
    op.create_table("setting", sa.Column("key", sa.String(), primary_key=True),
                    _text("value"))
    op.create_index("ix_set_ended", "exercise_set", ["ended_at"])
    op.create_index("ix_set_exercise_outcome_ended", "exercise_set",
                    ["exercise_id", "outcome", "ended_at"])
    op.create_index("ix_set_session", "exercise_set", ["session_id"])
    op.create_index("ix_pain_at", "pain_score", ["at"])
    op.create_index("ix_pain_session", "pain_score", ["session_id", "context"])
    op.create_index("ix_acute_started", "acute_episode", ["started_at"])
    op.create_index("ix_red_flag_at", "red_flag_check", ["at"])
    op.create_index("ix_session_started", "session", ["started_at"])
