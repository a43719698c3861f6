"""The clinic's use cases, for `backcoach clinic` and its dashboard: set a practice up, add
patients, assign programs, file exports, and see how each patient is doing.

A patient's figures are read by the very Coach their own app uses, acting as their role
(`Database.as_role`): PostgreSQL's row-level security, not this code, keeps them to that
patient's rows. No Textual import here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from backcoach.clock import Clock
from backcoach.coach.errors import Refused
from backcoach.programs.catalog import Catalog
from backcoach.storage import clinic
from backcoach.storage.clinic import PatientRecord as PatientRecord  # the row it reads
from backcoach.storage.database import Database, StorageError, open_database

if TYPE_CHECKING:
    from backcoach.coach.core import Coach
    from backcoach.domain.trends import DayPain

FIRST_WEEK = 7  # days: the pain trend compares the first week of the log with the last


@dataclass(frozen=True)
class PatientStatus:
    """One dashboard row: how a patient is doing, and what needs a clinician's attention."""

    id: str
    name: str
    program: str | None  # the assigned program's title, None: none assigned
    last_session: datetime | None
    adherence_7: float | None  # percent of the prescribed sets done, None: nothing prescribed
    adherence_30: float | None
    pain_first_week: float | None  # mean daily pain, the first week of the log
    pain_last_week: float | None  # and the last 7 days
    flags: tuple[str, ...]  # in words, most urgent first
    urgent: bool = False  # a positive safety check: call now
    complete: bool = True  # False: a first look (alerts only), the figures still to come

    @property
    def needs_call(self) -> bool:
        return bool(self.flags)


def _mean(days: list[DayPain]) -> float | None:
    return round(sum(d.mean for d in days) / len(days), 1) if days else None


def pain_trend(pain: tuple[DayPain, ...], today: date) -> tuple[float | None, float | None]:
    """Mean pain in the first week of the log and in the last 7 days (pure)."""
    if not pain:
        return None, None
    first_end = pain[0].day + timedelta(days=FIRST_WEEK)
    last_start = today - timedelta(days=FIRST_WEEK - 1)
    return (_mean([d for d in pain if d.day < first_end]),
            _mean([d for d in pain if d.day >= last_start]))


