"""After the session: pain now, a one-line note, and a short summary."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from backcoach.coach.reminders import next_due
from backcoach.domain.history import in_words
from backcoach.ui.access import coach_of
from backcoach.ui.messages import PlanReady, ShowToday
from backcoach.ui.widgets.key_footer import KeyFooter
from backcoach.ui.widgets.pain_scale import PainScale


def summary_text(state, plan, pain_after: int | None, titles) -> str:
    completed = [s for s in state.done if s.completed]
    stopped = [s for s in state.done if not s.completed]
    lines = [f"Done: {', '.join(titles(s.exercise_id) for s in completed) or 'nothing'}"]
    if stopped:
        lines.append("Stopped: " + ", ".join(
            f"{titles(s.exercise_id)} ({in_words(s.stop_reason) or s.outcome})"
            for s in stopped))
    if state.pain_before is not None and pain_after is not None:
        lines.append(f"Pain: {state.pain_before} → {pain_after}")
    due = next_due(plan)
    if due.exercise is not None and due.at is not None and due.at > plan.now:
        lines.append(f"{due.title} is next due at {due.at.astimezone():%H:%M}.")
    return "\n".join(lines)


class AfterSessionScreen(Screen[None]):
    HELP_TITLE = "After the session"
    BINDINGS = [Binding("escape", "done", "Back to today", tooltip="back to Today (the session "
                        "is saved)")]

    def __init__(self, state) -> None:
        super().__init__()
        self.state = state
        self.pain: int | None = None
        self.finished = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Session done — well done.", markup=False, classes="title")
        yield PainScale("How much does your back hurt now?", id="pain")
        yield Input(placeholder="A one-line note (optional), then enter", id="note",
                    max_length=200)
        yield Static("", markup=False, id="summary", classes="panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(PainScale).focus()

    def on_pain_scale_chosen(self, message: PainScale.Chosen) -> None:
        self.pain = message.score
        self.query_one("#note", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.pain is None:
            self.pain = self.query_one(PainScale).score
        if not self.finished:
            self.finished = True
            self.finish(event.value)

    @work(thread=True, exclusive=True, group="db", exit_on_error=False)
    def finish(self, note: str) -> None:
        self.post_message(PlanReady(coach_of(self.app).finish_session(self.state, self.pain, note)))

    def on_plan_ready(self, message: PlanReady) -> None:
        titles = coach_of(self.app).program_exercise_title
        self.query_one("#summary", Static).update(
            summary_text(self.state, message.plan, self.pain, titles)
            + "\n\nSaved. Press escape to return to today's plan.")

    def action_done(self) -> None:
        if not self.finished:
            self.finished = True
            self.finish("")
        self.post_message(ShowToday())
