"""Storage: privacy, upgrades with backups, bad databases, the repository, export/import."""

from __future__ import annotations

import ast
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlmodel import SQLModel

from backcoach.coach import Refused
from backcoach.domain.history import STOP_SPREADING, STOPPED, SetRecord
from backcoach.storage import exchange, schema
from backcoach.storage.database import StorageError, open_database
from backcoach.storage.repository import Repository
from backcoach.storage.upgrade import SCHEMA_VERSION as LATEST
from tests.conftest import DATA, ROOT, TZ, at
from tests.helpers.exports import exported
from tests.helpers.log import count_rows


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def cli(*args, env=None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "backcoach", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, env=env, **kw)


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_permissions_under_umask(tmp_path, umask):
    db = tmp_path / "new" / "deeper" / "backcoach.sqlite3"
    script = (f"import os; os.umask({umask}); from pathlib import Path; "
              "from backcoach.coach import Coach; "
              "from backcoach.clock import system_now; "
              f"c = Coach.open(Path({str(db)!r}), system_now); "
              "c.record_pain(3); "
              f"print(sorted((p.name, oct(p.stat().st_mode & 0o777)) "
              f"for p in Path({str(db.parent)!r}).iterdir()))")
    out = subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT,
                         capture_output=True, text=True).stdout
    while_open = dict(ast.literal_eval(out))  # the files while the database was open
    assert set(while_open) >= {db.name, db.name + "-wal", db.name + "-shm"}
    assert set(while_open.values()) == {"0o600"}
    assert mode(db.parent) == 0o700
    assert mode(db.parent.parent) == 0o700
    for path in db.parent.iterdir():
        assert mode(path) == 0o600, path


def test_cli_export_file_is_private(tmp_path):
    db = tmp_path / "db.sqlite3"
    assert cli("--db", str(db), "pain", "4").returncode == 0
    out = tmp_path / "export.json"
    assert cli("--db", str(db), "export", "--format", "json", "-o", str(out)).returncode == 0
    assert mode(out) == 0o600


@pytest.mark.parametrize("declared", ["sqlmodel", "core"])
def test_schema_matches_the_sqlmodel_tables(repo, declared):
    """What the migrations built is exactly what tables.py declares: columns, types,
    indexes (Alembic's own comparison finds nothing to change), on both backends; and so
    are the Core tables derived from it that every statement uses (`schema.py`)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    metadata = SQLModel.metadata if declared == "sqlmodel" else schema.METADATA
    with repo.db.read() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
        revision = MigrationContext.configure(conn).get_current_revision()
        assert differences == []
        assert revision == f"{LATEST:04d}"
        if repo.db.dialect == "sqlite":
            assert conn.exec_driver_sql("PRAGMA user_version").scalar() == LATEST
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_cached_core_tables_are_the_sqlmodel_tables(tmp_path, monkeypatch):
    """The cached copy of the Core tables compiles to the same DDL as the SQLModel classes,
    on both dialects; a doubtful cache entry is derived again, never used."""
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    from backcoach.private_cache import CACHE_ENV, cache_dir

    def ddl(metadata) -> list[list[str]]:  # a table's lines sorted: constraints are a set
        return [sorted(line.strip().rstrip(",") for line in
                       str(statement.compile(dialect=dialect)).splitlines())
                for dialect in (sqlite.dialect(), postgresql.dialect())
                for table in metadata.sorted_tables
                for statement in (CreateTable(table),
                                  *map(CreateIndex, sorted(table.indexes, key=by_name)))]

    def by_name(index) -> str:
        return str(index.name)

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    assert ddl(schema.load()) == ddl(SQLModel.metadata)  # derived, then stored
    entry = cache_dir() / schema.cache_name()
    assert mode(entry) == 0o600
    assert ddl(schema.load()) == ddl(SQLModel.metadata)  # read back from the cache
    entry.write_bytes(b"not a pickle")
    assert ddl(schema.load()) == ddl(SQLModel.metadata)


def test_upgrade_from_schema_v1_keeps_everything_and_leaves_a_backup(tmp_path, mckenzie):
    db = tmp_path / "old.sqlite3"
    shutil.copy(DATA / "schema-v1.sqlite3", db)
    database = open_database(db)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    sets = conn.execute("SELECT id, program_version, program_hash, outcome, stop_reason "
                        "FROM exercise_set ORDER BY id").fetchall()
    assert sets[2] == (3, "0.9", "hash-v09", "stopped", "pain")
    assert len(sets) == 4
    assert conn.execute("SELECT count(*) FROM pain_score").fetchone()[0] == 3
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    backups = list(tmp_path.glob("old.sqlite3.v1-*.bak"))
    assert len(backups) == 1 and mode(backups[0]) == 0o600
    copy = sqlite3.connect(backups[0])
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
    assert copy.execute("SELECT count(*) FROM exercise_set").fetchone()[0] == 4
    history = Repository(database, TZ).history(mckenzie, at("2025-01-05 11:30"))  # 10:30 UTC
    assert [s.exercise_id for s in history.sets][-1] == "prone-lying"
    assert history.sets[2].stop_reason == "pain"


def test_upgrade_from_an_alembic_schema_runs_only_the_newer_scripts(tmp_path):
    """A file an earlier release left at schema 7 (Alembic revision 0007) upgrades to the
    latest without re-running 0005-0007, and keeps its rows and a backup."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from backcoach.storage.dialects.sqlite import legacy_upgrade
    from backcoach.storage.legacy_sql import STEPS

    db = tmp_path / "v7.sqlite3"
    shutil.copy(DATA / "schema-v1.sqlite3", db)
    legacy_upgrade(db, 1, STEPS, 4)
    with create_engine(f"sqlite:///{db}").begin() as conn:
        config = Config()
        config.set_main_option("script_location", "backcoach.storage:migrations")
        config.attributes["connection"] = conn
        command.stamp(config, "0004")
        command.upgrade(config, "0007")
        conn.exec_driver_sql("PRAGMA user_version=7")
    open_database(db)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == f"{LATEST:04d}"
    assert conn.execute("SELECT count(*) FROM exercise_set").fetchone()[0] == 4
    assert conn.execute("SELECT count(*) FROM pain_score").fetchone()[0] == 3
    assert len(list(tmp_path.glob("v7.sqlite3.v7-*.bak"))) == 1


