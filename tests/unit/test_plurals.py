"""Counts read as English: "1 session", "2 days", never "1 sessions" or "day(s)"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from backcoach.domain.program import Dose
from backcoach.domain.trends import DaySets, Summary, leg_symptoms, overview_lines
from backcoach.text import plural
from tests.conftest import ROOT

D0 = date(2026, 3, 2)


def test_plural_helper():
    assert plural(0, "day") == "0 days"
    assert plural(1, "day") == "1 day"
    assert plural(2, "day") == "2 days"
    assert plural(1, "missed day") == "1 missed day"
    assert plural(3, "rep", "reps") == "3 reps"


def test_leg_symptoms_one_and_two_days():
    one = leg_symptoms((DaySets(D0, 5, 1, spreading=1),), D0 + timedelta(days=2))
    two = leg_symptoms((DaySets(D0, 5, 1, spreading=1),
                        DaySets(D0 + timedelta(days=1), 5, 1, spreading=1)), D0 + timedelta(days=2))
    assert one is not None and "logged on 1 day in" in one.text
    assert two is not None and "logged on 2 days in" in two.text


def test_overview_counts_sessions_and_days_in_the_right_number():
    summary = Summary(D0, D0, (), (), (DaySets(D0, 1, 0),), 1, 100.0, 1, 1, (3.0, 2.0, 1),
                      before_after_today=(3.0, 2.0, 1))
    text = "\n".join(overview_lines(summary))
    assert "(1 session in this range)" in text and "(1 session)" in text
    assert "1 sessions" not in text and "1 days" not in text and "1 sets" not in text


def test_dose_text_singular():
    assert Dose(reps=1, sets_per_day_min=1).describe() == "1 rep · 1 set a day"
    assert Dose(reps=5, sets_per_day_min=2, sets_per_day_max=3).describe() == \
        "5 reps · 2–3 sets a day"


def test_no_count_placeholders_in_user_text():
    """No "(s)" plurals left in the code's strings."""
    offenders = [f"{path.relative_to(ROOT)}:{n}" for path in (ROOT / "backcoach").rglob("*.py")
                 for n, line in enumerate(path.read_text().splitlines(), 1)
                 if re.search(r"[a-z]\(s\)", line)]
    assert offenders == []
