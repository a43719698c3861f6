"""backcoach benchmarks: each goal measured side by side with its yardstick, A B A B ...

usage: python benchmarks/run.py [--runs N] [--quick] [--only NAME ...] [--keep DIR]
                                [--db-url URL]

It drives the `backcoach` command only (never imports it), so it measures whatever storage
and demo code is installed. Benchmarks (NAME, or its number, for --only):

  1 plan     `backcoach plan --json` (10-year database) vs `python -c "import sqlmodel"`, <= 1.3x
  2 log      `backcoach log prone-lying ...` (a fresh copy of the 10-year database each run,
             at a time the rules allow; the set must be written) vs `import sqlmodel`, <= 1.3x
  3 tui      time until the Today plan is on an 80x24 pty (10-year database) vs the minimal
             Textual app's first paint, <= 1.3x; peak memory (VmHWM) then, <= 2x
  4 scaling  `history --days 30` and `report`: 100-year vs 30-day database, <= 1.2x each
  5 export   `export --format fhir`: peak RSS on 100 years <= 150 MiB; time on 10 years
             <= 3x benchmarks/export_baseline.py (sqlite3 + json.dumps of the same rows)
  6 demo     `demo --days 36500`: < 30 s and peak RSS <= 150 MiB

Every pair runs alternately (one warm-up of each first, not counted); each command's min
and median are printed, with the median and the min of the per-pair ratios A/B. A ratio
goal passes when the median per-pair ratio meets it. Peak RSS is the kernel's own figure
for the finished child (wait4 ru_maxrss), or VmHWM from /proc for the TUI.

The demo databases are built with `backcoach --db PATH demo --days N` once per run in a
temporary folder, or kept in `--keep DIR` and reused while the storage, demo and program
sources are unchanged. `--db-url postgresql+psycopg://USER@HOST/NAME` runs 1, 2 and 4
against PostgreSQL instead: it creates databases NAME_30d, NAME_10y, ... on that server
(USER needs CREATEDB; psycopg must be installed) and passes their URLs to `--db`.
The summary is printed and written to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import platform
import pty
import re
import select
import shutil
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
_script = Path(PY).parent / "backcoach"
BACKCOACH = [str(_script)] if _script.exists() else [PY, "-m", "backcoach"]
IMPORT_SQLMODEL = [PY, "-c", "import sqlmodel"]
MINIMAL_APP = [PY, str(HERE / "minimal_app.py")]
EXPORT_BASELINE = [PY, str(HERE / "export_baseline.py")]

# the goals (issue "Speed and guard rails")
PLAN_RATIO = 1.3
LOG_RATIO = 1.3
PAINT_RATIO = 1.3
PAINT_MEMORY_RATIO = 2.0
SCALING_RATIO = 1.2
EXPORT_PEAK_MIB = 150
EXPORT_RATIO = 3.0
DEMO_SECONDS = 30.0
DEMO_PEAK_MIB = 150

SMALL, TEN_YEARS, HUNDRED_YEARS = 30, 3650, 36500
LOG_EXERCISE = ["prone-lying", "--seconds", "150", "--pain", "3"]
PLAN_MARKER = b"Prone lying"  # drawn only once the Today plan is there (an exercise title)
MINIMAL_MARKER = b"hello"  # the minimal app's one line of content
EXPORT_CAP_MIB = 2048  # a 100-year export is stopped beyond this (the goal is 150)
EXPORT_TIMEOUT = 900.0
BENCHMARKS = ["plan", "log", "tui", "scaling", "export", "demo"]
ANSI = re.compile(rb"\x1b\[[0-9;?<>=!]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
                  rb"|\x1b[()][0-9A-Za-z]|\x1b[=>78NOPMDEHc]")

LOG: list[str] = []


def say(text: str = "") -> None:
    print(text, flush=True)
    LOG.append(text)


class BenchError(Exception):
    """A benchmark could not be measured (a command failed): reported, the others go on."""


# --- running one process ----------------------------------------------------------------

@dataclass
class Sample:
    wall: float  # seconds
    peak_kib: int  # peak resident memory of the process
    rc: int = 0
    out: str = ""  # what it printed on stdout (the first 64 KiB)
    err: str = ""  # the last lines of stderr
    note: str = ""  # "stopped at the memory cap", "timed out"


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BACKCOACH_DB", "BACKCOACH_NOW")}
    env.pop("PYTHONSTARTUP", None)
    # as installed: bytecode written once (by the warm-up run), not compiled on every run
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def vm_hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run(argv: list[str], cwd: Path, cap_mib: float | None = None,
        timeout: float | None = None) -> Sample:
    """One whole process: wall time from just before the start to just after it is reaped,
    peak RSS from wait4. stdout goes to a file (read afterwards), stdin is empty. With a cap
    or a timeout it is watched every 50 ms and killed past either."""
    with tempfile.TemporaryFile(dir=cwd) as out, tempfile.TemporaryFile(dir=cwd) as err:
        note = ""
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                cwd=cwd, env=child_env())
        if cap_mib is None and timeout is None:
            _, status, usage = os.wait4(proc.pid, 0)
        else:
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if cap_mib is not None and vm_hwm_kib(proc.pid) > cap_mib * 1024 and not note:
                    note = f"stopped at the {cap_mib:.0f} MiB cap"
                    proc.kill()
                if timeout is not None and time.perf_counter() - start > timeout and not note:
                    note = f"stopped after {timeout:.0f} s"
                    proc.kill()
                time.sleep(0.05)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read(65536).decode(errors="replace")
        stderr = err.read().decode(errors="replace").replace("\r", "\n")
    tail = "\n".join(line for line in stderr.splitlines() if line.strip())[-600:]
    return Sample(wall, usage.ru_maxrss, proc.returncode, stdout, tail, note)


def checked(sample: Sample, what: str, expect: str | None = None) -> Sample:
    if sample.note:
        return sample
    if sample.rc != 0:
        raise BenchError(f"{what}: exit {sample.rc}: {sample.err or sample.out}".strip())
    if expect is not None and expect not in sample.out:
        raise BenchError(f"{what}: expected {expect!r} in its output, got {sample.out[:300]!r}")
    return sample


def run_in_pty(argv: list[str], marker: bytes, cwd: Path, settle: float = 1.0,
               limit: float = 30.0) -> Sample:
    """Seconds until `marker` is on an 80x24 terminal (escape sequences removed), and VmHWM
    `settle` seconds later (the app idle with its screen drawn)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child
        try:
            os.chdir(cwd)
            os.execvpe(argv[0], argv, {**child_env(), "TERM": "xterm-256color"})
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    seen = b""
    elapsed = None
    while time.perf_counter() < start + limit:
        if select.select([fd], [], [], 0.05)[0]:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if marker in seen or marker in ANSI.sub(b"", seen):
                elapsed = time.perf_counter() - start
                break
    end = time.perf_counter() + (settle if elapsed is not None else 0)
    while time.perf_counter() < end:
        if select.select([fd], [], [], 0.05)[0]:
            try:
                if not os.read(fd, 65536):
                    break
            except OSError:
                break
    peak = vm_hwm_kib(pid)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _, status, usage = os.wait4(pid, 0)
    os.close(fd)
    if elapsed is None:
        screen = ANSI.sub(b"", seen).decode(errors="replace")
        screen = " | ".join(s.strip() for s in screen.splitlines() if s.strip())[-400:]
        raise BenchError(f"{' '.join(argv[-3:])}: {marker.decode()!r} not on screen within "
                         f"{limit:.0f} s; last text: {screen!r}")
    return Sample(elapsed, peak or usage.ru_maxrss)


