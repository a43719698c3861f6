"""Program includes stay in the program folders, count each program once, and cannot
multiply exercises past the cap (issue 14)."""

from __future__ import annotations

import time

import pytest

from backcoach.programs.errors import ProgramInvalid
from backcoach.programs.loader import load_program


def program(folder, name: str, include: list[str], exercises: list[str]) -> None:
    lines = [f'id = "{name}"', f'title = "{name}"', 'version = "1"',
             "include = [" + ", ".join(f'"{i}"' for i in include) + "]"]
    for exercise in exercises:
        lines += ["", "[[exercise]]", f'id = "{exercise}"', f'title = "{exercise}"']
    (folder / f"{name}.toml").write_text("\n".join(lines) + "\n")


def problems(path) -> str:
    with pytest.raises(ProgramInvalid) as caught:
        load_program(path)
    return "\n".join(str(p) for p in caught.value.problems)


@pytest.mark.parametrize("entry", ["../outside.toml", "/etc/passwd.toml", "sub/x.toml",
                                   "~/x.toml", "..hidden"])
def test_includes_never_leave_the_program_folders(tmp_path, entry):
    (tmp_path / "outside.toml").write_text('id = "o"\ntitle = "o"\nversion = "1"\n')
    folder = tmp_path / "programs"
    folder.mkdir()
    program(folder, "mine", [entry], ["a"])
    assert "not a program id or a file name" in problems(folder / "mine.toml")


def test_a_program_is_included_once(tmp_path):
    program(tmp_path, "base", [], ["a"])
    program(tmp_path, "mine", ["base", "base.toml"], ["b"])
    assert "included twice" in problems(tmp_path / "mine.toml")


def test_two_includes_defining_one_exercise_name_both(tmp_path):
    program(tmp_path, "one", [], ["x"])
    program(tmp_path, "two", [], ["x"])
    program(tmp_path, "mine", ["one", "two"], ["b"])
    text = problems(tmp_path / "mine.toml")
    assert "mine.toml:4: include" in text and "one.toml" in text and "two.toml" in text


def test_a_chain_of_includes_is_capped_and_fast(tmp_path):
    program(tmp_path, "p0", [], [f"e{i}" for i in range(60)])
    program(tmp_path, "p1", [], [f"f{i}" for i in range(60)])
    program(tmp_path, "mine", ["p0", "p1"], ["b"])
    started = time.perf_counter()
    assert "a program has at most 100" in problems(tmp_path / "mine.toml")
    for n in range(1, 8):  # each including the previous one ten times
        program(tmp_path, f"c{n}", [f"c{n - 1}" if n > 1 else "p0"] * 10, [f"g{n}"])
    assert "included twice" in problems(tmp_path / "c7.toml")
    assert time.perf_counter() - started < 5
