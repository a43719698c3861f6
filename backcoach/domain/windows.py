"""How much of the log the rules need: bounded reads for storage."""

from __future__ import annotations

from collections.abc import Collection

from backcoach.domain.program import Program


def lookback_days(program: Program) -> int:
    """How many days of history the program's rules need (a bounded window)."""
    return max([1] + [rule.lookback_days for e in program.exercises for rule in e.rules])


def long_window_exercises(program: Program, done: Collection[str] = ()) -> set[str]:
    """Exercises whose older sets matter (practice towards an unlock); others need a day.
    Exercises in `done` were done before: a rule that stops looking back once its exercise
    was done (an unlock stays open) needs no window for them."""
    return {ref for e in program.exercises for rule in e.rules if rule.lookback_days > 1
            and not (rule.settled_once_done and e.id in done) for ref in rule.references()}


def whole_practice(program: Program, done: Collection[str] = ()) -> set[str]:
    """Exercises whose every practised day counts: unlock prerequisites (an unlock, once
    earned, stays earned) and progressions (reps follow days practised). The prerequisites
    of an exercise in `done` (done before) no longer count: its unlock is settled."""
    return {ref for e in program.exercises for rule in e.rules if rule.kind == "unlock"
            and not (rule.settled_once_done and e.id in done)
            for ref in rule.references()} | {e.id for e in program.exercises if e.progression}
