"""DashboardApp: the physiotherapist's view of a clinic. First paint at once; the database
is opened and each patient's status computed in a thread worker, rows shown as they come.

`enter` opens a patient's History, the very screen their own app shows, with `coach` (what
`ui.access.coach_of` reads) set to that patient's Coach: acting as their PostgreSQL role,
it can read nobody else's rows.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.worker import Worker, get_current_worker

from backcoach.clock import Clock
from backcoach.coach.errors import ProgramInvalid, Refused, StorageError
from backcoach.ui.careful import CarefulApp
from backcoach.ui.clinic.messages import (
    OpenPatient,
    PracticeFailed,
    PracticeReady,
    StatusesReady,
    WriteReport,
)
from backcoach.ui.clinic.rows import rank
from backcoach.ui.clinic.screen import DashboardScreen
from backcoach.ui.keys import APP_BINDINGS

if TYPE_CHECKING:
    from backcoach.coach import Coach
    from backcoach.coach.practice import PatientRecord, PatientStatus, Practice

BATCH_SECONDS = 0.5  # full rows are sent at most this often (after the first look, at once)


class DashboardApp(CarefulApp):
    CSS_PATH = str(Path(__file__).resolve().parent.parent / "app.tcss")
    TITLE = "backcoach clinic"
    BINDINGS = APP_BINDINGS

    def __init__(self, target: str, clock: Clock, extra_programs: Path | None = None,
                 folder: Path | None = None) -> None:
        super().__init__()
        self.target, self.clock, self.extra_programs = target, clock, extra_programs
        self.folder = folder  # where reports are written (None: the current folder)
        self.sub_title = shown_target(target)
        self.practice: Practice | None = None
        self.coach: Coach | None = None  # the patient whose history is open (coach_of)
        self.failed = False
        self.dashboard = DashboardScreen()

    def on_mount(self) -> None:
        self.push_screen(self.dashboard)
        self.call_after_refresh(self.load)  # first frame before the heavy imports

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        """Open the practice; every patient's row at once with what needs a call now, then
        each row in full (the urgent ones first), sent in small batches."""
        from backcoach.coach.practice import Practice

        worker = get_current_worker()
        try:
            practice = self.practice or Practice.open(self.target, self.clock,
                                                      self.extra_programs)
            self.practice = practice
            records = practice.patients()
        except StorageError as error:
            self.post_message(PracticeFailed(str(error)))
            return
        self.post_message(PracticeReady(practice, practice.db.where, len(records)))
        try:
            first = practice.first_look(records)
        except StorageError as error:
            self.post_message(PracticeFailed(str(error)))
            return
        self.dashboard.post_message(StatusesReady(first, 0, len(records)))
        urgency = {status.id: rank(status) for status in first}
        records = sorted(records, key=lambda record: urgency[record.id])
        batch: list[PatientStatus] = []
        sent = time.monotonic() - BATCH_SECONDS
        for done, record in enumerate(records, 1):
            if worker.is_cancelled:
                return
            batch.append(self._status(practice, record))
            if time.monotonic() - sent >= BATCH_SECONDS or done == len(records):
                self.dashboard.post_message(StatusesReady(batch, done, len(records)))
                batch, sent = [], time.monotonic()
        if not records:
            self.dashboard.post_message(StatusesReady([], 0, 0))

    @staticmethod
    def _status(practice: Practice, record: PatientRecord) -> PatientStatus:
        """One patient's row; one that cannot be read says why (the others still load)."""
        from backcoach.coach.practice import PatientStatus

        try:
            return practice.status(record)
        except (StorageError, Refused, ProgramInvalid, LookupError) as error:
            return PatientStatus(record.id, record.name, record.program, record.last_session,
                                 None, None, None, None, (f"could not read their log: {error}",))

    def on_practice_ready(self, message: PracticeReady) -> None:
        self.dashboard.start(message.total, self.clock())

    def on_practice_failed(self, message: PracticeFailed) -> None:
        self.failed = True
        self.dashboard.show_failure(message.text)

    # --- one patient -------------------------------------------------------------------------
    @on(OpenPatient)
    def open_patient(self, message: OpenPatient) -> None:
        practice = self.practice
        if practice is None or self.screen is not self.dashboard:
            return
        self.run_worker(lambda: self._open(practice, message.patient_id), thread=True,
                        group="patient", exclusive=True, exit_on_error=False)

    def _open(self, practice: Practice, patient_id: str) -> None:
        coach = practice.patient_coach(patient_id)
        if coach.program is None:
            raise Refused(f"{patient_id} has no program assigned yet: backcoach clinic "
                          f"assign {patient_id} PROGRAM.toml")
        self.call_from_thread(self._show_history, coach)

    def _show_history(self, coach: Coach) -> None:
        from backcoach.ui.screens.history import HistoryScreen

        if self.screen is not self.dashboard:
            return  # the physio went elsewhere meanwhile
        self.coach = coach
        self.push_screen(HistoryScreen())

    @on(WriteReport)
    def write_report(self, message: WriteReport) -> None:
        practice = self.practice
        if practice is None:
            return
        name = f"backcoach-{message.patient_id}-{self.clock():%Y%m%d}.html"
        path = (self.folder or Path.cwd()) / name

        def job() -> None:
            written = practice.report(message.patient_id, path)
            self.call_from_thread(self.notify, f"Report written to {written}", markup=False)

        self.run_worker(job, thread=True, group="report", exit_on_error=False)

    # --- the rest: as in the patient's app ---------------------------------------------------
    def action_export(self) -> None:
        """History's `e`: export the open patient's log."""
        from backcoach.ui.screens.history import ExportModal

        if self.coach is not None and self.screen is not self.dashboard:
            self.push_screen(ExportModal())

    def action_help(self) -> None:
        from backcoach.ui.keys import help_sections
        from backcoach.ui.screens.dialogs import HelpModal

        if not isinstance(self.screen, HelpModal):
            self.push_screen(HelpModal(help_sections(self.screen)))


    @on(Worker.StateChanged)
    def worker_failed(self, event: Worker.StateChanged) -> None:
        """The one place a failed worker ends: a notification with its reason."""
        if not self.notify_failed_worker(event):
            return

    def on_unmount(self) -> None:
        if self.practice is not None:
            self.practice.close()


def shown_target(target: str) -> str:
    """The database as USER@HOST:PORT/NAME: no scheme, never the password."""
    from urllib.parse import urlsplit

    parts = urlsplit(target)
    host = parts.netloc.rsplit("@", 1)[-1]
    user = f"{parts.username}@" if parts.username else ""
    return f"{user}{host}{parts.path}"
