"""The coach: what the app asks of storage and the rules engine, in one place.

The TUI calls these methods from worker threads; it never sees SQL or a rule.
No Textual import here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from backcoach.clock import Clock
from backcoach.domain.engine import Plan
from backcoach.domain.history import COMPLETED, CheckIn, SetRecord
from backcoach.domain.program import Program
from backcoach.domain.safety import RED_FLAGS as SAFETY_QUESTIONS
from backcoach.domain.safety import SEEK_CARE_TEXT
from backcoach.paths import write_private_file
from backcoach.programs.catalog import Catalog

RED_FLAGS = tuple((q.key, q.text) for q in SAFETY_QUESTIONS)
SEEK_CARE = SEEK_CARE_TEXT


@dataclass
class SessionState:
    """The open session, as the runner sees it."""

    id: int
    checkin: CheckIn
    pain_before: int | None
    started_at: datetime
    done: list[SetRecord] = field(default_factory=list)


class Coach:
    """Storage + programs + clock, behind plain methods."""

    def __init__(self, db_path: Path, clock: Clock, program: str | None = None,
                 extra_programs: Path | None = None) -> None:
        from backcoach.storage.database import open_database
        from backcoach.storage.repository import Repository

        self.clock = clock
        self.catalog = Catalog.default(extra_programs)
        self.repo = Repository(open_database(db_path))
        chosen = program or self.repo.setting("program")
        self.program: Program | None = self._load(chosen) if chosen else None

    def _load(self, choice: str) -> Program | None:
        from backcoach.programs.errors import ProgramInvalid

        try:
            return self.catalog.load(choice)
        except (ProgramInvalid, LookupError):  # chosen again in the app
            return None

    # --- first run and programs -----------------------------------------------------------
    @property
    def needs_welcome(self) -> bool:
        return self.repo.setting("welcome_done") != "1"

    def finish_welcome(self) -> None:
        self.repo.set_setting("welcome_done", "1")

    def shipped_programs(self) -> list[tuple[str, str]]:
        out = []
        for program_id in self.catalog.ids():
            program = self._load(program_id)
            if program is not None:
                out.append((program_id, program.title))
        return out

    def choose_program(self, choice: str) -> Program:
        """Load by id or path (raises ProgramInvalid / LookupError) and remember it."""
        program = self.catalog.load(choice)
        self.repo.set_setting("program", str(Path(choice).resolve())
                              if choice.endswith(".toml") else choice)
        self.program = program
        return program

    # --- plan and safety ---------------------------------------------------------------------
    def plan(self, checkin: CheckIn | None = None, session_id: int | None = None) -> Plan:
        assert self.program is not None
        return self.repo.plan(self.program, self.clock(), checkin, session_id)

    def record_red_flags(self, answers: dict[str, bool]) -> bool:
        return self.repo.record_red_flags(self.clock(), answers)

    def acute_since(self) -> datetime | None:
        return self.repo.open_acute_episode(self.clock())

    def start_acute(self) -> None:
        self.repo.start_acute(self.clock())

    def end_acute(self) -> None:
        self.repo.end_acute(self.clock())

    # --- a session ---------------------------------------------------------------------------
    def start_session(self, pain: int | None, acute: bool, cannot_lie_down: bool) -> SessionState:
        assert self.program is not None
        now = self.clock()
        if acute and self.acute_since() is None:
            self.repo.start_acute(now)
        session_id = self.repo.start_session(self.program, now, "tui")
        if pain is not None:
            self.repo.record_pain(pain, now, "before", session_id)
        return SessionState(session_id, CheckIn(pain, cannot_lie_down), pain, now)

    def save_set(self, state: SessionState, exercise_id: str, started_at: datetime, *,
                 outcome: str = COMPLETED, reps: int | None = None,
                 seconds: int | None = None, stop_reason: str | None = None,
                 follow_up: bool = False) -> int:
        """Commit one set the moment it ends; returns its id."""
        assert self.program is not None
        record = SetRecord(exercise_id, self.clock(), outcome, follow_up, stop_reason,
                           session_id=state.id, reps=reps, seconds=seconds)
        set_id = self.repo.record_set(self.program, state.id, record, started_at)
        state.done.append(record)
        return set_id

    def set_symptom(self, state: SessionState, set_id: int, symptom: str) -> None:
        self.repo.set_symptom(set_id, symptom)
        if state.done:
            state.done[-1] = replace(state.done[-1], symptom=symptom)

    def leave_session(self, state: SessionState) -> None:
        """Close a session left mid-way; every set already saved stays saved."""
        self.repo.end_session(state.id, self.clock(), None)

    def export(self, kind: str, path: Path) -> Path:
        """Write an export file (0600) for the user to take elsewhere."""
        from backcoach.storage.exchange import EXPORTERS

        path = path.expanduser()
        write_private_file(path, EXPORTERS[kind](self.repo.db))
        return path

    def history(self, days: int | None):
        """The history view's aggregates (computed in SQL)."""
        from backcoach.domain.trends import daily_targets
        from backcoach.storage.queries import history_summary

        assert self.program is not None
        return history_summary(self.repo.db, self.clock().date(), days,
                               daily_targets(self.program))

    def history_details(self, days: int | None) -> dict:
        """Sessions, and acute episodes / red-flag checks for the timeline."""
        from backcoach.storage import queries

        return {"sessions": queries.recent_sessions(self.repo.db),
                "markers": queries.timeline_markers(self.repo.db, self.clock().date(), days)}

    def session_sets(self, session_id: int) -> list[tuple]:
        from backcoach.storage.queries import session_sets

        return session_sets(self.repo.db, session_id)

    def finish_session(self, state: SessionState, pain: int | None, note: str) -> Plan:
        now = self.clock()
        if pain is not None:
            self.repo.record_pain(pain, now, "after", state.id)
        self.repo.end_session(state.id, now, note.strip() or None)
        return self.plan()
