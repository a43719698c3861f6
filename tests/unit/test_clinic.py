"""A clinic on PostgreSQL (SPEC §5-6): each patient sees and changes only their own rows,
through the app and through raw SQL; the physiotherapists see all; `clinic` files home
exports, assigns programs and says clearly what is wrong; a patient on the clinic gets the
same answers and the same exports as on SQLite."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from backcoach.clock import FixedClock
from backcoach.storage.schema import PATIENT_TABLES
from tests.conftest import PROGRAMS, ROOT, TZ, at

NOW = "2026-03-02T18:00"
MCKENZIE = str(PROGRAMS / "mckenzie.toml")
#: every table holding a patient's rows, with the column naming whose rows they are
OWNED = {**{t.name: "patient_id" for t in PATIENT_TABLES}, "patient": "id",
         "assignment": "patient_id"}
LOG = ("program_text", "session", "exercise_set", "pain_score", "acute_episode",
       "red_flag_check", "psfs_rating")


def cli(db: str | Path | None, *args: str, now: str = NOW) -> subprocess.CompletedProcess:
    where = ("--db", str(db)) if db is not None else ()
    env = {**os.environ, "BACKCOACH_NOW": now}
    env.pop("BACKCOACH_DB", None)
    return subprocess.run([sys.executable, "-m", "backcoach", *where, *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300, env=env)


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def refused(result: subprocess.CompletedProcess, code: int = 1) -> str:
    """The one line a refusal prints (never a traceback)."""
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stderr.strip()


def coach_of(url: str, when: str = "2026-03-02 07:00", program: str | None = None) -> Any:
    from backcoach.coach import Coach

    return Coach.open(url, FixedClock(at(when)), program, tz=TZ)


def assign(clinic: Any, patient: str, path: str = MCKENZIE) -> None:
    ok(cli(clinic.url, "clinic", "assign", patient, path))


def fill(url: str, pain: int) -> None:
    """A day of one patient's log through the app's own code: a row in every log table and
    in every day aggregate, and a setting."""
    coach = coach_of(url)
    try:
        coach.record_safety({})
        coach.clock.current = at("2026-03-02 08:00")
        state, _ = coach.start_session(pain, False, False)
        coach.save_set(state, "prone-lying", at("2026-03-02 07:58"))
        coach.finish_session(state, pain - 1, "fine")
        coach.clock.current = at("2026-03-02 12:00")
        coach.record_pain(pain)
        coach.record_psfs([("sitting", 4)])
        coach.start_acute()
        coach.clock.current = at("2026-03-02 13:00")
        coach.end_acute()
        coach.remember_theme(f"theme-{pain}")
    finally:
        coach.close()


def raw(url: str) -> Any:
    return create_engine(url, poolclass=NullPool)


def counts(url: str) -> dict[str, dict[str, int]]:
    """Rows of every owned table by whose they are, as `url` sees them through raw SQL."""
    engine = raw(url)
    try:
        with engine.connect() as conn:
            return {table: {who: n for who, n in conn.execute(text(  # noqa: C416
                f"SELECT {column}, count(*) FROM {table} GROUP BY {column}"))}
                for table, column in OWNED.items()}
    finally:
        engine.dispose()


@pytest.fixture
def pair(clinic) -> tuple[tuple[str, str], tuple[str, str]]:
    """Two patients with McKenzie assigned and a day of log each (pain 6 and 3)."""
    a, b = clinic.add_patient("ana", "Ana Lima"), clinic.add_patient("bo", "Bo Berg")
    for (patient, url), pain in ((a, 6), (b, 3)):
        assign(clinic, patient)
        fill(url, pain)
    return a, b


# --- 1. each patient sees and changes only their own rows ----------------------------------
def test_each_patient_sees_only_their_own_log_through_the_app(pair):
    from backcoach.coach import Refused

    (a, a_url), (b, b_url) = pair
    seen = {}
    for patient, url in pair:
        coach = coach_of(url, "2026-03-02 18:00")
        try:
            summary = coach.history(None)
            out = io.StringIO()
            coach.export_to("json", out)
            export = json.loads(out.getvalue())
            seen[patient] = (summary, export, coach.plan(), coach.recent_sessions())
            # the other patient's entries do not exist for this one
            other = seen.get(a) if patient == b else None
            if other is not None:
                for set_row in other[1]["sets"]:
                    with pytest.raises(Refused, match="There is no set"):
                        coach.void_entry("set", set_row["id"])
        finally:
            coach.close()
    for patient, pain in ((a, 6), (b, 3)):
        summary, export, plan, sessions = seen[patient]
        assert sorted(p["score"] for p in export["pain_scores"]) == sorted([pain, pain - 1,
                                                                             pain])
        assert len(export["sessions"]) == 1 and len(export["sets"]) == 1
        assert len(export["acute_episodes"]) == 1 and len(export["red_flag_checks"]) == 1
        assert [r["activity"] for r in export["psfs_ratings"]] == ["sitting"]
        assert [s["key"] for s in export["settings"]] == ["theme"]
        assert export["settings"][0]["value"] == f"theme-{pain}"
        assert [d.high for d in summary.pain] == [pain]
        assert len(sessions) == 1
        done = {e.id: e.sets_today for e in plan.exercises}
        assert done["prone-lying"] == 1
    # voiding their own set works (the other's refused above was not touched)
    coach = coach_of(a_url, "2026-03-02 18:00")
    try:
        coach.void_entry("set", seen[a][1]["sets"][0]["id"])
    finally:
        coach.close()
    assert counts(b_url)["exercise_set"] == {b: 1}


def test_a_patient_cannot_read_or_change_another_patients_rows_by_sql(pair, clinic):
    (a, a_url), (b, b_url) = pair
    before = counts(clinic.add_physio())
    for table in OWNED:  # the physiotherapists see both patients everywhere
        assert set(before[table]) == {a, b}, table
    assert counts(a_url) == {t: {a: n[a]} for t, n in before.items()}
    engine = raw(a_url)
    try:
        for table, column in OWNED.items():
            with engine.begin() as conn:
                assert conn.execute(text(f"SELECT count(*) FROM {table} WHERE {column} = :b"),
                                    {"b": b}).scalar() == 0
            _refused_or_nothing(engine, f"UPDATE {table} SET {column} = {column} "
                                        f"WHERE {column} = :b", {"b": b}, table)
            _refused_or_nothing(engine, f"DELETE FROM {table} WHERE {column} = :b",
                                {"b": b}, table)
            _must_fail(engine, _copy_as(engine, table, column), {"a": a, "b": b}, table)
            # and no row of theirs can be handed over to the other patient
            _must_fail(engine, f"UPDATE {table} SET {column} = :b WHERE {column} = :a",
                       {"a": a, "b": b}, table)
        for table in LOG:  # void, never delete: not even their own rows
            _must_fail(engine, f"DELETE FROM {table}", {}, table, "permission denied")
    finally:
        engine.dispose()
    assert counts(clinic.add_physio()) == before


def _copy_as(engine: Any, table: str, column: str) -> str:
    """INSERT of a copy of one of the patient's own rows, given to the other patient."""
    with engine.connect() as conn:
        columns = [c for c in conn.execute(text(f"SELECT * FROM {table} LIMIT 0")).keys()
                   if c != "id"]
    values = ", ".join(":b" if c == column else c for c in columns)
    return (f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM {table} "
            f"WHERE {column} = :a LIMIT 1")


