"""Schema 8: every row belongs to a patient; a clinic's patients and their programs.

Each table gains `patient_id`, filled in by the database itself: the connected role on
PostgreSQL (where a clinic's row-level security keys on it), '' on SQLite (one implicit
patient). Log rows gain `uid`, the id a row imported from another database keeps, unique
per patient. A program text is unique per patient, a setting is per patient, and the
per-day aggregates are per patient (they are derived: recreated empty and rebuilt after the
scripts). `patient` and `assignment` hold a clinic's patients and assigned programs.
"""

import sqlalchemy as sa
from alembic import op

from backcoach.storage.types import CurrentPatient, Day, UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

LOG = ("session", "exercise_set", "pain_score", "acute_episode", "red_flag_check",
       "psfs_rating")


def _patient(primary_key: bool = False) -> sa.Column:
    return sa.Column("patient_id", sa.String(), nullable=False, primary_key=primary_key,
                     server_default=CurrentPatient())


def _text(name: str, primary_key: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(), nullable=False, primary_key=primary_key)


def _count(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer, nullable=False)


def _uid_index(table: str) -> None:
    op.create_index(f"ux_{table}_uid", table, ["patient_id", "uid"], unique=True)


def _programs_and_settings() -> None:
    """program_text: unique hash per patient; setting: keyed by (key, patient)."""
    if op.get_bind().dialect.name == "postgresql":
        op.add_column("program_text", _patient())
        op.add_column("program_text", sa.Column("uid", sa.String(), nullable=True))
        op.drop_constraint("program_text_content_hash_key", "program_text")
        op.create_unique_constraint("uq_program_text_hash", "program_text",
                                    ["patient_id", "content_hash"])
        op.add_column("setting", _patient())
        op.drop_constraint("setting_pkey", "setting")
        op.create_primary_key("setting_pkey", "setting", ["key", "patient_id"])
    else:  # SQLite changes a constraint by copying the table
        op.create_table(
            "program_text_new", sa.Column("id", sa.Integer, primary_key=True),
            _text("program_id"), _text("version"), _text("content_hash"), _text("text"),
            sa.Column("stored_at", UTCDateTime(), nullable=False), _patient(),
            sa.Column("uid", sa.String(), nullable=True),
            sa.UniqueConstraint("patient_id", "content_hash", name="uq_program_text_hash"))
        op.execute("INSERT INTO program_text_new (id, program_id, version, content_hash, text, "
                   "stored_at) SELECT id, program_id, version, content_hash, text, stored_at "
                   "FROM program_text")
        op.drop_table("program_text")
        op.rename_table("program_text_new", "program_text")
        op.create_table("setting_new", _text("key", True), _text("value"), _patient(True))
        op.execute("INSERT INTO setting_new (key, value) SELECT key, value FROM setting")
        op.drop_table("setting")
        op.rename_table("setting_new", "setting")
    _uid_index("program_text")


def _day_tables() -> None:
    for table in ("day_pain", "day_pairs", "day_exercise"):
        op.drop_table(table)
    op.create_table("day_pain", sa.Column("day", Day(), primary_key=True), _patient(True),
                    *(_count(name) for name in ("n", "total", "low", "high", "morning_n",
                                                "morning_total", "evening_n", "evening_total")))
    op.create_table("day_pairs", sa.Column("day", Day(), primary_key=True), _patient(True),
                    _count("n"), _count("before_total"), _count("after_total"))
    op.create_table("day_exercise", sa.Column("day", Day(), primary_key=True),
                    _text("exercise_id", True), _patient(True),
                    *(_count(name) for name in ("completed", "counted", "stopped", "spreading",
                                                "paired_sessions", "delta_total")))


def upgrade() -> None:
    for table in LOG:
        op.add_column(table, _patient())
        op.add_column(table, sa.Column("uid", sa.String(), nullable=True))
        _uid_index(table)
    _programs_and_settings()
    _day_tables()
    op.create_table("patient", _text("id", True), _text("name"),
                    sa.Column("added_at", UTCDateTime(), nullable=False))
    op.create_table("assignment", _text("patient_id", True), _text("program_id"),
                    _text("version"), _text("content_hash"), _text("text"),
                    sa.Column("assigned_at", UTCDateTime(), nullable=False))
