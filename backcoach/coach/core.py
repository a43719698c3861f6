"""The coach: every action a patient can take, for the app and the command line alike.

It holds the clock, the catalog of programs and the repository; it runs the pure rules
engine over the history the repository reads, and writes what happened. Every write
that the rules govern re-checks them inside the same write transaction.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from backcoach.clock import Clock
from backcoach.coach import preview
from backcoach.coach.corrections import CorrectionActions
from backcoach.coach.errors import ProgramInvalid, Refused
from backcoach.coach.psfs import PsfsActions
from backcoach.coach.records import RecordActions
from backcoach.coach.reminders import LAST_REMINDER, NextDue, next_due, reminder_key
from backcoach.coach.sessions import SessionActions
from backcoach.coach.state import AcuteState, SessionState
from backcoach.domain.engine import Plan, build_plan
from backcoach.domain.history import CheckIn, History
from backcoach.domain.program import Exercise, Program
from backcoach.domain.rules import clock_text
from backcoach.domain.safety import SafetyOutcome, assess
from backcoach.domain.status import Phase
from backcoach.programs.catalog import Catalog
from backcoach.storage.repository import Repository

if TYPE_CHECKING:
    from backcoach.storage.database import Database

THEME = "theme"  # the setting that keeps the app's colour theme


class Coach(SessionActions, RecordActions, CorrectionActions, PsfsActions):
    """Storage + programs + clock, behind one method per user action."""

    def __init__(self, repo: Repository, catalog: Catalog, clock: Clock,
                 program: Program | None, program_error: Exception | None = None,
                 tz: tzinfo | None = None) -> None:
        self.repo = repo
        self.catalog = catalog
        self.clock = clock
        self.program = program
        #: why the chosen program could not be loaded (LookupError or ProgramInvalid)
        self.program_error = program_error
        self.tz = tz
        #: the program was assigned by the patient's physiotherapist (a clinic): not changed here
        self.assigned = False
        #: the program as chosen (id or path), and what `open` was given (for `preview.py`)
        self.choice: str | None = None
        self.opened_with: tuple[str | None, Path | None] | None = None
        self._kept: tuple[preview.FileIdentity, date] | None = None  # the last snapshot kept

    @classmethod
    def open(cls, db: str | Path | None, clock: Clock, program: str | None = None,
             extra_programs: Path | None = None, default_program: str | None = None,
             tz: tzinfo | None = None) -> Coach:
        """Open (create, upgrade) the database and load the chosen program.

        The program is `program`, else the one chosen earlier, else `default_program`;
        if it cannot be loaded, `program` is None and `program_error` says why.
        Raises StorageError when the database cannot be used.
        """
        from backcoach.paths import database_target
        from backcoach.storage.database import open_database

        target = db if isinstance(db, Path) else database_target(db)
        database = open_database(target)
        try:
            coach = cls.on(database, clock, Catalog.default(extra_programs), program,
                           default_program, tz)
            coach.opened_with = (program, extra_programs)
            return coach
        except BaseException:
            database.close()
            raise

    @classmethod
    def on(cls, database: Database, clock: Clock, catalog: Catalog, program: str | None = None,
           default_program: str | None = None, tz: tzinfo | None = None) -> Coach:
        """The coach of an open database (see `open`). On a clinic's server the log must be
        the connected patient's own, and the program their physiotherapist assigned wins."""
        repo = Repository(database, tz)
        assigned = repo.check_own_log()
        choice = program or repo.setting("program") or default_program
        loaded, error = None, None
        try:
            if assigned is not None:
                loaded = catalog.load_assigned(assigned.program_id, assigned.text,
                                               assigned.content_hash)
            elif choice:
                loaded = catalog.load(choice)
        except (LookupError, ProgramInvalid) as problem:
            error = problem
        coach = cls(repo, catalog, clock, loaded, error, tz)
        coach.assigned = assigned is not None
        coach.choice = choice if assigned is None else None
        return coach

    def close(self) -> None:
        path = self._previewed_file()
        before = preview.files_identity(path) if path else None
        self.repo.db.close()
        if path and before:
            preview.rekey(path, before, preview.files_identity(path))

    def _previewed_file(self) -> Path | None:
        """The SQLite file whose today's plan is kept for the app's next start, if any."""
        if self.opened_with is None or self.tz is not None or self.choice is None:
            return None
        return self.repo.db.path

    def _program(self) -> Program:
        if self.program is None:
            raise Refused("no program is chosen yet: choose one first")
        return self.program

    def program_exercise(self, exercise_id: str) -> Exercise:
        """An exercise of the active program (KeyError if it has none)."""
        return self._program().exercise(exercise_id)

    def program_exercise_title(self, exercise_id: str) -> str:
        return self.program.title_of(exercise_id) if self.program else exercise_id

    # --- first run and programs -----------------------------------------------------------
    @property
    def needs_welcome(self) -> bool:
        return self.repo.setting("welcome_done") != "1"

    def finish_welcome(self) -> None:
        self.repo.set_setting("welcome_done", "1")

    def program_choices(self) -> list[tuple[str, str]]:
        """(id, title) of every program the catalog can load."""
        out = []
        for program_id in self.catalog.ids():
            try:
                out.append((program_id, self.catalog.load(program_id).title))
            except (LookupError, ProgramInvalid):
                continue
        return out

    def choose_program(self, choice: str, session: SessionState | None = None) -> Program:
        """Load by id or path and remember it. Refused while a session is open (its sets
        belong to the program it started with); ProgramInvalid / LookupError if unusable."""
        if session is not None:
            raise Refused("Finish or leave the session before changing the program.")
        if self.assigned and self.program is not None:
            raise Refused(f"Your physiotherapist assigned {self.program.title}; ask them to "
                          "change it.")
        program = self.catalog.load(choice)
        stored = str(Path(choice).resolve()) if choice.endswith(".toml") else program.id
        self.repo.set_setting("program", stored)
        if self.opened_with is None or self.opened_with[0] is None:
            self.choice = stored  # what the next open loads (there, a given program wins)
        self.program = program
        self.program_error = None
        return program

    # --- the app's look ------------------------------------------------------------------------
    def theme(self) -> str | None:
        """The colour theme chosen last time (None: never chosen)."""
        return self.repo.setting(THEME)

    def remember_theme(self, name: str) -> None:
        """Keep the chosen colour theme for the next run (in the private database)."""
        if self.repo.setting(THEME) != name:
            self.repo.set_setting(THEME, name)

    # --- plan, safety, pain, acute ------------------------------------------------------------
    def today_plan(self) -> Plan:
        """The plan as a new guided session would start it: what Today shows and `s` starts.
        From an SQLite file, what it was worked out from is kept for the app's next start
        (`preview.py`)."""
        from backcoach.coach.sessions import NO_SESSION

        now, program = self.clock(), self._program()
        path = self._previewed_file()
        files = preview.files_identity(path) if path else None
        history = self.repo.history(program, now, NO_SESSION)  # after the files' identity
        if path and files:
            self._keep_preview(path, files, program, history, now)
        return build_plan(program, history, now, None, self.tz)

    def _keep_preview(self, path: Path, files: preview.FileIdentity, program: Program,
                      history: History, now: datetime) -> None:
        """Keep what today's plan was worked out from, unless the snapshot this coach kept
        earlier today still holds (nothing written since: it holds from an earlier time)."""
        assert self.opened_with is not None and self.choice is not None  # _previewed_file
        day = now.astimezone().date()
        if self._kept == (files, day):
            return
        latest = self.repo.latest_time()
        if (latest is not None and latest > now) or self.needs_welcome:
            return
        snapshot = preview.Snapshot(files, preview.opened_with(*self.opened_with), self.choice,
                                    program.content_hash, preview.zone(now), now, history,
                                    self.theme())
        if preview.keep(path, snapshot, program.acute_window):
            self._kept = (files, day)

    def plan(self, session: SessionState | None = None, at: datetime | None = None) -> Plan:
        """The rules engine's plan now (or `at`), within `session` if one is open (else the
        session the command line's sets form by the program's session gap)."""
        return self._plan_at(at or self.clock(), session.id if session else None,
                             session.checkin if session else None)

    def _plan_at(self, now: datetime, session_id: int | None, checkin: CheckIn | None) -> Plan:
        program = self._program()
        history = self.repo.history(program, now, session_id)
        return build_plan(program, history, now, checkin, self.tz)

    def next_due(self, new_session: bool = False) -> NextDue:
        """What becomes due next, and when (`backcoach next`); with `new_session`, as a new
        session would start (what a reminder should call the patient back for)."""
        return next_due(self.today_plan() if new_session else self.plan())

    def remind(self) -> NextDue | None:
        """Something is due now that was not reminded of before: remember it and return it;
        else None (a timer calls this; it stays silent most of the time)."""
        due = self.next_due(new_session=True)
        if due.exercise is None or due.at is None or due.at > self.clock():
            return None
        key = reminder_key(due)
        if self.repo.setting(LAST_REMINDER) == key:
            return None
        self.repo.set_setting(LAST_REMINDER, key)
        return due

    def record_safety(self, answers: dict[str, bool],
                      discuss: dict[str, bool] | None = None) -> SafetyOutcome:
        """Store a safety check (red flags, plus the features to discuss) and say what it means."""
        outcome = assess(answers, discuss)
        with self.repo.writing() as log:
            log.record_red_flags(self.clock(), {**answers, **(discuss or {})}, outcome.positive)
        return outcome

    def record_pain(self, score: int, context: str = "standalone",
                    session: SessionState | None = None) -> int:
        if not 0 <= score <= 10:
            raise Refused(f"pain must be between 0 and 10, not {score}")
        with self.repo.writing() as log:
            return log.insert_pain(score, self.clock(), context, session.id if session else None)

    def acute_state(self) -> AcuteState:
        """Why today is acute, in one sentence that also says how to leave it."""
        now = self.clock()
        since = self.repo.open_acute_episode(now)
        threshold = self.program.acute_pain_threshold if self.program else None
        latest = self.repo.latest_pain(now)
        pain = latest.score if latest else None
        if since is not None:
            return AcuteState(since, pain, threshold, (
                f"An acute episode is open since {clock_text(since, self.tz, now.date())}: "
                "rest; end it (a, or `backcoach acute end`) when the flare has passed."))
        if self.program is not None and self.plan().phase == Phase.ACUTE and latest:
            return AcuteState(None, pain, threshold, (
                f"Your pain score of {latest.score}/10 at "
                f"{clock_text(latest.at, self.tz, now.date())} is at this program's acute "
                f"level ({threshold}/10): rest. When it eases, record a lower pain score."))
        return AcuteState(None, pain, threshold, "")

    def start_acute(self) -> None:
        now = self.clock()
        with self.repo.writing() as log:
            row = log.open_acute_row(now)
            if row is not None:
                raise Refused("An acute episode is already open since "
                              f"{clock_text(row.started, self.tz, now.date())}.")
            log.start_acute(now)

    def end_acute(self) -> None:
        now = self.clock()
        with self.repo.writing() as log:
            row = log.open_acute_row(now)
            if row is not None:
                log.end_acute(row.id, now)
                return
        state = self.acute_state()
        raise Refused("There is no open acute episode to end." +
                      (f" {state.reason}" if state.reason else ""))
