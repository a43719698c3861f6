"""Static checks as part of the one test command: mypy (strict for the domain and the coach)
and ruff (with import sorting) report nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_mypy_finds_no_errors():
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing():
    result = run("ruff", "check", "backcoach", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr
