"""First run: welcome, the red-flag questions, seek-care, and choosing a program."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from backcoach.ui.access import coach_of
from backcoach.ui.screens.safety import RedFlagScreen, SeekCareScreen  # noqa: F401
from backcoach.ui.widgets.key_footer import KeyFooter

WELCOME = "\n\n".join((
    "Welcome to backcoach.",
    "backcoach walks you through the home exercises your physiotherapist gave you for low "
    "back pain: what is due now and why, timers and rep counts, and a private log of your "
    "sets and pain scores that you can show at your next appointment.",
    "It does not diagnose, and it does not replace a clinician. First, a few safety "
    "questions.",
))


class WelcomeScreen(Screen[None]):
    HELP_TITLE = "Welcome"
    BINDINGS = [Binding("enter", "next", "Continue", tooltip="continue to the safety questions")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(WELCOME, markup=False, classes="panel")
        yield Static("Press enter to continue.", markup=False, classes="hint")
        yield KeyFooter()

    def action_next(self) -> None:
        self.dismiss(None)


class ProgramScreen(Screen[bool]):
    """Choose a shipped program, or type the path of a physiotherapist's file."""

    HELP_TITLE = "Programs"
    BINDINGS = [Binding("escape", "cancel", "Back", tooltip="back, keeping the program you "
                        "have (if any)")]

    def compose(self) -> ComposeResult:
        from textual.content import Content

        yield Header()
        yield Static("Choose your program (enter), or type the path of a program file below.",
                     markup=False, classes="title")
        yield OptionList(*[Option(Content(f"{title}  ({ident})"), id=ident)
                           for ident, title in coach_of(self.app).program_choices()], id="programs")
        yield Input(placeholder="…or a file path, e.g. ~/my-program.toml", id="path")
        with VerticalScroll(id="problems"):
            yield Static("", markup=False, id="errors", classes="danger")
        yield KeyFooter()

    def on_mount(self) -> None:
        from backcoach.programs.catalog import DEFAULT_PROGRAM

        options = self.query_one("#programs", OptionList)
        program = coach_of(self.app).program
        current = program.id if program else DEFAULT_PROGRAM
        ids = [option.id for option in options.options]
        options.highlighted = ids.index(current) if current in ids else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.choose(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.choose(str(Path(event.value.strip()).expanduser()))

    @work(thread=True, exclusive=True, group="db", exit_on_error=False, name="choose")
    def choose(self, choice: str) -> str | None:
        """Choose the program; what is wrong with it, or None (then `chosen` closes this
        screen once the worker has finished: closing it earlier would cancel the worker)."""
        from backcoach.programs.errors import ProgramInvalid

        try:
            coach_of(self.app).choose_program(choice)
        except ProgramInvalid as invalid:
            return "This program file has problems:\n" + "\n".join(
                str(p) for p in invalid.problems)
        except LookupError as error:
            return str(error.args[0])
        return None

    @on(Worker.StateChanged)
    def chosen(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "choose" or event.state != WorkerState.SUCCESS:
            return
        problem = event.worker.result
        if problem is None:
            self.dismiss(True)
        else:
            self.query_one("#errors", Static).update(problem)

    def action_cancel(self) -> None:
        if coach_of(self.app).program is not None:
            self.dismiss(False)