# --- statistics and printing ------------------------------------------------------------

def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


@dataclass
class Pair:
    """A and B measured alternately: samples and per-pair ratios."""

    a_name: str
    b_name: str
    a: list[Sample] = field(default_factory=list)
    b: list[Sample] = field(default_factory=list)

    def ratios(self, key: Callable[[Sample], float]) -> list[float]:
        return [key(x) / key(y) for x, y in zip(self.a, self.b, strict=True)]

    def print(self, memory: bool = False) -> None:
        width = max(len(self.a_name), len(self.b_name))
        for tag, name, samples in (("A", self.a_name, self.a), ("B", self.b_name, self.b)):
            walls = [s.wall for s in samples]
            line = (f"    {tag} {name:<{width}}  min {ms(min(walls)):>8}  "
                    f"median {ms(statistics.median(walls)):>8}")
            peaks = [s.peak_kib for s in samples]
            line += f"  peak RSS median {mib(statistics.median(peaks))}, max {mib(max(peaks))}"
            say(line)
        r = self.ratios(lambda s: s.wall)
        best = min(s.wall for s in self.a) / min(s.wall for s in self.b)
        say(f"    A/B time: median {statistics.median(r):.2f}x, min {min(r):.2f}x, "
            f"max {max(r):.2f}x over {len(r)} pairs (min/min {best:.2f}x)")
        if memory:
            m = self.ratios(lambda s: s.peak_kib)
            say(f"    A/B peak memory: median {statistics.median(m):.2f}x, min {min(m):.2f}x, "
                f"max {max(m):.2f}x")

    def time_ratio(self) -> float:
        return statistics.median(self.ratios(lambda s: s.wall))

    def memory_ratio(self) -> float:
        return statistics.median(self.ratios(lambda s: s.peak_kib))

    def medians(self) -> str:
        return (f"{ms(statistics.median(s.wall for s in self.a))} vs "
                f"{ms(statistics.median(s.wall for s in self.b))}")


