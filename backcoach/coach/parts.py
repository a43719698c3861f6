"""What the Coach's mixins share: its state and the few methods each may call."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backcoach.clock import Clock
    from backcoach.coach.state import SessionState
    from backcoach.domain.engine import Plan
    from backcoach.domain.program import Program
    from backcoach.domain.psfs import Assessment
    from backcoach.storage.repository import Repository


class CoachParts:
    """The attributes and methods `Coach` provides to its mixins (sessions, records,
    corrections)."""

    repo: Repository
    clock: Clock
    tz: tzinfo | None

    def _program(self) -> Program:
        raise NotImplementedError

    def psfs_history(self) -> list[Assessment]:
        raise NotImplementedError

    def plan(self, session: SessionState | None = None, at: datetime | None = None) -> Plan:
        raise NotImplementedError

    def today_plan(self) -> Plan:
        raise NotImplementedError

    def program_exercise_title(self, exercise_id: str) -> str:
        raise NotImplementedError
