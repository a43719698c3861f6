"""Plain data the use cases hand back: the open session, a saved set, the acute state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from backcoach.domain.engine import Plan
from backcoach.domain.history import CheckIn, SetRecord


@dataclass
class SessionState:
    """The open guided session, as the app sees it."""

    id: int
    checkin: CheckIn
    pain_before: int | None
    started_at: datetime
    program_id: str
    done: list[SetRecord] = field(default_factory=list)
    set_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class SetResult:
    """A set that was committed, and the plan right after it."""

    set_id: int
    record: SetRecord
    plan: Plan


@dataclass(frozen=True)
class Logged:
    """What `log_set` wrote (from the command line)."""

    set_id: int
    session_id: int
    follow_up: bool


@dataclass(frozen=True)
class AcuteState:
    """Why today is acute (if it is), in one sentence, and how to leave it."""

    episode_since: datetime | None
    pain: int | None
    threshold: int | None
    reason: str

    @property
    def acute(self) -> bool:
        return bool(self.reason)