def alternate(a_name: str, a: Callable[[], Sample], b_name: str, b: Callable[[], Sample],
              runs: int, warmup: int = 1) -> Pair:
    pair = Pair(a_name, b_name)
    for _ in range(warmup):
        a()
        b()
    for _ in range(runs):
        pair.a.append(a())
        pair.b.append(b())
    return pair


@dataclass
class Row:
    benchmark: str
    goal: str
    measured: str
    verdict: str  # PASS, FAIL, ERROR


ROWS: list[Row] = []


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def row(benchmark: str, goal: str, measured: str, ok: bool) -> None:
    ROWS.append(Row(benchmark, goal, measured, verdict(ok)))
    say(f"    => {benchmark}: {measured} (goal {goal}) {verdict(ok)}")


# --- the databases ----------------------------------------------------------------------

def label(days: int) -> str:
    return f"{days // 365}y" if days % 365 == 0 else f"{days}d"


def words(days: int) -> str:
    return f"{days // 365}-year" if days % 365 == 0 else f"{days}-day"


def source_fingerprint() -> str:
    """What the demo databases depend on: the storage package, the demo generator and the
    shipped programs, as installed (asked of the interpreter, not assumed)."""
    code = ("import os, backcoach\n"
            "package = os.path.dirname(backcoach.__file__)\n"
            "try:\n"
            "    from backcoach.programs.catalog import shipped_dir\n"
            "    shipped = str(shipped_dir())\n"
            "except Exception:\n"
            "    shipped = os.path.join(os.path.dirname(package), 'programs')\n"
            "print(package); print(shipped)")
    found = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True)
    package, shipped = (Path(p) for p in found.stdout.splitlines()[:2])
    digest = hashlib.sha256()
    files = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".sql")
                   and ("storage" in p.relative_to(package).parts
                        or "demo" in p.name or "migrat" in p.name))
    files += sorted(p for p in shipped.rglob("*") if p.is_file() and p.suffix != ".pyc")
    for path in files:
        digest.update(str(path.relative_to(path.parents[1])).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FileStore:
    """SQLite demo databases, built once and kept in `folder` (a temp folder or --keep)."""

    kind = "sqlite"

    def __init__(self, folder: Path, fingerprint: str, work: Path) -> None:
        self.folder, self.fingerprint, self.work = folder, fingerprint, work
        self.built: dict[int, Sample] = {}  # demo builds measured in this run

    def path(self, days: int) -> Path:
        return self.folder / f"sqlite-{label(days)}-{self.fingerprint}" / "backcoach.sqlite3"

    def ensure(self, days: int) -> str:
        path = self.path(days)
        stamp = path.parent / "built.json"
        if stamp.exists() and path.exists():
            info = json.loads(stamp.read_text())
            say(f"  {words(days)} database: reusing {path} (built {info['when']}, "
                f"{info['seconds']:.1f} s)")
            return str(path)
        if path.parent.exists():
            shutil.rmtree(path.parent)
        path.parent.mkdir(parents=True)
        say(f"  {words(days)} database: building (demo --days {days}) ...")
        sample = run(BACKCOACH + ["--db", str(path), "demo", "--days", str(days)], self.work)
        checked(sample, f"demo --days {days}")
        self.built[days] = sample
        stamp.write_text(json.dumps({"when": datetime.now().isoformat(timespec="seconds"),
                                     "seconds": sample.wall, "peak_kib": sample.peak_kib,
                                     "output": sample.err.splitlines()[-1:]}))
        say(f"    built in {sample.wall:.1f} s, peak RSS {mib(sample.peak_kib)}, "
            f"{path.stat().st_size / 2**20:.1f} MiB")
        return str(path)

    def copy(self, days: int, name: str) -> str:
        """A fresh copy of the database, flushed to disk so no commit inside a timed run
        pays for writing the copy."""
        target = self.work / f"{name}.sqlite3"
        for extra in ("", "-wal", "-shm", "-journal"):
            Path(f"{target}{extra}").unlink(missing_ok=True)
        source = sqlite3.connect(f"file:{self.path(days)}?mode=ro", uri=True)
        destination = sqlite3.connect(target)
        source.backup(destination)
        destination.close()
        source.close()
        fsync_path(target)
        fsync_path(target.parent)
        return str(target)

    def derive(self, source: str, name: str) -> str:
        """A copy of another copy (`source` from copy())."""
        target = self.work / f"{name}.sqlite3"
        Path(target).unlink(missing_ok=True)
        shutil.copyfile(source, target)
        fsync_path(target)
        fsync_path(target.parent)
        return str(target)

    def cleanup(self) -> None:
        pass


class PostgresStore:
    """Demo databases on a PostgreSQL server: NAME_30d, NAME_10y, ... (NAME from the URL),
    marked complete with a database comment; copies are CREATE DATABASE ... TEMPLATE."""

    kind = "postgresql"

    def __init__(self, url: str, fingerprint: str, work: Path, keep: bool) -> None:
        self.parts = urlsplit(url)
        if not self.parts.scheme.startswith("postgresql"):
            raise SystemExit(f"--db-url: not a PostgreSQL URL: {url}")
        self.base = self.parts.path.lstrip("/") or "backcoach_bench"
        self.fingerprint, self.work, self.keep = fingerprint, work, keep
        self.made: list[str] = []
        self.built: dict[int, Sample] = {}
        self.checked, self.failure = False, ""
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise SystemExit("--db-url needs psycopg: pip install 'backcoach[postgres]'") \
                from None

    def url(self, name: str) -> str:
        return urlunsplit(self.parts._replace(path="/" + name))

    def shown(self, name: str | None = None) -> str:
        """The URL without its password."""
        netloc = self.parts.netloc
        if "@" in netloc and ":" in netloc.split("@")[0]:
            netloc = netloc.split(":")[0] + ":***@" + netloc.split("@", 1)[1]
        parts = self.parts._replace(netloc=netloc)
        return urlunsplit(parts._replace(path="/" + name) if name else parts)

    @contextmanager
    def admin(self, database: str = "postgres") -> Iterator[object]:
        import psycopg

        conninfo = urlunsplit(self.parts._replace(scheme="postgresql", path="/" + database))
        connection = psycopg.connect(conninfo, autocommit=True)
        try:
            yield connection
        finally:
            connection.close()

    def comment(self, name: str) -> str | None:
        with self.admin() as db:
            found = db.execute(  # type: ignore[attr-defined]
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                "WHERE datname = %s", (name,)).fetchone()
        return None if found is None else (found[0] or "")

    def create(self, name: str, template: str | None = None) -> None:
        from psycopg import sql

        with self.admin() as db:
            db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")  # type: ignore
                       .format(sql.Identifier(name)))
            query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if template:
                query = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template))
            db.execute(query)  # type: ignore[attr-defined]
        if name not in self.made:
            self.made.append(name)

    def drop(self, name: str) -> None:
        from psycopg import sql

        with self.admin() as db:
            db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")  # type: ignore
                       .format(sql.Identifier(name)))

    def tables(self, name: str) -> int:
        with self.admin(name) as db:
            return db.execute(  # type: ignore[attr-defined]
                "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN "
                "('pg_catalog', 'information_schema')").fetchone()[0]

    def name(self, days: int) -> str:
        return f"{self.base}_{label(days)}"

    def probe(self) -> None:
        """Once: does this backcoach write to PostgreSQL at all? (An older one takes the URL
        for a file name.) A one-day demo into NAME_probe says, in a second."""
        if self.checked:
            return
        self.checked = True
        name = f"{self.base}_probe"
        self.create(name)
        sample = run(BACKCOACH + ["--db", self.url(name), "demo", "--days", "1"], self.work)
        tables = self.tables(name)
        self.drop(name)
        if sample.rc != 0 or tables == 0:
            self.failure = (f"`backcoach --db {self.shown(name)} demo --days 1` "
                            + (f"failed (exit {sample.rc}: {sample.err[-200:]})" if sample.rc
                               else "exited 0 but created no table in PostgreSQL")
                            + ": this backcoach does not take --db URLs")
        if self.failure:
            raise BenchError(self.failure)

    def ensure(self, days: int) -> str:
        from psycopg import sql

        self.probe()
        if self.failure:
            raise BenchError(self.failure)
        name = self.name(days)
        mark = f"backcoach-bench {self.fingerprint} days={days}"
        if self.keep and self.comment(name) == mark:
            say(f"  {words(days)} database: reusing {name} on the server")
            return self.url(name)
        say(f"  {words(days)} database: building {name} (demo --days {days}) ...")
        self.create(name)
        sample = run(BACKCOACH + ["--db", self.url(name), "demo", "--days", str(days)],
                     self.work)
        checked(sample, f"demo --days {days} on PostgreSQL")
        if self.tables(name) == 0:
            raise BenchError(f"`backcoach --db {self.shown(name)} demo` exited 0 but created "
                             "no table in PostgreSQL")
        with self.admin() as db:
            db.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(  # type: ignore
                sql.Identifier(name), sql.Literal(mark)))
        self.built[days] = sample
        say(f"    built in {sample.wall:.1f} s, peak RSS {mib(sample.peak_kib)}")
        return self.url(name)

    def copy(self, days: int, name: str) -> str:
        full = f"{self.base}_{name}"
        self.create(full, template=self.name(days))
        return self.url(full)

    def derive(self, source: str, name: str) -> str:
        full = f"{self.base}_{name}"
        self.create(full, template=urlsplit(source).path.lstrip("/"))
        return self.url(full)

    def cleanup(self) -> None:

        keep = {self.name(d) for d in (SMALL, TEN_YEARS, HUNDRED_YEARS)} if self.keep else set()
        for name in self.made:
            if name not in keep:
                self.drop(name)


