"""The Patient-Specific Functional Scale (PSFS), as pure functions.

The patient names up to five activities they are unable to do, or find hard, because of
their back, and rates each from 0 (unable to perform) to 10 (able to perform at the same
level as before the problem). At each follow-up the same activities are rated again (new
ones may be added). The score of an assessment is the mean of its ratings: higher is
better. A change of 2 or more points in the mean is usually noticeable. Nothing here
diagnoses, reads the clock or touches storage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backcoach.text import has_control

MAX_ACTIVITIES = 5
MAX_NAME = 80
INTERVAL = timedelta(days=7)  # weekly
NOTICEABLE = 2.0  # points of the mean
SCALE_TEXT = "0 = unable to do it, 10 = able to do it as well as before the problem"


@dataclass(frozen=True)
class Rating:
    activity: str  # the patient's own words (untrusted text: never markup)
    score: int


@dataclass(frozen=True)
class Assessment:
    """The ratings given together, at one time."""

    at: datetime
    ratings: tuple[Rating, ...]

    @property
    def mean(self) -> float:
        return sum(r.score for r in self.ratings) / len(self.ratings)

    def score_of(self, activity: str) -> int | None:
        return next((r.score for r in self.ratings if same(r.activity, activity)), None)


def same(a: str, b: str) -> bool:
    """Two names for one activity (spaces and case do not matter)."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def problem(ratings: Sequence[tuple[str, int]]) -> str | None:
    """Why these (activity, score) pairs are not a valid assessment, in one sentence;
    None when they are."""
    if not ratings:
        return "name at least one activity that is hard because of your back"
    if len(ratings) > MAX_ACTIVITIES:
        return f"at most {MAX_ACTIVITIES} activities, not {len(ratings)}"
    seen: list[str] = []
    for name, score in ratings:
        text = name.strip()
        if not text:
            return "an activity needs a name"
        if len(text) > MAX_NAME:
            return f"an activity's name is at most {MAX_NAME} characters"
        if has_control(text):
            return "an activity's name cannot hold control characters"
        if any(same(text, other) for other in seen):
            return f"the activity {text!r} is named twice"
        seen.append(text)
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
            return f"a rating is a whole number from 0 to 10, not {score!r} ({text!r})"
    return None


def activities_to_rerate(assessments: Sequence[Assessment]) -> list[str]:
    """The activities named at the latest assessment, in their order (asked again)."""
    return [r.activity for r in assessments[-1].ratings] if assessments else []


def is_due(assessments: Sequence[Assessment], now: datetime, today: date,
           skipped_on: date | None = None) -> bool:
    """Due when never done, or the latest was 7 days ago or more; a weekly ask skipped
    today waits for tomorrow."""
    if skipped_on is not None and skipped_on >= today:
        return False
    return not assessments or now - assessments[-1].at >= INTERVAL


def change_since_first(assessments: Sequence[Assessment]) -> float | None:
    """The mean now minus the mean at the first assessment (None before a second one)."""
    if len(assessments) < 2:
        return None
    return assessments[-1].mean - assessments[0].mean


def summary_text(assessments: Sequence[Assessment]) -> str:
    """One or two sentences for History and the report (what was logged, no verdict)."""
    if not assessments:
        return "No activity scale yet."
    last = assessments[-1]
    text = f"Latest mean {last.mean:.1f}/10 on {last.at.date()}"
    change = change_since_first(assessments)
    if change is None:
        return text + " (the first one)."
    return (text + f", {change:+.1f} since the first on {assessments[0].at.date()} "
            f"({len(assessments)} assessments). Higher is better; a change of "
            f"{NOTICEABLE:.0f} or more points is usually noticeable.")


def activity_rows(assessments: Sequence[Assessment]) -> list[tuple[str, int | None, int]]:
    """Each activity ever named, with its first and latest rating: (name, first, latest).
    The first is None when the activity was rated only once."""
    rows: list[tuple[str, list[int]]] = []
    for assessment in assessments:
        for rating in assessment.ratings:
            known = next((r for r in rows if same(r[0], rating.activity)), None)
            if known is None:
                rows.append((rating.activity, [rating.score]))
            else:
                known[1].append(rating.score)
    return [(name, scores[0] if len(scores) > 1 else None, scores[-1])
            for name, scores in rows]


def chart_lines(assessments: Sequence[Assessment], last: int = 8) -> list[str]:
    """The History view's text: the mean of each recent assessment as a bar (2 cells a
    point), each activity's first and latest rating, and the summary sentence."""
    if not assessments:
        return ["Activity scale (PSFS): none yet. Press w on Today to rate the activities "
                "your back makes hard."]
    lines = ["Activity scale (PSFS): mean of your ratings, 0 = unable, 10 = as before"]
    for assessment in assessments[-last:]:
        cells = round(assessment.mean * 2)
        lines.append(f"  {assessment.at.date()}  {'█' * cells}{'·' * (20 - cells)}  "
                     f"{assessment.mean:4.1f}")
    for name, first, latest in activity_rows(assessments):
        shown = name if len(name) <= 40 else name[:39] + "…"
        lines.append(f"  {shown}: " + (f"{first} → {latest}" if first is not None
                                        else f"{latest} (rated once)"))
    lines.append(summary_text(assessments))
    return lines
