"""The physiotherapist's dashboard with 500 patients × 1 year of history, on PostgreSQL.

usage: python benchmarks/clinic_dashboard.py [--admin-url URL] [--patients N] [--days N]
                                             [--sources K] [--rebuild] [--runs N]

Builds once (kept, and reused while its name and fingerprint match) a clinic database
`bench_clinic_<N>` on the server of --admin-url (default $BACKCOACH_TEST_PG; the role needs
CREATEDB and CREATEROLE): `clinic init`, N patients added with `Practice.add_patient` (login
roles `bench-<N>-0001` …), McKenzie assigned to each. Their history: K different `demo --days
D` logs (seeds 1..K, into SQLite files: demo writes ids of its own and needs a database to
itself) are copied in as the first K patients, then to every other patient with INSERT …
SELECT, ids moved by a fixed offset and `patient_id` changed; the day aggregates are then
rebuilt from the log (`aggregates.rebuild`, as the owner, for everybody) and the sequences
moved past the largest id. A copy is checked to give the same status as its source.

Then it measures, with the clock fixed at the end of the demo history:
  1. `Practice.statuses()`: every patient's row, no UI (seconds; per patient)
  2. `backcoach clinic --db URL` on an 80x24 pty: time until the first patient row is on
     screen, and until all N are ("N patients ·" replaces "Loading: i of N")
  3. in-process with Textual's Pilot: the first rows, all rows, and the latency of `down`
     pressed every 0.2 s while the worker loads (median, max): from the key event sent to
     the cursor moved. Not `Pilot.press`: it waits twice for the process to be idle (CPU
     time, all threads; up to 1 s each), so while the worker computes it takes ~2.1 s
     whatever the app does.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from run import BenchError, child_env, run_in_pty  # noqa: E402

NOW = "2026-11-30T12:00:00+00:00"  # the end of every demo history, and the dashboard's clock
OFFSET = 100_000  # ids of patient n are their source's ids + n × OFFSET (a year: < 20 000)
DEFAULT_ADMIN = "postgresql+psycopg://backcoach_ci:backcoach_ci@localhost:5432/postgres"


def say(text: str) -> None:
    print(text, flush=True)


def fingerprint(args: argparse.Namespace) -> str:
    """What the built database depends on: the sizes, this builder, storage and demo code."""
    digest = hashlib.sha256(f"{args.patients} {args.days} {args.sources} {NOW}".encode())
    for path in sorted([HERE / "clinic_dashboard.py", *(ROOT / "backcoach/storage").glob("*.py"),
                        *(ROOT / "backcoach/storage/migrations/versions").glob("*.py"),
                        *(ROOT / "backcoach/coach").glob("demo*.py"),
                        *(ROOT / "backcoach/domain").glob("demo*.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def admin(url: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool).connect()


def patient_ids(args: argparse.Namespace) -> list[str]:
    return [f"bench-{args.patients}-{n:04d}" for n in range(1, args.patients + 1)]


def existing(args: argparse.Namespace, name: str) -> str | None:
    with admin(args.admin_url) as conn:
        return conn.exec_driver_sql(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = "
            "%(n)s", {"n": name}).scalar()


def build(args: argparse.Namespace, url: str, name: str, mark: str) -> None:
    from sqlalchemy import insert, select, text

    from backcoach.clock import FixedClock
    from backcoach.coach.practice import Practice
    from backcoach.storage import clinic
    from backcoach.storage.aggregates import rebuild
    from backcoach.storage.database import open_database
    from backcoach.storage.dialects import postgres
    from backcoach.storage.schema import LOG_TABLES, SETTINGS

    started = time.perf_counter()
    ids = patient_ids(args)
    with admin(args.admin_url) as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for role in ids:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    clock = FixedClock(datetime.fromisoformat(NOW))
    practice = Practice.open(url, clock)
    practice.init()
    mckenzie = practice.catalog.load("mckenzie")
    assignment = clinic.Assignment(mckenzie.id, mckenzie.version, mckenzie.content_hash,
                                   mckenzie.source_text, clock())
    with practice.db.write() as conn:
        for n, patient in enumerate(ids, 1):
            clinic.add_patient(conn, patient, f"Patient {n:04d}", clock())
            clinic.assign(conn, patient, assignment)
    say(f"    {len(ids)} patients and roles: {time.perf_counter() - started:.1f} s")

    with tempfile.TemporaryDirectory() as folder:
        for k in range(args.sources):
            path = Path(folder) / f"source{k}.sqlite3"
            subprocess.run([sys.executable, "-m", "backcoach", "--db", str(path), "--program",
                            "mckenzie", "demo", "--days", str(args.days), "--seed", str(k + 1)],
                           check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
                           env={**child_env(), "BACKCOACH_NOW": NOW, "PYTHONPATH": str(ROOT)})
            source = open_database(str(path))
            with source.read() as src, practice.db.write() as dst:
                for table in (*LOG_TABLES, SETTINGS):
                    rows = [dict(r._mapping) for r in src.execute(select(table))]
                    for row in rows:
                        row["patient_id"] = ids[k]
                        for column in ("id", "session_id"):
                            if row.get(column) is not None:
                                row[column] += k * OFFSET
                    if rows:
                        dst.execute(insert(table), rows)
            source.close()
        say(f"    {args.sources} demo logs of {args.days} days: "
            f"{time.perf_counter() - started:.1f} s")

    with practice.db.write() as conn:
        conn.execute(text("CREATE TEMP TABLE copy_map (src text, dst text, delta int)"))
        conn.execute(text("INSERT INTO copy_map VALUES (:src, :dst, :delta)"), [
            {"src": ids[n % args.sources], "dst": ids[n],
             "delta": (n - n % args.sources) * OFFSET} for n in range(args.sources, len(ids))])
        for table in (*LOG_TABLES, SETTINGS):
            columns = [c.name for c in table.columns]
            moved = {"id": "t.id + m.delta", "session_id": "t.session_id + m.delta",
                     "patient_id": "m.dst"}
            values = ", ".join(moved.get(c, f"t.{c}") for c in columns)
            conn.execute(text(f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT "
                              f"{values} FROM {table.name} t JOIN copy_map m "
                              f"ON t.patient_id = m.src"))
        postgres.reset_sequences(conn, [t.name for t in LOG_TABLES])
        rebuild(conn, None)
        conn.execute(text(f"COMMENT ON DATABASE \"{name}\" IS '{mark}'"))
    with admin(url) as conn:
        conn.exec_driver_sql("ANALYZE")
    practice.close()
    say(f"    copied to {len(ids)} patients, aggregates rebuilt: "
        f"{time.perf_counter() - started:.1f} s")


def check_copy(url: str, args: argparse.Namespace) -> None:
    """A copied patient's status equals its source's (but for who they are)."""
    from dataclasses import replace

    practice = open_practice(url)
    try:
        records = {r.id: r for r in practice.patients()}
        ids = patient_ids(args)
        source, copy = (practice.status(records[ids[0]]),
                        practice.status(records[ids[args.sources]]))
        if replace(copy, id=source.id, name=source.name) != source:
            raise BenchError(f"the copy differs from its source:\n{source}\n{copy}")
    finally:
        practice.close()


def open_practice(url: str):  # type: ignore[no-untyped-def]
    from backcoach.clock import FixedClock
    from backcoach.coach.practice import Practice

    return Practice.open(url, FixedClock(datetime.fromisoformat(NOW)))


def bench_statuses(url: str) -> float:
    practice = open_practice(url)
    try:
        start = time.perf_counter()
        rows = list(practice.statuses())
        took = time.perf_counter() - start
    finally:
        practice.close()
    urgent = sum(r.urgent for r in rows)
    call = sum(r.needs_call for r in rows)
    say(f"[1] Practice.statuses(): {len(rows)} rows in {took:.2f} s "
        f"({took / max(len(rows), 1) * 1000:.1f} ms a patient; {call} to call, {urgent} urgent)")
    return took


def bench_pty(url: str, args: argparse.Namespace) -> tuple[float, float]:
    # child_env() drops $BACKCOACH_NOW: `env` sets it for the app
    argv = ["env", f"BACKCOACH_NOW={NOW}", f"PYTHONPATH={ROOT}", sys.executable, "-m",
            "backcoach", "clinic", "--db", url]
    first = run_in_pty(argv, f"bench-{args.patients}-".encode(), ROOT, settle=0.0, limit=120)
    done = run_in_pty(argv, f"{args.patients} patients \xc2\xb7".encode("latin-1"), ROOT,
                      settle=0.0, limit=600)
    say(f"[2] backcoach clinic on an 80x24 pty: first row {first.wall:.2f} s, all "
        f"{args.patients} rows {done.wall:.2f} s")
    return first.wall, done.wall


async def pilot_run(url: str, args: argparse.Namespace) -> dict[str, float]:
    from textual import events
    from textual.widgets import DataTable

    from backcoach.clock import FixedClock
    from backcoach.ui.clinic.app import DashboardApp

    start = time.perf_counter()
    app = DashboardApp(url, FixedClock(datetime.fromisoformat(NOW)))
    marks: dict[str, float] = {}
    latencies: list[float] = []
    stuck = 0  # presses after which the cursor had not moved
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.dashboard.query_one(DataTable)
        while not table.row_count:
            await pilot.pause(0.005)
        marks["first"] = time.perf_counter() - start
        while not app.dashboard.done:
            if table.cursor_row >= table.row_count - 1:
                table.move_cursor(row=0, animate=False)  # 500 presses reach the last row
                await pilot.pause(0.01)
            before = table.cursor_row
            t0 = time.perf_counter()
            key = events.Key("down", None)
            key.set_sender(app)
            assert app._driver is not None
            app._driver.send_message(key)  # what Pilot.press sends, without its idle waits
            while table.cursor_row == before and time.perf_counter() - t0 < 5:
                await asyncio.sleep(0.001)
            latencies.append(time.perf_counter() - t0)
            if table.cursor_row == before and before < table.row_count - 1:
                stuck += 1
            await pilot.pause(0.2)
        marks["all"] = time.perf_counter() - start
        if table.row_count != args.patients:
            raise BenchError(f"{table.row_count} rows, expected {args.patients}")
    marks["median"] = statistics.median(latencies) if latencies else 0.0
    marks["max"] = max(latencies, default=0.0)
    marks["presses"], marks["stuck"] = len(latencies), stuck
    say(f"[3] Pilot: first row {marks['first']:.2f} s, all rows {marks['all']:.2f} s; "
        f"`down` while loading: median {marks['median'] * 1000:.0f} ms, max "
        f"{marks['max'] * 1000:.0f} ms over {marks['presses']:.0f} presses "
        f"({stuck} left the cursor where it was)")
    return marks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default=os.environ.get("BACKCOACH_TEST_PG", DEFAULT_ADMIN))
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--sources", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", nargs="*", default=["statuses", "pty", "pilot"])
    args = parser.parse_args()
    from sqlalchemy.engine import make_url

    name = f"bench_clinic_{args.patients}"
    url = make_url(args.admin_url).set(database=name).render_as_string(hide_password=False)
    mark = f"backcoach bench {fingerprint(args)}"
    if args.rebuild or existing(args, name) != mark:
        say(f"building {name}: {args.patients} patients × {args.days} days")
        build(args, url, name, mark)
    else:
        say(f"reusing {name} ({mark})")
    check_copy(url, args)
    for _ in range(args.runs):
        if "statuses" in args.only:
            bench_statuses(url)
        if "pty" in args.only:
            bench_pty(url, args)
        if "pilot" in args.only:
            asyncio.run(pilot_run(url, args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