# --- the benchmarks ---------------------------------------------------------------------

@dataclass
class Context:
    runs: int
    quick: bool
    work: Path  # scratch folder, also every child's cwd
    files: FileStore
    store: FileStore | PostgresStore  # for 1, 2 and 4
    ready: dict[tuple[str, int], str | BenchError] = field(default_factory=dict)

    def db(self, days: int, store: FileStore | PostgresStore | None = None) -> str:
        """The demo database of `days` days, built (or found) once per run."""
        store = store or self.files
        key = (store.kind, days)
        if key not in self.ready:
            try:
                self.ready[key] = store.ensure(days)
            except BenchError as error:
                say(f"    ERROR {error}")
                self.ready[key] = error
        found = self.ready[key]
        if isinstance(found, BenchError):
            raise BenchError(f"no {words(days)} {store.kind} database (see above)")
        return found


def bench_plan(ctx: Context) -> None:
    db = ctx.db(TEN_YEARS, ctx.store)
    argv = BACKCOACH + ["--db", db, "plan", "--json"]

    def plan() -> Sample:
        sample = checked(run(argv, ctx.work), "plan --json", '"exercises"')
        try:
            json.loads(sample.out)
        except ValueError:
            raise BenchError(f"plan --json printed no JSON object: {sample.out[:300]!r}") \
                from None
        return sample

    say(f"[1] plan --json ({words(TEN_YEARS)} {ctx.store.kind} database) vs import sqlmodel")
    pair = alternate("backcoach plan --json", plan, 'python -c "import sqlmodel"',
                     lambda: checked(run(IMPORT_SQLMODEL, ctx.work), "import sqlmodel"),
                     ctx.runs)
    pair.print()
    row(f"1. plan --json ({label(TEN_YEARS)}, {ctx.store.kind}) / import sqlmodel",
        f"<= {PLAN_RATIO}x", f"{pair.time_ratio():.2f}x ({pair.medians()})",
        pair.time_ratio() <= PLAN_RATIO)


