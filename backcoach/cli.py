"""Command line entry point. Only the bare `backcoach` command imports the Textual UI."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime

from backcoach import __version__
from backcoach.clock import checked_time

GLOBAL_HELP = {
    "--db": "database file (default: the platform data folder; or $BACKCOACH_DB)",
    "--program": "active program id or file (default: the one chosen in the app, else mckenzie)",
    "--programs": "an extra folder of program files",
}


def parse_when(text: str) -> datetime:
    """ISO date-time; without an offset it is local time."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO date-time: {text!r} (e.g. 2026-11-21T14:30)") from None
    try:
        return checked_time(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def pain_score(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"pain must be a whole number 0–10, not {text!r}") \
            from None
    if not 0 <= value <= 10:
        raise argparse.ArgumentTypeError(f"pain must be between 0 and 10, not {value}")
    return value


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 0 or value > 100_000:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 100000, not {value}")
    return value


def _add_globals(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    for flag, text in GLOBAL_HELP.items():
        parser.add_argument(flag, default=default, metavar=flag[2:].upper(), help=text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backcoach",
        description="Guided home exercises for low back pain. With no command, opens the app.")
    parser.add_argument("--version", action="version", version=f"backcoach {__version__}")
    _add_globals(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, text: str) -> argparse.ArgumentParser:
        child = sub.add_parser(name, help=text, description=text)
        _add_globals(child, suppress=True)
        return child

    check = command("check", "validate program files (exit 0 ok, 1 invalid)")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--schedule", action="store_true",
                       help="also print each valid program's exercises, doses and rules")
    command("schema", "print the program files' JSON Schema")
    plan = command("plan", "what is available, blocked, locked, done or due later, and why")
    plan.add_argument("--at", type=parse_when,
                      help="evaluate at this ISO time (local if no offset)")
    plan.add_argument("--json", action="store_true", help="machine-readable output")
    log = command("log", "record a completed set (refused with the reason if the rules forbid it)")
    log.add_argument("exercise", metavar="EXERCISE")
    log.add_argument("--reps", type=positive)
    log.add_argument("--seconds", type=positive)
    log.add_argument("--pain", type=pain_score, help="pain 0–10 after the set")
    log.add_argument("--at", type=parse_when)
    pain = command("pain", "record a pain score from 0 (none) to 10 (worst imaginable)")
    pain.add_argument("score", type=pain_score, metavar="SCORE")
    pain.add_argument("--at", type=parse_when)
    acute = command("acute", "start or end an acute episode (no exercises while it lasts)")
    acute.add_argument("action", choices=("start", "end"))
    acute.add_argument("--at", type=parse_when)
    history = command("history", "daily pain and sets, with plain-language insights")
    history.add_argument("--days", type=positive, default=30)
    history.add_argument("--json", action="store_true")
    export = command("export", "export everything (csv, json or FHIR R4)")
    export.add_argument("--format", choices=("csv", "json", "fhir"), required=True)
    export.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    imp = command("import", "restore a JSON export into an empty database")
    imp.add_argument("file", metavar="FILE.json")
    demo = command("demo", "fill an empty database with realistic made-up history")
    demo.add_argument("--days", type=positive, default=180)
    demo.add_argument("--seed", type=int, default=1)
    safety = command("safety", "the warning-sign questions (asked here, or answered with flags)")
    answers = safety.add_mutually_exclusive_group()
    answers.add_argument("--no", action="store_true",
                         help="record a check with no warning signs")
    answers.add_argument("--yes", nargs="+", metavar="QUESTION",
                         help="record these questions as answered yes (the rest no)")
    safety.add_argument("--at", type=parse_when, help="when the questions were answered")
    nxt = command("next", "what becomes due next, and when")
    nxt.add_argument("--json", action="store_true",
                     help='one object: {"exercise", "title", "at", "reason"}')
    nxt.add_argument("--at", type=parse_when, help="evaluate at this ISO time")
    remind = command("remind", "for a timer: say (and notify) only when something became due")
    remind.add_argument("--at", type=parse_when, help="evaluate at this ISO time")
    report = command("report", "write a self-contained HTML report for an appointment")
    report.add_argument("-o", "--output", metavar="FILE.html", default="backcoach-report.html")
    report.add_argument("--days", type=positive, default=90)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.umask(0o077)  # health data: everything we create is private
    args = build_parser().parse_args(argv)
    if args.command is None:
        from backcoach.ui.run import run_app

        return run_app(args)
    from backcoach.commands import run_command

    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
