"""BackcoachApp: first paint at once, the database opened in a worker, screens on top.

Screens ask for navigation with messages (ui/messages.py); every database call runs in
a thread worker started with exit_on_error=False, and one handler turns a failed worker
into a notification with its one-sentence reason: no worker can crash the app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import SystemCommand
from textual.screen import Screen
from textual.worker import Worker

from backcoach.clock import Clock
from backcoach.coach.errors import StorageError
from backcoach.coach.first_view import Pending, view_here
from backcoach.ui.careful import CarefulApp
from backcoach.ui.keys import APP_BINDINGS
from backcoach.ui.messages import (
    CoachFailed,
    CoachReady,
    FinishSession,
    LeaveSession,
    RecordPain,
    ShowToday,
    StartSession,
    ToggleAcute,
)
from backcoach.ui.screens.today import TodayScreen

if TYPE_CHECKING:
    from backcoach.coach import Coach, SessionState


class BackcoachApp(CarefulApp):
    FAILED_TAIL = "; nothing you saved was lost"
    CSS_PATH = "app.tcss"
    TITLE = "backcoach"
    SUB_TITLE = "home exercises for low back pain"
    BINDINGS = APP_BINDINGS

    def __init__(self, db_path: Path | str, clock: Clock, program: str | None = None,
                 extra_programs: Path | None = None, first_view: Pending | None = None) -> None:
        """`first_view`: today's plan from the last run's read, being worked out already
        (`first_view.start`); by default it is worked out here."""
        super().__init__()
        self.db_path, self.clock = db_path, clock
        self.program_choice, self.extra_programs = program, extra_programs
        self.coach: Coach | None = None
        self.failed = False
        self.session: SessionState | None = None  # the open guided session, if any
        view = first_view() if first_view else view_here(db_path, program, extra_programs, clock)
        self.today = TodayScreen(view)

    def get_default_screen(self) -> Screen[Any]:
        """Today is the bottom of the stack: no blank screen is built and left under it
        (about 60 ms of the first frame)."""
        return self.today

    def on_mount(self) -> None:
        preview = self.today.preview
        if preview is not None and preview.theme in self.available_themes:
            self.theme = preview.theme
        self.call_after_refresh(self.open_coach)  # first frame before the heavy imports

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_coach(self) -> None:
        """The heavy imports and the database open happen here, after the first frame."""
        from backcoach.coach import Coach

        try:
            coach = Coach.open(self.db_path, self.clock, self.program_choice,
                               self.extra_programs)
            theme = coach.theme()
        except StorageError as error:
            self.post_message(CoachFailed(str(error)))
            return
        self.post_message(CoachReady(coach, theme))

    def watch_theme(self, name: str) -> None:
        """A theme chosen (command palette) is remembered for the next run."""
        coach = self.coach
        if coach is not None:
            self.run_db(lambda: coach.remember_theme(name))


    @on(Worker.StateChanged)
    def worker_failed(self, event: Worker.StateChanged) -> None:
        """The one place a failed worker ends: a notification with its reason."""
        if not self.notify_failed_worker(event):
            return
        self.today.refresh_plan()

    def on_coach_failed(self, message: CoachFailed) -> None:
        self.failed = True
        self.today.show_failure(message.text)

    def on_coach_ready(self, message: CoachReady) -> None:
        if message.theme in self.available_themes:
            self.theme = message.theme  # before self.coach: applying it saves nothing
        self.coach = message.coach
        if self.coach.needs_welcome:
            self.first_run()
        elif self.coach.program is None:
            self.action_programs()
        else:
            self.today.refresh_plan()

    def run_db(self, job: Callable[[], Any], then: Callable[[Any], None] | None = None) -> None:
        """Run `job` (a coach call) in a worker; `then` gets its result on the UI thread."""
        def task() -> None:
            result = job()
            if then is not None:
                self.call_from_thread(then, result)

        self.run_worker(task, thread=True, group="db", exit_on_error=False)

    # --- first run and safety ------------------------------------------------------------
    def first_run(self) -> None:
        from backcoach.ui.screens.welcome import WelcomeScreen

        self.push_screen(WelcomeScreen(), lambda _: self.action_red_flags(first_run=True))

    def action_red_flags(self, first_run: bool = False,
                         then: Callable[[], None] | None = None) -> None:
        from backcoach.ui.screens.safety import ask_safety

        if self.coach is None or self.session is not None:
            return
        ask_safety(self, lambda positive: self._after_red_flags(first_run, positive, then))

    def _after_red_flags(self, first_run: bool, positive: bool | None,
                         then: Callable[[], None] | None) -> None:
        if first_run:
            coach = self.coach
            assert coach is not None
            self.run_db(coach.finish_welcome)
            # the activity scale's first assessment, unless a warning sign came first
            after = None if positive else self.first_psfs
            if coach.program is None:
                self.action_programs(after)
                return
            if after is not None:
                after()
                return
        if not positive and then is not None:
            then()
        self.today.refresh_plan()

    def action_programs(self, then: Callable[[], None] | None = None) -> None:
        from backcoach.ui.screens.welcome import ProgramScreen

        if self.coach is None:
            return
        if self.session is not None:
            self.notify("Finish or leave the session before changing the program.",
                        severity="warning", markup=False)
            return
        self.push_screen(ProgramScreen(), lambda _: then() if then else self.today.refresh_plan())

    # --- the activity scale (PSFS) -------------------------------------------------------
    def first_psfs(self) -> None:
        """First run: the activity scale's first assessment (esc: later, from Today)."""
        self.action_psfs()

    def action_psfs(self) -> None:
        """The activity scale, with last time's activities to rate again; esc skips it
        until tomorrow."""
        coach = self.coach
        if coach is None or self.session is not None:
            return
        self.run_db(coach.psfs_status, self._ask_psfs)

    def _ask_psfs(self, status: Any) -> None:
        from backcoach.ui.screens.psfs import PsfsScreen

        coach = self.coach
        assert coach is not None
        if self.session is not None or isinstance(self.screen, PsfsScreen):
            return

        def done(saved: Any) -> None:
            if saved is not None:
                self.notify(f"Activity scale saved: mean {saved.mean:.1f}/10.", markup=False)
                self.today.refresh_plan()
            elif status.due:  # a weekly ask left with esc waits for tomorrow
                self.run_db(coach.skip_psfs, lambda _: self.today.refresh_plan())
            else:
                self.today.refresh_plan()

        self.push_screen(PsfsScreen(status.activities), done)

    def action_help(self) -> None:
        from backcoach.ui.keys import help_sections
        from backcoach.ui.screens.dialogs import HelpModal

        if not isinstance(self.screen, HelpModal):
            self.push_screen(HelpModal(help_sections(self.screen)))

    def action_history(self) -> None:
        from backcoach.ui.screens.history import HistoryScreen

        if self.coach is not None and self.coach.program is not None \
                and not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def action_export(self) -> None:
        from backcoach.ui.screens.history import ExportModal

        if self.coach is not None:
            self.push_screen(ExportModal())

    # --- sessions ----------------------------------------------------------------------------
    @on(StartSession)
    def start_session(self) -> None:
        from backcoach.ui.screens.checkin import CheckInAnswers, CheckInScreen

        plan = self.today.plan
        if self.coach is None or self.session is not None or plan is None:
            return

        def checked_in(answers: CheckInAnswers | None) -> None:
            if answers is None:
                return
            if plan.red_flag_check_due and not answers.acute:
                self.action_red_flags(then=lambda: self._open_session(answers))
            else:
                self._open_session(answers)

        self.push_screen(CheckInScreen(), checked_in)

    def _open_session(self, answers: Any) -> None:
        coach = self.coach
        assert coach is not None
        self.run_db(lambda: coach.start_session(answers.pain, answers.acute,
                                                answers.cannot_lie_down), self._run)

    def _run(self, opened: Any) -> None:
        from backcoach.ui.screens.runner import RunnerScreen

        state, plan = opened
        self.session = state
        self.push_screen(RunnerScreen(state, plan))

    @on(LeaveSession)
    def leave_session(self, message: LeaveSession) -> None:
        coach = self.coach
        assert coach is not None
        self.session = None
        self.run_db(lambda: coach.leave_session(message.state), lambda _: self.back_to_today())

    @on(FinishSession)
    def finish_session(self, message: FinishSession) -> None:
        from backcoach.ui.screens.after import AfterSessionScreen

        self.session = None
        self.switch_screen(AfterSessionScreen(message.state))

    @on(ShowToday)
    def back_to_today(self) -> None:
        while len(self.screen_stack) > 1 and self.screen is not self.today:
            self.pop_screen()
        self.today.refresh_plan()

    # --- acute and pain ---------------------------------------------------------------------
    @on(ToggleAcute)
    def toggle_acute(self) -> None:
        """Start an acute episode (asked first), or say why today is acute and how to end it."""
        coach = self.coach
        if coach is None:
            return
        self.run_db(coach.acute_state, self._acute_known)

    def _acute_known(self, state: Any) -> None:
        from backcoach.ui.screens.dialogs import ConfirmModal

        coach = self.coach
        assert coach is not None
        if state.episode_since is not None:
            question = "End the acute episode? Exercises become possible again."
            self.push_screen(ConfirmModal(question), lambda answer: self._confirmed(
                answer, coach.end_acute, "Acute episode ended."))
        elif state.acute:
            self.notify(state.reason + " Press k on Today to record a pain score.",
                        markup=False, timeout=12)
        else:
            question = ("Start an acute episode? No exercises until you end it (a). Rest, "
                        "and contact a clinician if the pain is severe.")
            self.push_screen(ConfirmModal(question), lambda answer: self._confirmed(
                answer, coach.start_acute, "Acute episode started: rest. No exercises until "
                "you end it (a)."))

    def _confirmed(self, answer: str | None, job: Callable[[], None], done: str) -> None:
        if answer == "yes":
            self.run_db(job, lambda _: self._acute_changed(done))

    def _acute_changed(self, text: str) -> None:
        from backcoach.ui.screens.runner import RunnerScreen

        self.notify(text, markup=False)
        coach = self.coach
        runner = next((s for s in self.screen_stack if isinstance(s, RunnerScreen)), None)
        if runner is not None and coach is not None:
            self.run_db(lambda: coach.plan(runner.state), runner.acute_started)
        self.today.refresh_plan()

    @on(RecordPain)
    def record_pain(self) -> None:
        from backcoach.ui.screens.dialogs import PainModal

        coach = self.coach
        if coach is None:
            return

        def chosen(score: int | None) -> None:
            if score is not None:
                self.run_db(lambda: coach.record_pain(score), lambda _: self._pain_saved(score))

        self.push_screen(PainModal(), chosen)

    def _pain_saved(self, score: int) -> None:
        self.notify(f"Pain {score}/10 recorded.", markup=False)
        self.today.refresh_plan()

    # --- command palette ------------------------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from backcoach.ui.palette import app_commands

        yield from super().get_system_commands(screen)
        yield from app_commands(self)