def bench_log(ctx: Context) -> None:
    store = ctx.store
    ctx.db(TEN_YEARS, store)
    now = datetime.now().replace(second=0, microsecond=0)
    # a template: the 10-year database with a safety check answered "no" just now, so no
    # "safety check due" can refuse the set; each timed run logs into a fresh copy of it
    template = store.copy(TEN_YEARS, "log_template")
    safety = run(BACKCOACH + ["--db", template, "safety", "--no",
                              "--at", now.isoformat(timespec="minutes")], ctx.work)
    if safety.rc != 0:
        say(f"    (safety --no: exit {safety.rc}: {safety.err}; going on without it)")
    at = None
    tried = []
    for minutes in [1] + list(range(120, 23 * 60, 120)):  # within a day, as --at allows
        when = (now + timedelta(minutes=minutes)).isoformat(timespec="minutes")
        trial = run(BACKCOACH + ["--db", store.derive(template, "log_trial"), "log",
                                 *LOG_EXERCISE, "--at", when], ctx.work)
        if trial.rc == 0 and "logged" in trial.out:
            at = when
            break
        tried.append(f"{when}: {(trial.err or trial.out).strip()[:160]}")
    if at is None:
        raise BenchError("no time within a day at which the rules allow "
                         f"{LOG_EXERCISE[0]}: " + "; ".join(tried[:3]))
    argv_tail = ["log", *LOG_EXERCISE, "--at", at]

    def log() -> Sample:
        db = store.derive(template, "log_run")  # outside the timed region
        return checked(run(BACKCOACH + ["--db", db] + argv_tail, ctx.work),
                       "log", expect="logged")

    say(f"[2] backcoach log {' '.join(LOG_EXERCISE)} --at {at} (fresh copy of the "
        f"{words(TEN_YEARS)} {store.kind} database each run) vs import sqlmodel")
    pair = alternate("backcoach log", log, 'python -c "import sqlmodel"',
                     lambda: checked(run(IMPORT_SQLMODEL, ctx.work), "import sqlmodel"),
                     ctx.runs)
    pair.print()
    say(f"    every timed log exited 0 and said {pair.a[-1].out.strip()!r}")
    row(f"2. log ({label(TEN_YEARS)}, {store.kind}) / import sqlmodel", f"<= {LOG_RATIO}x",
        f"{pair.time_ratio():.2f}x ({pair.medians()})", pair.time_ratio() <= LOG_RATIO)


