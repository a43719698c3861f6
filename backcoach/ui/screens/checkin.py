"""Check-in before a session: pain now, acute flare?, can you lie down?"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Static

from backcoach.ui.widgets.key_footer import KeyFooter
from backcoach.ui.widgets.pain_scale import PainScale


@dataclass
class CheckInAnswers:
    pain: int | None
    acute: bool
    cannot_lie_down: bool


class CheckInScreen(Screen[CheckInAnswers | None]):
    """Three quick questions; y/n after the pain score."""

    HELP_TITLE = "Check-in"
    BINDINGS = [Binding("y", "yes_no(True)", "Yes", tooltip="yes"),
                Binding("n", "yes_no(False)", "No", tooltip="no"),
                Binding("escape", "cancel", "Cancel", tooltip="leave the check-in (no session "
                        "is started)")]

    def __init__(self) -> None:
        super().__init__()
        self.pain: int | None = None
        self.acute: bool | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Check-in", markup=False, classes="title")
        yield PainScale("How much does your back hurt right now?", id="pain")
        yield Static("", markup=False, id="question", classes="panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(PainScale).focus()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "yes_no":
            return self._score() is not None
        return True

    def _score(self) -> int | None:
        """The pain chosen so far (read from the scale: keys may outrun its message)."""
        return self.pain if self.pain is not None else self.query_one(PainScale).score

    def on_pain_scale_chosen(self, message: PainScale.Chosen) -> None:
        self._set_pain(message.score)

    def _set_pain(self, score: int) -> None:
        first = self.pain is None
        self.pain = score
        if first:
            self.query_one("#question", Static).update(
                "Is this an acute flare — sudden, severe pain that stops you moving normally? "
                "(y / n)")
            self.set_focus(None)
            self.refresh_bindings()

    def action_yes_no(self, answer: bool) -> None:
        if self.pain is None:
            score = self._score()
            if score is None:
                return
            self._set_pain(score)
        if self.acute is None:
            self.acute = answer
            if answer:
                self.dismiss(CheckInAnswers(self.pain, True, False))
                return
            self.query_one("#question", Static).update(
                "Can you lie down on the floor or a bed today? (y / n)")
            return
        self.dismiss(CheckInAnswers(self.pain, False, cannot_lie_down=not answer))

    def action_cancel(self) -> None:
        self.dismiss(None)
