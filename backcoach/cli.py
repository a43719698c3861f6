"""Command line entry point. Only the bare `backcoach` command imports the Textual UI."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime

from backcoach import __version__
from backcoach.clock import checked_time

GLOBAL_HELP = {
    "--db": "database file or postgresql+psycopg:// URL (default: $BACKCOACH_DB, else the "
             "platform data folder)",
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


def psfs_rating(text: str) -> tuple[str, int]:
    """'ACTIVITY=SCORE' (the last '=' splits) → (activity, score); the range is the coach's."""
    name, sep, score = text.rpartition("=")
    try:
        value = int(score)
    except ValueError:
        value = None
    if not sep or value is None:
        raise argparse.ArgumentTypeError(
            f"expected ACTIVITY=SCORE, e.g. \"walking 30 min=4\", not {text!r}")
    return name, value


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


EXAMPLES: dict[str, list[tuple[str, str]]] = {
    "": [("backcoach", "open the app on today's plan"),
         ("backcoach plan --json", "today's plan for a script"),
         ("backcoach --db postgresql+psycopg://ana@clinic.example/backcoach plan",
          "the same on a clinic's PostgreSQL")],
    "check": [("backcoach check programs/*.toml", "every mistake as FILE:LINE: field: message"),
              ("backcoach check --schedule my-program.toml", "also what each program prescribes")],
    "schema": [("backcoach schema > program.schema.json", "for an editor that validates TOML")],
    "plan": [("backcoach plan", "what is available now, and why the rest is not"),
             ("backcoach plan --at 2026-11-21T18:00 --json", "the plan at six this evening")],
    "log": [("backcoach log prone-lying --seconds 150 --pain 3", "a 2½-minute hold, pain 3 after"),
            ("backcoach log prone-press-up --reps 10", "ten press-ups")],
    "pain": [("backcoach pain 4", "pain is 4 out of 10 now")],
    "acute": [("backcoach acute start", "an acute episode: no exercises until it ends"),
              ("backcoach acute end", "the episode is over")],
    "history": [("backcoach history --days 90", "the last 90 days with insights"),
                ("backcoach history --json", "the last 30 days for a script")],
    "export": [("backcoach export --format fhir -o visit.json", "FHIR R4 for a clinic system"),
               ("backcoach export --format csv > log.csv", "one row per entry")],
    "import": [("backcoach --db new.sqlite3 import backup.json", "restore into a new database")],
    "demo": [("backcoach --db /tmp/try.sqlite3 demo --days 365", "a year of made-up history")],
    "safety": [("backcoach safety", "answer the warning-sign questions"),
               ("backcoach safety --no", "a check with no warning signs")],
    "next": [("backcoach next", "the next exercise that becomes due, and when"),
             ("backcoach next --json", "the same as one JSON object")],
    "remind": [("backcoach remind", "silent unless something became due (run it from a timer)")],
    "void": [("backcoach void set 42", "set #42 was logged by mistake"),
             ("backcoach void pain 7", "so was pain score #7")],
    "report": [("backcoach report -o visit.html --days 30", "the last month for an appointment")],
    "psfs": [("backcoach psfs", "name up to five hard activities and rate each 0-10"),
             ('backcoach psfs --rate "walking 30 min=4" --rate "bending to dress=6"',
              "the same from a script"),
             ("backcoach psfs --show --json", "every assessment so far, for a script")],
    "clinic": [("backcoach clinic --db postgresql+psycopg://physio@db.example/clinic",
                "the dashboard: every patient, who needs a call"),
               ("backcoach clinic init --db postgresql+psycopg://admin@db.example/clinic",
                "set a practice's database up (once, as its owner)"),
               ("backcoach clinic add-patient ana --name 'Ana Lima'",
                "a patient and their login role 'ana'"),
               ("backcoach clinic assign ana programs/mckenzie.toml",
                "check a program and make it Ana's"),
               ("backcoach clinic import ana ana-export.json",
                "file Ana's home export (only what is new)"),
               ("backcoach clinic patients --json", "the patients, for a script")],
}


