"""`clinic`: a practice's PostgreSQL (set up, patients, programs, exports); with no action,
the physiotherapist's dashboard."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from backcoach.commands.base import Failure, now
from backcoach.text import plural, printable

if TYPE_CHECKING:
    from backcoach.coach.practice import Practice


def clinic(args: argparse.Namespace) -> int:
    if args.clinic_action is None:
        from backcoach.ui.clinic import run_dashboard

        return run_dashboard(args, _target(args))
    practice = open_practice(args)
    try:
        return ACTIONS[args.clinic_action](practice, args)
    finally:
        practice.close()


def _target(args: argparse.Namespace) -> str:
    target = getattr(args, "db", None) or os.environ.get("BACKCOACH_DB")
    if not target:
        raise Failure("backcoach clinic needs the practice's database: --db "
                      "postgresql+psycopg://USER@HOST/DATABASE (or $BACKCOACH_DB)", 2)
    return str(target)


def open_practice(args: argparse.Namespace) -> Practice:
    from backcoach.clock import FixedClock
    from backcoach.coach.practice import Practice

    extra = getattr(args, "programs", None)
    if extra and not Path(extra).is_dir():
        raise Failure(f"--programs: {extra} is not a folder", 2)
    return Practice.open(_target(args), FixedClock(now(args)), Path(extra) if extra else None)


def init(practice: Practice, args: argparse.Namespace) -> int:
    practice.init()
    print(f"{practice.db.where}: ready for a clinic. Roles backcoach_physio (physiotherapists: "
          "GRANT backcoach_physio TO their login) and backcoach_patient; row-level security "
          "on every table of a patient's log.\nNext: backcoach clinic add-patient ID --name NAME")
    return 0


def add_patient(practice: Practice, args: argparse.Namespace) -> int:
    url = practice.add_patient(args.id, args.name)
    print(f"patient {args.id} added, with a login role of the same name (no password yet).\n"
          f"They connect with:  backcoach --db {url}\n"
          f"How they sign in is the server's pg_hba.conf; to give them a password: "
          f"psql -c '\\password {args.id}'\n"
          f"Assign their program:  backcoach clinic assign {args.id} PROGRAM.toml")
    return 0


def patients(practice: Practice, args: argparse.Namespace) -> int:
    records = practice.patients()
    if args.json:
        print(json.dumps([{"id": r.id, "name": r.name, "added_at": r.added_at.isoformat(),
                           "program": r.program,
                           "last_session": r.last_session.isoformat()
                           if r.last_session else None} for r in records], indent=2))
        return 0
    if not records:
        print("no patients yet: backcoach clinic add-patient ID --name NAME")
    for r in records:
        last = r.last_session.astimezone().strftime("%Y-%m-%d %H:%M") if r.last_session \
            else "no session yet"
        print(f"{r.id:<16} {printable(r.name):<24} {r.program or 'no program assigned':<24} "
              f"{last}")
    return 0


def assign(practice: Practice, args: argparse.Namespace) -> int:
    from backcoach.coach import ProgramInvalid

    try:
        title = practice.assign(args.id, Path(args.file))
    except ProgramInvalid as problem:
        for item in problem.problems:
            print(item)
        return 1
    print(f"{args.id} now follows {title}; their app and command line use it from their "
          "next start")
    return 0


def import_(practice: Practice, args: argparse.Namespace) -> int:
    try:
        counts = practice.import_export(args.id, Path(args.file))
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise Failure(f"cannot read {args.file}: {reason or error}") from None
    added = sum(counts.values())
    print(f"{args.id}: {plural(added, 'new entry', 'new entries')} filed "
          f"({plural(counts.get('sessions', 0), 'session')}, "
          f"{plural(counts.get('sets', 0), 'set')}, "
          f"{plural(counts.get('pain_scores', 0), 'pain score')}); what was there already "
          "was left as it is")
    return 0


def report(practice: Practice, args: argparse.Namespace) -> int:
    path = practice.report(args.id, Path(args.output or f"backcoach-{args.id}.html"),
                           args.days or None)
    print(f"report written to {path}")
    return 0


ACTIONS: dict[str, Callable[[Practice, argparse.Namespace], int]] = {
    "init": init, "add-patient": add_patient, "patients": patients, "assign": assign,
    "import": import_, "report": report}
