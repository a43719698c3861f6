"""`psfs`: the Patient-Specific Functional Scale, asked at a terminal or given with flags."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from backcoach.commands.base import Failure, open_coach
from backcoach.text import printable

if TYPE_CHECKING:
    from backcoach.domain.psfs import Assessment

INTRO = ("Activity scale (PSFS): activities you are unable to do, or find hard, because of "
         "your back.\nRate each from 0 (unable to do it) to 10 (able to do it as well as "
         "before the problem).")


def _score(prompt: str, allow_empty: bool) -> int | None:
    """A 0-10 rating typed at the terminal; None for an empty answer when allowed."""
    while True:
        answer = input(prompt).strip()
        if not answer and allow_empty:
            return None
        if answer.isdigit() and 0 <= int(answer) <= 10:
            return int(answer)
        print("Please type a whole number from 0 to 10" +
              (" (or just enter to leave it out)." if allow_empty else "."))


def _ask(previous: list[str]) -> list[tuple[str, int]]:
    from backcoach.domain.psfs import MAX_ACTIVITIES, MAX_NAME, problem

    print(INTRO)
    ratings: list[tuple[str, int]] = []
    if previous:
        print("\nThe activities you named last time (enter alone leaves one out):")
    for name in previous:
        score = _score(f"  {printable(name)} (0-10): ", allow_empty=True)
        if score is not None:
            ratings.append((name, score))
    while len(ratings) < MAX_ACTIVITIES:
        name = input(f"\nAn activity that is hard now (up to {MAX_NAME} characters; enter "
                     "alone when done): ").strip()
        if not name:
            if ratings:
                break
            print("Name at least one activity.")
            continue
        reason = problem([*ratings, (name, 0)])
        if reason:
            print(f"Not taken: {reason}.")
            continue
        score = _score(f"  {printable(name)} (0-10): ", allow_empty=False)
        assert score is not None
        ratings.append((name, score))
    return ratings


def assessment_json(assessment: Assessment) -> dict[str, Any]:
    return {"at": assessment.at.isoformat(timespec="seconds"),
            "mean": round(assessment.mean, 2),
            "ratings": [{"activity": r.activity, "score": r.score}
                        for r in assessment.ratings]}


def _line(assessment: Assessment) -> str:
    ratings = " · ".join(f"{printable(r.activity)} {r.score}" for r in assessment.ratings)
    return f"{assessment.at.astimezone():%Y-%m-%d %H:%M}  mean {assessment.mean:4.1f}  {ratings}"


def psfs(args: argparse.Namespace) -> int:
    from backcoach.domain.psfs import change_since_first, summary_text

    if args.rate and args.show:
        raise Failure("give either --rate or --show, not both", 2)
    if args.json and not args.show:
        raise Failure("--json goes with --show", 2)
    if not args.rate and not args.show and not sys.stdin.isatty():
        raise Failure("answer the activity scale at a terminal, or pass --rate "
                      "\"ACTIVITY=SCORE\" (up to 5 times), or --show to list it", 2)
    coach = open_coach(args, need_program=False)
    try:
        if args.show:
            history = coach.psfs_history()
            if args.json:
                change = change_since_first(history)
                print(json.dumps({"assessments": [assessment_json(a) for a in history],
                                  "change_since_first": None if change is None
                                  else round(change, 2)}, ensure_ascii=False))
                return 0
            for assessment in history:
                print(_line(assessment))
            print(printable(summary_text(history)))
            return 0
        ratings = args.rate or _ask(coach.psfs_status().activities)
        recorded = coach.record_psfs(ratings)
        print(f"Recorded: mean {recorded.mean:.1f}/10 over {len(recorded.ratings)} "
              f"activit{'y' if len(recorded.ratings) == 1 else 'ies'}.")
        print(printable(summary_text(coach.psfs_history())))
        return 0
    except EOFError:
        raise Failure("no answer: nothing was recorded", 1) from None
    finally:
        coach.close()
