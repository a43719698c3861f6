"""`next` and `remind`: what becomes due, for a person or a timer."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess

from backcoach.commands.base import open_coach


def next_(args: argparse.Namespace) -> int:
    due = open_coach(args).next_due()
    if args.json:
        print(json.dumps(due.as_json(), ensure_ascii=False))
    elif due.exercise is None:
        print(due.reason)
    else:
        when = "now" if due.at is None else f"at {due.at.astimezone():%H:%M on %a %d %b}"
        print(f"{due.title}: {when}. {due.reason}")
    return 0


def remind(args: argparse.Namespace) -> int:
    """Silent unless something became due since the last reminder; then a line and, where
    notify-send exists, a desktop notification (no other process, no network)."""
    due = open_coach(args).remind()
    if due is None:
        return 0
    text = f"{due.title} is due now. {due.reason}"
    print(text)
    notifier = shutil.which("notify-send")
    if notifier:
        subprocess.run([notifier, "backcoach", text], check=False, timeout=10,
                       capture_output=True)
    return 0
