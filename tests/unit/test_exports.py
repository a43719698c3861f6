"""Streaming exports (issue 11): the same text as building the whole document at once, a
FHIR Patient every Observation names, atomic files, a closed pipe or full disk handled."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest

from backcoach.clock import FixedClock
from backcoach.coach import Coach, Refused
from backcoach.domain.history import STOP_PAIN, STOPPED, SetRecord
from backcoach.storage import export_writers
from backcoach.storage.database import open_database
from backcoach.storage.exchange import EXPORT_FORMAT, EXPORT_VERSION, import_json, read_all
from backcoach.storage.fhir import NAMESPACE
from backcoach.storage.upgrade import SCHEMA_VERSION
from backcoach.text import csv_safe
from tests.conftest import ROOT, TZ, at
from tests.helpers.exports import exported
from tests.helpers.log import TestLog

KINDS = ["json", "csv", "fhir"]


@pytest.fixture
def demo(db_target, mckenzie):
    """30 days of demo history, then rows with awkward text (quotes, %, formulas, Unicode),
    a set with neither reps nor seconds, and a set and a pain score marked void."""
    coach = Coach.open(db_target, FixedClock(at("2026-03-02 07:00")), "mckenzie", tz=TZ)
    coach.demo(30, 5)
    log = TestLog(coach.repo)
    start = at("2026-03-02 09:00")
    session = log.start_session(mckenzie, start)
    log.record_pain(7, start, "before", session, location='left "buttock" 100% ü')
    log.record_set(mckenzie, session, SetRecord("prone-lying", start + timedelta(minutes=2),
                                                STOPPED, stop_reason=STOP_PAIN))
    log.end_session(session, start + timedelta(minutes=5), '=HYPERLINK("x") %(id)s \\ ✓')
    log.record_red_flags(start + timedelta(hours=1), {"fever_unwell": True})
    coach.clock.current = start + timedelta(hours=2)
    coach.void_entry("set", 3)  # entries marked void are exported with their mark
    coach.void_entry("pain", 2, "app")
    yield coach
    coach.close()


# --- what the whole-document exports produced (the oracle) -------------------------------

def whole_json(database) -> str:
    payload = {"format": EXPORT_FORMAT, "format_version": EXPORT_VERSION,
               "schema_version": SCHEMA_VERSION, **read_all(database)}
    return json.dumps(payload, indent=1, ensure_ascii=False) + "\n"


def whole_csv(database) -> str:
    data = read_all(database)
    out = io.StringIO()
    writer = csv.DictWriter(out, export_writers.CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows = [{"record": "session", "id": r["id"], "time": r["started_at"],
             "end_time": r["ended_at"], "session_id": r["id"], "program_id": r["program_id"],
             "program_version": r["program_version"], "program_hash": r["program_hash"],
             "note": r["note"]} for r in data["sessions"]]
    rows += [{"record": "set", "id": r["id"], "time": r["ended_at"],
              "session_id": r["session_id"], "exercise": r["exercise_id"], "reps": r["reps"],
              "seconds": r["hold_seconds"], "outcome": r["outcome"],
              "stop_reason": r["stop_reason"], "symptom": r["symptom_response"],
              "follow_up": r["follow_up"], "program_id": r["program_id"],
              "program_version": r["program_version"], "program_hash": r["program_hash"],
              "void_at": r["void_at"], "void_by": r["void_by"]} for r in data["sets"]]
    rows += [{"record": "pain", "id": r["id"], "time": r["at"], "session_id": r["session_id"],
              "pain": r["score"], "context": r["context"], "location": r["location"],
              "void_at": r["void_at"], "void_by": r["void_by"]} for r in data["pain_scores"]]
    rows += [{"record": "acute_episode", "id": r["id"], "time": r["started_at"],
              "end_time": r["ended_at"]} for r in data["acute_episodes"]]
    rows += [{"record": "red_flag_check", "id": r["id"], "time": r["at"],
              "outcome": "positive" if r["positive"] else "negative", "note": r["answers"]}
             for r in data["red_flag_checks"]]
    for row in rows:
        writer.writerow({k: csv_safe(v) for k, v in row.items()})
    return out.getvalue()


def whole_fhir(database) -> str:
    data = read_all(database)
    begins = min((row[column] for section, column in (
        ("sessions", "started_at"), ("pain_scores", "at"), ("acute_episodes", "started_at"),
        ("red_flag_checks", "at"), ("program_texts", "stored_at")) for row in data[section]),
        default=None)
    stored = begins[:-1].replace("T", " ") if begins else ""
    patient = str(uuid.uuid5(NAMESPACE, f"patient:{stored}"))
    subject = {"reference": f"urn:uuid:{patient}"}
    entries = [{"fullUrl": f"urn:uuid:{patient}",
                "resource": {"resourceType": "Patient", "id": patient}}]

    def observation(key, when, code, value, category, extra, void):
        identifier = str(uuid.uuid5(NAMESPACE, key))
        resource = {"resourceType": "Observation", "id": identifier,
                    "status": "entered-in-error" if void else "final",
                    "category": [{"coding": [{"system": "http://terminology.hl7.org/"
                                              "CodeSystem/observation-category",
                                              "code": category}]}],
                    "code": code, "subject": subject,
                    "effectiveDateTime": when.replace("Z", "+00:00"), **value, **extra}
        entries.append({"fullUrl": f"urn:uuid:{identifier}", "resource": resource})

    for row in data["pain_scores"]:
        observation(f"pain-{row['id']}", row["at"], {"coding": [{
            "system": "http://loinc.org", "code": "72514-3",
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}],
            "text": "Pain severity 0-10"}, {"valueInteger": row["score"]}, "survey",
            {"note": [{"text": f"context: {row['context']}"}]}, row["void_at"])
    for row in data["sets"]:
        components = []
        if row["reps"] is not None:
            components.append({"code": {"text": "repetitions"}, "valueInteger": row["reps"]})
        if row["hold_seconds"] is not None:
            components.append({"code": {"text": "duration"}, "valueQuantity": {
                "value": row["hold_seconds"], "unit": "s",
                "system": "http://unitsofmeasure.org", "code": "s"}})
        reason = f" ({row['stop_reason']})" if row["stop_reason"] else ""
        observation(f"set-{row['id']}", row["ended_at"], {
            "coding": [{"system": "urn:backcoach:exercise", "code": row["exercise_id"]}],
            "text": f"Exercise set: {row['exercise_id']}"},
            {"valueString": row["outcome"] + reason}, "activity",
            {"component": components} if components else {}, row["void_at"])
    bundle = {"resourceType": "Bundle", "id": str(uuid.uuid5(NAMESPACE, "bundle")),
              "type": "collection", "entry": entries}
    return json.dumps(bundle, indent=1, ensure_ascii=False) + "\n"


WHOLE = {"json": whole_json, "csv": whole_csv, "fhir": whole_fhir}


class Pieces(io.StringIO):
    """A text file that counts its writes."""

    writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


# --- content -----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_streams_the_whole_document_text(demo, kind, monkeypatch):
    monkeypatch.setattr(export_writers, "BATCH", 7)
    out = Pieces()
    demo.export_to(kind, out)
    assert out.getvalue() == WHOLE[kind](demo.repo.db)
    assert out.getvalue().count("\n") > 500 and out.writes > 50  # written in pieces


@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_log_exports(db_target, kind):
    database = open_database(db_target)
    assert exported(database, kind) == WHOLE[kind](database)
    database.close()


def test_json_export_imports_back_unchanged(demo, new_target):
    first = exported(demo.repo.db, "json")
    target = open_database(new_target())
    counts = import_json(target, first)
    assert counts["sets"] > 100 and counts["red_flag_checks"] >= 1
    assert exported(target, "json") == first
    target.close()


def test_fhir_patient_is_every_observation_subject_and_stable(demo, new_target):
    from fhir.resources.R4B.bundle import Bundle

    text = exported(demo.repo.db, "fhir")
    bundle = Bundle.model_validate_json(text)
    first, *rest = bundle.entry
    patient = first.resource
    assert patient.get_resource_type() == "Patient" and first.fullUrl == f"urn:uuid:{patient.id}"
    assert patient.name is None and patient.birthDate is None  # nothing personal invented
    assert len(rest) > 100 and {e.resource.get_resource_type() for e in rest} == {"Observation"}
    assert {e.resource.subject.reference for e in rest} == {f"urn:uuid:{patient.id}"}
    # the same log gives the same Patient: again, after more entries, after an import
    assert exported(demo.repo.db, "fhir") == text
    copy = open_database(new_target())
    import_json(copy, exported(demo.repo.db, "json"))
    demo.record_pain(2)
    for database in (demo.repo.db, copy):
        assert json.loads(exported(database, "fhir"))["entry"][0]["resource"]["id"] == patient.id
    copy.close()


def test_uuid5_is_the_standard_one():
    for name in ("bundle", "set-1", "pain-123456", "patient:", "ü"):
        assert export_writers.uuid5(name) == str(uuid.uuid5(NAMESPACE, name))


# --- files -------------------------------------------------------------------------------

def test_export_file_is_private_and_complete(coach, tmp_path):
    coach.record_pain(4)
    (tmp_path / "out").mkdir()
    path = coach.export("fhir", tmp_path / "out" / "x.fhir.json")
    assert path.read_text() == whole_fhir(coach.repo.db)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.listdir(path.parent) == ["x.fhir.json"]


def test_a_failed_export_leaves_the_old_file_and_no_partial_one(coach, tmp_path, monkeypatch):
    coach.record_pain(4)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "x.csv"
    target.write_text("the old export\n")

    def full_disk(database, out):
        out.write("record,id\n" * 10_000)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setitem(export_writers.WRITERS, "csv", full_disk)
    with pytest.raises(OSError, match="No space left"):
        coach.export("csv", target)
    with pytest.raises(Refused, match="unknown export format"):
        coach.export("xml", target)
    assert target.read_text() == "the old export\n"
    assert os.listdir(target.parent) == ["x.csv"]


def cli(*args: str, script: str = "") -> subprocess.CompletedProcess:
    code = f"import sys\n{script}\nfrom backcoach.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120,
                          env={**os.environ, "BACKCOACH_NOW": "2026-11-21T12:00"})


def test_cli_export_into_a_missing_folder_is_one_line(tmp_path):
    db = str(tmp_path / "db.sqlite3")
    assert cli("--db", db, "pain", "3").returncode == 0
    result = cli("--db", db, "export", "--format", "json", "-o", str(tmp_path / "no" / "x"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "No such file or directory" in result.stderr
    assert not (tmp_path / "no").exists()


def test_cli_disk_full_mid_export_is_one_line_and_leaves_no_file(tmp_path):
    db = str(tmp_path / "db.sqlite3")
    assert cli("--db", db, "pain", "3").returncode == 0
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "x.json"
    target.write_text("old")
    script = ("import errno, os\n"
              "from backcoach.storage import export_writers as w\n"
              "def full(database, out):\n"
              "    out.write('{' * 100_000)\n"
              "    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
              "w.WRITERS['json'] = full\n")
    result = cli("--db", db, "export", "--format", "json", "-o", str(target), script=script)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "No space left on device" in result.stderr
    assert target.read_text() == "old" and os.listdir(target.parent) == ["x.json"]


@pytest.mark.slow
def test_cli_export_into_a_closed_pipe_stops_quietly(new_target):
    """`backcoach export | head -c 10`: exit 1, no traceback, no 'Exception ignored'."""
    db = new_target()
    assert cli("--db", db, "demo", "--days", "60").returncode == 0
    for kind in KINDS:
        proc = subprocess.Popen([sys.executable, "-m", "backcoach", "--db", db, "export",
                                 "--format", kind], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd=ROOT)
        assert proc.stdout is not None and proc.stderr is not None
        assert len(proc.stdout.read(10)) == 10
        proc.stdout.close()  # far more than a pipe's 64 KiB is still to come
        stderr = proc.stderr.read().decode()
        assert (proc.wait(timeout=120), stderr) == (1, ""), kind
