"""backcoach benchmarks: prints figures and ratios measured side by side in one run.

usage: python benchmarks/run.py [--runs N]
Builds a 10-year and a 30-day demo database in a temporary folder, then measures:
  1. time to first screen: backcoach (10-year db) vs a minimal Textual app, 80x24 pty
  2. peak memory (VmHWM) of both apps once loaded
  3. `backcoach plan --json` on 10 years vs 30 days
  4. `backcoach plan --json` vs `python -c "import sqlmodel"`
  5. `backcoach demo --days 3650` wall time
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def run_in_pty(argv: list[str], marker: bytes, settle: float = 0.0,
               env: dict | None = None) -> tuple[float, int]:
    """Seconds until `marker` appears on an 80x24 terminal, and peak RSS (KiB) after settle."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(argv[0], argv, {**os.environ, "TERM": "xterm-256color", **(env or {})})
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    seen = b""
    elapsed = float("nan")
    deadline = start + 30
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
            if marker in seen:
                elapsed = time.perf_counter() - start
                break
    end = time.perf_counter() + settle
    while time.perf_counter() < end:
        if select.select([fd], [], [], 0.05)[0]:
            try:
                os.read(fd, 65536)
            except OSError:
                break
    peak = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1])
    except OSError:
        pass
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)
    return elapsed, peak


def timed(argv: list[str], runs: int) -> float:
    """Median wall time of a command over `runs` runs."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="backcoach-bench-"))
    big, small = tmp / "ten-years.sqlite3", tmp / "thirty-days.sqlite3"
    cli = [PY, "-m", "backcoach"]

    start = time.perf_counter()
    subprocess.run(cli + ["--db", str(big), "demo", "--days", "3650"], check=True,
                   stderr=subprocess.DEVNULL, cwd=ROOT)
    demo_seconds = time.perf_counter() - start
    subprocess.run(cli + ["--db", str(small), "demo", "--days", "30"], check=True,
                   stderr=subprocess.DEVNULL, cwd=ROOT)
    print(f"demo --days 3650: {demo_seconds:.2f} s (goal < 30 s); "
          f"database {big.stat().st_size / 2**20:.1f} MiB")

    app_times, base_times, app_peaks, base_peaks = [], [], [], []
    for _ in range(args.runs):
        t, _ = run_in_pty(cli + ["--db", str(big)], b"home exercises")
        app_times.append(t)
        t, _ = run_in_pty([PY, str(ROOT / "benchmarks" / "minimal_app.py")], b"home exercises")
        base_times.append(t)
    for _ in range(3):
        app_peaks.append(run_in_pty(cli + ["--db", str(big)], b"phase:", settle=1.0)[1])
        base_peaks.append(run_in_pty([PY, str(ROOT / "benchmarks" / "minimal_app.py")],
                                     b"hello", settle=1.0)[1])
    app_first, base_first = statistics.median(app_times), statistics.median(base_times)
    print(f"first screen: backcoach (10-year db) {app_first * 1000:.0f} ms, minimal Textual "
          f"app {base_first * 1000:.0f} ms, ratio {app_first / base_first:.2f}x (goal <= 1.5x)")
    app_mem, base_mem = max(app_peaks), max(base_peaks)
    print(f"peak memory once loaded: backcoach {app_mem / 1024:.0f} MiB, minimal app "
          f"{base_mem / 1024:.0f} MiB, ratio {app_mem / base_mem:.2f}x (goal <= 2x)")

    plan_big = timed(cli + ["--db", str(big), "plan", "--json"], args.runs)
    plan_small = timed(cli + ["--db", str(small), "plan", "--json"], args.runs)
    bare = timed([PY, "-c", "import sqlmodel"], args.runs)
    print(f"plan --json: 10 years {plan_big * 1000:.0f} ms, 30 days {plan_small * 1000:.0f} ms,"
          f" ratio {plan_big / plan_small:.2f}x (goal <= 1.25x)")
    print(f"plan --json (10 years) vs python -c 'import sqlmodel' {bare * 1000:.0f} ms: ratio "
          f"{plan_big / bare:.2f}x (goal <= 1.6x)")

    from backcoach.domain.trends import daily_targets
    from backcoach.programs.catalog import Catalog
    from backcoach.storage.database import open_database
    from backcoach.storage.queries import history_summary

    targets = daily_targets(Catalog.default().load("mckenzie"))

    def history_time(path: Path) -> float:
        database = open_database(path)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            history_summary(database, date.today(), None, targets)
            times.append(time.perf_counter() - start)
        database.close()
        return statistics.median(times)

    hist_big, hist_small = history_time(big), history_time(small)
    print(f"history view data (all): 10 years {hist_big * 1000:.0f} ms, 30 days "
          f"{hist_small * 1000:.1f} ms, ratio {hist_big / hist_small:.1f}x")
    print(f"(median of {args.runs} runs; {os.cpu_count()} cores; python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