def _refused_or_nothing(engine: Any, statement: str, params: dict[str, str],
                        table: str) -> None:
    """A statement on the other patient's rows: no row touched, or no privilege at all."""
    try:
        with engine.begin() as conn:
            assert conn.execute(text(statement), params).rowcount == 0, (table, statement)
    except DBAPIError as error:
        assert "permission denied" in str(error.orig), (table, statement, error)


def _must_fail(engine: Any, statement: str, params: dict[str, str], table: str,
               reason: str | None = None) -> None:
    with pytest.raises(DBAPIError) as raised, engine.begin() as conn:
        conn.execute(text(statement), params)
    message = str(raised.value.orig)
    expected = (reason,) if reason else ("row-level security", "permission denied")
    assert any(e in message for e in expected), (table, statement, message)


@pytest.mark.parametrize("who", ["owner", "physio"])
def test_the_patient_app_refuses_whoever_is_not_a_patient(clinic, who):
    url = clinic.url if who == "owner" else clinic.add_physio()
    for args in (("plan",), ("history", "--json"), ("log", "prone-lying"), ("export",
                                                                            "--format", "json")):
        message = refused(cli(url, *args))
        assert "\n" not in message, message
        assert "is a clinic's database: patients connect as their own role" in message


# --- 2. clinic import ---------------------------------------------------------------------
def _export(db: Path, name: str, now: str = NOW) -> Path:
    path = db.parent / name
    ok(cli(db, "export", "--format", "json", "-o", str(path), now=now))
    return path


