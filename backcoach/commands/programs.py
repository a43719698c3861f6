"""`check` and `schema`: program files for physiotherapists."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from backcoach.commands.base import catalog


def check(args: argparse.Namespace) -> int:
    """Validate each file; print every problem as FILE:LINE: field: message."""
    from backcoach.programs.errors import ProgramInvalid
    from backcoach.programs.loader import load_program

    programs = catalog(args)
    invalid = 0
    for name in args.files:
        try:
            program = load_program(Path(name), programs.resolve)
        except ProgramInvalid as problem:
            invalid += 1
            for item in problem.problems:
                print(item)
            continue
        print(f"{name}: ok — {program.title} ({program.id} {program.version}), "
              f"{len(program.exercises)} exercises")
    return 1 if invalid else 0


def schema(args: argparse.Namespace) -> int:
    from backcoach.programs.schema import json_schema

    print(json.dumps(json_schema(), indent=2))
    return 0