class Practice:
    """A clinic's database, as its physiotherapist (or whoever set it up) connects to it."""

    def __init__(self, database: Database, clock: Clock, catalog: Catalog,
                 tz: tzinfo | None = None) -> None:
        self.db = database
        self.clock = clock
        self.catalog = catalog
        self.tz = tz

    @classmethod
    def open(cls, target: str, clock: Clock, extra_programs: Path | None = None,
             tz: tzinfo | None = None) -> Practice:
        """Open (creating or upgrading the schema) a PostgreSQL database; StorageError if it
        is not one or cannot be used."""
        from backcoach.storage.database import parse_target

        if isinstance(parse_target(target), Path):
            raise StorageError("a clinic keeps its patients on PostgreSQL: give --db "
                               "postgresql+psycopg://USER@HOST/DATABASE")
        return cls(open_database(target), clock, Catalog.default(extra_programs), tz)

    def close(self) -> None:
        self.db.close()

    # --- setting up ---------------------------------------------------------------------------
    def init(self) -> None:
        """Roles, privileges and row-level security (safe to run again)."""
        with self.db.write() as conn:
            clinic.init(conn)

    def add_patient(self, patient_id: str, name: str) -> str:
        """Add the patient and their login role; the URL they connect with (no password)."""
        from sqlalchemy.engine import URL

        name = name.strip()
        if not name or len(name) > 200 or not name.isprintable():
            raise Refused("--name: give the patient's name (1-200 printable characters)")
        with self.db.write() as conn:
            clinic.add_patient(conn, patient_id, name, self.clock())
        own = self.db.engine.url
        return URL.create("postgresql+psycopg", username=patient_id, host=own.host,
                          port=own.port, database=own.database
                          ).render_as_string(hide_password=False)

    def patients(self) -> list[PatientRecord]:
        with self.db.read() as conn:
            clinic.require_clinic(conn)
            return clinic.patients(conn)

    def assign(self, patient_id: str, path: Path) -> str:
        """Check the program file (ProgramInvalid lists every problem, as `check` does) and
        make it the patient's program; its title and version."""
        try:
            program = self.catalog.load(str(path))
        except LookupError as error:
            raise Refused(str(error.args[0])) from None
        text = program.source_text
        with self.db.write() as conn:
            clinic.require_clinic(conn)
            clinic.assign(conn, patient_id, clinic.Assignment(
                program.id, program.version, program.content_hash, text, self.clock()))
        return f"{program.title} {program.version}"

    def import_export(self, patient_id: str, path: Path) -> dict[str, int]:
        """File a patient's JSON export into their log: only rows not there yet are added."""
        from backcoach.coach.records import read_export
        from backcoach.storage.merge import merge_json

        text = read_export(path)
        self._require_patient(patient_id)
        return merge_json(self.db.as_role(patient_id), text, str(path), self.tz)

    # --- following patients -----------------------------------------------------------------
    def _require_patient(self, patient_id: str) -> None:
        with self.db.read() as conn:
            clinic.require_clinic(conn)
            clinic.require_patient(conn, patient_id)

    def patient_coach(self, patient_id: str) -> Coach:
        """The Coach of one patient's log, exactly as their own app sees it (their role)."""
        from backcoach.coach.core import Coach

        self._require_patient(patient_id)
        return Coach.on(self.db.as_role(patient_id), self.clock, self.catalog, tz=self.tz)

    def first_look(self, records: list[PatientRecord]) -> list[PatientStatus]:
        """Every patient's row at once, with what needs a call now (a positive safety check,
        an open acute episode) and no figures yet: the urgent ones, in a fraction of a
        second, before `status` computes each row in full."""
        with self.db.read() as conn:
            alerts = clinic.alerts(conn, self.clock())
        out = []
        for record in records:
            alert = alerts.get(record.id, clinic.Alert())
            flags = self._alert_flags(alert.safety_check_at, alert.acute_since)
            out.append(PatientStatus(record.id, record.name, record.program,
                                     record.last_session, None, None, None, None,
                                     tuple(flags), alert.safety_check_at is not None, False))
        return out

    def _alert_flags(self, safety_check_at: datetime | None, acute_since: datetime | None,
                     more: list[str] | None = None) -> list[str]:
        """Flags in words, the most urgent first."""
        flags = [f"positive safety check {self._day(safety_check_at)}: call now"] \
            if safety_check_at else []
        flags += more or []
        if acute_since is not None:
            flags.append(f"acute episode open since {self._day(acute_since)}")
        return flags

    def statuses(self) -> Iterator[PatientStatus]:
        """Every patient's dashboard row, one at a time (a caller may show them as they come)."""
        for record in self.patients():
            yield self.status(record)

    def status(self, record: PatientRecord) -> PatientStatus:
        """One patient's row, read as their role. The rules' view of the log is read once
        (the locked exercises, the last safety check, an open acute episode), and the three
        summaries (all, 7 and 30 days) use the same targets: `Coach.summaries`."""
        from backcoach.coach.core import Coach

        coach = Coach.on(self.db.as_role(record.id), self.clock, self.catalog, tz=self.tz)
        if coach.program is None:
            return PatientStatus(record.id, record.name, None, record.last_session, None, None,
                                 None, None, ("no program assigned yet",))
        program = coach.program
        history, (whole, week, month) = coach.summaries((None, 7, 30))
        first, last = pain_trend(whole.pain, whole.last_day)
        check = history.last_red_flag
        positive = check.at if check and check.positive else None
        flags = self._alert_flags(positive, history.acute_since, [
            self._flag(insight.kind) for insight in whole.insights
            if insight.kind in ("leg-symptoms", "not-easing")])
        urgent = positive is not None
        return PatientStatus(record.id, record.name, f"{program.title} {program.version}",
                             record.last_session, week.adherence_percent,
                             month.adherence_percent, first, last, tuple(flags), urgent)

    def _day(self, when: datetime) -> str:
        return when.astimezone(self.tz).strftime("%d %b")

    @staticmethod
    def _flag(kind: str) -> str:
        return {"leg-symptoms": "pain spreading down the leg",
                "not-easing": "pain not easing after a month"}[kind]

    def report(self, patient_id: str, path: Path, days: int | None = None) -> Path:
        """Write the patient's HTML report (0600, atomic); the path written."""
        from backcoach.paths import write_private_file

        coach = self.patient_coach(patient_id)
        if coach.program is None:
            raise Refused(f"{patient_id} has no program assigned yet: nothing to report")
        target = path.expanduser()
        write_private_file(target, coach.report_html(days))
        return target

