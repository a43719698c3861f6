"""The app's own commands in the command palette (beside Textual's: theme, keys, quit)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from backcoach.ui.messages import RecordPain, StartSession, ToggleAcute

if TYPE_CHECKING:
    from backcoach.ui.app import BackcoachApp


def app_commands(app: BackcoachApp) -> Iterable[SystemCommand]:
    yield SystemCommand("Start session", "Check in and start today's exercises",
                        lambda: app.post_message(StartSession()))
    yield SystemCommand("History", "Pain trend, adherence and sessions", app.action_history)
    yield SystemCommand("Programs", "Choose the active program", app.action_programs)
    yield SystemCommand("Acute episode", "Start an acute episode, or see why today is acute",
                        lambda: app.post_message(ToggleAcute()))
    yield SystemCommand("Record pain", "Record a pain score now",
                        lambda: app.post_message(RecordPain()))
    yield SystemCommand("Safety check", "Answer the warning-sign questions",
                        app.action_red_flags)
    yield SystemCommand("Export", "Export your log (CSV, JSON or FHIR)", app.action_export)
    yield SystemCommand("Activity scale", "Rate the activities your back makes hard "
                        "(PSFS, weekly)", app.action_psfs)
