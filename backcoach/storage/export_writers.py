"""Streaming exports: the whole log written row by row as JSON, CSV or FHIR R4.

Rows come a few thousand at a time (a server-side cursor on PostgreSQL) inside one read
transaction and are written as they arrive, so memory stays flat however long the log.
The JSON texts are exactly what json.dumps(..., indent=1, ensure_ascii=False) gives for the
whole document: each record is a template made by json.dumps itself, filled per row.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator
from hashlib import sha1
from itertools import groupby
from json.encoder import encode_basestring  # json.dumps' own string encoder
from typing import Any, TextIO

from sqlalchemy import Column, Connection, String, select, type_coerce

from backcoach.storage.database import Database
from backcoach.storage.exchange import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    SECTIONS,
    STREAM_ROWS,
    exported,
    first_time,
    section_rows,
)
from backcoach.storage.fhir import (
    ENTERED_IN_ERROR,
    NAMESPACE,
    PAIN_CODE,
    entry,
    observation,
    patient,
    psfs_response,
    set_code,
    set_components,
)
from backcoach.storage.schema import PAIN, PSFS, SETS
from backcoach.storage.upgrade import SCHEMA_VERSION
from backcoach.text import csv_safe

BATCH = 500  # records joined into one write
_SLOT = re.compile(r'"\\u0000(\w+)\\u0000"')
_NAMESPACE = NAMESPACE.bytes
_VARIANT = {f"{n:x}": f"{n & 3 | 8:x}" for n in range(16)}  # RFC 4122 variant bits


def _slot(name: str) -> str:
    """A placeholder value; `template` turns it into a %(name)s field."""
    return f"\x00{name}\x00"


def template(shape: Any, depth: int) -> str:
    """json.dumps(shape, indent=1) as if nested `depth` levels deep, slots as %(name)s."""
    text = _SLOT.sub(r"%(\1)s", json.dumps(shape, indent=1, ensure_ascii=False)
                     .replace("%", "%%"))
    pad = " " * depth
    return pad + text.replace("\n", "\n" + pad)


def value(item: Any) -> str:
    """One scalar as json.dumps(item, ensure_ascii=False) writes it."""
    if item is None:
        return "null"
    if type(item) is str:
        return encode_basestring(item)
    if type(item) is int:
        return int.__repr__(item)
    return json.dumps(item, ensure_ascii=False)


def uuid5(name: str) -> str:
    """str(uuid.uuid5(NAMESPACE, name)), without building UUID objects (many per export)."""
    h = sha1(_NAMESPACE + name.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


def write_list(out: TextIO, items: Iterable[str], depth: int) -> None:
    """A JSON list of ready-made item texts ('[]' when empty), written in batches."""
    batch: list[str] = []
    opened = False
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH:
            out.write((",\n" if opened else "[\n") + ",\n".join(batch))
            opened, batch = True, []
    if batch:
        out.write((",\n" if opened else "[\n") + ",\n".join(batch))
        opened = True
    out.write("\n" + " " * depth + "]" if opened else "[]")


def _open_object(out: TextIO, fields: dict[str, Any]) -> None:
    """'{' and the leading scalar fields of a top-level object (indent 1)."""
    out.write("{\n" + "".join(f" {value(k)}: {value(v)},\n" for k, v in fields.items()))


# --- JSON --------------------------------------------------------------------------------

def write_json(database: Database, out: TextIO) -> None:
    """The backcoach JSON export (what `import` restores), section by section."""
    with database.read() as conn:
        _open_object(out, {"format": EXPORT_FORMAT, "format_version": EXPORT_VERSION,
                           "schema_version": SCHEMA_VERSION})
        for number, section in enumerate(SECTIONS):
            table = SECTIONS[section][0]
            record = template({c.name: _slot(c.name) for c in exported(table)}, 2)
            out.write(f" {value(section)}: ")
            write_list(out, (record % {k: value(v) for k, v in row.items()}
                             for row in section_rows(conn, section)), 1)
            out.write(",\n" if number < len(SECTIONS) - 1 else "\n")
        out.write("}\n")


# --- CSV ---------------------------------------------------------------------------------

CSV_COLUMNS = ["record", "id", "time", "end_time", "session_id", "exercise", "reps", "seconds",
               "outcome", "stop_reason", "symptom", "follow_up", "pain", "context", "location",
               "program_id", "program_version", "program_hash", "note", "void_at", "void_by",
               "activity", "rating"]  # the last two: PSFS ratings (format 4)


class _SafeWriter(csv.DictWriter):
    """A DictWriter whose cells are neutralised against formula injection (OWASP)."""

    def writerow(self, rowdict: Any) -> Any:
        return super().writerow({k: csv_safe(v) for k, v in rowdict.items()})


def _session(row: dict[str, Any]) -> dict[str, Any]:
    return {"record": "session", "id": row["id"], "time": row["started_at"],
            "end_time": row["ended_at"], "session_id": row["id"],
            "program_id": row["program_id"], "program_version": row["program_version"],
            "program_hash": row["program_hash"], "note": row["note"]}


def _set(row: dict[str, Any]) -> dict[str, Any]:
    return {"record": "set", "id": row["id"], "time": row["ended_at"],
            "session_id": row["session_id"], "exercise": row["exercise_id"],
            "reps": row["reps"], "seconds": row["hold_seconds"], "outcome": row["outcome"],
            "stop_reason": row["stop_reason"], "symptom": row["symptom_response"],
            "follow_up": row["follow_up"], "program_id": row["program_id"],
            "program_version": row["program_version"], "program_hash": row["program_hash"],
            "void_at": row["void_at"], "void_by": row["void_by"]}


def _pain(row: dict[str, Any]) -> dict[str, Any]:
    return {"record": "pain", "id": row["id"], "time": row["at"],
            "session_id": row["session_id"], "pain": row["score"], "context": row["context"],
            "location": row["location"], "void_at": row["void_at"], "void_by": row["void_by"]}


def _acute(row: dict[str, Any]) -> dict[str, Any]:
    return {"record": "acute_episode", "id": row["id"], "time": row["started_at"],
            "end_time": row["ended_at"]}


def _flag(row: dict[str, Any]) -> dict[str, Any]:
    return {"record": "red_flag_check", "id": row["id"], "time": row["at"],
            "outcome": "positive" if row["positive"] else "negative", "note": row["answers"]}


def _psfs(row: dict[str, Any]) -> dict[str, Any]:
    return {"record": "psfs", "id": row["id"], "time": row["at"], "activity": row["activity"],
            "rating": row["score"], "void_at": row["void_at"], "void_by": row["void_by"]}


#: CSV record kinds in output order: export section → its row in CSV_COLUMNS
CSV_RECORDS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "sessions": _session, "sets": _set, "pain_scores": _pain, "acute_episodes": _acute,
    "red_flag_checks": _flag, "psfs_ratings": _psfs}


def write_csv(database: Database, out: TextIO) -> None:
    """One flat table: a row per session, set, pain score, acute episode, red-flag check and
    PSFS rating."""
    writer = _SafeWriter(out, CSV_COLUMNS, lineterminator="\n")
    with database.read() as conn:
        writer.writeheader()
        for section, shape in CSV_RECORDS.items():
            for row in section_rows(conn, section):
                writer.writerow(shape(row))


# --- FHIR --------------------------------------------------------------------------------

def _raw(column: Column[Any]) -> Any:
    """A time column as its stored text ('YYYY-MM-DD HH:MM:SS.ffffff', UTC)."""
    return type_coerce(column, String).label(column.name)


def patient_id(conn: Connection) -> str:
    """The Patient's id: a uuid5 of the time the log begins (its earliest session, pain score,
    acute episode, safety check or program text). The same log gives the same id on any
    database and after an import, and nothing personal goes into it."""
    return uuid5(f"patient:{first_time(conn)}")


def _fhir_entries(conn: Connection, subject: str) -> Iterator[str]:
    """The Patient entry, an Observation entry per pain score and per set, then a
    QuestionnaireResponse per activity-scale (PSFS) assessment."""
    yield template(entry(f"urn:uuid:{subject}", patient(subject)), 2)
    reference = {"reference": f"urn:uuid:{subject}"}
    slots = {name: _slot(name) for name in ("url", "id", "when", "value", "note", "exercise",
                                             "text", "reps", "seconds", "status")}
    pain = template(entry(slots["url"], observation(
        slots["id"], slots["when"], PAIN_CODE, {"valueInteger": slots["value"]}, reference,
        note=slots["note"], status=slots["status"])), 2)
    sets = {(reps, seconds): template(entry(slots["url"], observation(
        slots["id"], slots["when"], set_code(slots["exercise"], slots["text"]),
        {"valueString": slots["value"]}, reference, category="activity",
        components=set_components(slots["reps"] if reps else None,
                                  slots["seconds"] if seconds else None),
        status=slots["status"])), 2)
        for reps in (False, True) for seconds in (False, True)}
    status = {False: value("final"), True: value(ENTERED_IN_ERROR)}
    text = encode_basestring
    stream = conn.execution_options(yield_per=STREAM_ROWS)
    for key, at, score, context, void in stream.execute(
            select(PAIN.c.id, _raw(PAIN.c.at), PAIN.c.score, PAIN.c.context,
                   PAIN.c.void_at.is_not(None)).order_by(PAIN.c.id)):
        identifier = uuid5(f"pain-{key}")
        yield pain % {"url": f'"urn:uuid:{identifier}"', "id": f'"{identifier}"',
                      "status": status[bool(void)],
                      "when": text(f'{at.replace(" ", "T")}+00:00'), "value": value(score),
                      "note": text(f"context: {context}")}
    for key, at, exercise, reps, seconds, outcome, reason, void in stream.execute(
            select(SETS.c.id, _raw(SETS.c.ended_at), SETS.c.exercise_id, SETS.c.reps,
                   SETS.c.hold_seconds, SETS.c.outcome, SETS.c.stop_reason,
                   SETS.c.void_at.is_not(None)).order_by(SETS.c.id)):
        identifier = uuid5(f"set-{key}")
        yield sets[reps is not None, seconds is not None] % {
            "status": status[bool(void)],
            "url": f'"urn:uuid:{identifier}"', "id": f'"{identifier}"',
            "when": text(f'{at.replace(" ", "T")}+00:00'), "exercise": value(exercise),
            "text": text(f"Exercise set: {exercise}"), "reps": value(reps),
            "seconds": value(seconds), "value": text(outcome + (f" ({reason})" if reason else ""))}
    yield from _psfs_entries(conn, reference)


def _psfs_entries(conn: Connection, subject: dict[str, str]) -> Iterator[str]:
    """One QuestionnaireResponse per assessment (the ratings written at one time)."""
    rows = conn.execution_options(yield_per=STREAM_ROWS).execute(
        select(_raw(PSFS.c.at), PSFS.c.activity, PSFS.c.score, PSFS.c.void_at.is_not(None))
        .order_by(PSFS.c.at, PSFS.c.id))
    for at, group in groupby(rows, key=lambda row: row[0]):
        identifier = uuid5(f"psfs-{at}")
        ratings = [(activity, score, bool(void)) for _, activity, score, void in group]
        yield template(entry(f"urn:uuid:{identifier}", psfs_response(
            identifier, f'{at.replace(" ", "T")}+00:00', ratings, subject)), 2) % {}


def write_fhir(database: Database, out: TextIO) -> None:
    """An R4 Bundle (collection): the Patient, then Observations of pain scores (LOINC
    72514-3) and of sets, and a QuestionnaireResponse per PSFS assessment, each with the
    Patient as its subject; an entry marked void has status entered-in-error."""
    with database.read() as conn:
        _open_object(out, {"resourceType": "Bundle", "id": uuid5("bundle"),
                           "type": "collection"})
        out.write(' "entry": ')
        write_list(out, _fhir_entries(conn, patient_id(conn)), 1)
        out.write("\n}\n")


#: export format → writer (the CLI's --format choices and the app's export dialog)
WRITERS: dict[str, Callable[[Database, TextIO], None]] = {
    "json": write_json, "csv": write_csv, "fhir": write_fhir}
