"""What every subcommand shares: the clock, the database, the active program."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from backcoach.clock import NOW_ENV, env_time, system_now



class Failure(Exception):
    """A user-facing failure: one line, then exit `code` (1 refusal/invalid, 2 usage)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def err(message: str) -> None:
    print(f"backcoach: {message}", file=sys.stderr)


def now(args: argparse.Namespace | None = None) -> datetime:
    """--at, else $BACKCOACH_NOW (for tests and demos), else the clock; always aware."""
    at = getattr(args, "at", None)
    if at is not None:
        return at
    try:
        fixed = env_time()
    except ValueError as error:
        raise Failure(f"{NOW_ENV}={os.environ[NOW_ENV]!r}: {error}", 2) from None
    return fixed or system_now()


def open_repository(args: argparse.Namespace):
    """The repository for --db / $BACKCOACH_DB / the default; Failure on storage problems."""
    from backcoach.paths import database_path
    from backcoach.storage.database import StorageError, open_database
    from backcoach.storage.repository import Repository

    try:
        return Repository(open_database(database_path(getattr(args, "db", None))))
    except StorageError as error:
        raise Failure(str(error)) from None


def catalog(args: argparse.Namespace):
    from backcoach.programs.catalog import Catalog

    extra = getattr(args, "programs", None)
    if extra and not Path(extra).is_dir():
        raise Failure(f"--programs: {extra} is not a folder", 2)
    return Catalog.default(Path(extra) if extra else None)


def active_program(args: argparse.Namespace, repository=None):
    """--program, else the program chosen in the app, else mckenzie."""
    from backcoach.programs.catalog import DEFAULT_PROGRAM
    from backcoach.programs.errors import ProgramInvalid

    chosen = getattr(args, "program", None)
    if not chosen and repository is not None:
        chosen = repository.setting("program")
    chosen = chosen or DEFAULT_PROGRAM
    try:
        return catalog(args).load(chosen)
    except LookupError as error:
        raise Failure(str(error.args[0]), 2) from None
    except ProgramInvalid as invalid:
        raise Failure(f"the program '{chosen}' is invalid:\n" + "\n".join(
            str(p) for p in invalid.problems)) from None
