"""Today: the plan from the rules engine and the obvious next action."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Static

from backcoach.coach.today_view import TodayView, next_text, today_view
from backcoach.domain.status import Phase
from backcoach.ui.access import coach_of
from backcoach.ui.messages import PlanReady, RecordPain, StartSession, ToggleAcute
from backcoach.ui.widgets.key_footer import KeyFooter
from backcoach.ui.widgets.plan_view import PlanView

if TYPE_CHECKING:
    from backcoach.domain.engine import Plan
    from backcoach.domain.program import Program


PSFS_DUE = ("Your weekly activity scale is due: press w to rate the activities your back "
            "makes hard (a minute; esc there skips it until tomorrow).")


class TodayScreen(Screen[None]):
    """The first screen: paints at once, fills in when the data is there."""

    HELP_TITLE = "Today"
    BINDINGS = [  # short labels: the footer fits 80 columns; the tooltips are the help
        Binding("s", "start", "Start", tooltip="start a session (a short check-in first)"),
        Binding("k", "pain", "Pain", tooltip="record a pain score now"),
        Binding("a", "acute", "Acute", tooltip="acute episode: start one, or see why today "
                "is acute and how to end it (always asked first)"),
        Binding("r", "app.red_flags", "Safety", tooltip="safety check: the warning-sign "
                "questions"),
        Binding("h", "app.history", "History", tooltip="history: pain trend, adherence, "
                "sessions"),
        Binding("p", "app.programs", "Programs", tooltip="choose the program"),
        Binding("w", "app.psfs", "Activity scale", show=False,
                tooltip="the weekly activity scale (PSFS)"),
    ]

    def __init__(self, preview: TodayView | None = None) -> None:
        super().__init__()
        self.plan: Plan | None = None
        self.preview = preview  # today's plan before the database is open, as text
        self.previewed = False  # the plan shown is the preview: nothing can start yet

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading your plan…", markup=False, id="headline", classes="title")
        yield Static("", markup=False, id="next", classes="panel")
        yield Static(PSFS_DUE, markup=False, id="psfs-due", classes="hint")
        yield PlanView(id="plan")
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("start", "acute", "pain"):  # disabled until the database is open
            return self.plan is not None and not self.previewed
        return True

    def show_failure(self, text: str) -> None:
        self.query_one("#headline", Static).update(
            f"Cannot open your data: {text}\nPress ctrl+q to quit.")
        self.plan, self.previewed = None, False
        self.query_one("#next", Static).update("")
        self.query_one(PlanView).display = False

    def on_mount(self) -> None:
        self.query_one("#psfs-due").display = False
        if self.preview is not None:
            self.previewed = True
            self.draw(self.preview)

    def refresh_plan(self) -> None:
        coach = getattr(self.app, "coach", None)
        if coach is not None and coach.program is not None:
            self.load_plan()
            self.load_psfs()

    @work(thread=True, exclusive=True, group="today-psfs", exit_on_error=False)
    def load_psfs(self) -> None:
        """Whether the weekly activity scale is due: one calm line, never a question."""
        due = coach_of(self.app).psfs_status().due
        self.app.call_from_thread(self._show_psfs_due, due)

    def _show_psfs_due(self, due: bool) -> None:
        self.query_one("#psfs-due").display = due

    @work(thread=True, exclusive=True, group="today", exit_on_error=False)
    def load_plan(self) -> None:
        self.post_message(PlanReady(coach_of(self.app).today_plan()))

    def on_plan_ready(self, message: PlanReady) -> None:
        program = coach_of(self.app).program
        assert program is not None
        self.previewed = False
        self.show(message.plan, program)

    def show(self, plan: Plan, program: Program) -> None:
        """Draw the database's `plan`: from now on s, a and k act on it."""
        self.plan = plan
        self.draw(today_view(plan, program))

    def draw(self, view: TodayView) -> None:
        """Draw `view`: the database's plan, or the preview of the first frame."""
        self.query_one("#headline", Static).update(view.headline)
        self.query_one("#next", Static).update(view.next)
        self.query_one(PlanView).show(view.rows)
        self.refresh_bindings()

    def action_start(self) -> None:
        if self.plan is None:
            return
        if self.plan.phase != Phase.NON_ACUTE or self.plan.next_action is None:
            self.notify(next_text(self.plan).splitlines()[0], severity="warning",
                        markup=False)
            return
        self.post_message(StartSession())

    def action_acute(self) -> None:
        self.post_message(ToggleAcute())

    def action_pain(self) -> None:
        self.post_message(RecordPain())
