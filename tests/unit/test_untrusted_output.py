"""Issue 14: output never replaces special files and a full stdout gives one line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def run(tmp_path, *args, stdout=subprocess.PIPE):
    env = {**os.environ, "BACKCOACH_NOW": "2026-11-21T12:00"}
    return subprocess.run([sys.executable, "-m", "backcoach", *args, "--db",
                           str(tmp_path / "db.sqlite3")], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=20, env=env)


@pytest.mark.parametrize("kind", ["symlink", "fifo", "device"])
def test_export_onto_special_file_refused(tmp_path, kind):
    target = tmp_path / "out"
    if kind == "symlink":
        target.symlink_to(tmp_path / "elsewhere")
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target = "/dev/null"
    result = run(tmp_path, "export", "--format", "csv", "-o", str(target))
    assert result.returncode == 1 and "not a regular file" in result.stderr
    assert "Traceback" not in result.stderr
    if kind != "device":
        assert not os.path.isfile(target) or os.path.islink(target)


@pytest.mark.parametrize("command", [["history"], ["export", "--format", "json"]])
def test_full_stdout_one_line(tmp_path, command):
    with open("/dev/full", "w") as full:
        result = run(tmp_path, *command, stdout=full)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_db_on_special_file_refused_mode_untouched(tmp_path, kind):
    target = tmp_path / "db.sqlite3"
    if kind == "fifo":
        os.mkfifo(target, 0o644)
    else:
        target = "/dev/null"
    before = os.stat(target).st_mode
    env = {**os.environ, "BACKCOACH_NOW": "2026-11-21T12:00"}
    result = subprocess.run([sys.executable, "-m", "backcoach", "plan", "--db", str(target)],
                            capture_output=True, text=True, timeout=20, env=env)
    assert result.returncode == 1 and "not a regular file" in result.stderr
    assert os.stat(target).st_mode == before


def test_fifo_and_devzero_link_in_programs_never_hang(tmp_path):
    folder = tmp_path / "programs"
    folder.mkdir()
    os.mkfifo(folder / "fifo.toml")
    (folder / "zero.toml").symlink_to("/dev/zero")
    env = {**os.environ, "BACKCOACH_NOW": "2026-11-21T12:00"}
    result = subprocess.run([sys.executable, "-m", "backcoach", "plan", "--programs",
                             str(folder), "--program", "nosuch", "--db",
                             str(tmp_path / "db.sqlite3")], capture_output=True, text=True,
                            timeout=20, env=env)
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr



def test_an_upgrade_whose_backup_cannot_be_written_leaves_no_empty_copy(tmp_path, monkeypatch):
    """The disk fills while the backup is written: a clear error, the database untouched,
    and no 0-byte .bak left behind."""
    import errno
    import shutil

    from backcoach.storage import database
    from tests.conftest import DATA

    db = tmp_path / "old.sqlite3"
    shutil.copy(DATA / "schema-v1.sqlite3", db)
    before = db.read_bytes()

    def full_disk(path):
        path.write_bytes(b"")  # the copy was created, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    from backcoach.storage.dialects import sqlite as sqlite_dialect

    monkeypatch.setattr(sqlite_dialect, "create_private_file", full_disk)
    with pytest.raises(database.StorageError, match="backup copy"):
        database.open_database(db)
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["old.sqlite3"]