def _import(clinic: Any, patient: str, path: Path) -> str:
    return ok(cli(clinic.url, "clinic", "import", patient, str(path)))


def _history(db: str | Path, now: str = NOW) -> Any:
    return json.loads(ok(cli(db, "history", "--json", now=now)))


def test_clinic_import_files_only_what_is_new(clinic, tmp_path):
    home = tmp_path / "home.sqlite3"
    ok(cli(home, "demo", "--days", "20", "--seed", "5"))
    first = _export(home, "first.json")
    payload = json.loads(first.read_text())
    patient, url = clinic.add_patient("ana")
    entries = sum(len(rows) for section, rows in payload.items()
                  if isinstance(rows, list) and section != "settings")
    assert f"{entries} new entries filed ({len(payload['sessions'])} sessions, " \
        f"{len(payload['sets'])} sets, {len(payload['pain_scores'])} pain scores)" \
        in _import(clinic, patient, first)
    assert f"{patient}: 0 new entries" in _import(clinic, patient, first)
    assert _history(url) == _history(home)

    # later at home: more entries, and a set voided
    later = "2026-03-03T12:00"
    ok(cli(home, "pain", "5", now=later))
    ok(cli(home, "log", "prone-lying", now=later))
    ok(cli(home, "void", "set", str(payload["sets"][-1]["id"]), now=later))
    second = _export(home, "second.json", now=later)
    filed = _import(clinic, patient, second)
    assert "3 new entries filed (1 session, 1 set, 1 pain score)" in filed, filed
    assert _history(url, later) == _history(home, later)

    exported = json.loads(ok(cli(url, "export", "--format", "json", now=later)))
    home_export = json.loads(second.read_text())
    for section in ("sessions", "sets", "pain_scores", "red_flag_checks", "acute_episodes"):
        assert _by_uid(exported[section]) == _by_uid(home_export[section]), section
    voided = [s for s in exported["sets"] if s["void_at"]]
    assert [s["uid"] for s in voided] == [payload["sets"][-1]["uid"]]
    # sessions keep their sets, under this database's session ids
    sessions = {s["id"]: s["uid"] for s in exported["sessions"]}
    home_sessions = {s["id"]: s["uid"] for s in home_export["sessions"]}
    assert {s["uid"]: sessions[s["session_id"]] for s in exported["sets"]} == \
        {s["uid"]: home_sessions[s["session_id"]] for s in home_export["sets"]}


