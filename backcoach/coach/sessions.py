"""Use cases of a session: start, sets (completed, partial, stopped), symptoms, finish; and
the command line's `log`, which joins or starts a session by the program's session gap."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from backcoach.coach.errors import Refused
from backcoach.coach.parts import CoachParts
from backcoach.coach.state import Logged, SessionState, SetResult
from backcoach.domain.engine import ExercisePlan, Plan, build_plan
from backcoach.domain.history import CheckIn, History, SetRecord
from backcoach.domain.status import Outcome, Phase

if TYPE_CHECKING:
    from backcoach.domain.program import Program
    from backcoach.storage.repository import LogWriter

NO_SESSION = 0  # a session id no set has: "a new session, nothing done in it yet"


def refusal(plan: Plan) -> str:
    """Why nothing can be started under `plan`, in one sentence."""
    if plan.phase != Phase.NON_ACUTE:
        return plan.advice or "No exercise can be started now."
    due = plan.next_due
    when = f" The next set is due at {due.astimezone():%H:%M}." if due else ""
    return "Nothing is due right now." + when


class SessionActions(CoachParts):
    """Mixed into Coach: the guided session and the command line's log."""

    def _checked(self, log: LogWriter, program: Program, exercise_id: str, at: datetime,
                 session_id: int | None, checkin: CheckIn | None,
                 reps: int | None = None) -> tuple[History, ExercisePlan]:
        """The history and plan entry at `at`, read inside the write transaction; Refused
        unless the exercise may start then."""
        if not program.has(exercise_id):
            raise Refused(f"{exercise_id} is not an exercise of the program {program.id}")
        history = log.history(program, at, session_id)
        plan = build_plan(program, history, at, checkin, self.tz)
        entry = plan.entry(exercise_id)
        if not entry.can_start:
            raise Refused(entry.reason)
        progression = program.exercise(exercise_id).progression
        if reps is not None and progression is not None and entry.reps_target is not None \
                and reps > entry.reps_target:
            raise Refused(f"{entry.title}: {reps} reps is more than today's {entry.reps_target} "
                          f"a set (never above {progression.ceiling}); build up gradually.")
        return history, entry

    # --- the guided session ----------------------------------------------------------------
    def start_session(self, pain: int | None, acute: bool,
                      cannot_lie_down: bool) -> tuple[SessionState, Plan]:
        """Check in and open a session; Refused (with the reason) if nothing can start.

        The check-in's pain score is recorded either way: the patient gave it.
        """
        program = self._program()
        now = self.clock()
        checkin = CheckIn(pain, cannot_lie_down)
        with self.repo.writing() as log:
            if acute and log.open_acute_row(now) is None:
                log.start_acute(now)
            plan = build_plan(program, log.history(program, now, NO_SESSION), now, checkin,
                              self.tz)
            if plan.phase != Phase.NON_ACUTE or plan.next_action is None:
                if pain is not None:
                    log.insert_pain(pain, now, "standalone")
                refused = refusal(plan)
            else:
                refused = ""
                session_id = log.new_session(program, now, "tui")
                if pain is not None:
                    log.insert_pain(pain, now, "before", session_id)
        if refused:
            raise Refused(refused)
        state = SessionState(session_id, checkin, pain, now, program.id)
        return state, self.plan(state)

    def save_set(self, state: SessionState, exercise_id: str, started_at: datetime, *,
                 outcome: Outcome = Outcome.COMPLETED, reps: int | None = None,
                 seconds: int | None = None, stop_reason: str | None = None,
                 follow_up: bool = False) -> SetResult:
        """Commit one set the moment it ends.

        A stopped or partial set is always saved (it happened). A completed set is
        re-checked against the rules at its start, inside the write transaction.
        """
        program = self._program()
        if program.id != state.program_id:
            raise Refused("The program changed during this session; the set was not saved.")
        now = self.clock()
        with self.repo.writing() as log:
            if outcome == Outcome.COMPLETED:
                _, entry = self._checked(log, program, exercise_id, started_at, state.id,
                                         state.checkin)
                follow_up = entry.follow_up
            record = SetRecord(exercise_id, now, Outcome(outcome), follow_up, stop_reason,
                               session_id=state.id, reps=reps, seconds=seconds)
            set_id = log.insert_set(program, state.id, record, started_at)
        state.done.append(record)
        state.set_ids.append(set_id)
        return SetResult(set_id, record, self.plan(state))

    def set_stop_reason(self, state: SessionState, set_id: int, reason: str) -> Plan:
        """Say why a stopped set was stopped (asked after it was saved)."""
        with self.repo.writing() as log:
            log.update_set(set_id, stop_reason=reason)
        self._update_done(state, set_id, stop_reason=reason)
        return self.plan(state)

    def answer_symptom(self, state: SessionState, set_id: int, answer: str) -> Plan:
        """Where the pain is now compared with before the set; the plan that follows."""
        with self.repo.writing() as log:
            log.update_set(set_id, symptom=answer)
        self._update_done(state, set_id, symptom=answer)
        return self.plan(state)

    def _update_done(self, state: SessionState, set_id: int, **changes: str) -> None:
        if set_id in state.set_ids:
            index = state.set_ids.index(set_id)
            state.done[index] = replace(state.done[index], **changes)  # type: ignore[arg-type]

    def leave_session(self, state: SessionState) -> None:
        """Close a session left mid-way; every set already saved stays saved."""
        with self.repo.writing() as log:
            log.end_session(state.id, self.clock(), None)

    def finish_session(self, state: SessionState, pain: int | None, note: str) -> Plan:
        now = self.clock()
        with self.repo.writing() as log:
            if pain is not None:
                log.insert_pain(pain, now, "after", state.id)
            log.end_session(state.id, now, note.strip() or None)
        return self.today_plan()

    # --- the command line ---------------------------------------------------------------------
    def log_set(self, exercise_id: str, *, reps: int | None = None,
                seconds: int | None = None, pain: int | None = None) -> Logged:
        """Record a completed set now, if the rules allow it (else Refused).

        The check and the write share one BEGIN IMMEDIATE transaction, so two
        processes cannot both pass a daily cap.
        """
        program = self._program()
        now = self.clock()
        with self.repo.writing() as log:
            history, entry = self._checked(log, program, exercise_id, now, None, None, reps)
            session = history.session
            if session and session[-1].session_id is not None:
                session_id = session[-1].session_id
            else:
                session_id = log.new_session(program, now, "cli")
            record = SetRecord(exercise_id, now, Outcome.COMPLETED, follow_up=entry.follow_up,
                               reps=reps, seconds=seconds)
            set_id = log.insert_set(program, session_id, record)
            if pain is not None:
                log.insert_pain(pain, now, "after", session_id)
        return Logged(set_id, session_id, entry.follow_up)