def test_newer_database_is_refused_and_untouched(tmp_path):
    db = tmp_path / "future.sqlite3"
    open_database(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version={LATEST + 1}")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(StorageError, match="newer backcoach"):
        open_database(db)
    assert db.read_bytes() == before
    result = cli("--db", str(db), "pain", "3")
    assert result.returncode == 1
    assert "newer backcoach" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100,
                                     b"SQLite format 3\x00" + b"\xff" * 4000])
def test_corrupt_database_is_refused_and_untouched(tmp_path, content):
    db = tmp_path / "broken.sqlite3"
    db.write_bytes(content)
    for args in (("pain", "3"), ("plan",), ("log", "prone-lying")):
        result = cli("--db", str(db), *args)
        assert result.returncode == 1, result
        assert "Traceback" not in result.stderr
        assert "nothing was written" in result.stderr
    assert db.read_bytes() == content


def test_read_only_database_gives_clear_error_and_keeps_data(tmp_path):
    # root ignores file modes, so the write attempt also opens SQLite in read-only mode
    db = tmp_path / "ro.sqlite3"
    assert cli("--db", str(db), "pain", "5", "--at", "2026-01-01T10:00").returncode == 0
    rows_before = sqlite3.connect(db).execute("SELECT count(*) FROM pain_score").fetchone()[0]
    os.chmod(db, 0o400)
    try:
        env = {**os.environ}
        script = (
            "import sqlite3, sys\n"
            "from pathlib import Path\n"
            "from backcoach.storage.dialects import sqlite as d\n"
            "orig = d.create_engine\n"
            "def ro(url, **kw):\n"
            "    kw.setdefault('connect_args', {})\n"
            "    ro_url = url.replace('sqlite:///', 'sqlite:///file:') + '?mode=ro&uri=true'\n"
            "    return orig(ro_url, **kw)\n"
            "d.create_engine = ro\n"
            "from backcoach.cli import main\n"
            f"sys.exit(main(['--db', {str(db)!r}, 'pain', '3']))\n")
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                cwd=ROOT, env=env, timeout=60)
    finally:
        os.chmod(db, 0o600)
    assert result.returncode == 1, result
    assert "read-only" in result.stderr and "Traceback" not in result.stderr
    assert sqlite3.connect(db).execute("SELECT count(*) FROM pain_score").fetchone()[0] == \
        rows_before


def test_foreign_database_is_refused(tmp_path):
    db = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="another program"):
        open_database(db)


def log_at(coach, exercise, when, **amount):
    coach.clock.current = at(when)
    return coach.log_set(exercise, **amount)


def test_log_set_refuses_with_engine_reason_and_writes_nothing(coach, db_target):
    with pytest.raises(Refused, match="Prone lying opens every session: do it first"):
        log_at(coach, "prone-on-elbows", "2026-03-02 10:00")
    assert count_rows(db_target, "exercise_set") == 0