def _by_uid(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Rows by uid, without this database's ids."""
    return {r["uid"]: {k: v for k, v in r.items() if k not in ("id", "session_id")}
            for r in rows}


def test_an_older_export_without_uids_is_filed_once(clinic, tmp_path):
    home = tmp_path / "home.sqlite3"
    ok(cli(home, "demo", "--days", "10", "--seed", "2"))
    payload = json.loads(_export(home, "new.json").read_text())
    payload["format_version"] = 4
    for section in payload.values():
        for row in section if isinstance(section, list) else ():
            row.pop("uid", None)
    old = tmp_path / "old.json"
    old.write_text(json.dumps(payload))
    patient, url = clinic.add_patient("old")
    added = _import(clinic, patient, old)
    assert f"{len(payload['sets'])} sets" in added, added
    assert f"{patient}: 0 new entries" in _import(clinic, patient, old)
    assert _history(url) == _history(home)


def test_an_entry_dated_before_the_log_began_does_not_renew_every_uid(clinic, tmp_path):
    """A row's uid, where none is stored, must not change when an earlier entry is added
    later (a pain score given with --at): else the next import files the log twice."""
    home = tmp_path / "home.sqlite3"
    ok(cli(home, "demo", "--days", "10", "--seed", "4"))
    patient, url = clinic.add_patient()
    _import(clinic, patient, _export(home, "first.json"))
    ok(cli(home, "pain", "3", "--at", "2026-01-05T08:00"))
    assert f"{patient}: 1 new entry filed" in _import(clinic, patient, _export(home, "second.json"))
    assert _history(url) == _history(home)


def test_the_clinics_own_rows_are_known_to_an_import_of_their_export(pair, clinic, tmp_path):
    """Rows written on the clinic (no uid stored) are matched by the uid their export gives
    them: the export filed again, by the physiotherapist or by the patient, adds nothing."""
    (a, a_url), _ = pair
    ok(cli(a_url, "log", "prone-lying"))
    path = tmp_path / "clinic.json"
    ok(cli(a_url, "export", "--format", "json", "-o", str(path)))
    assert f"{a}: 0 new entries" in _import(clinic, a, path)
    assert ok(cli(a_url, "import", str(path))).startswith(
        "imported 0 program texts, 0 sessions, 0 sets, 0 pain scores")
    assert json.loads(ok(cli(a_url, "export", "--format", "json"))) == \
        json.loads(path.read_text())


def test_demo_refuses_a_clinic(clinic):
    """Made-up history has no place in a clinic's records."""
    _, url = clinic.add_patient()
    message = refused(cli(url, "demo", "--days", "5"))
    assert "clinic" in message and "made-up" in message, message


def test_clinic_import_for_an_unknown_patient_is_refused(clinic, tmp_path):
    home = tmp_path / "home.sqlite3"
    ok(cli(home, "pain", "4"))
    message = refused(cli(clinic.url, "clinic", "import", "nobody",
                          str(_export(home, "e.json"))))
    assert "no patient 'nobody'" in message


# --- 3. clinic assign -----------------------------------------------------------------------
def test_assign_refuses_an_invalid_program_as_check_does(clinic, tmp_path):
    patient, url = clinic.add_patient()
    broken = tmp_path / "broken.toml"
    broken.write_text(Path(MCKENZIE).read_text().replace("version = ", "version = 3 #", 1))
    checked = cli(None, "check", str(broken))
    assert checked.returncode == 1
    result = cli(clinic.url, "clinic", "assign", patient, str(broken))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = (result.stdout + result.stderr).strip()
    assert lines and lines == (checked.stdout + checked.stderr).strip()
    assert f"{broken}:" in lines
    assert json.loads(ok(cli(clinic.url, "clinic", "patients", "--json")))[0]["program"] is None


def test_the_assigned_program_is_the_patients_program(clinic):
    patient, url = clinic.add_patient()
    assign(clinic, patient, str(PROGRAMS / "core-basics.toml"))
    plan = json.loads(ok(cli(url, "plan", "--json")))
    assert plan["program"] == "core-basics"
    overridden = json.loads(ok(cli(url, "--program", "mckenzie", "plan", "--json")))
    assert overridden["program"] == "core-basics"
    ok(cli(url, "safety", "--no", now="2026-03-02T08:00"))
    first = plan["exercises"][0]["id"]
    ok(cli(url, "log", first, "--seconds", "30", now="2026-03-02T09:00"))
    message = refused(cli(url, "--program", "mckenzie", "log", "prone-lying",
                          now="2026-03-02T10:00"), 2)
    assert message.startswith("backcoach: unknown exercise 'prone-lying' in program "
                              "core-basics"), message
    program = PROGRAMS / "core-basics.toml"
    from backcoach.programs.catalog import Catalog

    expected = Catalog.default().load(str(program))
    engine = raw(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT program_id, program_version, program_hash "
                                     "FROM exercise_set")).all()
    finally:
        engine.dispose()
    assert rows == [(expected.id, expected.version, expected.content_hash)]


