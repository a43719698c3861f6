"""Newcomer check: a clean copy of the repository, a fresh virtual environment, and the
README's first command (with --help so it exits), exactly as written."""

from __future__ import annotations

import re
import shutil
import subprocess

from tests.conftest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_opens_with_install_and_test_commands():
    first, second = readme_commands()[:2]
    assert first.endswith(".venv/bin/backcoach")
    assert "pytest" in second
    ci = (ROOT / ".ci" / "run").read_text()
    assert second in ci  # CI runs the README's test command


def test_first_readme_command_works_from_a_clean_copy(tmp_path):
    tracked = subprocess.run(["git", "ls-files"], capture_output=True, text=True, cwd=ROOT,
                             check=True).stdout.split()
    copy = tmp_path / "clone"
    for name in tracked:
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    command = readme_commands()[0] + " --help"
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=copy,
                            timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "usage: backcoach" in result.stdout
    data = tmp_path / "first.sqlite3"
    plan = subprocess.run([str(copy / ".venv/bin/backcoach"), "--db", str(data), "plan"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert plan.returncode == 0, plan.stderr
    assert "McKenzie sequence" in plan.stdout  # shipped programs are preloaded
