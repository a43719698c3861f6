"""A throwaway clinic on the test PostgreSQL server: a database set up with `clinic init`,
and login roles for patients and a physiotherapist, all dropped afterwards.

Roles are the server's, not the database's: every name made here carries a random suffix,
so tests running side by side never meet.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from tests.helpers import postgres


@dataclass
class TestClinic:
    url: str  # the owner's URL (whoever ran `clinic init`)
    roles: list[str] = field(default_factory=list)

    def role_url(self, role: str, password: str) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.url).set(username=role, password=password).render_as_string(
            hide_password=False)

    def add_patient(self, prefix: str = "p", name: str = "A Patient") -> tuple[str, str]:
        """A patient added by the app's own `Practice.add_patient`, with a password set;
        (their id, the URL they connect with)."""
        from backcoach.clock import FixedClock, system_now
        from backcoach.coach.practice import Practice

        patient_id = f"{prefix}-{uuid.uuid4().hex[:8]}"
        practice = Practice.open(self.url, FixedClock(system_now()))
        try:
            practice.add_patient(patient_id, name)
        finally:
            practice.close()
        self.roles.append(patient_id)
        self._admin(f"ALTER ROLE \"{patient_id}\" PASSWORD 'secret'")
        return patient_id, self.role_url(patient_id, "secret")

    def add_physio(self) -> str:
        """A physiotherapist's login (a member of backcoach_physio); the URL they use."""
        name = f"physio-{uuid.uuid4().hex[:8]}"
        self._admin(f"CREATE ROLE \"{name}\" LOGIN PASSWORD 'secret' IN ROLE backcoach_physio")
        self.roles.append(name)
        return self.role_url(name, "secret")

    def _admin(self, statement: str) -> None:
        with postgres._admin() as conn:
            conn.exec_driver_sql(statement)

    def drop(self) -> None:
        postgres.drop_database(self.url)
        for role in self.roles:
            self._admin(f'DROP ROLE IF EXISTS "{role}"')


def make_clinic() -> TestClinic:
    """A new database, set up as a clinic by the app's own `Practice.init`."""
    from backcoach.clock import FixedClock, system_now
    from backcoach.coach.practice import Practice

    clinic = TestClinic(postgres.create_database())
    practice = Practice.open(clinic.url, FixedClock(system_now()))
    try:
        practice.init()
    finally:
        practice.close()
    return clinic
