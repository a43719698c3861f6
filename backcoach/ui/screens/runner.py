"""The session runner: one exercise at a time, timers and reps, stop that always works.

The runner reads statuses from the rules engine's plan; it decides nothing itself.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from backcoach.domain.history import COMPLETED, STOPPED
from backcoach.ui.messages import SetSaved
from backcoach.ui.screens.dialogs import ChooseModal, StopModal, SymptomModal
from backcoach.ui.widgets.hold_timer import HoldTimer
from backcoach.ui.widgets.rep_counter import RepCounter


def exercise_text(exercise, dose: str) -> str:
    """Plain text of an exercise (shown literally: it comes from a program file)."""
    parts = [dose, "", exercise.summary] if exercise.summary else [dose]
    if exercise.steps:
        parts += ["", *[f"{n}. {step}" for n, step in enumerate(exercise.steps, 1)]]
    if exercise.cautions:
        parts += ["", *[f"! {c}" for c in exercise.cautions]]
    if exercise.illustration.strip("\n"):
        parts += ["", exercise.illustration.strip("\n")]
    return "\n".join(parts)


def make_meter(exercise, clock, reps: int | None):
    """The timer or counter that fits the exercise's dose (`reps`: today's target)."""
    dose = exercise.dose
    if reps and dose.hold_seconds:
        return RepCounter(reps, clock, hold=dose.hold_seconds, relax=dose.rest_seconds or 3)
    if reps:
        return RepCounter(reps, clock)
    if dose.hold_seconds:
        label = "Relax" if exercise.position == "lying" else "Hold"
        return HoldTimer(dose.hold_seconds, clock, label=label)
    if dose.duration_minutes:
        return HoldTimer(dose.duration_minutes * 60, clock, label="Time", get_ready=3)
    return RepCounter(None, clock)


class RunnerScreen(Screen[None]):
    BINDINGS = [  # the footer fits 80 columns; c, esc and ? are named in the status line
        Binding("space", "primary", "Go/pause"),
        Binding("enter", "end_set", "Done"),
        Binding("x", "stop", "STOP — this hurts"),
        Binding("n", "next", "Next"),
        Binding("f", "finish", "Finish"),
        Binding("c", "choose", "Choose", show=False),
        Binding("escape", "leave", "Leave", show=False),
        Binding("question_mark", "app.help", "Help", show=False),
    ]

    def __init__(self, state, plan) -> None:
        super().__init__()
        self.state, self.plan = state, plan
        self.exercise = None
        self.meter = None
        self.follow_up = False
        self.started_at = None
        self.saving = False

    @property
    def coach(self):
        return self.app.coach

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", markup=False, id="exercise-title", classes="title")
        with VerticalScroll(id="instructions"):
            yield Static("", markup=False, id="exercise-text")
        yield Vertical(id="meter")
        yield Static("", markup=False, id="status", classes="panel")
        yield Footer()

    def on_mount(self) -> None:
        nxt = self.plan.next_action
        if nxt is not None and nxt.can_start:
            self.show_exercise(nxt.id)

    # --- showing an exercise ---------------------------------------------------------------
    def show_exercise(self, exercise_id: str, notice: str = "") -> None:
        entry = self.plan.entry(exercise_id)
        exercise = self.coach.program.exercise(exercise_id)
        self.exercise, self.follow_up = exercise, entry.follow_up
        self.started_at = None
        number = f"{exercise.number}. " if exercise.number else ""
        self.query_one("#exercise-title", Static).update(f"{number}{exercise.title}")
        self.query_one("#exercise-text", Static).update(exercise_text(exercise, entry.dose))
        box = self.query_one("#meter", Vertical)
        box.remove_children()
        self.meter = make_meter(exercise, self.coach.clock, entry.reps_target)
        box.mount(self.meter)
        self.say(notice or "Press space to start. x stops at any time · c choose another · "
                           "esc leave (what is done stays saved) · ? help")

    def say(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    def _meter(self):
        """The current set's timer or counter; None once that set is saved."""
        return self.meter

    # --- keys ------------------------------------------------------------------------------
    def action_primary(self) -> None:
        meter = self._meter()
        if self.saving:
            return
        if meter is None:
            self.say("That set is saved. n: next exercise · c: choose · f: finish.")
            return
        if self.started_at is None:
            self.started_at = self.coach.clock()
            self.say("Going. space pauses · enter ends the set · x stops (this hurts).")
        if isinstance(meter, HoldTimer):
            meter.toggle()
        else:
            meter.press()

    def action_end_set(self) -> None:
        meter = self._meter()
        if meter is None or self.saving:
            return
        if self.started_at is None:
            self.say("Start the set first (space), or choose another exercise (c).")
            return
        self.save(COMPLETED, **self._amount(meter))

    def _amount(self, meter) -> dict:
        if isinstance(meter, HoldTimer):
            return {"seconds": meter.held_seconds}
        return {"reps": meter.count, "seconds": (meter.count * meter.hold) if meter.hold else None}

    def action_stop(self) -> None:
        """Stop — this hurts. Always available, whatever the timer is doing."""
        meter = self._meter()
        if isinstance(meter, HoldTimer) and meter.running:
            meter.toggle()
        elif isinstance(meter, RepCounter) and meter.paced and not meter.paused:
            meter.press()
        if self.exercise is None:
            return
        self.app.push_screen(StopModal(), self._stopped)

    def _stopped(self, reason: str | None) -> None:
        if reason is None:
            self.say("Paused. Press space to go on, or x to stop.")
            return
        meter = self._meter()
        amount = self._amount(meter) if meter is not None else {}
        self.save(STOPPED, stop_reason=reason, **amount)

    def on_hold_timer_finished(self, message: HoldTimer.Finished) -> None:
        self.save(COMPLETED, **self._amount(message.timer))

    def on_rep_counter_completed(self, message: RepCounter.Completed) -> None:
        self.save(COMPLETED, **self._amount(message.counter))

    # --- saving (in a worker: the UI never freezes) -------------------------------------------
    def save(self, outcome: str, **amount) -> None:
        if self.saving or self.exercise is None:
            return
        self.saving = True
        self.say("Saving…")
        self._save(self.exercise.id, outcome, self.started_at or self.coach.clock(),
                   self.follow_up, amount)

    @work(thread=True, group="db")
    def _save(self, exercise_id, outcome, started_at, follow_up, amount) -> None:
        result = self.coach.save_set(self.state, exercise_id, started_at, outcome=outcome,
                                     follow_up=follow_up, **amount)
        self.post_message(SetSaved(result.set_id, exercise_id, outcome, result.plan))

    def on_set_saved(self, message: SetSaved) -> None:
        self.saving = False
        self.plan = message.plan
        exercise = self.coach.program.exercise(message.exercise_id)
        if message.outcome == COMPLETED and exercise.asks_symptom_response:
            self.app.push_screen(SymptomModal(), lambda answer: self._symptom(message, answer))
        else:
            self.after_set(message.exercise_id, message.outcome)

    def _symptom(self, message: SetSaved, answer: str | None) -> None:
        if answer is None:
            self.after_set(message.exercise_id, message.outcome)
            return
        self._record_symptom(message.set_id, message.exercise_id, answer)

    @work(thread=True, group="db")
    def _record_symptom(self, set_id: int, exercise_id: str, answer: str) -> None:
        plan = self.coach.answer_symptom(self.state, set_id, answer)
        self.app.call_from_thread(self.after_set, exercise_id, COMPLETED, plan)

    def after_set(self, exercise_id: str, outcome: str, plan=None) -> None:
        """What comes next, straight from the (new) plan."""
        if plan is not None:
            self.plan = plan
        # the saved set is over: its timer or counter must not be resumed into a new set
        self.query_one("#meter", Vertical).remove_children()
        self.meter = None
        self.started_at = None
        entry = self.plan.entry(exercise_id)
        saved = "Set saved." if outcome == COMPLETED else "Stopped set saved."
        if self.plan.phase != "non-acute":
            self.say(f"{saved} {self.plan.advice} Press f to finish.")
            return
        if entry.status == "blocked" and (entry.reason.startswith("Stopped for today")):
            saved += f" {entry.reason}"
        nxt = self.plan.next_action
        if self.plan.required_next is not None and nxt is not None:
            self.show_exercise(nxt.id, f"{saved} Next: {nxt.reason} Press space to start.")
            return
        nxt = self._suggested()
        if nxt is None:
            self.say(f"{saved} Nothing else is due now. Press f to finish the session.")
        else:
            self.say(f"{saved} Next: {nxt.title} — {nxt.reason} "
                     "n: do it · c: choose · f: finish")

    def _suggested(self):
        """Another set of the same exercise within its bout, else the plan's next action."""
        if self.exercise is not None and self.exercise.dose.sets_per_bout:
            entry = self.plan.entry(self.exercise.id)
            done = sum(1 for s in self.state.done if s.exercise_id == self.exercise.id)
            if entry.can_start and done % self.exercise.dose.sets_per_bout:
                return entry
        return self.plan.next_action if (self.plan.next_action
                                         and self.plan.next_action.can_start) else None

    def action_next(self) -> None:
        if self.saving:
            return
        nxt = self._suggested()
        if nxt is None:
            self.say("Nothing is available right now. Press f to finish the session.")
        else:
            self.show_exercise(nxt.id)

    def action_choose(self) -> None:
        options = [(e.id, e.title) for e in self.plan.available]
        if not options:
            self.say("Nothing is available right now. Press f to finish the session.")
            return
        self.app.push_screen(ChooseModal(options),
                             lambda choice: choice and self.show_exercise(choice))

    def action_finish(self) -> None:
        if self.saving:
            return
        from backcoach.ui.screens.after import AfterSessionScreen

        self.app.switch_screen(AfterSessionScreen(self.state))

    def action_leave(self) -> None:
        """Leave mid-session: everything saved so far stays saved."""
        self.app.leave_session(self.state)


