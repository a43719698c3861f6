"""Values that are slow to build, pickled into the private cache folder (0700 folder, 0600
files, written atomically) under a key that changes whenever their inputs do. Anything odd
about an entry (unreadable, foreign owner, loose mode, another type) is ignored and the
value is built again: the cache can only save time. `read_pickle`/`write_pickle` do the
same for a file elsewhere (today's plan kept beside the database: `coach/preview.py`)."""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path
from typing import TypeVar

CACHE_ENV = "BACKCOACH_CACHE"
T = TypeVar("T")


def cache_dir() -> Path:
    """$BACKCOACH_CACHE, else the platform's user cache folder for backcoach."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("backcoach", appauthor=False)


def lookup(name: str, kind: type[T]) -> T | None:
    """The `kind` value filed as `name`, or None (missing, or anything doubtful about it)."""
    return read_pickle(cache_dir() / name, kind)


def store(name: str, value: object) -> None:
    """File `value` as `name`; silently does nothing if it cannot."""
    from backcoach.paths import ensure_private_folder

    folder = cache_dir()
    try:
        ensure_private_folder(folder)
    except OSError:
        return
    write_pickle(folder / name, value)


def read_pickle(path: Path, kind: type[T]) -> T | None:
    """The `kind` value pickled in `path` by this user (0600), else None."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid()
                    or info.st_mode & 0o077):
                return None
            value = pickle.load(handle)
    except Exception:  # a kept value never stops the app: build it again instead
        return None
    return value if isinstance(value, kind) else None


def write_pickle(path: Path, value: object) -> bool:
    """Pickle `value` into `path` (0600, atomically); whether it could (a failure is
    silent)."""
    from backcoach.paths import write_private_bytes

    try:
        write_private_bytes(path, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError):
        return False
    return True
