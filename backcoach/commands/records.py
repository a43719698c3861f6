"""`plan`, `log`, `pain`, `acute`, `safety`: the patient's log from the command line."""

from __future__ import annotations

import argparse
import json
from typing import Any

from backcoach.commands.base import Failure, open_coach
from backcoach.domain.engine import Plan
from backcoach.domain.program import Program


def plan_json(plan: Plan) -> dict[str, Any]:
    """The SPEC §6 shape of `plan --json`."""
    return {
        "phase": str(plan.phase),
        "program": plan.program_id,
        "required_next": plan.required_next,
        "exercises": [
            {"id": e.id, "status": str(e.status), "reason": e.reason,
             "sets_today": e.sets_today, "sets_target": e.sets_target,
             "next_allowed_at": e.next_allowed_at.isoformat(timespec="seconds")
             if e.next_allowed_at else None}
            for e in plan.exercises
        ],
    }


def plan_text(plan: Plan, program: Program) -> str:
    """A readable plan: one line an exercise, the reason in words."""
    when = plan.now.astimezone()
    lines = [f"{program.title} ({program.id} {program.version}) — "
             f"{when:%a %d %b %Y %H:%M} — phase: {plan.phase}"]
    if plan.advice:
        lines.append(plan.advice)
    lines += list(getattr(plan, "notices", ()))
    nxt = plan.next_action
    if nxt is not None:
        lines.append(f"Next: {nxt.title}")
    if plan.red_flag_check_due:
        lines.append("A safety check is due: run `backcoach safety` or open backcoach.")
    lines.append("")
    width = max(len(e.title) for e in plan.exercises) if plan.exercises else 10
    for entry in plan.exercises:
        target = f"/{entry.sets_target}" if entry.sets_target else ""
        lines.append(f"  {entry.title:<{width}}  {entry.status:<9}  "
                     f"{entry.sets_today}{target:<4}  {entry.reason}")
    return "\n".join(lines)


def plan(args: argparse.Namespace) -> int:
    coach = open_coach(args)
    result = coach.plan()
    assert coach.program is not None
    if args.json:
        print(json.dumps(plan_json(result), ensure_ascii=False))
    else:
        print(plan_text(result, coach.program))
    return 0


def log(args: argparse.Namespace) -> int:
    from backcoach.coach import Refused

    coach = open_coach(args)
    program = coach.program
    assert program is not None
    if not program.has(args.exercise):
        known = ", ".join(e.id for e in program.exercises)
        raise Failure(f"unknown exercise '{args.exercise}' in program {program.id} "
                      f"(known: {known})", 2)
    try:
        logged = coach.log_set(args.exercise, reps=args.reps, seconds=args.seconds,
                               pain=args.pain)
    except Refused as refusal:
        raise Failure(f"refused: {refusal}") from None
    when = coach.clock()
    note = " (follow-up)" if logged.follow_up else ""
    print(f"logged {args.exercise}{note} at {when.astimezone():%Y-%m-%d %H:%M} "
          f"(set #{logged.set_id}, session #{logged.session_id})")
    return 0


def pain(args: argparse.Namespace) -> int:
    coach = open_coach(args, need_program=False)
    pain_id = coach.record_pain(args.score)
    print(f"pain {args.score}/10 recorded at {coach.clock().astimezone():%Y-%m-%d %H:%M} "
          f"(pain score #{pain_id})")
    return 0


def void(args: argparse.Namespace) -> int:
    from backcoach.coach import Refused

    coach = open_coach(args, need_program=False)
    try:
        entry = coach.void_entry(args.kind, args.id, "cli")
    except Refused as refusal:
        raise Failure(f"refused: {refusal}") from None
    what = f"{entry.what}/10" if entry.kind == "pain" else entry.what
    label = "pain score" if entry.kind == "pain" else "set"
    print(f"{label} #{entry.id} ({what} at {entry.at.astimezone():%Y-%m-%d %H:%M}) is now void: "
          "it stays in the log and exports, and no longer counts")
    return 0


def acute(args: argparse.Namespace) -> int:
    from backcoach.coach import Refused

    coach = open_coach(args, need_program=False)
    try:
        if args.action == "start":
            coach.start_acute()
            print("acute episode started: no exercises until you end it "
                  "(`backcoach acute end`). Rest, and contact a clinician if pain is severe.")
        else:
            coach.end_acute()
            print("acute episode ended")
    except Refused as refusal:
        raise Failure(f"refused: {refusal}") from None
    return 0
