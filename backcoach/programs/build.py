"""Validated file models → domain objects. Rule types are looked up in a registry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta
from typing import Any

from backcoach.domain import rules as r
from backcoach.domain.program import Dose, Exercise, Program, Progression
from backcoach.programs.schema import ExerciseFile, ProgramFile, RulesFile

#: file key under [exercise.rules] → builder of the domain rule (None: nothing to enforce)
RULE_BUILDERS: dict[str, Callable[[Any, RulesFile], r.ExerciseRule | None]] = {
    "after_in_session": lambda v, _: r.AfterInSession(tuple(v)) if v else None,
    "first_time_after": lambda v, _: r.FirstTimeAfter(tuple(v)) if v else None,
    "follow_with": lambda v, _: r.FollowWith(v) if v else None,
    "min_interval_minutes": lambda v, rules: r.MinInterval(v, rules.evenly_spaced) if v else None,
    "unlock": lambda v, _: r.Unlock(v.after, v.weeks, v.max_gap_days) if v else None,
    "substitute_for": lambda v, _: r.Substitute(v.exercise, v.when) if v else None,
    "not_before": lambda v, _: r.NotBefore(time.fromisoformat(v)) if v else None,
    "not_within_minutes_of_first_checkin":
        lambda v, _: r.NotSoonAfterFirstCheckIn(v) if v else None,
}


def build_exercise(item: ExerciseFile, substitute: str | None,
                   fallback: str | None, opener: str | None = None) -> Exercise:
    rules: list[r.ExerciseRule] = [r.SpreadingPainStop(fallback)]
    if opener and opener != item.id:
        rules.append(r.SessionStartsWith(opener))
    if item.position == "lying":
        rules.append(r.LyingPosition(substitute))
    for key, builder in RULE_BUILDERS.items():
        rule = builder(getattr(item.rules, key), item.rules)
        if rule is not None:
            rules.append(rule)
    if item.dose.sets_per_day_max:
        rules.append(r.DailyCap(item.dose.sets_per_day_max))
    if item.dose.sets_per_bout:
        rules.append(r.Bouts(item.dose.sets_per_bout, item.dose.bouts_per_day,
                             item.dose.bout_gap_minutes or 240))
    progression = item.rules.progression
    return Exercise(
        id=item.id, title=item.title, number=item.number, summary=item.summary,
        position=item.position, direction=item.direction, steps=tuple(item.steps),
        cautions=tuple(item.cautions), illustration=item.illustration,
        dose=Dose(**item.dose.model_dump()), rules=tuple(rules),
        progression=Progression(**progression.model_dump()) if progression else None,
        symptom_check=item.rules.symptom_check,
    )


def build_program(model: ProgramFile, included: list[Program], source: str,
                  content_hash: str, text: str) -> Program:
    """Merge the includes' exercises (first) with this file's own."""
    fallback = model.safety.on_spreading_pain or next(
        (p.spreading_fallback for p in included if p.spreading_fallback), None)
    substitutes = {e.rules.substitute_for.exercise: e.id
                   for e in model.exercise if e.rules.substitute_for}
    exercises: list[Exercise] = [e for p in included for e in p.exercises]
    exercises += [build_exercise(e, substitutes.get(e.id), fallback, model.session_starts_with)
                  for e in model.exercise]
    threshold = model.phase.acute_pain_threshold
    if threshold is None:
        threshold = next((p.acute_pain_threshold for p in included
                          if p.acute_pain_threshold is not None), None)
    days = model.safety.red_flag_check_days or next(
        (p.red_flag_check_days for p in included if p.red_flag_check_days), None)
    advice = model.phase.rest_advice or next(
        (p.rest_advice for p in included), Program.rest_advice)
    return Program(
        id=model.id, title=model.title, version=model.version, exercises=tuple(exercises),
        author=model.author, notes=model.notes,
        session_gap=timedelta(minutes=model.session_gap_minutes), rest_advice=advice,
        acute_pain_threshold=threshold, red_flag_check_days=days,
        acute_window=timedelta(hours=model.phase.acute_window_hours),
        day_starts=time.fromisoformat(model.day_starts),
        spreading_fallback=fallback,
        program_rules=(r.RedFlagStop(), r.AcutePhase(threshold, advice), r.SafetyCheckFirst()),
        content_hash=content_hash, source=source, includes=tuple(model.include),
        source_text=text + "".join(f"\n# ---- included: {p.source} ----\n{p.source_text}"
                                   for p in included),
    )