def test_log_set_joins_session_within_gap_and_marks_follow_up(coach):
    first = log_at(coach, "prone-lying", "2026-03-02 10:00")
    second = log_at(coach, "prone-on-elbows", "2026-03-02 10:20")
    assert first.session_id == second.session_id
    third = log_at(coach, "prone-press-up", "2026-03-02 10:25", reps=10)
    flex = log_at(coach, "lying-flexion", "2026-03-02 10:30")
    follow = log_at(coach, "prone-press-up", "2026-03-02 10:32")
    assert follow.follow_up and not third.follow_up
    assert flex.session_id == follow.session_id
    later = log_at(coach, "prone-lying", "2026-03-02 12:30")
    assert later.session_id != first.session_id


def test_stopped_set_is_kept_and_blocks_for_the_day(coach):
    coach.clock.current = at("2026-03-02 10:00")
    state, _ = coach.start_session(3, False, False)
    coach.clock.current = at("2026-03-02 10:03")
    saved = coach.save_set(state, "prone-lying", at("2026-03-02 10:00"), outcome=STOPPED,
                           stop_reason=STOP_SPREADING)
    assert saved.plan.entry("prone-lying").status == "blocked"
    assert saved.plan.entry("prone-lying").stopped_for_today
    export = json.loads(exported(coach.repo.db, "json"))
    assert export["sets"][0]["outcome"] == "stopped"
    assert export["sets"][0]["stop_reason"] == "spreading"


def test_acute_episode_start_end(coach):
    coach.clock.current = at("2026-03-02 08:00")
    coach.start_acute()
    coach.clock.current = at("2026-03-02 09:00")
    with pytest.raises(Refused):
        coach.start_acute()
    assert coach.plan().phase == "acute"
    coach.clock.current = at("2026-03-03 08:00")
    coach.end_acute()
    assert coach.plan(at=at("2026-03-03 09:00")).phase == "non-acute"
    assert coach.plan(at=at("2026-03-02 09:00")).phase == "acute"  # history stays true
    coach.clock.current = at("2026-03-04 08:00")
    with pytest.raises(Refused, match="no open acute episode"):
        coach.end_acute()


def test_acute_from_a_pain_score_is_explained_and_not_a_crash(coach):
    coach.clock.current = at("2026-03-02 08:00")
    coach.record_pain(9)
    assert coach.plan().phase == "acute"
    state = coach.acute_state()
    assert state.acute and state.episode_since is None and "9/10" in state.reason
    with pytest.raises(Refused, match="record a lower pain score"):
        coach.end_acute()
    coach.clock.current = at("2026-03-02 08:30")
    coach.record_pain(3)
    assert coach.plan().phase == "non-acute"


def test_pain_score_range_is_enforced(repo):
    with pytest.raises(ValueError):
        repo.record_pain(11, at("2026-03-02 08:00"))
    assert repo.is_empty()


def fill(repo, mckenzie):
    repo.record_red_flags(at("2026-03-02 07:00"), {"fever_unwell": False})
    repo.record_pain(6, at("2026-03-02 07:30"), "standalone", location="low back")
    session = repo.start_session(mckenzie, at("2026-03-02 08:00"))
    repo.record_pain(5, at("2026-03-02 08:00"), "before", session)
    for minutes, exercise in ((3, "prone-lying"), (7, "prone-on-elbows")):
        repo.record_set(mckenzie, session, SetRecord(exercise, at("2026-03-02 08:00")
                                                     + timedelta(minutes=minutes), seconds=150))
    repo.record_pain(3, at("2026-03-02 08:10"), "after", session)
    repo.end_session(session, at("2026-03-02 08:11"), "easier [bold]today[/]")
    repo.start_acute(at("2026-03-05 08:00"))
    repo.set_setting("program", "mckenzie")


def test_export_import_export_is_byte_identical(repo, mckenzie, new_target):
    fill(repo, mckenzie)
    for key, value in (("theme", "nord"), ("last_reminder", "prone-lying@2026-03-02T10:00"),
                       ("program", "mckenzie"), ("welcome_done", "1")):
        repo.set_setting(key, value)  # every setting the app keeps travels with the log
    first = exported(repo.db, "json")
    target = open_database(new_target())
    counts = exchange.import_json(target, first)
    assert counts["sets"] == 2 and counts["pain_scores"] == 3
    assert exported(target, "json") == first
    with pytest.raises(StorageError, match="empty database"):
        exchange.import_json(target, first)


