"""Program files: the shipped ones load; every bad file gives its exact message and line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from backcoach.programs.errors import ProgramInvalid
from backcoach.programs.loader import load_program
from backcoach.programs.schema import json_schema
from tests.conftest import DATA, PROGRAMS, ROOT

BAD = DATA / "programs" / "bad"
GOOD = DATA / "programs" / "good"
EXPECTED = (DATA / "programs" / "expected-problems.txt").read_text().splitlines()
SPEC_IDS = {
    "mckenzie": ["prone-lying", "prone-on-elbows", "prone-press-up", "standing-extension",
                 "lying-flexion", "sitting-flexion", "standing-flexion"],
    "posture-neck": ["gaze-fixed-neck-turns", "wall-standing"],
    "core-basics": ["hip-flexor-stretch", "curl-up", "walking"],
}


def test_at_least_25_bad_files():
    assert len(list(BAD.glob("*.toml"))) >= 25


@pytest.mark.parametrize("path", sorted(BAD.glob("*.toml")), ids=lambda p: p.stem)
def test_bad_file_gives_exact_message_and_line(path, monkeypatch):
    monkeypatch.chdir(BAD)
    with pytest.raises(ProgramInvalid) as caught:
        load_program(Path(path.name))
    produced = [str(p) for p in caught.value.problems]
    expected = [line for line in EXPECTED if line.startswith(path.name + ":")]
    assert expected, f"no expectation recorded for {path.name}"
    assert produced == expected


@pytest.mark.parametrize("path", sorted(GOOD.glob("*.toml")), ids=lambda p: p.stem)
def test_good_files_load(path):
    assert load_program(path).exercises


def test_all_problems_at_once(tmp_path):
    text = (GOOD / "tiny.toml").read_text().replace("reps = 10", "reps = -1").replace(
        'version = "1"', 'version = "1"\ncolour = "red"').replace(
        'after_in_session = ["alpha"]', 'after_in_session = ["nope"]')
    source = tmp_path / "many.toml"
    source.write_text(text)
    with pytest.raises(ProgramInvalid) as caught:
        load_program(source)
    assert len(caught.value.problems) == 2  # schema errors come first, then cross-checks
    fixed = text.replace("reps = -1", "reps = 1").replace('colour = "red"\n', "")
    source.write_text(fixed)
    with pytest.raises(ProgramInvalid) as caught:
        load_program(source)
    assert [p.field for p in caught.value.problems] == ["exercise[beta].rules.after_in_session[1]"]


@pytest.mark.parametrize("program_id", ["mckenzie", "disc-basics", "posture-neck", "core-basics"])
def test_shipped_programs_load_with_spec_ids(catalog, program_id):
    program = catalog.load(program_id)
    ids = [e.id for e in program.exercises]
    for expected in SPEC_IDS.get(program_id, []):
        assert expected in ids
    for exercise in program.exercises:
        assert exercise.steps and exercise.cautions, exercise.id
        assert any("uncomfortable" in c for c in exercise.cautions), exercise.id


def test_disc_basics_includes_mckenzie(catalog):
    ids = [e.id for e in catalog.load("disc-basics").exercises]
    assert ids[:7] == SPEC_IDS["mckenzie"]
    assert {"flying-swallow", "knee-to-chest", "swimming"} <= set(ids)


def test_seed_doses_are_in_the_shipped_files(catalog):
    mck = catalog.load("mckenzie")
    lying = mck.exercise("prone-lying").dose
    assert (lying.hold_seconds, lying.hold_seconds_max) == (120, 180)
    assert (lying.sets_per_day_min, lying.sets_per_day_max) == (6, 8)
    assert mck.exercise("prone-press-up").dose.reps == 10
    assert (mck.exercise("standing-flexion").dose.sets_per_day_min,
            mck.exercise("standing-flexion").dose.sets_per_day_max) == (1, 2)
    swallow = catalog.load("disc-basics").exercise("flying-swallow").dose
    assert (swallow.hold_seconds, swallow.reps, swallow.sets_per_bout, swallow.bouts_per_day) \
        == (5, 15, 3, 2)
    curl = catalog.load("core-basics").exercise("curl-up").progression
    assert (curl.start, curl.ceiling) == (15, 60)


def test_shipped_files_start_with_schema_comment_and_schema_is_current():
    for path in PROGRAMS.glob("*.toml"):
        assert path.read_text().startswith("#:schema ./program.schema.json"), path
    shipped = json.loads((PROGRAMS / "program.schema.json").read_text())
    assert shipped == json_schema()


def run_cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "backcoach", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=60, **kw)


def test_check_cli_on_shipped_programs():
    result = run_cli("check", *sorted(str(p) for p in PROGRAMS.glob("*.toml")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": ok") == 4


def test_check_cli_reports_every_bad_file(tmp_path):
    result = run_cli("check", str(GOOD / "tiny.toml"), *sorted(str(p) for p in BAD.glob("*.toml")))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    for path in BAD.glob("*.toml"):
        assert f"{path}:" in result.stdout


def test_check_refuses_a_40_mb_file_quickly(tmp_path):
    big = tmp_path / "huge.toml"
    with big.open("w") as handle:
        handle.write('id = "huge"\n')
        handle.write(("notes = '" + "x" * 1000 + "'\n") * 40_000)
    result = run_cli("check", str(big))
    assert result.returncode == 1
    assert result.stdout.strip() == f"{big}:1: file: larger than 1 MB; a program file is small text"


def test_schema_cli_prints_json_schema():
    result = run_cli("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert "exercise" in schema["properties"]
    assert schema["additionalProperties"] is False


def test_brackets_are_valid_text():
    program = load_program(GOOD / "brackets.toml")
    assert program.exercise("alpha").title == "Press-ups [bold]x[/] [/ [0] [RED]"


def test_check_schedule_explains_every_rule_in_words():
    result = run_cli("check", "--schedule", str(PROGRAMS / "mckenzie.toml"),
                     str(PROGRAMS / "core-basics.toml"))
    assert result.returncode == 0, result.stderr
    for sentence in ("Only after Prone lying in the same session.",
                     "The first time ever, only after Prone lying and Prone on elbows.",
                     "Do Prone press-up immediately after.",
                     "At least 2 h between sets.",
                     "At most 8 sets a day.",
                     "Unlocks after 5 weeks of Lying flexion (no missed day); once earned, it "
                     "stays unlocked.",
                     "Stands in for Prone press-up when you cannot lie down.",
                     "Not within 1 h of the start of the day (the first check-in or set, "
                     "else 07:00).",
                     "Reps rise from 15 by 5 every 7 days practised, never above 60; more than "
                     "today's target is refused.",
                     "Only after Prone lying, which opens every session.",
                     "Acute phase at pain 8/10 (a score in the last 12 h) or an open acute "
                     "episode: no exercises."):
        assert sentence in result.stdout, sentence
