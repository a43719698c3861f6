"""What every subcommand shares: the clock, the database, the active program."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from backcoach.clock import NOW_ENV, env_time, system_now

if TYPE_CHECKING:
    from backcoach.coach import Coach
    from backcoach.programs.catalog import Catalog


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


def open_coach(args: argparse.Namespace, need_program: bool = True) -> Coach:
    """The coach for --db / $BACKCOACH_DB / the default, at --at / $BACKCOACH_NOW / now, with
    --program, else the program chosen in the app, else mckenzie. Failure on problems."""
    from backcoach.clock import FixedClock
    from backcoach.coach import Coach, ProgramInvalid, StorageError
    from backcoach.programs.catalog import DEFAULT_PROGRAM

    extra = getattr(args, "programs", None)
    if extra and not Path(extra).is_dir():
        raise Failure(f"--programs: {extra} is not a folder", 2)
    at = now(args)
    try:
        coach = Coach.open(getattr(args, "db", None), FixedClock(at),
                           getattr(args, "program", None), Path(extra) if extra else None,
                           default_program=DEFAULT_PROGRAM)
    except StorageError as error:
        raise Failure(str(error)) from None
    if need_program and coach.program is None:
        coach.close()
        problem = coach.program_error
        chosen = getattr(args, "program", None) or "the chosen program"
        if isinstance(problem, ProgramInvalid):
            raise Failure(f"the program '{chosen}' is invalid:\n" + "\n".join(
                str(p) for p in problem.problems))
        raise Failure(str(problem.args[0]) if problem else "no program", 2)
    return coach


def catalog(args: argparse.Namespace) -> Catalog:
    from backcoach.programs.catalog import Catalog

    extra = getattr(args, "programs", None)
    if extra and not Path(extra).is_dir():
        raise Failure(f"--programs: {extra} is not a folder", 2)
    return Catalog.default(Path(extra) if extra else None)
