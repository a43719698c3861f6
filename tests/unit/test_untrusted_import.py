"""Issue 14: an import is untrusted input, validated strictly; odd files refused fast."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

import pytest

from backcoach.storage import exchange
from backcoach.storage.database import StorageError, open_database
from backcoach.text import csv_safe, printable
from tests.helpers.exports import exported

T = "2026-11-20T10:00:00.000000Z"
VALID = {"format": "backcoach-export", "format_version": 1,
         "program_texts": [{"id": 1, "program_id": "mckenzie", "version": "1",
                            "content_hash": "abc", "stored_at": T,
                            "text": 'id = "mckenzie"\n[[exercise]]\nid = "prone-lying"\n'}],
         "sessions": [{"id": 1, "started_at": T, "ended_at": T, "program_id": "mckenzie",
                       "program_version": "1", "program_hash": "abc", "source": "cli",
                       "note": "fine"}],
         "sets": [{"id": 1, "session_id": 1, "exercise_id": "prone-lying",
                   "program_id": "mckenzie", "program_version": "1", "program_hash": "abc",
                   "started_at": T, "ended_at": T, "reps": None, "hold_seconds": 60,
                   "outcome": "completed", "stop_reason": None, "symptom_response": None,
                   "follow_up": 0}],
         "pain_scores": [{"id": 1, "at": T, "score": 3, "context": "standalone",
                          "session_id": 1, "location": None}],
         "settings": [{"key": "welcome_done", "value": "1"}]}


def mutate(section: str, field: str, value: object) -> str:
    payload = copy.deepcopy(VALID)
    payload[section][0][field] = value  # type: ignore[index]
    return json.dumps(payload)


def test_valid_import_round_trips(tmp_path):
    counts = exchange.import_json(open_database(tmp_path / "a.sqlite3"), json.dumps(VALID))
    assert counts["sets"] == 1


@pytest.mark.parametrize("section,field,value,message", [
    ("sets", "reps", "ten", "reps"), ("sets", "hold_seconds", -5, "hold_seconds"),
    ("sets", "hold_seconds", 10**30, "hold_seconds"), ("pain_scores", "score", 5.5, "score"),
    ("pain_scores", "score", 11, "score"), ("sets", "follow_up", "yes", "follow_up"),
    ("sets", "outcome", "done", "outcome"), ("sets", "exercise_id", "../x y", "exercise_id"),
    ("sets", "session_id", 7, "no session"), ("pain_scores", "session_id", 9, "no session"),
    ("sessions", "started_at", "2026-11-2T3:4:5.1Z", "started_at"),
    ("sessions", "started_at", "9999-12-31T23:59:59.000000Z", "started_at"),
    ("sessions", "started_at", "0001-01-01T00:00:00.000000Z", "started_at"),
    ("sessions", "started_at", "2026-11-21T10:00:00.000000Z", "ends before"),
    ("sessions", "note", "\x1b[2J\x1b]0;pwned\x07", "control"),
    ("sessions", "id", [[[]]], "id"),
    ("settings", "key", "evil", "unknown setting"),
])
def test_bad_records_refused_whole_file(tmp_path, section, field, value, message):
    database = open_database(tmp_path / "a.sqlite3")
    with pytest.raises(StorageError, match=message) as caught:
        exchange.import_json(database, mutate(section, field, value), "f.json")
    assert f"f.json: {section} record 1: " in str(caught.value)
    with database.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM session").scalar() == 0


def test_program_setting_path_refused(tmp_path):
    payload = copy.deepcopy(VALID)
    payload["settings"] = [{"key": "program", "value": "/etc/passwd"}]
    with pytest.raises(StorageError, match="program id"):
        exchange.load_export(json.dumps(payload))


@pytest.mark.parametrize("text", ["[" * 100000, '{"a": ' + "9" * 5000 + "}",
                                  json.dumps({**VALID, "x": 2**64})])
def test_nesting_and_huge_ints_clean(text):
    try:
        exchange.load_export(text)
    except StorageError:
        pass


def test_printable_and_csv_safe():
    assert printable("a\x1b[2Jb\x07") == "a\\x1b[2Jb\\x07"
    assert printable("ok é") == "ok é"
    assert csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_safe("-1") == "'-1" and csv_safe("fine") == "fine" and csv_safe(3) == 3


def test_csv_export_neutralises_formulas(tmp_path):
    database = open_database(tmp_path / "a.sqlite3")
    exchange.import_json(database, mutate("sessions", "note", '=HYPERLINK("x")'))
    assert "'=HYPERLINK" in exported(database, "csv")


def run(tmp_path, *args):
    env = {**os.environ, "BACKCOACH_NOW": "2026-11-21T12:00"}
    return subprocess.run([sys.executable, "-m", "backcoach", "--db",
                           str(tmp_path / "db.sqlite3"), *args], capture_output=True,
                          text=True, timeout=20, env=env)


@pytest.mark.parametrize("kind", ["devzero", "fifo", "folder", "bad"])
def test_import_odd_files_refused_fast_no_db_left(tmp_path, kind):
    target = {"devzero": "/dev/zero", "folder": str(tmp_path)}.get(kind, str(tmp_path / "f"))
    if kind == "fifo":
        os.mkfifo(target)
    if kind == "bad":
        (tmp_path / "f").write_text(mutate("pain_scores", "score", 99))
    result = run(tmp_path, "import", target)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "db.sqlite3").exists()


def test_an_exercise_the_program_does_not_have_is_refused(tmp_path):
    """Sets name exercises of the program text the export carries; anything else is refused."""
    import json as _json

    from backcoach.storage.exchange import validate_export

    payload = {"program_texts": [{"id": 1, "program_id": "p", "version": "1",
                                  "content_hash": "h", "text": 'id = "p"\n[[exercise]]\nid = "a"\n',
                                  "stored_at": "2026-03-01T08:00:00.000000Z"}],
               "sets": [{"exercise_id": "zzz", "program_hash": "h"},
                        {"exercise_id": "a", "program_hash": "nohash"}]}
    found = "\n".join(validate_export(_json.loads(_json.dumps(payload)), "f.json"))
    assert "'zzz' is not an exercise of the program" in found
    assert "no program text with this hash" in found
