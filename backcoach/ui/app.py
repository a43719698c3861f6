"""BackcoachApp: first paint at once, the database opened in a worker, screens on top."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from backcoach.ui.messages import CoachFailed, CoachReady
from backcoach.ui.screens.dialogs import HelpModal
from backcoach.ui.screens.today import TodayScreen


class BackcoachApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "backcoach"
    SUB_TITLE = "home exercises for low back pain"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True),
                Binding("question_mark", "help", "Help", show=False)]

    def __init__(self, db_path: Path, clock, program: str | None = None,
                 extra_programs: Path | None = None) -> None:
        super().__init__()
        self.db_path, self.clock = db_path, clock
        self.program_choice, self.extra_programs = program, extra_programs
        self.coach = None
        self.failed = False
        self.today = TodayScreen()

    def on_mount(self) -> None:
        self.push_screen(self.today)
        self.call_after_refresh(self.open_coach)  # first frame before the heavy imports

    @work(thread=True, exclusive=True, group="open")
    def open_coach(self) -> None:
        """The heavy imports and the database open happen here, after the first frame."""
        from backcoach.coach import Coach, StorageError

        try:
            coach = Coach.open(self.db_path, self.clock, self.program_choice,
                               self.extra_programs)
        except StorageError as error:
            self.post_message(CoachFailed(str(error)))
            return
        self.post_message(CoachReady(coach))

    async def action_quit(self) -> None:
        self.exit(return_code=1 if self.failed else 0)

    def on_coach_failed(self, message: CoachFailed) -> None:
        from textual.widgets import Static

        self.failed = True
        self.today.query_one("#headline", Static).update(
            f"Cannot open your data: {message.text}\nPress ctrl+q to quit.")

    def on_coach_ready(self, message: CoachReady) -> None:
        self.coach = message.coach
        if self.coach.needs_welcome:
            self.first_run()
        elif self.coach.program is None:
            self.action_programs()
        else:
            self.today.refresh_plan()

    # --- first run and safety ------------------------------------------------------------
    def first_run(self) -> None:
        from backcoach.ui.screens.welcome import WelcomeScreen

        self.push_screen(WelcomeScreen(), lambda _: self.action_red_flags(first_run=True))

    def action_red_flags(self, first_run: bool = False, then=None) -> None:
        from backcoach.ui.screens.welcome import RedFlagScreen, SeekCareScreen

        def answered(positive: bool | None) -> None:
            if positive:
                self.push_screen(SeekCareScreen(), lambda _: self._after_red_flags(first_run))
            else:
                self._after_red_flags(first_run)
                if then is not None:
                    then()

        self.push_screen(RedFlagScreen(), answered)

    def _after_red_flags(self, first_run: bool) -> None:
        if first_run:
            self._finish_welcome()
            if self.coach.program is None:
                self.action_programs()
                return
        self.today.refresh_plan()

    @work(thread=True, group="db")
    def _finish_welcome(self) -> None:
        self.coach.finish_welcome()

    def action_programs(self) -> None:
        from backcoach.ui.screens.welcome import ProgramScreen

        if self.coach is not None:
            self.push_screen(ProgramScreen(), lambda _: self.today.refresh_plan())

    def action_help(self) -> None:
        self.push_screen(HelpModal())

    def action_history(self) -> None:
        from backcoach.ui.screens.history import HistoryScreen

        if self.coach is not None and self.coach.program is not None:
            self.push_screen(HistoryScreen())

    def action_export(self) -> None:
        from backcoach.ui.screens.history import ExportModal

        if self.coach is not None:
            self.push_screen(ExportModal())

    # --- sessions ----------------------------------------------------------------------------
    def start_session(self, red_flag_check_due: bool) -> None:
        from backcoach.ui.screens.checkin import CheckInScreen

        def checked_in(answers) -> None:
            if answers is None:
                return
            if red_flag_check_due and not answers.acute:
                self.action_red_flags(then=lambda: self._open_session(answers))
            else:
                self._open_session(answers)

        self.push_screen(CheckInScreen(), checked_in)

    @work(thread=True, exclusive=True, group="db")
    def _open_session(self, answers) -> None:
        from backcoach.coach import Refused

        try:
            state, plan = self.coach.start_session(answers.pain, answers.acute,
                                                   answers.cannot_lie_down)
        except Refused as refusal:
            self.call_from_thread(self._session_refused, str(refusal))
            return
        self.call_from_thread(self._run, state, plan)

    def _session_refused(self, text: str) -> None:
        self.notify(text, severity="warning", markup=False, timeout=8)
        self.today.refresh_plan()

    def _run(self, state, plan) -> None:
        from backcoach.ui.screens.runner import RunnerScreen

        self.push_screen(RunnerScreen(state, plan))

    def leave_session(self, state) -> None:
        self._leave(state)

    @work(thread=True, group="db")
    def _leave(self, state) -> None:
        self.coach.leave_session(state)
        self.call_from_thread(self.back_to_today)

    def back_to_today(self) -> None:
        while len(self.screen_stack) > 1 and self.screen is not self.today:
            self.pop_screen()
        self.today.refresh_plan()

    def toggle_acute(self, in_acute: bool) -> None:
        self._toggle_acute(in_acute)

    @work(thread=True, exclusive=True, group="db")
    def _toggle_acute(self, in_acute: bool) -> None:
        if in_acute:
            self.coach.end_acute()
            text = "Acute episode ended."
        else:
            self.coach.start_acute()
            text = "Acute episode started: rest. No exercises until you end it (a)."
        self.call_from_thread(self.notify, text, markup=False)
        self.call_from_thread(self.today.refresh_plan)

    # --- command palette ------------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Start session", "Check in and start today's exercises",
                            self.today.action_start)
        yield SystemCommand("History", "Pain trend, adherence and sessions", self.action_history)
        yield SystemCommand("Programs", "Choose the active program", self.action_programs)
        yield SystemCommand("Acute episode", "Start or end an acute episode",
                            self.today.action_acute)
        yield SystemCommand("Safety check", "Answer the warning-sign questions",
                            self.action_red_flags)
        yield SystemCommand("Export", "Export your log (CSV, JSON or FHIR)", self.action_export)
