"""Validated programs, kept by content hash, so that pydantic runs only in `check` or when a
program file (or backcoach itself) changed.

The key is a SHA-256 of the program file, of every program file it could include (all
`*.toml` in the catalog's folders and its own folder) and of backcoach's program code; an
entry is the built Program, pickled into the private cache folder (0700 folder, 0600 files,
written atomically). Anything odd about an entry (unreadable, foreign owner, loose mode,
another shape) is ignored and the file is validated again: the cache can only save time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from backcoach.domain.program import Program

CACHE_ENV = "BACKCOACH_CACHE"
PROGRAM_MAX_BYTES = 1_000_000  # a larger program file is refused (loader) and never cached
CODE = Path(__file__).resolve().parents[1]
CODE_FOLDERS = ("domain", "domain/rules", "programs")


def cache_dir() -> Path:
    """$BACKCOACH_CACHE, else the platform's user cache folder for backcoach."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("backcoach", appauthor=False)


def key_for(raw: bytes, folders: Iterable[Path]) -> str:
    """The content hash a built program is filed under."""
    from backcoach.paths import read_regular_file

    digest = hashlib.sha256(raw)
    for folder in dict.fromkeys(f.resolve() for f in folders):
        for candidate in sorted(folder.glob("*.toml")):
            digest.update(candidate.name.encode() + b"\0")
            try:
                digest.update(read_regular_file(candidate, PROGRAM_MAX_BYTES))
            except OSError as error:  # a FIFO or a huge file: its name and state count
                digest.update(f"unreadable:{error}".encode())
    for sub in CODE_FOLDERS:  # a changed backcoach builds programs anew
        for module in sorted((CODE / sub).glob("*.py")):
            info = module.stat()
            digest.update(f"{module.name}:{info.st_mtime_ns}:{info.st_size}".encode())
    return digest.hexdigest()


def lookup(key: str) -> Program | None:
    """The program filed under `key`, or None (missing, or anything doubtful about it)."""
    path = cache_dir() / f"{key}.program"
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid()
                    or info.st_mode & 0o077):
                return None
            program = pickle.load(handle)
    except Exception:  # a cache entry never stops the app: validate again instead
        return None
    return program if isinstance(program, Program) and program.content_hash else None


def store(key: str, program: Program) -> None:
    """File a validated program under `key`; silently does nothing if it cannot."""
    from backcoach.paths import ensure_private_folder, write_private_bytes

    folder = cache_dir()
    try:
        ensure_private_folder(folder)
        write_private_bytes(folder / f"{key}.program", pickle.dumps(program))
    except (OSError, pickle.PicklingError):
        pass


def cached_load(path: Path, folders: Iterable[Path], load: Callable[[Path], Program]) -> Program:
    """`load(path)` (which validates), unless the same files were validated before."""
    from backcoach.paths import read_regular_file

    try:
        key = key_for(read_regular_file(path, PROGRAM_MAX_BYTES), (*folders, path.parent))
    except OSError:
        return load(path)  # the loader explains what is wrong with the file
    program = lookup(key)
    if program is None:
        program = load(path)  # ProgramInvalid propagates: nothing is stored
        store(key, program)
    return program
