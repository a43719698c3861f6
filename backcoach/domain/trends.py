"""Pain trends, adherence and plain-language insights, from daily aggregates. Pure.

Insights never diagnose: they state what the log shows and suggest a clinician.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import takewhile
from typing import TYPE_CHECKING

from backcoach.domain.pain_course import NOT_EASING_WEEKS, not_easing_text
from backcoach.text import plural

if TYPE_CHECKING:
    from backcoach.domain.program import Exercise, Program


@dataclass(frozen=True)
class DayPain:
    day: date
    mean: float
    low: int
    high: int
    count: int
    morning_mean: float | None = None  # scores before 10:00
    later_mean: float | None = None  # scores from 14:00


@dataclass(frozen=True)
class DaySets:
    day: date
    completed: int
    stopped: int
    spreading: int = 0


@dataclass(frozen=True)
class ExerciseEffect:
    exercise_id: str
    sessions: int
    mean_change: float  # pain after − before, in sessions that included it


@dataclass(frozen=True)
class ExerciseAdherence:
    exercise_id: str
    done: int  # regular completed sets in the range
    prescribed: int  # minimum daily sets × days in the range
    percent: float
    title: str = ""

    @property
    def counted(self) -> int:
        """The sets that count towards adherence: at most the prescribed ones."""
        return min(self.done, self.prescribed)


@dataclass(frozen=True)
class Insight:
    kind: str
    text: str
    see_clinician: bool = False


@dataclass(frozen=True)
class Summary:
    """Everything the history view shows, already aggregated."""

    first_day: date | None
    last_day: date
    pain: tuple[DayPain, ...]
    rolling: tuple[tuple[date, float], ...]
    sets: tuple[DaySets, ...]
    target_per_day: int
    adherence_percent: float | None
    current_streak: int
    longest_streak: int
    before_after: tuple[float, float, int] | None  # mean before, mean after, sessions
    effects: tuple[ExerciseEffect, ...] = ()
    insights: tuple[Insight, ...] = field(default_factory=tuple)
    per_exercise: tuple[ExerciseAdherence, ...] = ()
    before_after_today: tuple[float, float, int] | None = None


@dataclass(frozen=True)
class DayRow:
    """One line of the "recent days" table."""

    day: date
    mean: float
    low: int
    high: int
    rolling: float
    completed: int
    stopped: int


def recent_days(summary: Summary, count: int) -> list[DayRow]:
    """The last `count` days with pain scores, with their 7-day mean and sets."""
    sets = {s.day: s for s in summary.sets}
    rows = []
    for pain, (_, rolled) in list(zip(summary.pain, summary.rolling, strict=True))[-count:]:
        done = sets.get(pain.day)
        rows.append(DayRow(pain.day, pain.mean, pain.low, pain.high, rolled,
                           done.completed if done else 0, done.stopped if done else 0))
    return rows


def overview_lines(summary: Summary) -> list[str]:
    """Before/after, adherence, streaks and insights in words (app and CLI alike)."""
    lines = []
    if summary.before_after:
        before, after, count = summary.before_after
        lines.append(f"Pain before → after sessions: {before:.1f} → {after:.1f} "
                     f"({plural(count, 'session')} in this range)")
    if summary.before_after_today:
        before, after, count = summary.before_after_today
        lines.append(f"Today: {before:.1f} → {after:.1f} ({plural(count, 'session')})")
    if summary.adherence_percent is not None:
        lines.append(f"Adherence: {summary.adherence_percent:.0f}% of the prescribed "
                     f"{plural(summary.target_per_day, 'set')} a day · streak "
                     f"{plural(summary.current_streak, 'day')} (longest "
                     f"{plural(summary.longest_streak, 'day')})")
    if summary.per_exercise:
        lines.append("Per exercise: " + " · ".join(
            f"{a.title or a.exercise_id} {a.percent:.0f}% ({a.done}/{a.prescribed})"
            for a in summary.per_exercise))
    for insight in summary.insights:
        lines.append(("⚠ " if insight.see_clinician else "• ") + insight.text)
    if not summary.insights:
        lines.append("• No patterns to report yet: they appear when there is enough data.")
    return lines


def daily_targets(program: Program, locked: Collection[str] | None = None) -> dict[str, int]:
    """Prescribed minimum sets a day of every exercise not `locked` (None: every exercise
    behind an unlock rule counts as locked). Exercises without a daily minimum are left out.
    """
    def is_locked(exercise: Exercise) -> bool:
        return exercise.id in locked if locked is not None else \
            exercise.rule("unlock") is not None

    return {e.id: e.dose.sets_per_day_min for e in program.exercises
            if e.dose.sets_per_day_min and not is_locked(e)}


def exercise_adherence(done: dict[str, int], targets: dict[str, int], days: int,
                       titles: Mapping[str, str] | None = None
                       ) -> tuple[ExerciseAdherence, ...]:
    """Per exercise: regular sets done against the daily minimum over `days` days (an
    exercise never done counts as 0)."""
    out = []
    for exercise_id, per_day in targets.items():
        prescribed = per_day * max(days, 1)
        count = done.get(exercise_id, 0)
        out.append(ExerciseAdherence(exercise_id, count, prescribed,
                                     round(min(100.0, 100 * count / prescribed), 1),
                                     (titles or {}).get(exercise_id, "")))
    return tuple(out)


def overall_adherence(per_exercise: tuple[ExerciseAdherence, ...]) -> float | None:
    """The headline: counted sets over prescribed sets, summed over the per-exercise
    figures (so the two always agree)."""
    prescribed = sum(a.prescribed for a in per_exercise)
    if not prescribed:
        return None
    return round(100 * sum(a.counted for a in per_exercise) / prescribed, 1)


def rolling_mean(days: list[DayPain] | tuple[DayPain, ...], window: int = 7
                 ) -> tuple[tuple[date, float], ...]:
    """Mean of daily means over the last `window` calendar days (days without data skipped).

    `days` is in date order; one pass with a sliding window, so 100 years stay quick."""
    result = []
    inside: deque[tuple[int, float]] = deque()
    for item in days:
        end = item.day.toordinal()
        inside.append((end, item.mean))
        while inside[0][0] <= end - window:
            inside.popleft()
        result.append((item.day, round(sum(v for _, v in inside) / len(inside), 2)))
    return tuple(result)


def streaks(active_days: set[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days with at least one completed set."""
    longest = run = 0
    previous: date | None = None
    for day in sorted(active_days):
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    current = 0
    cursor = today if today in active_days else today - timedelta(days=1)
    while cursor in active_days:
        current += 1
        cursor -= timedelta(days=1)
    return current, longest


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def not_easing(pain: tuple[DayPain, ...], today: date) -> Insight | None:
    """Pain over the last 4 weeks has not come down (seed 003: see a clinician after a month).
    `pain` is in date order; only its last 4 weeks are read."""
    since = today - timedelta(days=7 * NOT_EASING_WEEKS)
    recent = list(takewhile(lambda d: d.day > since, reversed(pain)))
    text = not_easing_text([(d.day, d.mean) for d in reversed(recent)], today)
    return Insight("not-easing", text, see_clinician=True) if text else None


