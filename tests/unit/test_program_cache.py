"""Validated programs are cached by content hash: pydantic runs again only when a file
(or one it could include) changed, and a doubtful cache entry is never trusted."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from backcoach.programs import cache
from backcoach.programs.catalog import Catalog
from backcoach.programs.errors import ProgramInvalid
from tests.conftest import PROGRAMS, ROOT

PROBE = ("import sys\n"
         "from backcoach.programs.catalog import Catalog\n"
         "from pathlib import Path\n"
         "program = Catalog((Path(sys.argv[1]),)).load('mckenzie')\n"
         "print(program.content_hash[:12], 'backcoach.programs.schema' in sys.modules)\n")


def probe(folder, cache_dir) -> tuple[str, str]:
    result = subprocess.run([sys.executable, "-c", PROBE, str(folder)], capture_output=True,
                            text=True, cwd=ROOT, timeout=60,
                            env={**os.environ, cache.CACHE_ENV: str(cache_dir)})
    assert result.returncode == 0, result.stderr
    digest, validated = result.stdout.split()
    return digest, validated


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "programs"
    shutil.copytree(PROGRAMS, target)
    return target


def test_second_load_skips_validation_until_a_file_changes(folder, tmp_path):
    first = probe(folder, tmp_path / "cache")
    assert first[1] == "True"  # validated, then cached
    assert oct((tmp_path / "cache").stat().st_mode & 0o777) == "0o700"
    assert probe(folder, tmp_path / "cache") == (first[0], "False")  # from the cache
    with open(folder / "mckenzie.toml", "a", encoding="utf-8") as handle:
        handle.write("\n# a comment changes the bytes\n")
    changed = probe(folder, tmp_path / "cache")
    assert changed[1] == "True" and changed[0] != first[0]
    (folder / "other.toml").write_text('id = "other"\n', encoding="utf-8")
    assert probe(folder, tmp_path / "cache")[1] == "True"  # a neighbour it could include


def test_an_invalid_file_is_reported_every_time_and_never_cached(folder, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    text = (folder / "mckenzie.toml").read_text(encoding="utf-8")
    (folder / "mckenzie.toml").write_text(text.replace('version = "', 'versio = "', 1),
                                          encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ProgramInvalid, match="versio"):
            Catalog((folder,)).load("mckenzie")
    assert not list((tmp_path / "cache").glob("*.program"))


@pytest.mark.parametrize("tamper", ["loose mode", "garbage", "another object"])
def test_a_doubtful_entry_is_ignored(folder, tmp_path, monkeypatch, tamper):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    good = Catalog((folder,)).load("mckenzie")
    [entry] = (tmp_path / "cache").glob("*.program")
    if tamper == "loose mode":
        entry.chmod(0o644)
    elif tamper == "garbage":
        entry.write_bytes(b"not a pickle")
    else:
        import pickle

        entry.write_bytes(pickle.dumps({"id": "mckenzie"}))
    key = entry.stem
    assert cache.lookup(key) is None
    assert Catalog((folder,)).load("mckenzie") == good  # validated again
