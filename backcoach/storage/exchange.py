"""The JSON export format and import of the whole log (round-trips exactly); the export
sections' rows. The writers of the JSON, CSV and FHIR files are in export_writers.py."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import Column, Connection, String, Table, func, insert, select, type_coerce

from backcoach.storage.aggregates import rebuild
from backcoach.storage.database import Database, StorageError
from backcoach.storage.dialects import postgres
from backcoach.storage.repository import holds_data, local_fields
from backcoach.storage.schema import (
    ACUTE,
    FLAGS,
    PAIN,
    PROGRAMS,
    PSFS,
    SESSIONS,
    SETS,
    SETTINGS,
)
from backcoach.storage.types import FORMAT, from_db
from backcoach.storage.validate import LOCAL_FIELDS, check_record
from backcoach.text import printable

EXPORT_FORMAT = "backcoach-export"
EXPORT_VERSION = 5  # 2: sessions, sets and pain scores carry their local day and UTC offset
READABLE_VERSIONS = (1, 2, 3, 4, 5)  # 3: void marks; 4: PSFS; 5: every log row's uid
MAX_IMPORT = 200_000_000  # bytes
#: export section → (table, columns holding times)
SECTIONS: dict[str, tuple[Table, tuple[str, ...]]] = {
    "program_texts": (PROGRAMS, ("stored_at",)),
    "sessions": (SESSIONS, ("started_at", "ended_at")),
    "sets": (SETS, ("started_at", "ended_at", "void_at")),
    "pain_scores": (PAIN, ("at", "void_at")),
    "acute_episodes": (ACUTE, ("started_at", "ended_at")),
    "red_flag_checks": (FLAGS, ("at",)),
    "psfs_ratings": (PSFS, ("at", "void_at")),
    "settings": (SETTINGS, ()),
}
SINCE = {"psfs_ratings": 4}  # sections added after format 1: the first version with them
BOOLEANS = {"follow_up", "positive"}  # booleans, exported as 0/1 on every database
STREAM_ROWS = 2000  # rows fetched at a time while exporting
UID_NAMESPACE = uuid.UUID("0b6f4a3c-2f1e-4f0a-8d8e-5c1b7a9e3d21")
#: the columns whose earliest time is when a log begins (see `first_time`)
BEGINNINGS = {"sessions": "started_at", "pain_scores": "at", "acute_episodes": "started_at",
              "red_flag_checks": "at", "program_texts": "stored_at", "psfs_ratings": "at"}
#: each log row's own time, set when it is written and never changed (see `row_uid`)
OWN_TIME = {**BEGINNINGS, "sets": "started_at"}


def exported(table: Table) -> list[Column[Any]]:
    """A table's columns as exported: all but `patient_id` (whose rows they are is the
    database's business; an import files them under the patient importing)."""
    return [column for column in table.columns if column.name != "patient_id"]


def first_time(conn: Connection) -> str:
    """When the log begins: its earliest stored time ('' for an empty log). The same log
    gives the same answer on any database and after an import."""
    firsts = [conn.execute(select(func.min(type_coerce(SECTIONS[s][0].c[c], String)))).scalar()
              for s, c in BEGINNINGS.items()]
    return min((f for f in firsts if f is not None), default="")


def row_uid(section: str, row_id: int, written: str) -> str:
    """A log row's id across databases when it has none stored: derived from its id there
    and its own time (stored text, `OWN_TIME`), so every export of the same log names the
    row the same way, whatever is added to the log later (even entries dated earlier)."""
    return str(uuid.uuid5(UID_NAMESPACE, f"{section}|{row_id}|{written}"))


def _iso(stored: str | None) -> str | None:
    """'2026-11-21 10:00:00.000000' (UTC) → '2026-11-21T10:00:00.000000Z'."""
    return None if stored is None else stored.replace(" ", "T") + "Z"


def _stored(iso: Any, where: str) -> str | None:
    if iso is None:
        return None
    if not isinstance(iso, str) or not iso.endswith("Z"):
        raise ValueError(f"{where}: expected a UTC time like 2026-01-02T03:04:05.000000Z")
    text = iso[:-1].replace("T", " ")
    datetime.strptime(text, FORMAT)
    return text


def section_rows(conn: Connection, section: str) -> Iterator[dict[str, Any]]:
    """One section's rows in id order, as exported (ISO UTC times, 0/1 flags, every log row
    with its uid), fetched a few thousand at a time (a server-side cursor on PostgreSQL)."""
    table, times = SECTIONS[section]
    columns = [type_coerce(c, String).label(c.name) if c.name in times else c
               for c in exported(table)]
    names = [c.name for c in columns]
    flags = [n for n in names if n in BOOLEANS]
    own = OWN_TIME.get(section) if "uid" in names else None
    statement = select(*columns).order_by(table.columns[0])
    result = conn.execution_options(yield_per=STREAM_ROWS).execute(statement)
    for values in result:
        row = dict(zip(names, values, strict=True))
        if own is not None and row["uid"] is None:
            row["uid"] = row_uid(section, row["id"], row[own])
        for column in times:
            row[column] = _iso(row[column])
        for column in flags:
            row[column] = int(row[column])
        yield row


