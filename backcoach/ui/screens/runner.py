"""The session runner: one exercise at a time, timers and reps, stop that always works.

The runner reads statuses from the rules engine's plan (through the coach); it decides
nothing itself. A set that ends is saved at once: completed when the dose was reached,
partial when ended early, stopped when the patient pressed x. Nothing that did not
happen is saved.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from backcoach.coach import Coach, Refused, SessionState, SetResult, StorageError
from backcoach.domain.engine import ExercisePlan, Plan
from backcoach.domain.history import STOP_PAIN
from backcoach.domain.program import Exercise
from backcoach.domain.status import Outcome, Phase
from backcoach.ui.access import coach_of
from backcoach.ui.messages import FinishSession, LeaveSession, SaveFailed, SetSaved, SetUndone
from backcoach.ui.screens.dialogs import (
    ChooseModal,
    ConfirmModal,
    LeaveSetModal,
    StopModal,
    SymptomModal,
)
from backcoach.ui.widgets.hold_timer import HoldTimer
from backcoach.ui.widgets.key_footer import KeyFooter
from backcoach.ui.widgets.rep_counter import RepCounter

Meter = HoldTimer | RepCounter


def exercise_text(exercise: Exercise, dose: str) -> str:
    """Plain text of an exercise (shown literally: it comes from a program file)."""
    parts = [dose, "", exercise.summary] if exercise.summary else [dose]
    if exercise.steps:
        parts += ["", *[f"{n}. {step}" for n, step in enumerate(exercise.steps, 1)]]
    if exercise.cautions:
        parts += ["", *[f"! {c}" for c in exercise.cautions]]
    if exercise.illustration.strip("\n"):
        parts += ["", exercise.illustration.strip("\n")]
    return "\n".join(parts)


def make_meter(exercise: Exercise, clock: Any, reps: int | None) -> Meter:
    """The timer or counter that fits the exercise's dose (`reps`: today's target)."""
    dose = exercise.dose
    most = dose.reps_max if reps == dose.reps else None
    if reps and dose.hold_seconds:
        return RepCounter(reps, clock, hold=dose.hold_seconds, relax=dose.rest_seconds or 3,
                          most=most)
    if reps:
        return RepCounter(reps, clock, most=most)
    if dose.hold_seconds:
        label = "Relax" if exercise.position == "lying" else "Hold"
        return HoldTimer(dose.hold_seconds, clock, label=label, most=dose.hold_seconds_max)
    if dose.duration_minutes:
        return HoldTimer(dose.duration_minutes * 60, clock, label="Time", get_ready=3)
    return HoldTimer(None, clock, label="Time", get_ready=3)  # as long as you are able


class RunnerScreen(Screen[None]):
    HELP_TITLE = "Session"
    BINDINGS = [  # the footer fits 80 columns; c and esc: in the status line and help
        Binding("space", "primary", "Go/pause", tooltip="start / pause the timer, or count "
                "a rep"),
        Binding("enter", "end_set", "Done", tooltip="end this set now (saved: completed once "
                "the dose is reached, else partial)"),
        Binding("x", "stop", "STOP — this hurts", tooltip="STOP — this hurts: the set is "
                "saved as stopped at once, then you say why"),
        Binding("n", "next", "Next", tooltip="next exercise"),
        Binding("f", "finish", "Finish", tooltip="finish the session (pain after, a note)"),
        Binding("c", "choose", "Choose", show=False, tooltip="choose the next exercise"),
        Binding("u", "undo", "Undo", show=False, tooltip="undo the last set (it stays in your "
                "log marked void, and no longer counts)"),
        Binding("escape", "leave", "Leave", show=False, tooltip="leave the session "
                "(everything done is kept; a set going is asked about first)"),
    ]

    def __init__(self, state: SessionState, plan: Plan) -> None:
        super().__init__()
        self.state, self.plan = state, plan
        self.exercise: Exercise | None = None
        self.meter: Meter | None = None
        self.follow_up = False
        self.started_at: datetime | None = None
        self.saving = False
        #: where to go once the set being saved is saved (leave or finish)
        self.pending_exit: LeaveSession | FinishSession | None = None

    @property
    def coach(self) -> Coach:
        return coach_of(self.app)

    @property
    def set_going(self) -> bool:
        """A set was started and is not saved yet."""
        return self.meter is not None and self.started_at is not None and not self.saving

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", markup=False, id="exercise-title", classes="title")
        with VerticalScroll(id="instructions"):
            yield Static("", markup=False, id="exercise-text")
        yield Vertical(id="meter")
        yield Static("", markup=False, id="status", classes="panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        nxt = self.plan.next_action
        if nxt is not None:
            self.show_exercise(nxt)

    # --- showing an exercise ---------------------------------------------------------------
    def show_exercise(self, entry: ExercisePlan, notice: str = "") -> None:
        """Show an exercise the plan allows now, ready to start."""
        exercise = self.coach.program_exercise(entry.id)
        self.exercise, self.follow_up = exercise, entry.follow_up
        self.started_at = None
        number = f"{exercise.number}. " if exercise.number else ""
        self.query_one("#exercise-title", Static).update(f"{number}{exercise.title}")
        self.query_one("#exercise-text", Static).update(exercise_text(exercise, entry.dose))
        self._clear_meter()
        self.meter = make_meter(exercise, self.coach.clock, entry.reps_target)
        self.query_one("#meter", Vertical).mount(self.meter)
        self.say(notice or "Press space to start. x stops at any time · c choose another · "
                           "esc leave (what is done stays saved) · ? help")

    def _clear_meter(self) -> None:
        self.query_one("#meter", Vertical).remove_children()
        self.meter = None

    def say(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    # --- keys ------------------------------------------------------------------------------
    def action_primary(self) -> None:
        meter = self.meter
        if self.saving:
            return
        if meter is None:
            self.say(self._idle_text())
            return
        if self.started_at is None:
            self.started_at = self.coach.clock()
            self.say("Going. space pauses · enter ends the set · x stops (this hurts).")
        if isinstance(meter, HoldTimer):
            meter.toggle()
        else:
            meter.press()

    def _idle_text(self) -> str:
        if self.plan.phase != Phase.NON_ACUTE:
            return f"{self.plan.advice} Press f to finish the session."
        return "No set is going. n: next exercise · c: choose · f: finish."

    def action_end_set(self) -> None:
        if not self.set_going or self.meter is None:
            if not self.saving:
                self.say("No set is going: press space to start one, or f to finish.")
            return
        outcome = Outcome.COMPLETED if self.meter.dose_reached else Outcome.PARTIAL
        self.save(outcome)

    def action_stop(self) -> None:
        """Stop — this hurts: the set is saved as stopped at once; the reason comes after."""
        if not self.set_going or self.meter is None:
            if not self.saving:
                self.say("Nothing to stop: no set is going. If something hurts, rest, and "
                         "press f to finish or esc to leave.")
            return
        self.meter.pause()
        self.save(Outcome.STOPPED, stop_reason=STOP_PAIN)

    def on_hold_timer_finished(self, message: HoldTimer.Finished) -> None:
        if message.timer is self.meter and self.set_going:
            self.save(Outcome.COMPLETED)

    def on_rep_counter_completed(self, message: RepCounter.Completed) -> None:
        if message.counter is self.meter and self.set_going:
            self.save(Outcome.COMPLETED)

    def on_hold_timer_dose_reached(self, message: HoldTimer.DoseReached) -> None:
        self.say("Dose reached — go on if it feels right, or press enter to end the set.")

    def on_rep_counter_dose_reached(self, message: RepCounter.DoseReached) -> None:
        self.say("Dose reached — go on if it feels right, or press enter to end the set.")

    # --- saving (in a worker: the UI never freezes) -------------------------------------------
    def _amount(self) -> dict[str, int | None]:
        meter = self.meter
        if isinstance(meter, HoldTimer):
            return {"seconds": meter.held_seconds}
        if isinstance(meter, RepCounter):
            return {"reps": meter.count,
                    "seconds": (meter.count * meter.hold) if meter.hold else None}
        return {}

    def save(self, outcome: Outcome, stop_reason: str | None = None) -> None:
        if self.saving or self.exercise is None or self.started_at is None:
            return
        self.saving = True
        self.say("Saving…")
        self._save(self.exercise.id, outcome, self.started_at, self.follow_up, stop_reason,
                   self._amount())

    @work(thread=True, group="save", exit_on_error=False)
    def _save(self, exercise_id: str, outcome: Outcome, started_at: datetime, follow_up: bool,
              stop_reason: str | None, amount: dict[str, int | None]) -> None:
        try:
            result = self.coach.save_set(self.state, exercise_id, started_at, outcome=outcome,
                                         follow_up=follow_up, stop_reason=stop_reason, **amount)
        except (Refused, StorageError) as error:
            self.post_message(SaveFailed(str(error)))
            return
        self.post_message(SetSaved(result))

    def on_save_failed(self, message: SaveFailed) -> None:
        self.saving = False
        self.pending_exit = None
        self.say(f"Not saved: {message.reason}")

    def on_set_saved(self, message: SetSaved) -> None:
        result = message.result
        self.saving = False
        self.plan = result.plan
        self._clear_meter()  # the saved set is over: its timer cannot be resumed into a new set
        self.started_at = None
        record = result.record
        if self.pending_exit is not None:
            leaving, self.pending_exit = self.pending_exit, None
            self.post_message(leaving)
            return
        exercise = self.coach.program_exercise(record.exercise_id)
        if record.outcome == Outcome.STOPPED:
            self.app.push_screen(StopModal(), lambda reason: self._stop_reason(result, reason))
        elif record.outcome == Outcome.COMPLETED and exercise.asks_symptom_response:
            self.app.push_screen(SymptomModal(), lambda answer: self._symptom(result, answer))
        else:
            self.after_set(record.exercise_id, Outcome(record.outcome))

    def _stop_reason(self, result: SetResult, reason: str | None) -> None:
        if reason is None or reason == STOP_PAIN:  # escape: the saved reason stays
            self.after_set(result.record.exercise_id, Outcome.STOPPED)
            return
        self._update(result.set_id, result.record.exercise_id, Outcome.STOPPED, reason=reason)

    def _symptom(self, result: SetResult, answer: str | None) -> None:
        if answer is None:  # escape skips the answer, nothing else
            self.after_set(result.record.exercise_id, Outcome(result.record.outcome))
            return
        self._update(result.set_id, result.record.exercise_id, Outcome(result.record.outcome),
                     symptom=answer)

    @work(thread=True, group="save", exit_on_error=False)
    def _update(self, set_id: int, exercise_id: str, outcome: Outcome, *,
                reason: str | None = None, symptom: str | None = None) -> None:
        if reason is not None:
            plan = self.coach.set_stop_reason(self.state, set_id, reason)
        else:
            plan = self.coach.answer_symptom(self.state, set_id, symptom or "")
        self.app.call_from_thread(self.after_set, exercise_id, outcome, plan)

    def after_set(self, exercise_id: str, outcome: Outcome, plan: Plan | None = None) -> None:
        """What comes next, straight from the (new) plan."""
        if plan is not None:
            self.plan = plan
        saved = {Outcome.COMPLETED: "Set saved.", Outcome.PARTIAL: "Saved as a partial set.",
                 Outcome.STOPPED: "Stopped set saved."}[outcome]
        if self.plan.phase != Phase.NON_ACUTE:
            self.say(f"{saved} {self.plan.advice} Press f to finish the session.")
            return
        entry = self.plan.entry(exercise_id)
        if entry.stopped_for_today:
            saved += f" {entry.reason}"
        nxt = self.plan.next_action
        if self.plan.required_next is not None and nxt is not None:
            self.show_exercise(nxt, f"{saved} Next: {nxt.reason} Press space to start.")
            return
        nxt = self._suggested(exercise_id)
        if nxt is None:
            self.say(f"{saved} Nothing else is due now. Press f to finish the session.")
        else:
            self.say(f"{saved} Next: {nxt.title} — {nxt.reason} "
                     "n: do it · c: choose · f: finish")

    def _suggested(self, last: str | None = None) -> ExercisePlan | None:
        """Another set of the same exercise while its bout goes on, else the plan's next."""
        if last is not None:
            entry = self.plan.entry(last)
            if entry.can_start and entry.sets_left_in_bout:
                return entry
        nxt = self.plan.next_action
        return nxt if nxt is not None and nxt.can_start else None

    def action_next(self) -> None:
        if self.saving or self.set_going:
            if self.set_going:
                self.say("A set is going: enter ends it, x stops it.")
            return
        nxt = self._suggested(self.exercise.id if self.exercise else None)
        if nxt is None:
            self.say(self._idle_text() if self.plan.phase != Phase.NON_ACUTE else
                     "Nothing is available right now. Press f to finish the session.")
        else:
            self.show_exercise(nxt)

    def action_choose(self) -> None:
        if self.saving or self.set_going:
            if self.set_going:
                self.say("A set is going: enter ends it, x stops it.")
            return
        options = [(e.id, e.title) for e in self.plan.available]
        if not options or self.plan.phase != Phase.NON_ACUTE:
            self.say("Nothing is available right now. Press f to finish the session.")
            return
        self.app.push_screen(ChooseModal(options), self._chosen)

    def _chosen(self, choice: str | None) -> None:
        if choice is not None and not self.set_going:
            self.show_exercise(self.plan.entry(choice))

    # --- undo (the set stays in the log, marked void) ------------------------------------------
    def action_undo(self) -> None:
        if self.saving or self.set_going:
            if self.set_going:
                self.say("A set is going: enter ends it, x stops it; then u undoes it.")
            return
        if not self.state.done:
            self.say("No set of this session to undo.")
            return
        last = self.state.done[-1]
        title = self.coach.program_exercise_title(last.exercise_id)
        question = (f"Undo the last set ({title}, {last.outcome}, "
                    f"{last.ended_at.astimezone():%H:%M})? It stays in your log marked void "
                    "and no longer counts.")
        self.app.push_screen(ConfirmModal(question), self._undo_answer)

    def _undo_answer(self, answer: str | None) -> None:
        if answer == "yes" and not self.saving and not self.set_going and self.state.done:
            self.saving = True
            self._undo()

    @work(thread=True, group="save", exit_on_error=False)
    def _undo(self) -> None:
        try:
            record, plan = self.coach.undo_last_set(self.state)
        except (Refused, StorageError) as error:
            self.app.call_from_thread(self._undo_failed, str(error))
            return
        self.post_message(SetUndone(record.exercise_id, plan))

    def _undo_failed(self, reason: str) -> None:
        self.saving = False
        self.say(f"Not undone: {reason}")

    def on_set_undone(self, message: SetUndone) -> None:
        self.saving = False
        self.plan = message.plan
        title = self.coach.program_exercise_title(message.exercise_id)
        entry = self.plan.entry(message.exercise_id)
        if entry.can_start:
            self.show_exercise(entry, f"Undone: the {title} set no longer counts. "
                                      "Press space to do it again, or n, c, f.")
        else:
            self._clear_meter()
            self.say(f"Undone: the {title} set no longer counts. n: next · c: choose · "
                     "f: finish")

    def action_finish(self) -> None:
        self._close(FinishSession(self.state))

    def action_leave(self) -> None:
        """Leave mid-session: everything saved so far stays saved; a set going is kept."""
        self._close(LeaveSession(self.state))

    def _close(self, then: LeaveSession | FinishSession) -> None:
        """Finish or leave; with a set going, ask first (save it as done so far, or go on)."""
        if self.saving:
            return
        if self.set_going:
            self.app.push_screen(LeaveSetModal(), lambda answer: self._leave_answer(
                answer, then=then))
            return
        self.post_message(then)

    def _leave_answer(self, answer: str | None, then: LeaveSession | FinishSession) -> None:
        if answer == "stop":  # x stops the set here too, as everywhere
            self.action_stop()
            return
        if answer != "save" or not self.set_going or self.meter is None:
            return
        self.meter.pause()
        self.pending_exit = then
        self.save(Outcome.COMPLETED if self.meter.dose_reached else Outcome.PARTIAL)

    def acute_started(self, plan: Plan) -> None:
        """An acute episode began mid-session: keep what was done, offer nothing more."""
        if self.set_going and self.meter is not None:
            self.meter.pause()
            self.save(Outcome.COMPLETED if self.meter.dose_reached else Outcome.PARTIAL)
        self.plan = plan
        if not self.saving:
            self._clear_meter()
        self.say(f"{plan.advice} Press f to finish the session.")
