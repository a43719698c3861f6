"""An export as one string, through the streaming writers (small test logs only)."""

from __future__ import annotations

import io

from backcoach.storage.database import Database


def exported(database: Database, kind: str) -> str:
    from backcoach.storage.export_writers import WRITERS

    out = io.StringIO()
    WRITERS[kind](database, out)
    return out.getvalue()
