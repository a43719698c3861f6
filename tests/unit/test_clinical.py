"""Issue 10: every rule the app shows is a rule it enforces — each item through the engine
(table-driven) and through the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest

from backcoach.domain.history import STOP_SPREADING, STOPPED, PainScore, SetRecord
from tests.conftest import ROOT, at
from tests.unit.test_engine import daily, done, plan_at

# --- through the engine -----------------------------------------------------------------


def test_prone_lying_opens_every_session(catalog):
    shipped = catalog.load("mckenzie")
    for exercise in ("prone-press-up", "standing-extension", "lying-flexion"):
        entry = plan_at(shipped, "2026-03-02 10:00").entry(exercise)
        assert entry.status == "blocked" and "opens every session" in entry.reason
    after = plan_at(shipped, "2026-03-02 10:05", done("prone-lying", "2026-03-02 10:03"))
    assert after.entry("lying-flexion").status == "available"
    assert after.entry("standing-extension").status == "available"


def test_curl_up_reps_follow_days_practised(catalog):
    core = catalog.load("core-basics")
    one = done("curl-up", "2026-01-01 12:00")
    assert plan_at(core, "2026-03-12 12:00", one).entry("curl-up").reps_target == 15
    weeks = daily("curl-up", "2026-01-01", 70, "12:00")
    assert plan_at(core, "2026-03-12 12:00", *weeks).entry("curl-up").reps_target == 60


def test_flying_swallow_comes_in_two_bouts_of_three(catalog):
    disc = catalog.load("disc-basics")
    bout = [done("flying-swallow", f"2026-03-02 10:0{m}") for m in range(3)]
    within = plan_at(disc, "2026-03-02 10:01", *bout[:1]).entry("flying-swallow")
    assert within.status == "available" and within.sets_left_in_bout == 2
    rested = plan_at(disc, "2026-03-02 10:05", *bout).entry("flying-swallow")
    assert rested.status == "later" and "next bout" in rested.reason
    second = bout + [done("flying-swallow", f"2026-03-02 14:1{m}") for m in range(3)]
    assert plan_at(disc, "2026-03-02 14:09", *bout).entry("flying-swallow").status == "available"
    assert plan_at(disc, "2026-03-02 20:00", *second).entry("flying-swallow").status == "done"


def test_an_unlock_once_earned_stays_earned(mckenzie):
    five_weeks = daily("lying-flexion", "2026-01-01", 35)
    opened = done("prone-lying", "2026-02-05 09:58")
    assert plan_at(mckenzie, "2026-02-05 10:00", *five_weeks, opened).entry(
        "sitting-flexion").status == "available"
    # day 36 missed: it used to lock again until another five weeks had passed
    opened = done("prone-lying", "2026-02-07 09:58")
    assert plan_at(mckenzie, "2026-02-07 10:00", *five_weeks, opened).entry(
        "sitting-flexion").status == "available"


@pytest.mark.parametrize("pain,clock,status", [
    ((), "2026-03-02 06:00", "later"),  # no check-in: the day starts at 07:00
    ((), "2026-03-02 08:10", "available"),
    (("2026-03-02 09:00",), "2026-03-02 09:30", "later"),  # first check-in at 09:00
    (("2026-03-02 09:00",), "2026-03-02 10:01", "available"),
])
def test_curl_up_not_first_thing_in_the_morning(catalog, pain, clock, status):
    core = catalog.load("core-basics")
    scores = tuple(PainScore(at(p), 2) for p in pain)
    assert plan_at(core, clock, pain_today=scores).entry("curl-up").status == status


def test_acute_threshold_looks_back_over_midnight(mckenzie):
    late = (PainScore(at("2026-03-01 23:50"), 9),)
    plan = plan_at(mckenzie, "2026-03-02 00:10", pain_recent=late)
    assert plan.phase == "acute"
    assert plan_at(mckenzie, "2026-03-02 12:30", pain_recent=()).phase == "non-acute"


def test_spreading_pain_stops_the_direction_and_sends_back(catalog):
    shipped = catalog.load("mckenzie")
    sets = [done("prone-lying", "2026-03-02 10:00"), done("prone-on-elbows", "2026-03-02 10:04"),
            SetRecord("prone-press-up", at("2026-03-02 10:08"), STOPPED,
                      stop_reason=STOP_SPREADING)]
    plan = plan_at(shipped, "2026-03-02 12:30", *sets)
    for exercise in ("prone-press-up", "standing-extension", "prone-on-elbows"):
        entry = plan.entry(exercise)
        assert entry.status == "blocked" and entry.stopped_for_today, exercise
        assert "contact your physiotherapist" in entry.reason
    assert plan.entry("prone-lying").status == "available"  # the fallback
    assert any("spread down the leg" in n for n in plan.notices)


def test_not_easing_is_noticed_from_sparse_scores(mckenzie):
    every_other_day = tuple(PainScore(at("2026-02-01 09:00") + timedelta(days=2 * i), 6)
                            for i in range(28))
    plan = plan_at(mckenzie, "2026-03-29 10:00", pain_weeks=every_other_day)
    assert any("not eased" in n and "clinician" in n for n in plan.notices)


def test_no_safety_check_yet_blocks_every_exercise(mckenzie):
    plan = plan_at(mckenzie, "2026-03-02 10:00", last_red_flag=None)
    assert plan.phase == "safety-check" and plan.available == ()


# --- through the command line -----------------------------------------------------------

def cli(db, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backcoach", "--db", str(db), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={"TZ": "Europe/Berlin", "PATH": "/usr/bin:/bin"})


@pytest.mark.slow
def test_clinical_rules_from_the_command_line(tmp_path):
    db = tmp_path / "db"
    refused = cli(db, "log", "prone-lying", "--at", "2026-03-02T10:00")
    assert refused.returncode == 1 and "safety questions" in refused.stderr
    assert cli(db, "safety", "--no", "--at", "2026-03-01T08:00").returncode == 0
    first = cli(db, "log", "lying-flexion", "--at", "2026-03-02T10:00")
    assert first.returncode == 1 and "opens every session" in first.stderr
    assert cli(db, "log", "prone-lying", "--at", "2026-03-02T12:00").returncode == 0
    back = cli(db, "log", "prone-lying", "--at", "2026-03-02T11:00")  # earlier, too close
    assert back.returncode == 1 and "already logged" in back.stderr
    assert cli(db, "pain", "9", "--at", "2026-03-02T23:50").returncode == 0
    acute = cli(db, "log", "prone-lying", "--at", "2026-03-03T00:10")
    assert acute.returncode == 1 and "acute" in acute.stderr
    core = tmp_path / "core"
    assert cli(core, "--program", "core-basics", "safety", "--no", "--at",
               "2026-03-01T08:00").returncode == 0
    many = cli(core, "--program", "core-basics", "log", "curl-up", "--reps", "80", "--at",
               "2026-03-02T10:00")
    assert many.returncode == 1 and "more than today's 15" in many.stderr
    plan = json.loads(cli(core, "--program", "core-basics", "plan", "--json", "--at",
                          "2026-03-02T06:00").stdout)
    assert {e["id"]: e["status"] for e in plan["exercises"]}["curl-up"] == "later"


@pytest.mark.slow
def test_bouts_and_the_opener_from_the_command_line(tmp_path):
    disc = tmp_path / "disc"
    run = lambda *a: cli(disc, "--program", "disc-basics", *a)  # noqa: E731
    assert run("safety", "--no", "--at", "2026-03-01T08:00").returncode == 0
    for minute in ("00", "02", "04"):  # one bout: three sets back to back
        logged = run("log", "flying-swallow", "--at", f"2026-03-02T10:{minute}")
        assert logged.returncode == 0, logged.stderr
    fourth = run("log", "flying-swallow", "--at", "2026-03-02T10:06")
    assert fourth.returncode == 1 and "next bout" in fourth.stderr
    assert run("log", "flying-swallow", "--at", "2026-03-02T14:10").returncode == 0
    # disc-basics' own exercises do not wait for prone lying; the McKenzie ones do
    assert run("log", "lying-flexion", "--at", "2026-03-02T15:00").returncode == 1


@pytest.mark.slow
def test_safety_command_urgent_and_unknown(tmp_path):
    db = tmp_path / "db"
    urgent = cli(db, "safety", "--yes", "saddle_numbness")
    assert urgent.returncode == 0 and "emergency care now" in urgent.stdout
    plan = json.loads(cli(db, "plan", "--json").stdout)
    assert plan["phase"] == "red-flag"
    unknown = cli(db, "safety", "--yes", "nosuch")
    assert unknown.returncode == 2 and "bladder_bowel" in unknown.stderr


def test_check_schedule_prints_only_enforced_rule_kinds():
    """Every sentence `check --schedule` prints comes from a rule object with a check()."""
    from backcoach.domain.rules import ExerciseRule, ProgramRule

    for kind in ExerciseRule.__subclasses__() + ProgramRule.__subclasses__():
        assert kind.check is not ExerciseRule.check and kind.check is not ProgramRule.check, kind
    result = subprocess.run([sys.executable, "-m", "backcoach", "check", "--schedule",
                             "programs/mckenzie.toml"], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert "evenly" not in result.stdout  # nothing prints a rule the engine does not apply
    assert "opens every session" in result.stdout


def test_spreading_after_the_fallback_itself_does_not_send_back_to_it(catalog):
    shipped = catalog.load("mckenzie")
    stopped = SetRecord("prone-lying", at("2026-03-02 10:03"), STOPPED, stop_reason=STOP_SPREADING)
    plan = plan_at(shipped, "2026-03-02 10:05", stopped)
    entry = plan.entry("prone-lying")
    assert entry.stopped_for_today and "Go back to" not in entry.reason
    assert not any("Go back to" in n for n in plan.notices)
