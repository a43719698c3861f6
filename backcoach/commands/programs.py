"""`check` and `schema`: program files for physiotherapists."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from backcoach.commands.base import catalog
from backcoach.text import plural


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
              f"{plural(len(program.exercises), 'exercise')}")
        if args.schedule:
            print(schedule_text(program))
    return 1 if invalid else 0


def schedule_text(program) -> str:
    """What the patient will be held to, rule by rule, in sentences."""
    lines = []
    if program.acute_pain_threshold is not None:
        hours = int(program.acute_window.total_seconds() // 3600)
        lines.append(f"  Acute phase at pain {program.acute_pain_threshold}/10 (a score in the "
                     f"last {hours} h) or an open acute episode: no exercises.")
    if program.red_flag_check_days:
        every = plural(program.red_flag_check_days, "day")
        lines.append(f"  Safety questions before the first exercise, then every {every}; "
                     "a warning sign stops all exercise.")
    for exercise in program.exercises:
        lines.append(f"  {exercise.id}: {exercise.title} — {exercise.dose.describe()}")
        lines += [f"      {rule.describe(program)}" for rule in exercise.rules]
        if exercise.progression:
            p = exercise.progression
            lines.append(f"      Reps rise from {p.start} by {p.step} every "
                         f"{plural(p.every_days, 'day')} practised, never above {p.ceiling}; "
                         "more than today's target is refused.")
    return "\n".join(lines)


def schema(args: argparse.Namespace) -> int:
    from backcoach.programs.schema import json_schema

    print(json.dumps(json_schema(), indent=2))
    return 0