def bench_tui(ctx: Context) -> None:
    db = ctx.db(TEN_YEARS)
    say(f"[3] TUI: {PLAN_MARKER.decode()!r} (the Today plan) on an 80x24 pty, "
        f"{words(TEN_YEARS)} database, vs the minimal Textual app's first paint "
        f"({MINIMAL_MARKER.decode()!r}); VmHWM 1 s later")
    pair = alternate("backcoach (plan drawn)",
                     lambda: run_in_pty(BACKCOACH + ["--db", db], PLAN_MARKER, ctx.work),
                     "minimal Textual app", lambda: run_in_pty(MINIMAL_APP, MINIMAL_MARKER,
                                                               ctx.work),
                     ctx.runs)
    pair.print(memory=True)
    row("3. TUI plan on screen / minimal app first paint", f"<= {PAINT_RATIO}x",
        f"{pair.time_ratio():.2f}x ({pair.medians()})", pair.time_ratio() <= PAINT_RATIO)
    peaks = (f"{mib(statistics.median(s.peak_kib for s in pair.a))} vs "
             f"{mib(statistics.median(s.peak_kib for s in pair.b))}")
    row("3. TUI peak memory (VmHWM) / minimal app", f"<= {PAINT_MEMORY_RATIO}x",
        f"{pair.memory_ratio():.2f}x ({peaks})", pair.memory_ratio() <= PAINT_MEMORY_RATIO)


def bench_scaling(ctx: Context) -> None:
    big, small = ctx.db(HUNDRED_YEARS, ctx.store), ctx.db(SMALL, ctx.store)
    report_file = str(ctx.work / "report.html")
    for n, (name, tail) in enumerate([("history --days 30", ["history", "--days", "30"]),
                                      ("report", ["report", "-o", report_file])]):
        say(f"[4{'ab'[n]}] {name}: {words(HUNDRED_YEARS)} vs {words(SMALL)} "
            f"{ctx.store.kind} database")

        def one(db: str, size: str, tail: list[str] = tail, name: str = name) -> Sample:
            return checked(run(BACKCOACH + ["--db", db] + tail, ctx.work), f"{name} ({size})")

        pair = alternate(f"{name} ({label(HUNDRED_YEARS)})", lambda: one(big, "100y"),
                         f"{name} ({label(SMALL)})", lambda: one(small, "30d"), ctx.runs)
        pair.print()
        row(f"4. {name}: {label(HUNDRED_YEARS)} / {label(SMALL)} ({ctx.store.kind})",
            f"<= {SCALING_RATIO}x", f"{pair.time_ratio():.2f}x ({pair.medians()})",
            pair.time_ratio() <= SCALING_RATIO)


