"""Today: the plan from the rules engine and the obvious next action."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from backcoach.ui.messages import PlanReady
from backcoach.ui.widgets.plan_view import PlanView


class TodayScreen(Screen[None]):
    """The first screen: paints at once, fills in when the data is there."""

    BINDINGS = [
        Binding("s", "start", "Start session"),
        Binding("h", "app.history", "History"),
        Binding("a", "acute", "Acute episode"),
        Binding("r", "app.red_flags", "Safety check"),
        Binding("p", "app.programs", "Programs"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.plan = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading your plan…", markup=False, id="headline", classes="title")
        yield Static("", markup=False, id="next", classes="panel")
        yield PlanView(id="plan")
        yield Footer()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("start", "acute"):
            return self.plan is not None  # disabled until the data is there
        return True

    def refresh_plan(self) -> None:
        if getattr(self.app, "coach", None) is not None and self.app.coach.program is not None:
            self.load_plan()

    @work(thread=True, exclusive=True, group="db")
    def load_plan(self) -> None:
        self.post_message(PlanReady(self.app.coach.plan()))

    def on_plan_ready(self, message: PlanReady) -> None:
        plan = self.plan = message.plan
        program = self.app.coach.program
        when = plan.now.astimezone()
        self.query_one("#headline", Static).update(
            f"{program.title} (version {program.version}) — {when:%A %d %B, %H:%M} — "
            f"phase: {plan.phase}")
        self.query_one("#next", Static).update(self.next_text(plan))
        self.query_one(PlanView).show(plan)
        self.refresh_bindings()

    @staticmethod
    def next_text(plan) -> str:
        lines = []
        if plan.phase == "acute":
            lines += [plan.advice, "No exercise can be started. Press a to end the acute episode."]
        elif plan.phase == "red-flag":
            lines += [plan.advice, "Press r to answer the safety questions again."]
        else:
            nxt = plan.next_action
            if nxt is not None:
                lines.append(f"Next: {nxt.title} — {nxt.reason}  Press s to start a session.")
            else:
                due = plan.next_due
                when = f" Next set from {due.astimezone():%H:%M}." if due else ""
                lines.append("Nothing is due right now." + when)
        if plan.red_flag_check_due:
            lines.append("A safety check is due: press r.")
        return "\n".join(lines)

    def action_start(self) -> None:
        if self.plan is None:
            return
        if self.plan.phase != "non-acute" or self.plan.next_action is None:
            self.notify(self.next_text(self.plan).splitlines()[0], severity="warning",
                        markup=False)
            return
        self.app.start_session(self.plan.red_flag_check_due)

    def action_acute(self) -> None:
        self.app.toggle_acute(self.plan.phase == "acute" if self.plan else False)
