"""Layering, checked in fresh interpreters: the domain never imports Textual or SQLAlchemy,
and the non-TUI commands never import Textual."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PURE = ["backcoach.domain.program", "backcoach.domain.history", "backcoach.domain.rules",
        "backcoach.domain.engine", "backcoach.domain.trends", "backcoach.programs.loader",
        "backcoach.programs.catalog", "backcoach.programs.schema", "backcoach.report",
        "backcoach.clock", "backcoach.domain.psfs"]


def loaded_after(code: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=ROOT, check=True, timeout=60).stdout
    return set(json.loads(out.splitlines()[-1]))


def roots(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_import_neither_textual_nor_sqlalchemy(module):
    found = roots(loaded_after(f"import {module}"))
    assert "textual" not in found and "sqlalchemy" not in found and "sqlmodel" not in found


@pytest.mark.parametrize("argv", [["check", "programs/mckenzie.toml"], ["schema"],
                                  ["plan", "--json"], ["log", "prone-lying"], ["pain", "3"],
                                  ["history", "--json"], ["export", "--format", "csv"]])
def test_cli_commands_never_import_textual(argv, tmp_path):
    db = str(tmp_path / "db")
    code = (f"import sys, io, contextlib\nsys.argv = ['backcoach', '--db', {db!r}] + {argv!r}\n"
            "from backcoach.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main()\n    except SystemExit:\n        pass")
    found = roots(loaded_after(code))
    assert "textual" not in found


@pytest.mark.parametrize("argv", [["check", "programs/mckenzie.toml"], ["schema"],
                                  ["--version"]])
def test_commands_without_a_database_import_no_database_library(argv):
    """Commands import only what they use: checking program files needs no SQLAlchemy."""
    code = (f"import sys, io, contextlib\nsys.argv = ['backcoach'] + {argv!r}\n"
            "from backcoach.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main()\n    except SystemExit:\n        pass")
    found = roots(loaded_after(code))
    assert not found & {"sqlalchemy", "sqlmodel", "alembic", "textual", "platformdirs"}


@pytest.mark.parametrize("argv", [["plan", "--json"], ["log", "prone-lying"],
                                  ["history", "--json"]])
def test_commands_on_a_warm_cache_import_neither_sqlmodel_nor_pydantic(argv, tmp_path):
    """Once the Core tables and the program are cached, a command's work with the database
    needs SQLAlchemy Core only: not SQLModel, pydantic or the ORM."""
    db = str(tmp_path / "db")
    code = (f"import os, sys, io, contextlib\nos.environ['BACKCOACH_CACHE'] = {str(tmp_path)!r}\n"
            f"sys.argv = ['backcoach', '--db', {db!r}] + {argv!r}\n"
            "from backcoach.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main()\n    except SystemExit:\n        pass")
    cold = loaded_after(code)
    assert "sqlmodel" in roots(cold)  # the first run derives the tables from tables.py
    warm = loaded_after(code)
    assert "sqlalchemy" in roots(warm)
    assert not roots(warm) & {"sqlmodel", "pydantic", "alembic"}
    assert "sqlalchemy.orm" not in warm


def test_storage_and_coach_never_import_textual():
    found = roots(loaded_after("import backcoach.storage.repository, backcoach.coach"))
    assert "textual" not in found
    assert "alembic" not in found  # migrations load only when a database needs an upgrade


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports (at the top or inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", ["commands", "ui"])
def test_commands_and_ui_reach_storage_only_through_the_coach(layer):
    """One application layer: the CLI and the app call backcoach.coach, never storage."""
    offenders = {}
    for path in sorted((ROOT / "backcoach" / layer).rglob("*.py")):
        bad = {m for m in imported_modules(path)
               if m.startswith("backcoach.storage") or m.startswith("sqlalchemy")}
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}


def test_the_rules_engine_runs_only_in_the_coach_and_the_domain():
    """Storage stores; it never imports the rules engine."""
    for path in sorted((ROOT / "backcoach" / "storage").rglob("*.py")):
        assert not {m for m in imported_modules(path)
                    if m.startswith("backcoach.domain.engine")
                    or m.startswith("backcoach.domain.rules")}, path


def test_the_app_paints_before_any_database_import():
    """The app module and its first screen load no database library and no pydantic: the
    first frame does not wait for them (the Coach is imported in the worker that opens
    the database)."""
    found = roots(loaded_after("import backcoach.ui.app, backcoach.ui.run"))
    assert "textual" in found
    assert not found & {"sqlalchemy", "sqlmodel", "pydantic", "alembic", "psycopg"}
    assert "backcoach.coach.core" not in loaded_after("import backcoach.ui.app")
