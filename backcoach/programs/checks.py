"""Checks across fields and exercises that the schema alone cannot express."""

from __future__ import annotations

from collections.abc import Iterator

from backcoach.programs.schema import ExerciseFile, ProgramFile

Finding = tuple[tuple, str]  # (error location, message)


def check_program(program: ProgramFile, known_ids: set[str]) -> Iterator[Finding]:
    """Every problem in a validated file; `known_ids` includes exercises from includes."""
    seen: dict[str, int] = {}
    for index, exercise in enumerate(program.exercise):
        if exercise.id in seen:
            yield ("exercise", index, "id"), (
                f"duplicate exercise id '{exercise.id}' (also exercise {seen[exercise.id] + 1})")
        else:
            seen[exercise.id] = index
        yield from _check_dose(index, exercise)
        yield from _check_rules(index, exercise, known_ids)
    ids = known_ids
    if program.safety.on_spreading_pain and program.safety.on_spreading_pain not in ids:
        yield ("safety", "on_spreading_pain"), _unknown(program.safety.on_spreading_pain)
    yield from _check_cycles(program)


def _unknown(exercise_id: str) -> str:
    return f"no exercise with id '{exercise_id}' in this program or its includes"


def _check_dose(index: int, exercise: ExerciseFile) -> Iterator[Finding]:
    dose = exercise.dose
    pairs = (("reps", "reps_max"), ("hold_seconds", "hold_seconds_max"),
             ("sets_per_day_min", "sets_per_day_max"))
    for low_name, high_name in pairs:
        low, high = getattr(dose, low_name), getattr(dose, high_name)
        if high is not None and low is None:
            yield ("exercise", index, "dose", high_name), f"needs {low_name} as well"
        elif high is not None and low is not None and low > high:
            yield ("exercise", index, "dose", high_name), (
                f"must be at least {low_name} ({low}), not {high}")
    progression = exercise.rules.progression
    if progression is not None and progression.start > progression.ceiling:
        yield ("exercise", index, "rules", "progression", "ceiling"), (
            f"must be at least start ({progression.start})")


def _check_rules(index: int, exercise: ExerciseFile, ids: set[str]) -> Iterator[Finding]:
    rules = exercise.rules
    base = ("exercise", index, "rules")
    for name in ("after_in_session", "first_time_after"):
        for position, other in enumerate(getattr(rules, name)):
            if other == exercise.id:
                yield base + (name, position), "an exercise cannot come after itself"
            elif other not in ids:
                yield base + (name, position), _unknown(other)
    single = (("follow_with", rules.follow_with),
              ("unlock", rules.unlock.after if rules.unlock else None),
              ("substitute_for", rules.substitute_for.exercise if rules.substitute_for else None))
    for name, other in single:
        if other is None:
            continue
        where = base + (name,) + (("after",) if name == "unlock" else
                                  ("exercise",) if name == "substitute_for" else ())
        if other == exercise.id:
            yield where, "an exercise cannot refer to itself here"
        elif other not in ids:
            yield where, _unknown(other)


def _check_cycles(program: ProgramFile) -> Iterator[Finding]:
    """Orders that can never be satisfied: A before B before A, follow-with loops."""
    edges: dict[str, dict[str, set[str]]] = {
        "after_in_session": {e.id: set(e.rules.after_in_session) for e in program.exercise},
        "first_time_after": {e.id: set(e.rules.first_time_after) for e in program.exercise},
        "follow_with": {e.id: {e.rules.follow_with} if e.rules.follow_with else set()
                        for e in program.exercise},
        "unlock": {e.id: {e.rules.unlock.after} if e.rules.unlock else set()
                   for e in program.exercise},
    }
    reported: set[frozenset] = set()
    for rule, graph in edges.items():
        for index, exercise in enumerate(program.exercise):
            cycle = _find_cycle(exercise.id, graph)
            if cycle and len(cycle) > 2 and frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                yield ("exercise", index, "rules", rule), (
                    "circular order: " + " → ".join(cycle))


def _find_cycle(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                return path + [start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return None
