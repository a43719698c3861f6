"""The safety check: red flags one at a time (an urgent "yes" stops at once and says
"now"), the seek-care and emergency screens, then the features to discuss (never blocking)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Static

from backcoach.domain.safety import (
    DISCUSS,
    DISCUSS_TEXT,
    RED_FLAGS,
    SEEK_CARE_TEXT,
    URGENT_TEXT,
    Question,
    SafetyOutcome,
    is_urgent,
)
from backcoach.ui.access import coach_of
from backcoach.ui.widgets.key_footer import KeyFooter


class _Questions(Screen[dict[str, bool] | None]):
    """One question at a time, y or n; dismisses with the answers (None on escape)."""

    QUESTIONS: tuple[Question, ...] = ()
    TITLE_TEXT = ""
    HELP_TITLE = "Safety check"
    BINDINGS = [Binding("y", "answer(True)", "Yes", tooltip="yes"),
                Binding("n", "answer(False)", "No", tooltip="no"),
                Binding("escape", "cancel", "Not now", tooltip="leave the questions for now")]

    def __init__(self) -> None:
        super().__init__()
        self.answers: dict[str, bool] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.TITLE_TEXT, markup=False, classes="title")
        yield Static("", markup=False, id="question", classes="panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._ask()

    def _ask(self) -> None:
        question = self.QUESTIONS[len(self.answers)]
        self.query_one("#question", Static).update(
            f"Question {len(self.answers) + 1} of {len(self.QUESTIONS)}\n\n{question.text}")

    def action_answer(self, yes: bool) -> None:
        if len(self.answers) >= len(self.QUESTIONS):
            return  # answered already; the screen is closing
        question = self.QUESTIONS[len(self.answers)]
        self.answers[question.key] = yes
        if len(self.answers) == len(self.QUESTIONS) or is_urgent(question.key, yes):
            self.dismiss(dict(self.answers))
        else:
            self._ask()

    def action_cancel(self) -> None:
        self.dismiss(None)


class RedFlagScreen(_Questions):
    """The warning signs. An urgent "yes" ends the questions at once."""

    QUESTIONS = RED_FLAGS
    TITLE_TEXT = "Safety check — answer each question with y (yes) or n (no)."


class DiscussScreen(_Questions):
    """Features worth mentioning to a clinician; they never block the exercises."""

    QUESTIONS = DISCUSS
    TITLE_TEXT = ("A few more questions to discuss with your clinician (they never stop your "
                  "exercises; esc skips them).")


class SeekCareScreen(Screen[None]):
    """What a positive check means: seek care (today), or emergency care (now)."""

    HELP_TITLE = "Safety"
    BINDINGS = [Binding("enter,escape", "close", "Back", tooltip="back")]

    def __init__(self, text: str = SEEK_CARE_TEXT, urgent: bool = False) -> None:
        super().__init__()
        self.text, self.urgent = text, urgent

    def compose(self) -> ComposeResult:
        yield Header()
        title = "⚠  GET EMERGENCY CARE NOW" if self.urgent else "⚠  SEEK MEDICAL CARE"
        yield Static(title, markup=False, classes="title danger")
        yield Static(self.text + "\n\nThis answer is saved. Exercises stay blocked until a "
                     "later safety check has no warning signs (r on the Today screen).",
                     markup=False, classes="panel")
        yield KeyFooter()

    def action_close(self) -> None:
        self.dismiss(None)


class NoteScreen(SeekCareScreen):
    """A plain note (discuss with a clinician); nothing is blocked."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("To discuss with your clinician", markup=False, classes="title")
        yield Static(self.text, markup=False, classes="panel")
        yield KeyFooter()


def ask_safety(app: App[Any], done: Callable[[bool | None], None]) -> None:
    """Ask the red flags (then the discuss questions if none), record them, show what they
    mean; `done(positive)` at the end (None: the patient left the questions)."""

    def red_flags(answers: dict[str, bool] | None) -> None:
        if answers is None:
            done(None)
        elif any(answers.values()):
            record(answers, None)
        else:
            app.push_screen(DiscussScreen(), lambda discuss: record(answers, discuss))

    def record(answers: dict[str, bool], discuss: dict[str, bool] | None) -> None:
        _record(app, answers, discuss or {}, shown)

    def shown(outcome: SafetyOutcome) -> None:
        if outcome.positive:
            text = URGENT_TEXT if outcome.urgent else SEEK_CARE_TEXT
            app.push_screen(SeekCareScreen(text, outcome.urgent), lambda _: done(True))
        elif outcome.discuss:
            app.push_screen(NoteScreen(DISCUSS_TEXT), lambda _: done(False))
        else:
            done(False)

    app.push_screen(RedFlagScreen(), red_flags)


def _record(app: App[Any], answers: dict[str, bool], discuss: dict[str, bool],
            then: Callable[[SafetyOutcome], None]) -> None:
    coach = coach_of(app)

    def task() -> None:
        outcome = coach.record_safety(answers, discuss)
        app.call_from_thread(then, outcome)

    app.run_worker(task, thread=True, group="db", exit_on_error=False)
