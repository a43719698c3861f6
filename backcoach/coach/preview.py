"""Today's plan before the database is open.

Opening the database costs the app SQLAlchemy's import: most of a second. So whenever the
coach works out today's plan from an SQLite file, it also keeps what the rules read (the
History) beside the file (`NAME.today`, 0600: it is health data, kept with the rest), with
the file's identity (inode, size and modification time of the file and of its write-ahead
log, taken before the read). The app's next start runs
the rules engine over it at once, if the file is unchanged, the local day the same and
nothing in the log later than the read: the same plan a read would give, on the first
frame. The app still opens the database and shows the plan worked out from it, and
nothing can be started before. Closing the database moves its log into the file: the
snapshot then follows the file if nothing was written since it was made (a write by
another program at the very moment of closing could go unseen until the database is open).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from backcoach.clock import Clock
from backcoach.coach.first_view import kept_at
from backcoach.domain.engine import Plan, build_plan
from backcoach.domain.history import History, recent_pain
from backcoach.domain.program import Program
from backcoach.private_cache import read_pickle, write_pickle

FileIdentity = tuple[tuple[int, int, int] | None, ...]


@dataclass(frozen=True)
class Snapshot:
    """What today's plan was worked out from, and when."""

    files: FileIdentity
    opened_with: tuple[str | None, str | None]  # the app's --program and --programs
    choice: str  # the program as the coach loaded it (id or path)
    program_hash: str
    zone: tuple[str | None, timedelta | None]  # $TZ and the UTC offset at `read_at`
    read_at: datetime
    history: History
    theme: str | None


@dataclass(frozen=True)
class Preview:
    plan: Plan
    program: Program
    theme: str | None


def files_identity(path: Path) -> FileIdentity | None:
    """The SQLite file's and its write-ahead log's (inode, size, mtime); None if unknown."""
    found: list[tuple[int, int, int] | None] = []
    for candidate in (path, path.with_name(path.name + "-wal")):
        try:
            info = os.stat(candidate)
        except FileNotFoundError:
            found.append(None)
            continue
        except OSError:
            return None
        found.append((info.st_ino, info.st_size, info.st_mtime_ns))
    return tuple(found) if found[0] is not None else None


def zone(at: datetime) -> tuple[str | None, timedelta | None]:
    return os.environ.get("TZ"), at.astimezone().utcoffset()


def opened_with(program: str | None, extra: Path | None) -> tuple[str | None, str | None]:
    return program, str(extra.resolve()) if extra else None


def keep(path: Path, snapshot: Snapshot, acute_window: timedelta) -> bool:
    """File `snapshot`, unless its pain window cannot be moved to a later time of the day
    (the window reaches past the five weeks of pain scores the History holds): whether it
    was."""
    history = snapshot.history
    if history.pain_recent != recent_pain(history.pain_weeks, snapshot.read_at, acute_window):
        return False
    return write_pickle(kept_at(path), snapshot)


def rekey(path: Path, before: FileIdentity, after: FileIdentity | None) -> None:
    """The database was closed (its write-ahead log moved into the file): the snapshot of
    the files as they were just before holds for them as they are now."""
    snapshot = read_pickle(kept_at(path), Snapshot)
    if snapshot is not None and after is not None and snapshot.files == before:
        write_pickle(kept_at(path), replace(snapshot, files=after))


def load(path: Path, program: str | None, extra: Path | None, clock: Clock) -> Preview | None:
    """Today's plan from the snapshot of the last read, or None when it may not hold."""
    try:
        return _load(path, program, extra, clock)
    except Exception:  # a preview can only save time: the database will say what is wrong
        return None


def _load(path: Path, program: str | None, extra: Path | None, clock: Clock) -> Preview | None:
    snapshot = read_pickle(kept_at(path), Snapshot)
    if snapshot is None or snapshot.files != files_identity(path) \
            or snapshot.opened_with != opened_with(program, extra):
        return None
    now = clock()
    if now < snapshot.read_at or zone(now) != snapshot.zone \
            or now.astimezone().date() != snapshot.read_at.astimezone().date():
        return None
    from backcoach.programs.catalog import Catalog

    loaded = Catalog.default(extra).load(snapshot.choice)
    if loaded.content_hash != snapshot.program_hash:
        return None
    history = replace(snapshot.history, pain_recent=recent_pain(
        snapshot.history.pain_weeks, now, loaded.acute_window))
    return Preview(build_plan(loaded, history, now, None, None), loaded, snapshot.theme)
