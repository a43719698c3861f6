"""`history`, `export`, `import`, `demo`, `report`: the log as a whole."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from backcoach.commands.base import Failure, open_coach
from backcoach.domain.trends import overview_lines, recent_days
from backcoach.paths import write_private_file
from backcoach.text import plural


def summary_json(summary) -> dict:
    return {
        "first_day": summary.first_day.isoformat() if summary.first_day else None,
        "last_day": summary.last_day.isoformat(),
        "adherence_percent": summary.adherence_percent,
        "target_sets_per_day": summary.target_per_day,
        "current_streak": summary.current_streak, "longest_streak": summary.longest_streak,
        "pain_before_after": None if summary.before_after is None else {
            "before": summary.before_after[0], "after": summary.before_after[1],
            "sessions": summary.before_after[2]},
        "exercises": [{"id": a.exercise_id, "sets_done": a.done, "sets_prescribed": a.prescribed,
                       "adherence_percent": a.percent} for a in summary.per_exercise],
        "insights": [{"kind": i.kind, "text": i.text, "see_clinician": i.see_clinician}
                     for i in summary.insights],
        "days": [
            {"day": p.day.isoformat(), "pain_mean": p.mean, "pain_min": p.low,
             "pain_max": p.high, "pain_scores": p.count, "pain_7day_mean": r[1]}
            for p, r in zip(summary.pain, summary.rolling, strict=True)],
        "sets": [{"day": s.day.isoformat(), "completed": s.completed, "stopped": s.stopped}
                 for s in summary.sets],
    }


def summary_text(summary) -> str:
    lines = [f"History {summary.first_day or '—'} to {summary.last_day}",
             *overview_lines(summary), ""]
    lines.append("day         pain (min–max)  7-day  sets  stopped")
    for row in recent_days(summary, 31):
        lines.append(f"{row.day}  {row.mean:4.1f} ({row.low}–{row.high})     "
                     f"{row.rolling:4.1f}  {row.completed:4}  {row.stopped:4}")
    if not summary.pain:
        lines.append("(no pain scores yet: record one with `backcoach pain SCORE`)")
    return "\n".join(lines)


def history(args: argparse.Namespace) -> int:
    coach = open_coach(args)
    summary = coach.history(args.days or None)
    if args.json:
        print(json.dumps(summary_json(summary), ensure_ascii=False))
    else:
        print(summary_text(summary))
    return 0


def write_private(path: str, text: str) -> None:
    """Write a file the user asked for (0600, atomic); Failure with the reason if it cannot."""
    target = Path(path).expanduser()
    try:
        write_private_file(target, text)
    except OSError as error:
        raise Failure(f"cannot write {target}: {error.strerror or error}") from None


def export(args: argparse.Namespace) -> int:
    """Stream the export to stdout, or into --output (atomic: all of it or nothing)."""
    coach = open_coach(args, need_program=False)
    if not args.output:
        coach.export_to(args.format, sys.stdout)
        return 0
    target = Path(args.output).expanduser()
    try:
        coach.export(args.format, target)
    except OSError as error:
        raise Failure(f"cannot write {target}: {error.strerror or error}; "
                      "no file was written") from None
    print(f"exported to {args.output}", file=sys.stderr)
    return 0


def import_(args: argparse.Namespace) -> int:
    from backcoach.coach.records import read_export

    try:
        text = read_export(Path(args.file))  # refused before any database file is created
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise Failure(f"cannot read {args.file}: {reason}") from None
    coach = open_coach(args, need_program=False)
    counts = coach.import_text(text, args.file)
    print("imported " + ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items()))
    return 0


def demo(args: argparse.Namespace) -> int:
    from backcoach.coach import Refused

    coach = open_coach(args)
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        print(f"\rgenerating… {100 * done // total}%", end="", file=sys.stderr, flush=True)

    try:
        counts = coach.demo(args.days, args.seed, progress)
    except Refused as refusal:
        raise Failure(str(refusal)) from None
    print(f"\rdemo: {plural(args.days, 'day')}, {plural(counts['session'], 'session')}, "
          f"{plural(counts['exercise_set'], 'set')}, "
          f"{plural(counts['pain_score'], 'pain score')} in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def report(args: argparse.Namespace) -> int:
    coach = open_coach(args)
    write_private(args.output, coach.report_html(args.days or None))
    print(f"report written to {args.output}")
    return 0
