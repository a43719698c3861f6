"""`plan`, `log`, `pain`, `acute`: the patient's log from the command line."""

from __future__ import annotations

import argparse
import json

from backcoach.commands.base import Failure, active_program, now, open_repository


def plan_json(plan) -> dict:
    """The SPEC §6 shape of `plan --json`."""
    return {
        "phase": plan.phase,
        "program": plan.program_id,
        "required_next": plan.required_next,
        "exercises": [
            {"id": e.id, "status": e.status, "reason": e.reason, "sets_today": e.sets_today,
             "sets_target": e.sets_target,
             "next_allowed_at": e.next_allowed_at.isoformat(timespec="seconds")
             if e.next_allowed_at else None}
            for e in plan.exercises
        ],
    }


def plan_text(plan, program) -> str:
    """A readable plan: one line an exercise, the reason in words."""
    when = plan.now.astimezone()
    lines = [f"{program.title} ({program.id} {program.version}) — "
             f"{when:%a %d %b %Y %H:%M} — phase: {plan.phase}"]
    if plan.advice:
        lines.append(plan.advice)
    nxt = plan.next_action
    if nxt is not None:
        lines.append(f"Next: {nxt.title}")
    if plan.red_flag_check_due:
        lines.append("A safety check is due: open backcoach to answer the warning-sign questions.")
    lines.append("")
    width = max(len(e.title) for e in plan.exercises) if plan.exercises else 10
    for entry in plan.exercises:
        target = f"/{entry.sets_target}" if entry.sets_target else ""
        lines.append(f"  {entry.title:<{width}}  {entry.status:<9}  "
                     f"{entry.sets_today}{target:<4}  {entry.reason}")
    return "\n".join(lines)


def plan(args: argparse.Namespace) -> int:
    repository = open_repository(args)
    program = active_program(args, repository)
    result = repository.plan(program, now(args))
    if args.json:
        print(json.dumps(plan_json(result), ensure_ascii=False))
    else:
        print(plan_text(result, program))
    return 0


def log(args: argparse.Namespace) -> int:
    from backcoach.storage.repository import Refused

    repository = open_repository(args)
    program = active_program(args, repository)
    if not program.has(args.exercise):
        known = ", ".join(e.id for e in program.exercises)
        raise Failure(f"unknown exercise '{args.exercise}' in program {program.id} "
                      f"(known: {known})", 2)
    when = now(args)
    try:
        logged = repository.log_set(program, args.exercise, when, reps=args.reps,
                                    seconds=args.seconds, pain=args.pain)
    except Refused as refusal:
        raise Failure(f"refused: {refusal}") from None
    note = " (follow-up)" if logged.follow_up else ""
    print(f"logged {args.exercise}{note} at {when.astimezone():%Y-%m-%d %H:%M} "
          f"(set #{logged.set_id}, session #{logged.session_id})")
    return 0


def pain(args: argparse.Namespace) -> int:
    repository = open_repository(args)
    when = now(args)
    repository.record_pain(args.score, when)
    print(f"pain {args.score}/10 recorded at {when.astimezone():%Y-%m-%d %H:%M}")
    return 0


def acute(args: argparse.Namespace) -> int:
    from backcoach.storage.repository import Refused

    repository = open_repository(args)
    when = now(args)
    try:
        if args.action == "start":
            repository.start_acute(when)
            print("acute episode started: no exercises until you end it "
                  "(`backcoach acute end`). Rest, and contact a clinician if pain is severe.")
        else:
            repository.end_acute(when)
            print("acute episode ended")
    except Refused as refusal:
        raise Failure(f"refused: {refusal}") from None
    return 0
