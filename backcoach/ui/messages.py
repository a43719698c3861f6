"""Messages: workers report results, screens ask the app to navigate (attributes down,
messages up). Screens never call the app's methods for navigation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from backcoach.coach import Coach, SessionState, SetResult
    from backcoach.domain.engine import Plan


@dataclass
class CoachReady(Message):
    """The database is open and the program loaded; `theme`: the one chosen last time."""

    coach: Coach
    theme: str | None = None


@dataclass
class CoachFailed(Message):
    """The database could not be opened; `text` says why in plain words."""

    text: str


@dataclass
class PlanReady(Message):
    """A fresh plan from the rules engine."""

    plan: Plan


@dataclass
class HistoryReady(Message):
    """The history view's data for one range: summary, details, chart lines, label."""

    data: dict[str, Any]


@dataclass
class SetSaved(Message):
    """A set was committed; the result carries the plan right after it."""

    result: SetResult


@dataclass
class SetUndone(Message):
    """The session's last set was voided; the plan right after it."""

    exercise_id: str
    plan: Plan


@dataclass
class SaveFailed(Message):
    """A set could not be saved; `reason` says why in one sentence."""

    reason: str


@dataclass
class StartSession(Message):
    """Today asks the app to check in and start a session."""


@dataclass
class LeaveSession(Message):
    """The runner asks the app to close the session (what was saved stays saved)."""

    state: SessionState


@dataclass
class FinishSession(Message):
    """The runner asks for the after-session screen."""

    state: SessionState


@dataclass
class ToggleAcute(Message):
    """Start an acute episode, or explain / end the acute state."""


@dataclass
class RecordPain(Message):
    """Today asks to record a pain score now (e.g. a lower one when a flare eases)."""


@dataclass
class ShowToday(Message):
    """Back to the Today screen, with a fresh plan."""
