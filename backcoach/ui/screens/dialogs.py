"""Small modal questions: stop reason, symptom response, choose an exercise, help."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from backcoach.domain.history import (
    CENTRALISING, PERIPHERALISING, SAME, STOP_OTHER, STOP_PAIN, STOP_SPREADING,
)


class _Choice(ModalScreen[str | None]):
    """A question answered with one key; escape cancels (returns None)."""

    QUESTION = ""
    ANSWERS: tuple[tuple[str, str, str], ...] = ()  # (key, value, label)

    def __init__(self) -> None:
        super().__init__()
        for key, value, _ in self.ANSWERS:
            self._bindings.bind(key, f"answer('{value}')", show=False)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.QUESTION, markup=False, classes="question")
            for key, _, label in self.ANSWERS:
                yield Static(f"  {key}  {label}", markup=False)
            yield Static("  esc  cancel", markup=False, classes="hint")
        yield Footer()

    def action_answer(self, value: str) -> None:
        self.dismiss(value)

    def key_escape(self) -> None:
        self.dismiss(None)


class StopModal(_Choice):
    """Stop — this hurts: why?"""

    QUESTION = "Stopping this set. What happened?"
    ANSWERS = (("1", STOP_PAIN, "It hurts"),
               ("2", STOP_SPREADING, "Pain is spreading down my leg"),
               ("3", STOP_OTHER, "Something else (tired, interrupted, …)"))


class SymptomModal(_Choice):
    """Where is the pain now, compared with before the set?"""

    QUESTION = "Where is the pain now, compared with before this set?"
    ANSWERS = (("1", CENTRALISING, "Moved towards the middle of the back (or less of it)"),
               ("2", SAME, "About the same"),
               ("3", PERIPHERALISING, "Spread further down the leg"))


class ChooseModal(ModalScreen[str | None]):
    """Pick one of the exercises the plan allows now."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, options: list[tuple[str, str]]) -> None:
        super().__init__()
        self.options = options

    def compose(self) -> ComposeResult:
        from textual.content import Content

        with Vertical(classes="dialog"):
            yield Static("Which exercise next? (enter chooses)", markup=False)
            yield OptionList(*[Option(Content(title), id=ident) for ident, title in self.options])
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


HELP = """backcoach keys

Today:    s start a session · h history · a acute episode · r safety check
          p programs · e export · ctrl+p command palette · ctrl+q quit
Session:  space start / pause the timer, or count a rep
          enter  end this set now (it is saved)
          x      STOP — this hurts (the set is saved as stopped, with the reason)
          n      next exercise · f finish the session · esc leave (everything done is kept)
Pain:     0–9, or t for 10

backcoach does not diagnose. If something feels wrong, stop and contact a clinician."""


class HelpModal(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(HELP, markup=False)
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
