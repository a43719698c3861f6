"""Issue 13, item 2: an entry made by mistake is marked void (kept, exported with who and
when, no longer counted), from the coach and the command line; undo of a session's last set."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from backcoach.coach import Refused
from tests.conftest import ROOT, at
from tests.helpers.log import count_rows


def _export(coach, kind: str = "json") -> str:
    out = io.StringIO()
    coach.export_to(kind, out)
    return out.getvalue()


def _json_export(coach) -> dict:
    return json.loads(_export(coach))


def test_a_void_set_no_longer_counts_but_stays_with_who_and_when(coach, db_target):
    coach.clock.current = at("2026-03-02 10:00")
    logged = coach.log_set("prone-lying", seconds=150)
    assert coach.plan().entry("prone-lying").sets_today == 1
    assert coach.history(1).sets[-1].completed == 1
    coach.clock.current = at("2026-03-02 10:05")
    entry = coach.void_entry("set", logged.set_id, "cli")
    assert (entry.kind, entry.what) == ("set", "prone-lying")
    plan = coach.plan()
    assert plan.entry("prone-lying").sets_today == 0
    assert plan.entry("prone-lying").status == "available"  # spacing no longer runs from it
    assert not coach.history(1).sets  # the day's aggregates were recomputed
    assert count_rows(db_target, "exercise_set") == 1
    (row,) = _json_export(coach)["sets"]
    assert row["void_at"].startswith("2026-03-02T") and row["void_by"].endswith(" via cli")
    bundle = json.loads(_export(coach, "fhir"))
    (observation,) = [e["resource"] for e in bundle["entry"]
                      if e["resource"]["resourceType"] == "Observation"]
    assert observation["status"] == "entered-in-error"
    (header, line) = _export(coach, "csv").splitlines()[:3:2]
    assert ",void_at,void_by," in header + "," and line.startswith("set,1,")
    assert line.split(",")[header.split(",").index("void_at")].startswith("2026-03-02T")


def test_voiding_twice_or_a_missing_entry_is_refused(coach):
    coach.clock.current = at("2026-03-02 10:00")
    logged = coach.log_set("prone-lying", seconds=150)
    coach.void_entry("set", logged.set_id)
    with pytest.raises(Refused, match=r"Set #1 is void already \(since 10:00\)"):
        coach.void_entry("set", logged.set_id)
    with pytest.raises(Refused, match="There is no pain score #5"):
        coach.void_entry("pain", 5)


def test_a_void_pain_score_ends_the_acute_day_it_caused(coach):
    coach.clock.current = at("2026-03-02 08:00")
    mistaken = coach.record_pain(9)  # meant 3
    assert coach.plan().phase == "acute"
    coach.void_entry("pain", mistaken, "app")
    assert coach.plan().phase == "non-acute"
    assert coach.history(1).pain == ()


def test_undo_the_last_set_of_a_session(coach, db_target):
    coach.clock.current = at("2026-03-02 10:00")
    state, _ = coach.start_session(3, False, False)
    coach.clock.current = at("2026-03-02 10:03")
    first = coach.save_set(state, "prone-lying", at("2026-03-02 10:00"), seconds=150)
    assert first.plan.entry("prone-on-elbows").can_start
    coach.clock.current = at("2026-03-02 10:06")
    coach.save_set(state, "prone-on-elbows", at("2026-03-02 10:03"), seconds=150)
    undone, plan = coach.undo_last_set(state)
    assert undone.exercise_id == "prone-on-elbows"
    assert plan.entry("prone-on-elbows").sets_today == 0
    assert state.set_ids == [first.set_id]
    coach.undo_last_set(state)
    with pytest.raises(Refused, match="no set in this session to undo"):
        coach.undo_last_set(state)
    assert count_rows(db_target, "exercise_set") == 2  # both still in the log, marked void
    assert all(row["void_by"].endswith(" via app") for row in _json_export(coach)["sets"])


def test_an_export_with_void_marks_round_trips(coach, new_target):
    from backcoach.clock import FixedClock
    from backcoach.coach import Coach

    coach.clock.current = at("2026-03-02 10:00")
    coach.void_entry("set", coach.log_set("prone-lying", seconds=150).set_id)
    text = _export(coach)
    other = Coach.open(new_target(), FixedClock(at("2026-03-02 11:00")), "mckenzie")
    try:
        other.import_text(text)
        assert _export(other) == text
        assert other.plan().entry("prone-lying").sets_today == 0
    finally:
        other.close()


def cli(*args: str, db: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "BACKCOACH_NOW": "2026-03-02T10:00", "BACKCOACH_DB": db}
    return subprocess.run([sys.executable, "-m", "backcoach", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)


@pytest.mark.slow
def test_cli_void(db_target):
    assert cli("safety", "--no", db=db_target).returncode == 0
    logged = cli("log", "prone-lying", "--seconds", "150", db=db_target)
    assert "(set #1," in logged.stdout
    assert "(pain score #1)" in cli("pain", "4", db=db_target).stdout
    done = cli("void", "set", "1", db=db_target)
    assert done.returncode == 0 and "set #1 (prone-lying at 2026-03-02 10:00) is now void" \
        in done.stdout
    assert cli("void", "pain", "1", db=db_target).returncode == 0
    again = cli("void", "set", "1", db=db_target)
    assert again.returncode == 1 and again.stderr.startswith("backcoach: refused: Set #1 is void")
    missing = cli("void", "pain", "99", db=db_target)
    assert missing.returncode == 1 and "There is no pain score #99" in missing.stderr
    usage = cli("void", "session", "1", db=db_target)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    plan = json.loads(cli("plan", "--json", db=db_target).stdout)
    assert plan["exercises"][0]["sets_today"] == 0