def read_all(database: Database) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, in id order, with ISO UTC times (small logs, tests)."""
    with database.read() as conn:
        return {section: list(section_rows(conn, section)) for section in SECTIONS}


def validate_export(payload: dict[str, Any], source: str = "export") -> list[str]:
    """Every problem of an export as 'FILE: record N: field: message' (empty: valid)."""
    version = payload.get("format_version", EXPORT_VERSION)
    problems: list[str] = []
    ids: dict[str, set[Any]] = {}
    texts: dict[str, str] = {}  # program hash → the program text the file carries
    for section, (_table, times) in SECTIONS.items():
        rows = payload.get(section, [])
        if not isinstance(rows, list):
            problems.append(f"{source}: {section}: expected a list")
            continue
        if rows and version < SINCE.get(section, 1):
            problems.append(f"{source}: {section}: not part of export format {version}")
            continue
        for number, row in enumerate(rows, 1):
            where = f"{source}: {section} record {number}"
            if not isinstance(row, dict):
                problems.append(f"{where}: expected an object")
                continue
            problems += [f"{where}: {p}" for p in check_record(section, row, times, version)]
            if isinstance(row.get("id"), int):
                ids.setdefault(section, set()).add(row["id"])
            if section == "program_texts" and isinstance(row.get("text"), str):
                texts[str(row.get("content_hash"))] = row["text"]
            if section == "sets":
                problems += [f"{where}: {p}" for p in _known_exercise(row, texts)]
            session = row.get("session_id")
            if section in ("sets", "pain_scores") and isinstance(session, int) \
                    and session not in ids.get("sessions", set()):
                problems.append(f"{where}: session_id: no session {session!r} in the file")
    return problems


def _known_exercise(row: dict[str, Any], texts: dict[str, str]) -> list[str]:
    """A set's exercise must be one of the program it followed (its text is in the file)."""
    exercise, digest = row.get("exercise_id"), row.get("program_hash")
    if not isinstance(exercise, str) or not isinstance(digest, str):
        return []
    text = texts.get(digest)
    if text is None:
        return ["program_hash: no program text with this hash in the file"]
    if not re.search(rf'^\s*id\s*=\s*"{re.escape(exercise)}"', text, re.MULTILINE):
        return [f"exercise_id: '{exercise}' is not an exercise of the program it names"]
    return []


def load_export(text: str, source: str = "export") -> dict[str, Any]:
    """Parse and validate an export; StorageError listing every problem if it is not valid."""
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise StorageError(f"not a JSON export (line {error.lineno}: {error.msg})") from None
    except (RecursionError, ValueError, OverflowError):
        raise StorageError("not a valid export (nested too deeply or a number too large)") \
            from None
    if not isinstance(payload, dict) or payload.get("format") != EXPORT_FORMAT:
        raise StorageError("not a backcoach JSON export (missing \"format\": "
                           f"\"{EXPORT_FORMAT}\")")
    if payload.get("format_version") not in READABLE_VERSIONS:
        raise StorageError(f"export format version {payload.get('format_version')!r} is not "
                           f"supported (expected one of {READABLE_VERSIONS})")
    problems = validate_export(payload, source)
    if problems:
        shown = "\n".join(printable(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise StorageError(f"the export is not valid; nothing was imported:\n{shown}{more}")
    return payload


def import_json(database: Database, text: str, source: str = "export",
                tz: tzinfo | None = None) -> dict[str, int]:
    """Restore an export into an empty database, in one transaction; counts per section.

    The whole file is validated first (every problem listed); any problem refuses it all.
    A version-1 export has no local days: they are taken from its times in `tz`.
    """
    payload = load_export(text, source)
    local = payload["format_version"] >= 2
    counts: dict[str, int] = {}
    try:
        with database.write() as conn:
            if holds_data(conn):
                raise StorageError("import restores into an empty database; this one "
                                   "already holds data (use --db NEW.sqlite3)")
            conn.execute(SECTIONS["settings"][0].delete())
            for section, (table, times) in SECTIONS.items():
                records = [record_values(section, number, row, times, local, tz)
                           for number, row in enumerate(payload.get(section, []), 1)]
                if records:
                    conn.execute(insert(table), records)
                counts[section] = len(records)
            if conn.dialect.name == "postgresql":
                postgres.reset_sequences(conn, [t.name for t, _ in SECTIONS.values()
                                                if t.name != "setting"])
            rebuild(conn, None)
    except (ValueError, TypeError) as error:
        raise StorageError(f"the export is not valid: {error}; nothing was imported") from None
    return counts


def record_values(section: str, number: int, row: dict[str, Any], times: tuple[str, ...],
            local: bool, tz: tzinfo | None) -> dict[str, Any]:
    """One validated export row as table values (stored times, booleans, local fields)."""
    where = f"{section}[{number}]"
    values = dict(row)
    for column in times:
        if column in values:  # an older export has no void mark
            values[column] = _stored(values[column], f"{where}.{column}")
    for column in BOOLEANS & values.keys():
        values[column] = bool(values[column])
    if section != "settings" and "uid" not in values:  # before format 5: derived on export
        values["uid"] = None
    if not local and section in LOCAL_FIELDS:
        stamp = from_db(values["at" if section in ("pain_scores", "psfs_ratings") else
                               "started_at" if section == "sessions" else "ended_at"])
        values.update(local_fields(stamp, tz))
        if section == "pain_scores":
            values["local_hour"] = stamp.astimezone(tz).hour
    return values