def bench_export(ctx: Context) -> None:
    big, ten = ctx.db(HUNDRED_YEARS), ctx.db(TEN_YEARS)
    out = ctx.work / "export.json"
    runs = 1 if ctx.quick else 3
    say(f"[5a] export --format fhir, {words(HUNDRED_YEARS)} database: peak RSS, {runs} run(s) "
        f"(stopped beyond {EXPORT_CAP_MIB} MiB or {EXPORT_TIMEOUT:.0f} s)")
    samples = []
    for _ in range(runs):
        out.unlink(missing_ok=True)
        sample = checked(run(BACKCOACH + ["--db", big, "export", "--format", "fhir", "-o",
                                          str(out)], ctx.work, cap_mib=EXPORT_CAP_MIB,
                             timeout=EXPORT_TIMEOUT), "export --format fhir (100y)")
        samples.append(sample)
        size = f", {out.stat().st_size / 2**20:.0f} MiB written" if out.exists() else ""
        say(f"    {ms(sample.wall)}, peak RSS {mib(sample.peak_kib)}{size}"
            f"{' — ' + sample.note if sample.note else ''}")
        if sample.note:
            break
    out.unlink(missing_ok=True)
    peak = max(s.peak_kib for s in samples)
    capped = any(s.note for s in samples)
    row(f"5. export fhir ({label(HUNDRED_YEARS)}) peak RSS", f"<= {EXPORT_PEAK_MIB} MiB",
        f"> {EXPORT_CAP_MIB} MiB (stopped at the cap)" if capped else mib(peak),
        not capped and peak <= EXPORT_PEAK_MIB * 1024)

    baseline_out = ctx.work / "baseline.json"
    say(f"[5b] export --format fhir vs sqlite3 + json.dumps of the same rows "
        f"(benchmarks/export_baseline.py), {words(TEN_YEARS)} database")

    def export() -> Sample:
        out.unlink(missing_ok=True)
        return checked(run(BACKCOACH + ["--db", ten, "export", "--format", "fhir", "-o",
                                        str(out)], ctx.work), "export --format fhir (10y)")

    def baseline() -> Sample:
        baseline_out.unlink(missing_ok=True)
        return checked(run(EXPORT_BASELINE + [ten, str(baseline_out)], ctx.work),
                       "export_baseline.py", expect="sets")

    pair = alternate("backcoach export --format fhir", export, "export_baseline.py", baseline,
                     ctx.runs)
    pair.print(memory=True)
    say(f"    baseline: {pair.b[-1].out.strip()}")
    out.unlink(missing_ok=True)
    baseline_out.unlink(missing_ok=True)
    row(f"5. export fhir ({label(TEN_YEARS)}) / sqlite3+json.dumps", f"<= {EXPORT_RATIO}x",
        f"{pair.time_ratio():.2f}x ({pair.medians()})", pair.time_ratio() <= EXPORT_RATIO)


def bench_demo(ctx: Context) -> None:
    say(f"[6] demo --days {HUNDRED_YEARS} into an empty database")
    sample = ctx.files.built.get(HUNDRED_YEARS)
    if sample is not None:
        say("    (the build of the 100-year database in this run)")
    else:
        target = ctx.work / "demo.sqlite3"
        target.unlink(missing_ok=True)
        sample = checked(run(BACKCOACH + ["--db", str(target), "demo", "--days",
                                          str(HUNDRED_YEARS)], ctx.work), "demo")
        target.unlink(missing_ok=True)
    say(f"    {sample.wall:.1f} s, peak RSS {mib(sample.peak_kib)}")
    row(f"6. demo --days {HUNDRED_YEARS} time", f"< {DEMO_SECONDS:.0f} s",
        f"{sample.wall:.1f} s", sample.wall < DEMO_SECONDS)
    row(f"6. demo --days {HUNDRED_YEARS} peak RSS", f"<= {DEMO_PEAK_MIB} MiB",
        mib(sample.peak_kib), sample.peak_kib <= DEMO_PEAK_MIB * 1024)


RUNNERS: dict[str, Callable[[Context], None]] = {
    "plan": bench_plan, "log": bench_log, "tui": bench_tui, "scaling": bench_scaling,
    "export": bench_export, "demo": bench_demo,
}
NEEDS = {  # which databases each benchmark uses: (days, on the --db-url store?)
    "plan": [(TEN_YEARS, True)], "log": [(TEN_YEARS, True)], "tui": [(TEN_YEARS, False)],
    "scaling": [(SMALL, True), (HUNDRED_YEARS, True)],
    "export": [(TEN_YEARS, False), (HUNDRED_YEARS, False)], "demo": [],
}


# --- the report -------------------------------------------------------------------------

def git(*args: str) -> str:
    found = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    return found.stdout.strip() if found.returncode == 0 else "?"


def machine() -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = subprocess.run(
        [PY, "-c", "from importlib.metadata import version as v; "
                   "print(' '.join(f'{p} {v(p)}' for p in ('textual', 'sqlmodel', "
                   "'sqlalchemy')))"], capture_output=True, text=True).stdout.strip()
    dirty = git("status", "--porcelain", "--", ".", ":!benchmarks/RESULTS.md")
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), "
                   f"{memory:.0f} GiB, {cpu}, {platform.system()} {platform.release()}",
        "python": f"{platform.python_version()} ({PY}); {versions}",
        "commit": f"{git('rev-parse', 'HEAD')} on {git('rev-parse', '--abbrev-ref', 'HEAD')}"
                  + (" + uncommitted changes" if dirty and dirty != "?" else ""),
    }


