"""Schema 7: the Patient-Specific Functional Scale (PSFS).

One row per activity rated; the ratings written together (the same time) form one
assessment. The activity is the patient's own words. A rating entered by mistake can be
marked void like a set or pain score.
"""

import sqlalchemy as sa
from alembic import op

from backcoach.storage.types import Day, UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "psfs_rating", sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("activity", sa.String(), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("local_day", Day(), nullable=False),
        sa.Column("utc_offset", sa.Integer, nullable=False),
        sa.Column("void_at", UTCDateTime(), nullable=True),
        sa.Column("void_by", sa.String(), nullable=True),
        sa.CheckConstraint("score BETWEEN 0 AND 10", name="ck_psfs_score"))
    op.create_index("ix_psfs_at", "psfs_rating", ["at"])
