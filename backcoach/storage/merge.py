"""Filing an export into a log that may already hold part of it (a clinic's copy of a
patient who stays offline): rows are matched by their uid, so the same or a newer export
adds only what is new. Rows get this database's own ids; a set keeps its session."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from sqlalchemy import Connection, String, Table, insert, select, type_coerce, update

from backcoach.storage.aggregates import rebuild
from backcoach.storage.database import Database, StorageError
from backcoach.storage.exchange import OWN_TIME, SECTIONS, load_export, record_values, row_uid

#: what may have been filled in after a row was first exported: taken from a newer export
#: where this copy has nothing yet (a merge fills in, it never erases)
LATER_FIELDS: dict[str, tuple[str, ...]] = {
    "sessions": ("ended_at", "note"),
    "sets": ("stop_reason", "symptom_response", "void_at", "void_by"),
    "pain_scores": ("void_at", "void_by"),
    "acute_episodes": ("ended_at",),
    "psfs_ratings": ("void_at", "void_by"),
}


def merge_json(database: Database, text: str, source: str = "export",
               tz: tzinfo | None = None) -> dict[str, int]:
    """Add the export's log rows this log does not have yet, in one transaction; how many
    were added per section. Settings stay as they are. The whole file is validated first."""
    payload = load_export(text, source)
    added: dict[str, int] = {}
    try:
        with database.write() as conn:
            sessions: dict[int, int] = {}  # the file's session id → its id here
            for section, (table, times) in SECTIONS.items():
                if section == "settings":
                    continue
                added[section] = _merge_section(conn, section, table, payload, sessions,
                                                times, tz)
            rebuild(conn, None)
    except ValueError as error:  # a time the checks let through but no calendar has
        raise StorageError(f"the export is not valid: {error}; nothing was imported") from None
    return added


def _known(conn: Connection, section: str, table: Table, later: tuple[str, ...]
           ) -> dict[str, tuple[Any, ...]]:
    """This log's rows by uid: stored, or derived as its export derives it (a row written
    here), so an export of this very log is known too. Each: (id, *later fields)."""
    own = type_coerce(table.c[OWN_TIME[section]], String)
    rows = conn.execute(select(table.c.uid, table.c.id, own, *(table.c[f] for f in later)))
    return {uid or row_uid(section, ident, written): (ident, *rest)
            for uid, ident, written, *rest in rows}


def _merge_section(conn: Connection, section: str, table: Table, payload: dict[str, Any],
                   sessions: dict[int, int], times: tuple[str, ...],
                   tz: tzinfo | None) -> int:
    later = LATER_FIELDS.get(section, ())
    known = _known(conn, section, table, later)
    hashes: dict[str, int] = {}
    if section == "program_texts":
        hashes = {digest: ident for digest, ident in
                  conn.execute(select(table.c.content_hash, table.c.id))}
    local = payload["format_version"] >= 2
    count = 0
    for number, row in enumerate(payload.get(section, []), 1):
        values = record_values(section, number, row, times, local, tz)
        file_id = values.pop("id")
        values["uid"] = values["uid"] or row_uid(section, file_id,
                                                 values[OWN_TIME[section]])
        if values.get("session_id") is not None:
            values["session_id"] = sessions[values["session_id"]]
        here = known.get(values["uid"])
        if here is not None:
            ident = here[0]
            filled = {field: values[field] for field, stored in zip(later, here[1:], strict=True)
                      if stored is None and values.get(field) is not None}
            if filled:
                conn.execute(update(table).where(table.c.id == ident).values(**filled))
        elif section == "program_texts" and values["content_hash"] in hashes:
            ident = hashes[values["content_hash"]]
        else:
            key = conn.execute(insert(table).values(**values)).inserted_primary_key
            assert key is not None
            ident = int(key[0])
            count += 1
        if section == "sessions":
            sessions[file_id] = ident
    return count
