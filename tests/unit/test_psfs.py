"""Issue 13, item 3: the Patient-Specific Functional Scale — pure rules, the coach (on
SQLite and PostgreSQL), the JSON export round trip, and the `psfs` command."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from backcoach.coach import Refused
from backcoach.domain.psfs import (
    Assessment,
    Rating,
    activities_to_rerate,
    activity_rows,
    change_since_first,
    is_due,
    problem,
    summary_text,
)
from tests.conftest import ROOT, at
from tests.helpers.exports import exported


def _assessment(when: str, *pairs: tuple[str, int]) -> Assessment:
    return Assessment(at(when), tuple(Rating(name, score) for name, score in pairs))


FIRST = _assessment("2026-03-02 09:00", ("walking 30 min", 3), ("bending to dress", 5))
LATER = _assessment("2026-03-09 09:00", ("Walking  30 min", 6), ("bending to dress", 6),
                    ("sitting in the car", 4))


# --- pure rules ---------------------------------------------------------------------------
def test_mean_and_change_since_first():
    assert FIRST.mean == 4.0
    assert change_since_first([FIRST]) is None
    assert change_since_first([FIRST, LATER]) == pytest.approx(16 / 3 - 4)


def test_the_latest_named_activities_are_asked_again():
    assert activities_to_rerate([]) == []
    assert activities_to_rerate([FIRST, LATER]) == ["Walking  30 min", "bending to dress",
                                                     "sitting in the car"]


@pytest.mark.parametrize(("now", "skipped", "due"), [
    ("2026-03-09 08:59", None, False),  # 6 days 23:59 after the first
    ("2026-03-09 09:00", None, True),   # 7 days
    ("2026-03-09 09:00", "2026-03-09", False),  # skipped today: not again today
    ("2026-03-10 09:00", "2026-03-09", True),   # ...but tomorrow
])
def test_weekly_due(now, skipped, due):
    from datetime import date

    when = at(now)
    skipped_on = date.fromisoformat(skipped) if skipped else None
    assert is_due([FIRST], when, when.date(), skipped_on) is due


def test_never_done_is_due():
    assert is_due([], at("2026-03-02 09:00"), at("2026-03-02 09:00").date())


@pytest.mark.parametrize(("ratings", "message"), [
    ([], "at least one activity"),
    ([(f"a{i}", 5) for i in range(6)], "at most 5 activities"),
    ([("  ", 5)], "needs a name"),
    ([("x" * 81, 5)], "at most 80 characters"),
    ([("walk\x1b[31m", 5)], "control characters"),
    ([("walk", 11)], "0 to 10"),
    ([("walk", -1)], "0 to 10"),
    ([("walk", 3), ("WALK", 4)], "named twice"),
])
def test_invalid_assessments_say_why(ratings, message):
    assert message in (problem(ratings) or "")


def test_activity_rows_and_summary_text_never_diagnose():
    rows = activity_rows([FIRST, LATER])
    assert rows == [("walking 30 min", 3, 6), ("bending to dress", 5, 6),
                    ("sitting in the car", None, 4)]
    text = summary_text([FIRST, LATER])
    assert "mean 5.3/10" in text and "+1.3 since the first" in text
    assert "usually noticeable" in text


# --- the coach ----------------------------------------------------------------------------
def test_record_then_due_again_after_a_week_with_the_same_activities(coach):
    coach.clock.current = at("2026-03-02 09:00")
    assert coach.psfs_status().due and coach.psfs_status().activities == []
    coach.record_psfs([("walking 30 min", 4), (" bending to dress ", 6)])
    status = coach.psfs_status()
    assert not status.due and status.activities == ["walking 30 min", "bending to dress"]
    coach.clock.current = at("2026-03-09 10:00")
    assert coach.psfs_status().due
    coach.skip_psfs()
    assert not coach.psfs_status().due  # skipped: not asked again today
    coach.clock.current = at("2026-03-10 08:00")
    assert coach.psfs_status().due
    coach.record_psfs([("walking 30 min", 7), ("bending to dress", 6)])
    history = coach.psfs_history()
    assert [a.mean for a in history] == [5.0, 6.5]
    assert not coach.psfs_status().due


@pytest.mark.parametrize("ratings", [[], [("walk", 12)], [("", 3)], [("a\nb", 3)]])
def test_record_refuses_invalid_and_writes_nothing(coach, ratings):
    with pytest.raises(Refused):
        coach.record_psfs(ratings)
    assert coach.psfs_history() == []


def test_json_export_round_trip_keeps_psfs(coach, new_target):
    from backcoach.clock import FixedClock
    from backcoach.coach import Coach
    from tests.conftest import TZ

    coach.record_psfs([("walking =30 min", 4), ("lifting a child", 2)])
    coach.skip_psfs()
    text = exported(coach.repo.db, "json")
    payload = json.loads(text)
    assert payload["format_version"] == 5
    assert [r["activity"] for r in payload["psfs_ratings"]] == ["walking =30 min",
                                                                "lifting a child"]
    other = Coach.open(new_target(), FixedClock(at("2026-03-03 09:00")), "mckenzie", tz=TZ)
    try:
        counts = other.import_text(text)
        assert counts["psfs_ratings"] == 2
        assert exported(other.repo.db, "json") == text
        assert [a.mean for a in other.psfs_history()] == [3.0]
    finally:
        other.close()


def test_older_exports_still_import_and_cannot_carry_psfs(coach, new_target):
    from backcoach.storage.exchange import validate_export

    payload = json.loads(exported(coach.repo.db, "json"))
    payload["format_version"] = 3
    payload.pop("psfs_ratings")
    for _section, rows in payload.items():  # format 3 had no uids
        for row in rows if isinstance(rows, list) else ():
            row.pop("uid", None)
    assert validate_export(payload) == []
    payload["psfs_ratings"] = [{"id": 1}]
    assert validate_export(payload) == ["export: psfs_ratings: not part of export format 3"]


def test_import_rejects_a_bad_psfs_rating(coach):
    from backcoach.storage.exchange import validate_export

    coach.record_psfs([("walking", 4)])
    payload = json.loads(exported(coach.repo.db, "json"))
    payload["psfs_ratings"][0].update(score=11, activity="")
    problems = validate_export(payload)
    assert any("score: expected a whole number 0-10" in p for p in problems)
    assert any("activity: expected an activity's name" in p for p in problems)


# --- the command line ---------------------------------------------------------------------
def run(db, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "backcoach", "--db", str(db), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          input=stdin)


def test_cli_rate_show_and_json(db_target):
    done = run(db_target, "psfs", "--rate", "walking 30 min=4", "--rate",
               "bending to dress = 6", "--at", "2026-03-02T09:00")
    assert done.returncode == 0, done.stderr
    assert "mean 5.0/10" in done.stdout
    run(db_target, "psfs", "--rate", "walking 30 min=7", "--rate", "bending to dress=6",
        "--at", "2026-03-09T09:00")
    shown = run(db_target, "psfs", "--show")
    assert shown.returncode == 0 and "walking 30 min" in shown.stdout
    assert "+1.5 since the first" in shown.stdout
    data = json.loads(run(db_target, "psfs", "--show", "--json").stdout)
    assert [a["mean"] for a in data["assessments"]] == [5.0, 6.5]
    assert data["assessments"][1]["ratings"][0] == {"activity": "walking 30 min", "score": 7}
    assert data["change_since_first"] == 1.5


@pytest.mark.parametrize(("args", "code", "message"), [
    (("--rate", "walking"), 2, "ACTIVITY=SCORE"),
    (("--rate", "walking=eleven"), 2, "ACTIVITY=SCORE"),
    (("--rate", "walking=11"), 1, "0 to 10"),
    (("--rate", "=4"), 1, "needs a name"),
    (("--rate", "a=1", "--rate", "b=1", "--rate", "c=1", "--rate", "d=1", "--rate", "e=1",
      "--rate", "f=1"), 1, "at most 5"),
    (("--rate", "a=1", "--show"), 2, "not both"),
    ((), 2, "at a terminal"),
])
def test_cli_mistakes_get_one_line_and_no_traceback(tmp_path, args, code, message):
    done = run(tmp_path / "db.sqlite3", "psfs", *args, stdin="")
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    assert message in done.stderr.strip().splitlines()[-1]  # argparse's usage comes first


def test_cli_at_a_terminal_asks_the_previous_activities_again(tmp_path):
    import os
    import pty

    db = tmp_path / "db.sqlite3"
    assert run(db, "psfs", "--rate", "walking 30 min=4", "--rate", "bending to dress=6",
               "--at", "2026-03-02T09:00").returncode == 0
    master, slave = pty.openpty()
    try:
        # walking: 7; bending: left out; then a new activity rated 5; enter alone ends
        os.write(master, b"7\n\nsitting in the car\n5\n\n")
        done = subprocess.run([sys.executable, "-m", "backcoach", "--db", str(db), "psfs",
                               "--at", "2026-03-09T09:00"], stdin=slave, capture_output=True,
                              text=True, cwd=ROOT, timeout=120)
    finally:
        os.close(slave)
        os.close(master)
    assert done.returncode == 0, done.stderr
    assert "walking 30 min (0-10)" in done.stdout and "bending to dress (0-10)" in done.stdout
    assert "Recorded: mean 6.0/10 over 2 activities." in done.stdout
    data = json.loads(run(db, "psfs", "--show", "--json").stdout)
    assert data["assessments"][-1]["ratings"] == [
        {"activity": "walking 30 min", "score": 7}, {"activity": "sitting in the car",
                                                     "score": 5}]


def test_report_charts_the_scale_and_escapes_the_patients_words(coach):
    from backcoach.report import render_report

    empty = render_report(coach.history(30), "McKenzie")
    assert "No activity scale recorded yet" in empty
    coach.clock.current = at("2026-03-02 09:00")
    coach.record_psfs([("walking <script>alert(1)</script>", 3), ("bending", 5)])
    coach.clock.current = at("2026-03-09 09:00")
    coach.record_psfs([("walking <script>alert(1)</script>", 6), ("bending", 6)])
    html = render_report(coach.history(30), "McKenzie", psfs=coach.psfs_history())
    assert 'id="psfs-chart"' in html and html.count("<circle") == 2
    assert "<script" not in html and "walking &lt;script&gt;" in html
    assert "<td>3</td><td>6</td>" in html and "+2.0 since the first" in html


def test_cli_report_has_the_scale(tmp_path):
    db, out = tmp_path / "db.sqlite3", tmp_path / "report.html"
    assert run(db, "psfs", "--rate", "walking=4").returncode == 0
    done = run(db, "report", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert 'id="psfs-chart"' in out.read_text()


def test_csv_has_a_row_per_rating_guarded_against_formulas(coach):
    import csv
    import io

    coach.record_psfs([("=walking 30 min", 4), ("bending", 6)])
    rows = [r for r in csv.DictReader(io.StringIO(exported(coach.repo.db, "csv")))
            if r["record"] == "psfs"]
    assert [(r["activity"], r["rating"]) for r in rows] == [("'=walking 30 min", "4"),
                                                            ("bending", "6")]
    assert rows[0]["time"].startswith("2026-03-02T06:00:00") and rows[0]["void_at"] == ""


def test_fhir_has_a_questionnaire_response_per_assessment(coach):
    from fhir.resources.R4B.bundle import Bundle

    coach.clock.current = at("2026-03-02 09:00")
    coach.record_psfs([("walking 30 min", 4), ("bending", 6)])
    coach.clock.current = at("2026-03-09 09:00")
    coach.record_psfs([("Walking  30 min", 7), ("bending", 6), ("lifting a child", 2)])
    text = exported(coach.repo.db, "fhir")
    bundle = Bundle.model_validate_json(text)  # valid R4(B)
    patient = bundle.entry[0].resource
    responses = [e.resource for e in bundle.entry
                 if e.resource.get_resource_type() == "QuestionnaireResponse"]
    assert len(responses) == 2
    first, second = responses
    assert {r.status for r in responses} == {"completed"}
    assert {r.subject.reference for r in responses} == {f"urn:uuid:{patient.id}"}
    assert str(first.authored).startswith("2026-03-02 08:00:00")
    items = second.item[0].item
    assert [(i.text, i.answer[0].valueInteger) for i in items[:3]] == [
        ("Walking  30 min", 7), ("bending", 6), ("lifting a child", 2)]
    assert float(items[3].answer[0].valueDecimal) == 5.0
    # the same activity keeps its linkId from one assessment to the next
    assert first.item[0].item[0].linkId == items[0].linkId != items[1].linkId
    assert exported(coach.repo.db, "fhir") == text  # stable