@pytest.mark.parametrize("payload,message", [
    ("{not json", "not a JSON export"),
    ('{"format": "other"}', "not a backcoach JSON export"),
    ('{"format": "backcoach-export", "format_version": 1, "pain_scores": [{"id": 1}]}',
     "expected exactly the fields"),
])
def test_import_rejects_bad_exports_and_writes_nothing(new_target, payload, message):
    database = open_database(new_target())
    with pytest.raises(StorageError, match=message):
        exchange.import_json(database, payload)
    assert Repository(database).is_empty()


def test_import_rejects_out_of_range_pain_and_writes_nothing(repo, mckenzie, new_target):
    fill(repo, mckenzie)
    data = json.loads(exported(repo.db, "json"))
    data["pain_scores"][0]["score"] = 14
    database = open_database(new_target())
    with pytest.raises(StorageError):
        exchange.import_json(database, json.dumps(data))
    assert Repository(database).is_empty()


def test_csv_export_has_every_record(repo, mckenzie):
    fill(repo, mckenzie)
    lines = exported(repo.db, "csv").splitlines()
    kinds = [line.split(",")[0] for line in lines[1:]]
    assert kinds.count("pain") == 3 and kinds.count("set") == 2
    assert kinds.count("session") == 1 and kinds.count("acute_episode") == 1
    assert kinds.count("red_flag_check") == 1


def test_fhir_export_is_a_valid_r4_bundle(repo, mckenzie):
    from fhir.resources.R4B.bundle import Bundle

    fill(repo, mckenzie)
    bundle = Bundle.model_validate_json(exported(repo.db, "fhir"))
    observations = [e.resource for e in bundle.entry[1:]]
    assert bundle.entry[0].resource.get_resource_type() == "Patient"
    pain = [o for o in observations if o.code.coding and o.code.coding[0].code == "72514-3"]
    assert len(pain) == 3
    assert sorted(p.valueInteger for p in pain) == [3, 5, 6]
    assert all(p.code.coding[0].system == "http://loinc.org" for p in pain)


def test_cli_round_trip_and_demo_refuses_data(tmp_path, new_target):
    db = new_target()
    result = cli("--db", str(db), "demo", "--days", "60", "--seed", "4")
    assert result.returncode == 0, result.stderr
    assert cli("--db", str(db), "demo", "--days", "5").returncode == 1
    export = tmp_path / "e.json"
    assert cli("--db", str(db), "export", "--format", "json", "-o", str(export)).returncode == 0
    db2 = new_target()
    assert cli("--db", str(db2), "import", str(export)).returncode == 0
    again = cli("--db", str(db2), "export", "--format", "json")
    assert again.stdout == export.read_text()


def test_full_disk_gives_clear_error_and_keeps_data(tmp_path):
    db = tmp_path / "full.sqlite3"
    assert cli("--db", str(db), "pain", "5", "--at", "2026-01-01T10:00").returncode == 0
    script = (
        "import sys\n"
        "from backcoach.storage.dialects import sqlite as d\n"
        "orig = d.on_connect\n"
        "def full(conn, record):\n"
        "    orig(conn, record)\n"
        "    pages = conn.execute('PRAGMA page_count').fetchone()[0]\n"
        "    conn.execute(f'PRAGMA max_page_count={pages}')\n"
        "d.on_connect = full\n"
        "from backcoach.cli import main\n"
        f"sys.exit(main(['--db', {str(db)!r}, 'demo', '--days', '30']))\n")
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM pain_score")  # demo needs an empty log; keep one row elsewhere
    conn.execute("INSERT INTO setting (key, value) VALUES ('keep', 'me')")
    conn.commit()
    conn.close()
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 1, result
    assert "disk is full" in result.stderr and "Traceback" not in result.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM setting WHERE key = 'keep'").fetchone() == ("me",)
    assert conn.execute("SELECT count(*) FROM exercise_set").fetchone() == (0,)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_briefly_locked_database_is_waited_for_not_reported(tmp_path):
    import threading
    import time

    db = tmp_path / "busy.sqlite3"
    assert cli("--db", str(db), "pain", "1").returncode == 0
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO setting (key, value) VALUES ('held', '1')")
    release = threading.Timer(2.0, lambda: holder.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    result = cli("--db", str(db), "pain", "2")
    release.join()
    assert result.returncode == 0, result.stderr
    assert "locked" not in result.stderr
    assert time.monotonic() - started >= 1.5  # it waited for the lock, then wrote
    assert sqlite3.connect(db).execute("SELECT count(*) FROM pain_score").fetchone() == (2,)