def summary_table() -> list[str]:
    head = ("benchmark", "goal", "measured", "result")
    cells = [head] + [(r.benchmark, r.goal, r.measured, r.verdict) for r in ROWS]
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    lines = ["| " + " | ".join(c[i].ljust(widths[i]) for i in range(4)) + " |" for c in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return lines


def write_results(info: dict[str, str], args: argparse.Namespace, seconds: float,
                  chosen: list[str], store: str) -> Path:
    path = HERE / "RESULTS.md"
    passed = sum(r.verdict == "PASS" for r in ROWS)
    lines = [
        "# Benchmark results", "",
        "Written by `benchmarks/run.py` (see benchmarks/README.md); ratios are medians of "
        "per-pair ratios, A and B run alternately in one run.", "",
        f"- date: {info['date']}",
        f"- machine: {info['machine']}",
        f"- python: {info['python']}",
        f"- commit: {info['commit']}",
        f"- command: `{' '.join(['python benchmarks/run.py'] + args.argv)}`",
        f"- runs: {args.runs} per command{' (--quick)' if args.quick else ''}; "
        f"benchmarks: {', '.join(chosen)}; database for 1, 2, 4: {store}",
        f"- whole run: {seconds:.0f} s; {passed} of {len(ROWS)} goals met", "",
        *summary_table(), "",
        "## Details", "", "```", *LOG, "```", "",
    ]
    path.write_text("\n".join(lines))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, help="counted runs of each command (default 7, "
                                                 "3 with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="fewer runs (3), one 100-year export")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help=f"some benchmarks: {', '.join(BENCHMARKS)} (or 1-6)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep the demo databases here and reuse them in later runs")
    parser.add_argument("--db-url", metavar="URL",
                        help="run 1, 2 and 4 against this PostgreSQL server "
                             "(postgresql+psycopg://USER@HOST/NAME)")
    args = parser.parse_args()
    args.argv = sys.argv[1:]
    if args.runs is None:
        args.runs = 3 if args.quick else 7
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    chosen = []
    for name in args.only or BENCHMARKS:
        name = BENCHMARKS[int(name) - 1] if name.isdigit() and 1 <= int(name) <= 6 else name
        if name not in BENCHMARKS:
            parser.error(f"--only: unknown benchmark {name!r} (one of {', '.join(BENCHMARKS)})")
        if name not in chosen:
            chosen.append(name)
    chosen.sort(key=BENCHMARKS.index)

    started = time.perf_counter()
    info = machine()
    fingerprint = source_fingerprint()
    postgres = (PostgresStore(args.db_url, fingerprint, Path("."), keep=bool(args.keep))
                if args.db_url else None)  # checked before any folder is made
    work = Path(tempfile.mkdtemp(prefix="backcoach-bench-"))
    folder = args.keep.resolve() if args.keep else work / "databases"
    folder.mkdir(parents=True, exist_ok=True)
    files = FileStore(folder, fingerprint, work)
    store: FileStore | PostgresStore = files
    if postgres is not None:
        postgres.work = work
        store = postgres
    where = store.shown() if isinstance(store, PostgresStore) else "SQLite files"
    say(f"backcoach benchmarks — {info['date']}")
    say(f"  {info['machine']}")
    say(f"  python {info['python']}")
    say(f"  commit {info['commit']}")
    say(f"  {args.runs} runs per command, alternated; benchmarks: {', '.join(chosen)}; "
        f"1, 2, 4 on {where}; databases in {folder}")
    say()
    try:
        needed = sorted({need for name in chosen for need in NEEDS[name]})
        if "demo" in chosen and not files.path(HUNDRED_YEARS).parent.joinpath(
                "built.json").exists():
            needed.append((HUNDRED_YEARS, False))  # the build is the measurement
        ctx = Context(args.runs, args.quick, work, files, store)
        say("databases:")
        for days, on_store in sorted(set(needed), key=lambda n: (n[1], n[0])):
            try:
                ctx.db(days, store if on_store else files)
            except BenchError:
                pass  # said; the benchmarks that need it report ERROR
        say()
        for name in chosen:
            try:
                RUNNERS[name](ctx)
            except BenchError as error:
                say(f"    ERROR {error}")
                ROWS.append(Row(f"{BENCHMARKS.index(name) + 1}. {name}", "see above",
                                str(error)[:120].replace("|", "/").replace("\n", " "),
                                "ERROR"))
            except Exception:  # a bug here must not lose the other figures
                say(traceback.format_exc())
                ROWS.append(Row(f"{BENCHMARKS.index(name) + 1}. {name}", "see above",
                                "harness error", "ERROR"))
            say()
    finally:
        store.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    seconds = time.perf_counter() - started
    say(f"summary ({args.runs} runs, whole run {seconds:.0f} s):")
    for line in summary_table():
        say(line)
    path = write_results(info, args, seconds, chosen, where)
    print(f"\nwritten to {path.relative_to(ROOT)}")
    return 0 if all(r.verdict == "PASS" for r in ROWS) else 1


if __name__ == "__main__":
    sys.exit(main())
