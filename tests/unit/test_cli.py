"""The command-line contract (SPEC §6): shapes, exit codes, global options anywhere; each
test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

KEYS = {"id", "status", "reason", "sets_today", "sets_target", "next_allowed_at"}


def run(db, *args, env=None):
    return subprocess.run([sys.executable, "-m", "backcoach", "--db", str(db), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, env=env)


def checked(db) -> None:
    """A safety check with no warning signs, before the tests' times."""
    result = run(db, "safety", "--no", "--at", "2026-03-01T08:00")
    assert result.returncode == 0, result.stderr


def test_plan_without_a_safety_check_asks_for_one(db_target):
    result = run(db_target, "plan", "--json", "--at", "2026-03-02T10:00")
    plan = json.loads(result.stdout)
    assert plan["phase"] == "safety-check"
    assert all(e["status"] == "blocked" for e in plan["exercises"])
    refused = run(db_target, "log", "prone-lying", "--at", "2026-03-02T10:00")
    assert refused.returncode == 1 and "safety questions" in refused.stderr


def test_plan_json_shape(db_target):
    checked(db_target)
    result = run(db_target, "plan", "--json", "--at", "2026-03-02T10:00")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert set(plan) == {"phase", "program", "required_next", "exercises"}
    assert plan["program"] == "mckenzie" and plan["phase"] == "non-acute"
    assert plan["required_next"] is None
    for entry in plan["exercises"]:
        assert set(entry) == KEYS
        assert entry["status"] in {"available", "blocked", "locked", "done", "later"}
        assert entry["reason"].endswith(".")


def test_log_refusal_then_follow_with_then_plan(db_target):
    db = db_target
    checked(db)
    refused = run(db, "log", "prone-on-elbows", "--at", "2026-03-02T10:00")
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "backcoach: refused: Prone lying opens every session: do it first, then Prone on "
        "elbows.")
    for exercise, clock in (("prone-lying", "10:00"), ("prone-on-elbows", "10:04"),
                            ("prone-press-up", "10:08"), ("lying-flexion", "10:12")):
        assert run(db, "log", exercise, "--at", f"2026-03-02T{clock}").returncode == 0
    plan = json.loads(run(db, "plan", "--json", "--at", "2026-03-02T10:13").stdout)
    assert plan["required_next"] == "prone-press-up"
    available = [e["id"] for e in plan["exercises"] if e["status"] == "available"]
    assert available == ["prone-press-up"]
    spaced = run(db, "log", "prone-lying", "--at", "2026-03-02T11:30")
    assert spaced.returncode == 1 and "spaced 2 h apart" in spaced.stderr
    assert run(db, "log", "prone-lying", "--at", "2026-03-02T12:00").returncode == 0


def test_at_without_offset_is_local_time(db_target):
    db = db_target
    env = {"TZ": "Asia/Tokyo", "PATH": "/usr/bin:/bin"}
    assert run(db, "pain", "4", "--at", "2026-03-02T09:00", env=env).returncode == 0
    out = run(db, "export", "--format", "json", env=env).stdout
    assert json.loads(out)["pain_scores"][0]["at"] == "2026-03-02T00:00:00.000000Z"


@pytest.mark.parametrize("args,code,message", [
    (("pain", "11"), 2, "pain must be between 0 and 10"),
    (("pain", "-1"), 2, "pain must be between 0 and 10"),
    (("pain", "x"), 2, "pain must be a whole number"),
    (("log", "no-such-exercise"), 2, "unknown exercise 'no-such-exercise'"),
    (("log", "prone-lying", "--pain", "12"), 2, "pain must be between 0 and 10"),
    (("plan", "--at", "yesterday"), 2, "not an ISO date-time"),
    (("--program", "nope", "plan"), 2, "no program 'nope'"),
    (("acute", "end"), 1, "no open acute episode"),
    (("import", "/no/such/file.json"), 1, "cannot read"),
    (("export", "--format", "xml"), 2, "invalid choice"),
])
def test_user_mistakes_get_one_clear_line(db_target, args, code, message):
    result = run(db_target, *args)
    assert result.returncode == code, result
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_global_options_after_the_subcommand(db_target):
    result = subprocess.run([sys.executable, "-m", "backcoach", "plan", "--json", "--db",
                             db_target, "--program", "posture-neck"],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["program"] == "posture-neck"


def test_acute_episode_blocks_log(db_target):
    db = db_target
    assert run(db, "acute", "start", "--at", "2026-03-02T08:00").returncode == 0
    refused = run(db, "log", "prone-lying", "--at", "2026-03-02T09:00")
    assert refused.returncode == 1 and "Acute episode" in refused.stderr
    plan = json.loads(run(db, "plan", "--json", "--at", "2026-03-02T09:00").stdout)
    assert plan["phase"] == "acute"
    assert {e["status"] for e in plan["exercises"]} == {"blocked"}