# --- 4. the clinic command's errors ---------------------------------------------------------
def test_clinic_command_errors_are_one_clear_line(clinic, tmp_path, postgres_server):
    from tests.helpers import postgres

    assert "postgresql" in refused(cli(tmp_path / "x.sqlite3", "clinic", "init"))
    assert "needs the practice's database" in refused(cli(None, "clinic", "patients"), 2)
    plain = postgres.create_database()
    try:
        assert "clinic init" in refused(cli(plain, "clinic", "patients"))
    finally:
        postgres.drop_database(plain)
    for bad in ("Ana", "pg_x", "a" * 64, "1ana", "backcoach_x", "ana lima"):
        message = refused(cli(clinic.url, "clinic", "add-patient", bad, "--name", "X"))
        assert "cannot be a patient id" in message, message
    patient, _ = clinic.add_patient("dup")
    message = refused(cli(clinic.url, "clinic", "add-patient", patient, "--name", "X"))
    assert message.endswith(f"'{patient}' is already a patient of this clinic")
    assert "--name" in refused(cli(clinic.url, "clinic", "add-patient", "x-" + patient[4:],
                                   "--name", " "))


def test_clinic_patients_lists_program_and_last_session(pair, clinic):
    (a, _), (b, _) = pair
    listed = json.loads(ok(cli(clinic.url, "clinic", "patients", "--json")))
    assert [p["id"] for p in listed] == sorted([a, b])
    by_id = {p["id"]: p for p in listed}
    assert by_id[a]["name"] == "Ana Lima" and by_id[b]["name"] == "Bo Berg"
    for p in listed:
        assert p["program"] == "mckenzie 1.0"
        assert datetime.fromisoformat(p["last_session"]) == at("2026-03-02 08:00")
    shown = ok(cli(clinic.url, "clinic", "patients"))
    assert a in shown and b in shown and "mckenzie 1.0" in shown


# --- 5. the same answers and exports on the clinic as on SQLite -----------------------------
def test_a_clinic_patient_gets_the_same_outputs_as_on_sqlite(clinic, tmp_path):
    patient, url = clinic.add_patient()
    assign(clinic, patient)
    home = tmp_path / "home.sqlite3"
    steps = [("2026-03-02T07:30", ("safety", "--no")), ("2026-03-02T08:00", ("pain", "5")),
             ("2026-03-02T08:05", ("log", "prone-lying", "--pain", "4")),
             ("2026-03-02T08:10", ("log", "prone-on-elbows")),
             ("2026-03-02T08:15", ("void", "set", "2")),
             ("2026-03-02T09:00", ("acute", "start")), ("2026-03-02T10:00", ("acute", "end")),
             ("2026-03-03T08:00", ("pain", "3")),
             ("2026-03-03T08:05", ("log", "prone-lying", "--seconds", "120"))]
    commands = [("plan", "--json"), ("history", "--json"), ("history", "--days", "1"),
                ("next", "--json"), ("export", "--format", "json"),
                ("export", "--format", "csv"), ("export", "--format", "fhir")]
    outputs = []
    for db in (home, url):
        for when, args in steps:
            ok(cli(db, *args, now=when))
        outputs.append([ok(cli(db, *c, now="2026-03-03T12:00")) for c in commands])
    for command, on_sqlite, on_clinic in zip(commands, *outputs, strict=True):
        assert on_sqlite == on_clinic, command
        assert len(on_sqlite) > 60, command
