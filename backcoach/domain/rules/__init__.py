"""Rule objects. Each one checks one thing and says why in one sentence.

An exercise rule looks at one exercise in a `Context` and returns a `Verdict`
when it stands in the way, or None. A program rule (phase, red flags) can stop
everything at once. Adding a rule type means adding a class in this package and
naming it in the program loader's registry; the engine does not change.
"""

from backcoach.domain.rules.base import (
    AVAILABLE,
    BLOCKED,
    DONE,
    LATER,
    LOCKED,
    SEVERITY,
    Context,
    ExerciseRule,
    ProgramRule,
    Verdict,
    clock_text,
    day_text,
    local,
    names,
)
from backcoach.domain.rules.order import (
    AfterInSession,
    FirstTimeAfter,
    FollowWith,
    SessionStartsWith,
    Substitute,
)
from backcoach.domain.rules.safety import (
    AcutePhase,
    LyingPosition,
    RedFlagStop,
    SafetyCheckFirst,
    SpreadingPainStop,
    spread_today,
    spreads_today,
)
from backcoach.domain.rules.timing import (
    Bouts,
    DailyCap,
    MinInterval,
    NotBefore,
    NotSoonAfterFirstCheckIn,
)
from backcoach.domain.rules.unlock import Unlock

__all__ = [
    "AVAILABLE", "BLOCKED", "DONE", "LATER", "LOCKED", "SEVERITY", "AcutePhase",
    "AfterInSession", "Context", "DailyCap", "ExerciseRule", "FirstTimeAfter", "FollowWith",
    "LyingPosition", "MinInterval", "NotBefore", "NotSoonAfterFirstCheckIn", "ProgramRule",
    "RedFlagStop", "SafetyCheckFirst", "SpreadingPainStop", "spread_today", "spreads_today",
    "Bouts",
    "SessionStartsWith", "Substitute", "Unlock", "Verdict", "clock_text",
    "day_text", "local", "names",
]
