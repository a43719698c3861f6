"""`safety`: the warning-sign questions, asked at a terminal or answered with flags."""

from __future__ import annotations

import argparse
import sys

from backcoach.commands.base import Failure, open_coach
from backcoach.domain.safety import DISCUSS, RED_FLAGS, URGENT_TEXT, Question, is_urgent

KEYS = ", ".join(q.key for q in RED_FLAGS + DISCUSS)


def _ask(question: Question) -> bool:
    """One y/n question on the terminal; repeats until it gets y or n."""
    while True:
        answer = input(f"{question.text} [y/n] ").strip().lower()
        if answer in ("y", "yes", "n", "no"):
            return answer.startswith("y")
        print("Please answer y or n.")


def safety(args: argparse.Namespace) -> int:
    red_keys = {q.key for q in RED_FLAGS}
    discuss_keys = {q.key for q in DISCUSS}
    if args.no and args.yes:
        raise Failure("give either --no or --yes, not both", 2)
    answers: dict[str, bool] = {}
    discuss: dict[str, bool] = {}
    if args.no or args.yes:
        unknown = [k for k in args.yes or () if k not in red_keys | discuss_keys]
        if unknown:
            raise Failure(f"unknown question {', '.join(unknown)} (one of: {KEYS})", 2)
        yes = set(args.yes or ())
        answers = {q.key: q.key in yes for q in RED_FLAGS}
        discuss = {q.key: q.key in yes for q in DISCUSS}
    elif not sys.stdin.isatty():
        raise Failure("answer the questions at a terminal, or pass --no (no warning signs) "
                      "or --yes QUESTION... for the ones answered yes", 2)
    else:
        print("Safety check: answer each question with y (yes) or n (no).")
        for question in RED_FLAGS:
            answers[question.key] = _ask(question)
            if is_urgent(question.key, answers[question.key]):
                break  # emergency: stop asking, say so at once
        if not any(answers.values()):
            print("\nA few questions to discuss with a clinician (they never block "
                  "exercises):")
            discuss = {q.key: _ask(q) for q in DISCUSS}
    coach = open_coach(args, need_program=False)
    outcome = coach.record_safety(answers, discuss)
    print(URGENT_TEXT if outcome.urgent else outcome.text)
    return 0
