"""The words the engine and the log share: plan statuses, phases, set outcomes.

They are `StrEnum`s, so they compare equal to (and serialise as) the plain strings
that `plan --json`, the database and exports use.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where an exercise stands in the plan right now."""

    AVAILABLE = "available"
    BLOCKED = "blocked"
    LOCKED = "locked"
    DONE = "done"
    LATER = "later"


class Phase(StrEnum):
    """Whether anything may be done at all."""

    NON_ACUTE = "non-acute"
    ACUTE = "acute"
    RED_FLAG = "red-flag"
    SAFETY_CHECK = "safety-check"  # no safety check answered yet: answer it first


class Outcome(StrEnum):
    """How a set ended. Only completed sets count towards the day's sets."""

    COMPLETED = "completed"  # the dose was reached
    PARTIAL = "partial"  # ended early, with what was done
    STOPPED = "stopped"  # stop — this hurts, with its reason
