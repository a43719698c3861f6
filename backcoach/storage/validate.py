"""Strict checks of an imported export's records (untrusted input): types, ranges, times."""

from __future__ import annotations

import re
from typing import Any

from backcoach.text import has_control

TIME = re.compile(r"(20\d\d|2100)-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\Z")
ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}\Z")
MAX_INT = 10**6
MAX_TEXT = 2000
MAX_PROGRAM = 1_000_000
OUTCOMES = {"completed", "partial", "stopped"}
SETTINGS = {"program", "welcome_done", "theme", "last_reminder", "psfs_skipped"}
MAX_ACTIVITY = 80  # a PSFS activity's name
FIELDS: dict[str, list[str]] = {
    "program_texts": ["id", "program_id", "version", "content_hash", "text", "stored_at"],
    "sessions": ["id", "started_at", "ended_at", "program_id", "program_version",
                 "program_hash", "source", "note"],
    "sets": ["id", "session_id", "exercise_id", "program_id", "program_version",
             "program_hash", "started_at", "ended_at", "reps", "hold_seconds", "outcome",
             "stop_reason", "symptom_response", "follow_up"],
    "pain_scores": ["id", "at", "score", "context", "session_id", "location"],
    "acute_episodes": ["id", "started_at", "ended_at"],
    "red_flag_checks": ["id", "at", "answers", "positive"],
    "psfs_ratings": ["id", "at", "activity", "score"],
    "settings": ["key", "value"],
}
#: version 2 exports: the local day and UTC offset (minutes) each row was written with
LOCAL_FIELDS: dict[str, list[str]] = {
    "sessions": ["local_day", "utc_offset"],
    "sets": ["local_day", "utc_offset"],
    "pain_scores": ["local_day", "utc_offset", "local_hour"],
    "psfs_ratings": ["local_day", "utc_offset"],  # version 4
}
#: version 3 exports: when a set or pain score was marked void, and by whom (null: counts)
VOID_FIELDS: dict[str, list[str]] = {
    "sets": ["void_at", "void_by"],
    "pain_scores": ["void_at", "void_by"],
    "psfs_ratings": ["void_at", "void_by"],  # version 4
}
UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
DAY = re.compile(r"(20\d\d|2100)-\d\d-\d\d\Z")
MULTILINE = {("program_texts", "text"), ("red_flag_checks", "answers")}


def _time(value: Any) -> str | None:
    if not isinstance(value, str) or not TIME.match(value):
        return "expected a UTC time like 2026-01-02T03:04:05.000000Z (years 2000-2100)"
    from datetime import datetime
    try:
        datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        return "not a real date and time"
    return None


def _int(value: Any, low: int, high: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return f"expected a whole number {low}-{high}"
    return None


def check_record(section: str, row: dict[str, Any], times: tuple[str, ...],
                 version: int = 5) -> list[str]:
    """Problems of one record as 'field: message' (empty list: valid). From export version
    2 a record carries its local day and offset, from version 3 its void mark, from version
    5 (log records) its uid."""
    fields = FIELDS[section] + (LOCAL_FIELDS.get(section, []) if version >= 2 else []) \
        + (VOID_FIELDS.get(section, []) if version >= 3 else []) \
        + (["uid"] if version >= 5 and section != "settings" else [])
    if set(row) != set(fields):
        return [f"expected exactly the fields {fields}"]
    problems: list[str] = []
    for field, value in row.items():
        if field == "uid":
            error = None if isinstance(value, str) and UID.match(value) else \
                "expected a uuid like 0b6f4a3c-2f1e-4f0a-8d8e-5c1b7a9e3d21"
        elif field == "local_day":
            error = None if isinstance(value, str) and DAY.match(value) else \
                "expected a day like 2026-01-02"
        elif field == "utc_offset":
            error = _int(value, -18 * 60, 18 * 60)
        elif field == "local_hour":
            error = _int(value, 0, 23)
        elif field in times:
            if value is None and (field == "void_at" or field == "ended_at"
                                  and section != "sets"):
                continue
            error = _time(value)
        elif field == "id" or field == "session_id":
            error = None if (value is None and field == "session_id"
                             and section == "pain_scores") else _int(value, 1, 2**62)
        elif isinstance(value, str):
            cap = MAX_PROGRAM if section == "program_texts" else MAX_TEXT
            allowed = "\n\t" if (section, field) in MULTILINE else ""
            error = ("too long" if len(value) > cap else
                     "control characters are not allowed" if has_control(value, allowed)
                     else None)
        elif value is None or isinstance(value, int) and not isinstance(value, bool):
            error = None if value is None or abs(value) <= MAX_INT else "number out of range"
        else:
            error = "unexpected type"
        if error:
            problems.append(f"{field}: {error}")
    problems += _specific(section, row)
    return problems


def _specific(section: str, row: dict[str, Any]) -> list[str]:
    get = row.get
    checks: list[tuple[str, str | None]] = []
    if section == "sets":
        exercise = get("exercise_id")
        checks += [("exercise_id", None if isinstance(exercise, str)
                    and ID.match(exercise) else "not an exercise id"),
                   ("outcome", None if get("outcome") in OUTCOMES
                    else "expected completed, partial or stopped"),
                   ("follow_up", None if get("follow_up") in (0, 1) else "expected true/false"),
                   ("reps", None if get("reps") is None else _int(get("reps"), 0, 1000)),
                   ("hold_seconds", None if get("hold_seconds") is None
                    else _int(get("hold_seconds"), 0, 86400))]
    if section == "pain_scores":
        checks.append(("score", _int(get("score"), 0, 10)))
    if section == "psfs_ratings":
        activity = get("activity")
        checks += [("score", _int(get("score"), 0, 10)),
                   ("activity", None if isinstance(activity, str) and activity.strip()
                    and len(activity) <= MAX_ACTIVITY
                    else f"expected an activity's name of 1-{MAX_ACTIVITY} characters")]
    if section == "red_flag_checks":
        checks.append(("positive", None if get("positive") in (0, 1) else "expected 0/1"))
    if section in ("sessions", "acute_episodes", "sets"):
        start, end = get("started_at"), get("ended_at")
        if isinstance(start, str) and isinstance(end, str) and end < start:
            checks.append(("ended_at", "ends before it starts"))
    if section == "settings":
        key, value = get("key"), get("value")
        if key not in SETTINGS:
            checks.append(("key", "unknown setting"))
        elif key == "program" and not (isinstance(value, str) and (
                ID.match(value) or value.endswith(".toml") and not has_control(value))):
            checks.append(("value", "expected a program id"))
        elif key == "theme" and not (isinstance(value, str) and ID.match(value)):
            checks.append(("value", "expected a theme name"))
        elif key == "last_reminder" and not (isinstance(value, str) and len(value) <= 200
                                             and not has_control(value)):
            checks.append(("value", "expected an exercise id and a time"))
        elif key == "psfs_skipped" and not (isinstance(value, str) and DAY.match(value)):
            checks.append(("value", "expected a day like 2026-01-02"))
        elif key == "welcome_done" and value not in ("0", "1"):
            checks.append(("value", "expected 0 or 1"))
    return [f"{field}: {error}" for field, error in checks if error]
