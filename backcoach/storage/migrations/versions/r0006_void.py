"""Schema 6: a set or pain score entered by mistake can be marked void.

The row stays (and is exported) with when it was voided and by whom; every plan, history
and report leaves it out.
"""

import sqlalchemy as sa
from alembic import op

from backcoach.storage.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("exercise_set", "pain_score"):
        op.add_column(table, sa.Column("void_at", UTCDateTime(), nullable=True))
        op.add_column(table, sa.Column("void_by", sa.String(), nullable=True))
