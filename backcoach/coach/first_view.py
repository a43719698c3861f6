"""Today's view for the first frame, worked out on the other core.

Importing Textual takes the app most of its start; importing the rules engine and running
it over the kept snapshot (`preview.py`) takes another ~50 ms. Where processes can be
forked, a child does the second while this process does the first, and sends the view as
plain text through a pipe: this process draws it without importing the engine. Elsewhere,
or for an app built in-process (tests), the same function runs here. The child never
touches the terminal or the database, and anything that goes wrong in it only means no
preview: the database's plan follows a moment later either way.
"""

from __future__ import annotations

import marshal
import os
import select
import signal
import time
from collections.abc import Callable
from pathlib import Path

from backcoach.clock import Clock
from backcoach.coach.today_view import TodayView

WAIT = 1.0  # seconds the first frame waits for the child at most
Pending = Callable[[], "TodayView | None"]


def kept_at(path: Path) -> Path:
    """Where the snapshot of an SQLite file is kept: beside it."""
    return path.with_name(path.name + ".today")


def view_here(db: Path | str, program: str | None, extra: Path | None,
              clock: Clock) -> TodayView | None:
    """The view worked out in this process (imports the rules engine)."""
    if not isinstance(db, Path):
        return None
    from backcoach.coach.preview import load
    from backcoach.coach.today_view import today_view

    shown = load(db, program, extra, clock)  # None where it may not hold, or on any error
    return None if shown is None else today_view(shown.plan, shown.program, shown.theme)


def start(db: Path | str, program: str | None, extra: Path | None, clock: Clock) -> Pending:
    """Start working out the view; call the result for it (None if there is none)."""
    if not isinstance(db, Path) or not kept_at(db).is_file():
        return lambda: None  # a server, or nothing kept: no fork for nothing
    if not hasattr(os, "fork"):
        return lambda: view_here(db, program, extra, clock)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running anything else
        try:
            os.close(reader)
            view = view_here(db, program, extra, clock)
            data = marshal.dumps(None if view is None else view.as_data())
            while data:
                data = data[os.write(writer, data):]
        finally:
            os._exit(0)
    os.close(writer)
    return lambda: _received(pid, reader)


def _received(pid: int, reader: int) -> TodayView | None:
    """The child's view, waiting at most WAIT seconds; the child is reaped either way."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + WAIT
    try:
        while (left := deadline - time.monotonic()) > 0 \
                and select.select([reader], [], [], left)[0]:
            chunk = os.read(reader, 65536)
            if not chunk:
                return TodayView.from_data(marshal.loads(b"".join(chunks)))
            chunks.append(chunk)
        os.kill(pid, signal.SIGKILL)  # too slow: the database's plan will do
        return None
    except (OSError, EOFError, ValueError, TypeError):
        return None
    finally:
        os.close(reader)
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