def examples(name: str) -> str:
    """The 'examples:' epilog of a command ('' for the top level)."""
    width = max(len(line) for line, _ in EXAMPLES[name])
    return "examples:\n" + "\n".join(f"  {line:<{width}}  # {why}"
                                     for line, why in EXAMPLES[name])


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line; the man page and shell completions are made from it.
    Without `commands`, only the options that open the app (see `opens_the_app`)."""
    parser = argparse.ArgumentParser(
        prog="backcoach", epilog=examples(""),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Guided home exercises for low back pain. With no command, opens the app.")
    parser.add_argument("--version", action="version", version=f"backcoach {__version__}",
                        help="print the version and exit")
    _add_globals(parser, suppress=False)
    if not commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, text: str) -> argparse.ArgumentParser:
        child = sub.add_parser(name, help=text, description=text, epilog=examples(name),
                               formatter_class=argparse.RawDescriptionHelpFormatter)
        _add_globals(child, suppress=True)
        return child

    at_help = "evaluate at this ISO time (local if no offset; at most a day ahead)"
    when_help = "when it happened, ISO time (local if no offset; at most a day ahead)"
    check = command("check", "validate program files (exit 0 ok, 1 invalid)")
    check.add_argument("files", nargs="+", metavar="FILE", help="program files (TOML)")
    check.add_argument("--schedule", action="store_true",
                       help="also print each valid program's exercises, doses and rules")
    command("schema", "print the program files' JSON Schema")
    plan = command("plan", "what is available, blocked, locked, done or due later, and why")
    plan.add_argument("--at", type=parse_when, help=at_help)
    plan.add_argument("--json", action="store_true", help="machine-readable output")
    log = command("log", "record a completed set (refused with the reason if the rules forbid it)")
    log.add_argument("exercise", metavar="EXERCISE", help="exercise id (see `plan`)")
    log.add_argument("--reps", type=positive, help="repetitions done")
    log.add_argument("--seconds", type=positive, help="seconds held or walked")
    log.add_argument("--pain", type=pain_score, help="pain 0–10 after the set")
    log.add_argument("--at", type=parse_when, help=when_help)
    pain = command("pain", "record a pain score from 0 (none) to 10 (worst imaginable)")
    pain.add_argument("score", type=pain_score, metavar="SCORE", help="0 (none) to 10")
    pain.add_argument("--at", type=parse_when, help=when_help)
    acute = command("acute", "start or end an acute episode (no exercises while it lasts)")
    acute.add_argument("action", choices=("start", "end"), help="start or end the episode")
    acute.add_argument("--at", type=parse_when, help=when_help)
    history = command("history", "daily pain and sets, with plain-language insights")
    history.add_argument("--days", type=positive, default=30,
                         help="how many days back (default 30)")
    history.add_argument("--json", action="store_true", help="machine-readable output")
    export = command("export", "export everything (csv, json or FHIR R4)")
    export.add_argument("--format", choices=("csv", "json", "fhir"), required=True,
                        help="csv, json (restorable with `import`) or fhir (an R4 Bundle)")
    export.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    imp = command("import", "restore a JSON export into an empty database")
    imp.add_argument("file", metavar="FILE.json", help="a file written by `export --format json`")
    demo = command("demo", "fill an empty database with realistic made-up history")
    demo.add_argument("--days", type=positive, default=180,
                      help="how many days of history (default 180)")
    demo.add_argument("--seed", type=int, default=1,
                      help="the same seed makes the same history (default 1)")
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
    nxt.add_argument("--at", type=parse_when, help=at_help)
    remind = command("remind", "for a timer: say (and notify) only when something became due")
    remind.add_argument("--at", type=parse_when, help=at_help)
    void = command("void", "mark a set or pain score entered by mistake (it stays in the log "
                           "and exports, marked void, and no longer counts)")
    void.add_argument("kind", choices=("set", "pain"), help="a set or a pain score")
    void.add_argument("id", type=positive, metavar="ID",
                      help="its number (shown by `log` and `pain`, and in exports)")
    report = command("report", "write a self-contained HTML report for an appointment")
    report.add_argument("-o", "--output", metavar="FILE.html", default="backcoach-report.html",
                        help="where to write it (default backcoach-report.html)")
    report.add_argument("--days", type=positive, default=90,
                        help="how many days back (default 90)")
    psfs = command("psfs", "the Patient-Specific Functional Scale: activities that are hard "
                           "because of your back, each rated 0 (unable) to 10 (as before); "
                           "weekly")
    psfs.add_argument("--rate", action="append", type=psfs_rating, metavar="ACTIVITY=SCORE",
                      help="one activity and its rating 0-10 (repeat, up to 5); without it "
                           "the questions are asked at the terminal")
    psfs.add_argument("--show", action="store_true", help="list the assessments so far")
    psfs.add_argument("--json", action="store_true", help="with --show: machine-readable output")
    psfs.add_argument("--at", type=parse_when, help=when_help)
    _clinic(command("clinic", "a practice's patients on one PostgreSQL (--db URL); with no "
                              "action, the physiotherapist's dashboard"))
    return parser


def _clinic(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="clinic_action", metavar="ACTION")

    def action(name: str, text: str) -> argparse.ArgumentParser:
        child = actions.add_parser(name, help=text, description=text)
        _add_globals(child, suppress=True)
        return child

    action("init", "create the schema, the roles backcoach_physio and backcoach_patient, and "
                   "row-level security (run once, as the database's owner; safe to repeat)")
    add = action("add-patient", "add a patient and a PostgreSQL login role named ID")
    add.add_argument("id", metavar="ID", help="the patient's id, also their role name "
                                              "(lower-case letters, digits, _ and -)")
    add.add_argument("--name", required=True, help="the patient's name, as the clinic knows it")
    listing = action("patients", "list the patients: program, last session")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    assign = action("assign", "check a program file (as `check` does) and make it a patient's "
                              "program")
    assign.add_argument("id", metavar="ID", help="the patient's id")
    assign.add_argument("file", metavar="FILE.toml", help="the program file")
    imp = action("import", "file a patient's JSON export into their log (again with a newer "
                           "export: only what is new is added)")
    imp.add_argument("id", metavar="ID", help="the patient's id")
    imp.add_argument("file", metavar="FILE.json", help="a file written by `export --format json`")
    report = action("report", "write a patient's HTML report")
    report.add_argument("id", metavar="ID", help="the patient's id")
    report.add_argument("-o", "--output", metavar="FILE.html",
                        help="where to write it (default backcoach-ID.html)")
    report.add_argument("--days", type=positive, default=90,
                        help="how many days back (default 90)")


def opens_the_app(words: list[str]) -> bool:
    """Whether the command line is only global options with their values: then the parser
    of every command need not be built (about 25 ms of the app's first frame)."""
    rest = list(words)
    while rest:
        name, joined, _ = rest.pop(0).partition("=")
        if name not in GLOBAL_HELP or not (joined or rest):
            return False
        if not joined:
            rest.pop(0)
    return True


def main(argv: list[str] | None = None) -> int:
    os.umask(0o077)  # health data: everything we create is private
    words = sys.argv[1:] if argv is None else argv
    args = build_parser(commands=not opens_the_app(words)).parse_args(words)
    if args.command is None:
        from backcoach.ui.run import run_app

        return run_app(args)
    from backcoach.commands import run_command

    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
