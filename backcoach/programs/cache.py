"""Validated programs, kept by content hash, so that pydantic runs only in `check` or when a
program file (or backcoach itself) changed.

The key is a SHA-256 of the program file, of every program file it could include (all
`*.toml` in the catalog's folders and its own folder) and of backcoach's program code; an
entry is the built Program, pickled into the private cache (`private_cache.py`); anything
doubtful about an entry and the file is validated again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from backcoach import private_cache
from backcoach.domain.program import Program
from backcoach.private_cache import CACHE_ENV, cache_dir

__all__ = ["CACHE_ENV", "cache_dir", "cached_load", "key_for", "lookup", "store"]
PROGRAM_MAX_BYTES = 1_000_000  # a larger program file is refused (loader) and never cached
CODE = Path(__file__).resolve().parents[1]
CODE_FOLDERS = ("domain", "domain/rules", "programs")


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
    program = private_cache.lookup(f"{key}.program", Program)
    return program if program is not None and program.content_hash else None


def store(key: str, program: Program) -> None:
    """File a validated program under `key`; silently does nothing if it cannot."""
    private_cache.store(f"{key}.program", program)


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
