"""Hypothesis: arbitrary text and mutated valid programs give a clean error or a program.

Small example counts by default; BACKCOACH_FUZZ=1 runs 100,000 examples for the loader.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcoach.domain.program import Program
from backcoach.programs.errors import ProgramInvalid
from backcoach.programs.loader import load_program
from tests.conftest import PROGRAMS

FUZZ = os.environ.get("BACKCOACH_FUZZ") == "1"
EXAMPLES = int(os.environ.get("BACKCOACH_FUZZ_EXAMPLES", 100_000)) if FUZZ else 150
FUZZ_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=not FUZZ,
                         suppress_health_check=[HealthCheck.too_slow])
SCRATCH = Path(tempfile.mkdtemp(prefix="backcoach-fuzz-"))  # one file, rewritten each example
VALID = (PROGRAMS / "mckenzie.toml").read_text()
VALID_LINES = VALID.splitlines(keepends=True)


def load_text(payload: bytes) -> Program | None:
    source = SCRATCH / "fuzz.toml"
    source.write_bytes(payload)
    try:
        return load_program(source)
    except ProgramInvalid as invalid:
        assert invalid.problems
        for problem in invalid.problems:
            assert problem.line >= 1
            assert str(problem).startswith(f"{source}:{problem.line}: ")
        return None


@FUZZ_SETTINGS
@given(st.text())
def test_arbitrary_text(text):
    load_text(text.encode("utf-8", "surrogatepass"))


@FUZZ_SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data):
    load_text(data)


TOML_VALUES = st.one_of(
    st.integers(-10**6, 10**6).map(str), st.floats(allow_nan=False).map(repr),
    st.booleans().map(lambda b: str(b).lower()), st.text(max_size=30).map(
        lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'),
    st.just("[]"), st.just("{}"), st.just('["prone-lying"]'), st.just('"2:00"'),
    st.just("1979-05-27T07:32:00Z"), st.just("[[[[1]]]]"),
)


@st.composite
def mutated_program(draw) -> str:
    lines = list(VALID_LINES)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "revalue", "rekey", "splice"]))
        line = lines[index]
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, line)
        elif action == "revalue" and "=" in line:
            lines[index] = line.split("=", 1)[0] + "= " + draw(TOML_VALUES) + "\n"
        elif action == "rekey" and "=" in line:
            lines[index] = draw(st.from_regex(r"[a-z_]{1,12}", fullmatch=True)) + " =" + \
                line.split("=", 1)[1]
        elif action == "splice":
            lines.insert(index, draw(st.text(max_size=20)) + "\n")
        if not lines:
            break
    return "".join(lines)


@FUZZ_SETTINGS
@given(mutated_program())
def test_mutated_valid_programs(text):
    program = load_text(text.encode("utf-8", "surrogatepass"))
    if program is not None:
        tomllib.loads(text)  # whatever loads is real TOML
        assert program.exercises
