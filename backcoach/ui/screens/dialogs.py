"""Small modal questions: stop reason, symptom response, choose an exercise, help."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from backcoach.domain.history import (
    CENTRALISING,
    PERIPHERALISING,
    SAME,
    STOP_OTHER,
    STOP_PAIN,
    STOP_SPREADING,
)
from backcoach.ui.keys import KeyHelp
from backcoach.ui.widgets.key_footer import KeyFooter


class _Choice(ModalScreen[str | None]):
    """A question answered with one key; escape only closes the question (returns None).

    Escape is a binding, so the key is used up here and never reaches the screen below.
    """

    QUESTION = ""
    ANSWERS: tuple[tuple[str, str, str], ...] = ()  # (key, value, label)
    ESCAPE = "skip this question"
    BINDINGS = [Binding("escape", "skip", "Skip", show=False)]

    def __init__(self, question: str | None = None) -> None:
        super().__init__()
        self.question = question or self.QUESTION
        for key, value, _ in self.ANSWERS:
            self._bindings.bind(key, f"answer('{value}')", show=False)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, markup=False, classes="question")
            for key, _, label in self.ANSWERS:
                yield Static(f"  {key}  {label}", markup=False)
            yield Static(f"  esc  {self.ESCAPE}", markup=False, classes="hint")
        yield KeyFooter()

    def action_answer(self, value: str) -> None:
        self.dismiss(value)

    def action_skip(self) -> None:
        self.dismiss(None)


class StopModal(_Choice):
    """Asked after a stopped set is already saved: why did it stop?"""

    QUESTION = "Stopped, and saved. What happened?"
    ANSWERS = (("1", STOP_PAIN, "It hurts"),
               ("2", STOP_SPREADING, "Pain is spreading down my leg"),
               ("3", STOP_OTHER, "Something else (tired, interrupted, …)"))
    ESCAPE = "leave it at \"it hurts\""


class SymptomModal(_Choice):
    """Where is the pain now, compared with before the set?"""

    QUESTION = "Where is the pain now, compared with before this set?"
    ANSWERS = (("1", CENTRALISING, "Moved towards the middle of the back (or less of it)"),
               ("2", SAME, "About the same"),
               ("3", PERIPHERALISING, "Spread further down the leg"))


class LeaveSetModal(_Choice):
    """A set is going and the patient wants to leave: keep what was done."""

    QUESTION = "A set is going. Keep what you have done so far?"
    ANSWERS = (("s", "save", "Save it as a partial set and leave the session"),
               ("k", "keep", "Keep going with the set"),
               ("x", "stop", "STOP — this hurts (saved as stopped)"))
    ESCAPE = "keep going"


class ConfirmModal(_Choice):
    """A yes/no question before something is recorded."""

    ANSWERS = (("y", "yes", "Yes"), ("n", "no", "No"))
    ESCAPE = "no"


class PainModal(ModalScreen[int | None]):
    """Record a pain score now: 0–9, t for 10; escape records nothing."""

    BINDINGS = [Binding("escape", "skip", "Cancel")]

    def compose(self) -> ComposeResult:
        from backcoach.ui.widgets.pain_scale import PainScale

        with Vertical(classes="dialog"):
            yield PainScale("How much does your back hurt right now?")
            yield Static("  esc  record nothing", markup=False, classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        from backcoach.ui.widgets.pain_scale import PainScale

        self.query_one(PainScale).focus()

    def on_pain_scale_chosen(self, message: object) -> None:
        self.dismiss(getattr(message, "score", None))

    def action_skip(self) -> None:
        self.dismiss(None)


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
        yield KeyFooter()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


DISCLAIMER = ("backcoach does not diagnose. If something feels wrong, stop and contact a "
              "clinician.")


def help_text(sections: list[tuple[str, list[KeyHelp]]]) -> Group:
    """A heading per section, then keys in one column and their sentence in the next
    (a wrapped sentence keeps its column)."""
    parts: list[Text | Table] = []
    for heading, keys in sections:
        if keys:
            table = Table.grid(padding=(0, 2))
            table.add_column(no_wrap=True, min_width=6)
            table.add_column()
            for item in keys:
                table.add_row(Text(item.label), Text(item.text))
            parts += [Text(heading, style="bold"), table]
    return Group(*parts, Text(""), Text(DISCLAIMER))


class HelpModal(ModalScreen[None]):
    """The keys of the screen below, generated from its bindings (ui/keys.py)."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, sections: list[tuple[str, list[KeyHelp]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static(help_text(self.sections))
        yield KeyFooter()

    def action_close(self) -> None:
        self.dismiss(None)