def leg_symptoms(sets: tuple[DaySets, ...], today: date) -> Insight | None:
    days = [d for d in sets if d.spreading and d.day > today - timedelta(days=28)]
    if not days:
        return None
    return Insight("leg-symptoms", "Pain spreading down the leg was logged on "
                                   f"{plural(len(days), 'day')} in the last 4 weeks. Please see "
                                   "a clinician about it.",
                   see_clinician=True)


def daily_pattern(pain: tuple[DayPain, ...], minimum_days: int = 14) -> Insight | None:
    """Morning-worse-easing vs worse-with-activity, as something to discuss; never a diagnosis."""
    pairs = [(d.morning_mean, d.later_mean) for d in pain
             if d.morning_mean is not None and d.later_mean is not None]
    if len(pairs) < minimum_days:
        return None
    morning = sum(p[0] for p in pairs) / len(pairs)
    later = sum(p[1] for p in pairs) / len(pairs)
    numbers = (f"mean {morning:.1f} before 10:00 vs {later:.1f} from 14:00, "
               f"over {plural(len(pairs), 'day')}")
    if morning - later >= 1:
        return Insight("pattern", f"Pain is usually worse in the morning and eases later in "
                                  f"the day ({numbers}). Worth discussing with a clinician.")
    if later - morning >= 1:
        return Insight("pattern", f"Pain usually rises as the day goes on ({numbers}). Worth "
                                  "discussing with a clinician.")
    return None


def effect_insights(effects: tuple[ExerciseEffect, ...], minimum: int = 5,
                    titles: Mapping[str, str] | None = None) -> list[Insight]:
    out = []
    for effect in sorted(effects, key=lambda e: e.mean_change):
        name = (titles or {}).get(effect.exercise_id, effect.exercise_id)
        if effect.sessions >= minimum and effect.mean_change < 0:
            out.append(Insight("exercise", f"Sessions with {name} were followed by "
                                           f"pain {abs(effect.mean_change):.1f} points lower on "
                                           f"average ({plural(effect.sessions, 'session')})."))
    return out[:3]


def summarise(pain: tuple[DayPain, ...], sets: tuple[DaySets, ...], today: date,
              targets: dict[str, int], before_after: tuple[float, float, int] | None,
              effects: tuple[ExerciseEffect, ...] = (), first_day: date | None = None,
              done_per_exercise: dict[str, int] | None = None,
              titles: Mapping[str, str] | None = None) -> Summary:
    """Assemble the history view from aggregates (at most one row per day).

    Adherence: per exercise of `targets` (the unlocked ones), and the headline derived
    from those same figures."""
    target_per_day = sum(targets.values())
    active = {d.day for d in sets if d.completed}
    current, longest = streaks(active, today)
    span_start = first_day or min([d.day for d in pain] + [d.day for d in sets] + [today])
    span = max((today - span_start).days + 1, 1)
    insights = [i for i in (not_easing(pain, today), leg_symptoms(sets, today),
                            daily_pattern(pain)) if i is not None]
    insights += effect_insights(effects, titles=titles)
    per_exercise = exercise_adherence(done_per_exercise or {}, targets, span, titles)
    adherence = overall_adherence(per_exercise)
    return Summary(span_start, today, pain, rolling_mean(pain), sets, target_per_day, adherence,
                   current, longest, before_after, effects, tuple(insights), per_exercise)
