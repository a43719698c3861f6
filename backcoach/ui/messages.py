"""Messages the UI's workers and widgets send up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class CoachReady(Message):
    """The database is open and the program loaded."""

    coach: Any


@dataclass
class CoachFailed(Message):
    """The database could not be opened; `text` says why in plain words."""

    text: str


@dataclass
class PlanReady(Message):
    """A fresh plan from the rules engine."""

    plan: Any


@dataclass
class HistoryReady(Message):
    """The history view's data for one range: summary, details, chart lines, label."""

    data: dict


@dataclass
class SetSaved(Message):
    """A set was committed; `plan` is the plan right after it."""

    set_id: int
    exercise_id: str
    outcome: str
    plan: Any
