"""Whether pain has eased over the last weeks: read by the plan's notice and the history's
insights (kept apart from trends.py so that the plan does not load the history's types)."""

from __future__ import annotations

from datetime import date, timedelta

NOT_EASING_WEEKS = 4


def weekly_medians(values: list[tuple[date, float]], today: date,
                   weeks: int = NOT_EASING_WEEKS) -> list[float] | None:
    """The median of each of the last `weeks` weeks (oldest first), or None when a week has
    no score at all: whatever scores exist count, one a week is enough."""
    medians = []
    for back in range(weeks - 1, -1, -1):
        end = today - timedelta(days=7 * back)
        week = sorted(v for day, v in values if end - timedelta(days=6) <= day <= end)
        if not week:
            return None
        middle = len(week) // 2
        medians.append(week[middle] if len(week) % 2 else (week[middle - 1] + week[middle]) / 2)
    return medians


def not_easing_text(values: list[tuple[date, float]], today: date) -> str | None:
    """Seed 003: pain that has not eased after a month deserves a clinician's look."""
    medians = weekly_medians(values, today)
    if medians is None or medians[-1] < 2 or medians[-1] < medians[0] - 0.5:
        return None
    return (f"Your pain has not eased over the last {NOT_EASING_WEEKS} weeks (weekly median "
            f"{medians[0]:g} then, {medians[-1]:g} now): please see a clinician about it.")
