"""A clinic on PostgreSQL: roles, row-level security, patients and assigned programs.

Every patient is a login role (named by their id) in the group `backcoach_patient`; the
physiotherapists' group `backcoach_physio` is a member of every patient role, so it may act
as one (`Database.as_role`). On every table holding a patient's rows, PostgreSQL's own
policies show a patient role only the rows whose `patient_id` is that role, and accept only
such rows; the physiotherapists see all. Log rows are never deleted: a patient has no
DELETE on them (an entry made by mistake is voided).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, or_, select, text

from backcoach.storage.errors import StorageError
from backcoach.storage.schema import (
    ACUTE,
    ASSIGNMENTS,
    DAY_TABLES,
    FLAGS,
    PATIENT_TABLES,
    PATIENTS,
    SESSIONS,
    SETTINGS,
)

PHYSIO = "backcoach_physio"
PATIENT = "backcoach_patient"
PATIENT_ID = re.compile(r"[a-z][a-z0-9_-]{0,62}\Z")
#: the connected role as text in the columns' collation: compared with `name`'s own "C"
#: collation, an index on patient_id could not serve the policy (a scan of every patient)
ME = """(current_user::text COLLATE "default")"""
#: indexes for one patient's reads on a shared server (PostgreSQL only: a file holds one
#: patient): table → the columns after patient_id, as the history and plan read them
PATIENT_INDEXES: dict[str, tuple[tuple[str, ...], ...]] = {
    "session": (("started_at",),),
    "exercise_set": (("ended_at",), ("exercise_id", "outcome", "ended_at"), ("local_day",)),
    "pain_score": (("at",), ("local_day",)),
    "acute_episode": (("started_at",),),
    "red_flag_check": (("at",),),
    "psfs_rating": (("at",),),
    "day_pain": (("day",),),
    "day_pairs": (("day",),),
    "day_exercise": (("day",),),
}
RESERVED = ("pg_", "backcoach_")


@dataclass(frozen=True)
class PatientRecord:
    id: str
    name: str
    added_at: datetime
    program: str | None  # the assigned program's id and version, None: none assigned
    last_session: datetime | None


@dataclass(frozen=True)
class Alert:
    """What needs a clinician now, read for every patient at once (the physio's view)."""

    safety_check_at: datetime | None = None  # the latest check was positive, at this time
    acute_since: datetime | None = None  # an acute episode open since


@dataclass(frozen=True)
class Assignment:
    program_id: str
    version: str
    content_hash: str
    text: str
    assigned_at: datetime


def check_patient_id(patient_id: str) -> None:
    """A patient id is also a PostgreSQL role name: lower-case letters, digits, '_' and
    '-', starting with a letter, at most 63 characters."""
    if not PATIENT_ID.match(patient_id) or patient_id.startswith(RESERVED):
        raise StorageError(f"'{patient_id}' cannot be a patient id: use 1-63 lower-case letters, "
                           "digits, '_' or '-', starting with a letter (not 'pg_' or "
                           "'backcoach_')")


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def require_server(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        raise StorageError("a clinic keeps its patients on PostgreSQL: give --db "
                           "postgresql+psycopg://USER@HOST/DATABASE")


def is_clinic(conn: Connection) -> bool:
    """True once `clinic init` has put row-level security on the log."""
    if conn.dialect.name != "postgresql":
        return False
    return bool(conn.execute(text(
        "SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass('exercise_set')"))
        .scalar())


def is_patient(conn: Connection) -> bool:
    """True when the connection acts as one of the clinic's patients."""
    return bool(conn.execute(select(func.count()).select_from(PATIENTS).where(
        PATIENTS.c.id == func.current_user())).scalar())


def _role_exists(conn: Connection, name: str) -> bool:
    return bool(conn.execute(text("SELECT count(*) FROM pg_roles WHERE rolname = :name"),
                             {"name": name}).scalar())


def init(conn: Connection) -> None:
    """Roles, privileges and policies (again: brings them up to date, changes no row)."""
    require_server(conn)
    for role in (PHYSIO, PATIENT):
        if not _role_exists(conn, role):
            conn.execute(text(f"CREATE ROLE {role} NOLOGIN"))
    superuser = conn.execute(text(
        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar()
    if not superuser:  # whoever sets the clinic up may act for its physiotherapists
        conn.execute(text(f"GRANT {PHYSIO} TO CURRENT_USER"))
    schema = _quote(conn, str(conn.execute(text("SELECT current_schema()")).scalar()))
    conn.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {PHYSIO}, {PATIENT}"))
    conn.execute(text(f"GRANT SELECT ON alembic_version TO {PHYSIO}, {PATIENT}"))
    conn.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {PHYSIO}, {PATIENT}"))
    for table in PATIENT_TABLES:
        conn.execute(text(f"GRANT SELECT, INSERT, UPDATE ON {table.name} TO {PHYSIO}, {PATIENT}"))
    for table in (*DAY_TABLES, SETTINGS):  # derived figures and preferences are replaced
        conn.execute(text(f"GRANT DELETE ON {table.name} TO {PHYSIO}, {PATIENT}"))
    for table in (PATIENTS, ASSIGNMENTS):
        conn.execute(text(f"GRANT SELECT ON {table.name} TO {PATIENT}"))
        conn.execute(text(f"GRANT SELECT, INSERT, UPDATE ON {table.name} TO {PHYSIO}"))
    owner = {PATIENTS.name: "id"}
    for table in (*PATIENT_TABLES, PATIENTS, ASSIGNMENTS):
        column = owner.get(table.name, "patient_id")
        conn.execute(text(f"ALTER TABLE {table.name} ENABLE ROW LEVEL SECURITY"))
        for policy in ("own_rows", "physio_rows"):
            conn.execute(text(f"DROP POLICY IF EXISTS {policy} ON {table.name}"))
        conn.execute(text(f"CREATE POLICY own_rows ON {table.name} TO {PATIENT} "
                          f"USING ({column} = {ME}) WITH CHECK ({column} = {ME})"))
        conn.execute(text(f"CREATE POLICY physio_rows ON {table.name} TO {PHYSIO} "
                          "USING (true) WITH CHECK (true)"))
    for name, indexes in PATIENT_INDEXES.items():
        for columns in indexes:
            conn.execute(text(f"CREATE INDEX IF NOT EXISTS ix_{name}_patient_{'_'.join(columns)} "
                              f"ON {name} (patient_id, {', '.join(columns)})"))


def require_clinic(conn: Connection) -> None:
    require_server(conn)
    if not is_clinic(conn):
        raise StorageError("this database is not set up as a clinic yet: run "
                           "backcoach clinic init --db URL (as its owner)")


def add_patient(conn: Connection, patient_id: str, name: str, now: datetime) -> None:
    """The patient's row and login role (no password: the server's pg_hba.conf decides
    how they sign in)."""
    check_patient_id(patient_id)
    require_clinic(conn)
    if conn.execute(select(PATIENTS.c.id).where(PATIENTS.c.id == patient_id)).first():
        raise StorageError(f"'{patient_id}' is already a patient of this clinic")
    if _role_exists(conn, patient_id):
        raise StorageError(f"the server already has a role named '{patient_id}'; choose "
                           "another patient id")
    role = _quote(conn, patient_id)
    conn.execute(text(f"CREATE ROLE {role} LOGIN IN ROLE {PATIENT}"))
    conn.execute(text(f"GRANT {role} TO {PHYSIO}"))
    conn.execute(PATIENTS.insert().values(id=patient_id, name=name, added_at=now))


def patient_ids(conn: Connection) -> list[str]:
    return list(conn.execute(select(PATIENTS.c.id).order_by(PATIENTS.c.id)).scalars())


def require_patient(conn: Connection, patient_id: str) -> None:
    if not conn.execute(select(PATIENTS.c.id).where(PATIENTS.c.id == patient_id)).first():
        raise StorageError(f"no patient '{patient_id}' in this clinic "
                           "(backcoach clinic patients lists them)")


def patients(conn: Connection) -> list[PatientRecord]:
    """Every patient the connection may see, by id: assigned program, last session."""
    last = (select(SESSIONS.c.patient_id, func.max(SESSIONS.c.started_at).label("last"))
            .group_by(SESSIONS.c.patient_id).subquery())
    rows = conn.execute(
        select(PATIENTS.c.id, PATIENTS.c.name, PATIENTS.c.added_at, ASSIGNMENTS.c.program_id,
               ASSIGNMENTS.c.version, last.c.last)
        .select_from(PATIENTS.outerjoin(ASSIGNMENTS, ASSIGNMENTS.c.patient_id == PATIENTS.c.id)
                     .outerjoin(last, last.c.patient_id == PATIENTS.c.id))
        .order_by(PATIENTS.c.id))
    return [PatientRecord(r.id, r.name, r.added_at,
                          f"{r.program_id} {r.version}" if r.program_id else None,
                          r.last)
            for r in rows]


def assign(conn: Connection, patient_id: str, assignment: Assignment) -> None:
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    require_patient(conn, patient_id)
    values = {"patient_id": patient_id, "program_id": assignment.program_id,
              "version": assignment.version, "content_hash": assignment.content_hash,
              "text": assignment.text, "assigned_at": assignment.assigned_at}
    statement = pg_insert(ASSIGNMENTS).values(**values)
    conn.execute(statement.on_conflict_do_update(
        index_elements=[ASSIGNMENTS.c.patient_id],
        set_={k: statement.excluded[k] for k in values if k != "patient_id"}))


def assignment(conn: Connection) -> Assignment | None:
    """The program assigned to the patient the connection acts as (None: none, or not on a
    clinic's server)."""
    if conn.dialect.name != "postgresql":
        return None
    row = conn.execute(select(ASSIGNMENTS).where(
        ASSIGNMENTS.c.patient_id == func.current_user())).first()
    if row is None:
        return None
    return Assignment(row.program_id, row.version, row.content_hash, row.text, row.assigned_at)



def alerts(conn: Connection, now: datetime) -> dict[str, Alert]:
    """Patients whose latest safety check (up to `now`) was positive, or with an acute
    episode open at `now`: two grouped reads over the whole clinic."""
    ranked = (select(FLAGS.c.patient_id, FLAGS.c.at, FLAGS.c.positive,
                     func.row_number().over(partition_by=FLAGS.c.patient_id,
                                            order_by=(FLAGS.c.at.desc(), FLAGS.c.id.desc()))
                     .label("newest"))
              .where(FLAGS.c.at <= now).subquery())
    latest = select(ranked.c.patient_id, ranked.c.at, ranked.c.positive).where(
        ranked.c.newest == 1, ranked.c.positive)
    found = {row.patient_id: Alert(safety_check_at=row.at) for row in conn.execute(latest)}
    acute = (select(ACUTE.c.patient_id, func.max(ACUTE.c.started_at).label("since"))
             .where(ACUTE.c.started_at <= now,
                    or_(ACUTE.c.ended_at.is_(None), ACUTE.c.ended_at > now))
             .group_by(ACUTE.c.patient_id))
    for row in conn.execute(acute):
        earlier = found.get(row.patient_id, Alert())
        found[row.patient_id] = Alert(earlier.safety_check_at, row.since)
    return found
