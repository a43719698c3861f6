"""The rules engine: one test per rule type, then the seed's scenarios as a table."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from backcoach.domain.engine import build_plan
from backcoach.domain.history import (
    COMPLETED,
    PERIPHERALISING,
    STOP_SPREADING,
    STOPPED,
    CheckIn,
    History,
    PainScore,
    RedFlagCheck,
    SetRecord,
    current_session,
)
from tests.conftest import TZ, at


@pytest.fixture(scope="module")
def mckenzie(catalog):
    """The shipped McKenzie program without "prone lying opens every session", so that each
    test below looks at one rule at a time (the opener has tests of its own, on the shipped
    program: see test_clinical.py)."""
    program = catalog.load("mckenzie")
    return replace(program, exercises=tuple(
        replace(e, rules=tuple(r for r in e.rules if r.kind != "session_starts_with"))
        for e in program.exercises))


CHECKED = RedFlagCheck(at("2026-01-01 08:00"), False)  # a safety check with no warning signs


def history(*sets: SetRecord, now=None, gap=timedelta(minutes=30), **extra) -> History:
    """What storage hands the engine: sets, the session, first sets, days practised."""
    first: dict = {}
    days: dict = {}
    for record in sorted(sets, key=lambda s: s.ended_at):
        if record.completed:
            first.setdefault(record.exercise_id, record.ended_at)
            days.setdefault(record.exercise_id, set()).add(record.ended_at.astimezone(TZ).date())
    session = current_session(sets, now, gap) if now else ()
    extra.setdefault("last_red_flag", CHECKED)
    extra.setdefault("practice_days", {k: tuple(sorted(v)) for k, v in days.items()})
    return History(sets=tuple(sorted(sets, key=lambda s: s.ended_at)), session=session,
                   first_done=first, **extra)


def done(exercise: str, when: str, **kw) -> SetRecord:
    return SetRecord(exercise, at(when), kw.pop("outcome", COMPLETED), **kw)


def plan_at(program, when: str, *sets: SetRecord, checkin=None, **extra):
    now = at(when)
    return build_plan(program, history(*sets, now=now, **extra), now, checkin, TZ)


def daily(exercise: str, first_day: str, days: int, clock: str = "09:00") -> list[SetRecord]:
    start = at(f"{first_day} {clock}")
    return [SetRecord(exercise, start + timedelta(days=i)) for i in range(days)]


# --- one test per rule type -----------------------------------------------------------

def test_before_rule_blocks_until_done_in_same_session(mckenzie):
    plan = plan_at(mckenzie, "2026-03-02 10:00")
    entry = plan.entry("prone-on-elbows")
    assert entry.status == "blocked"
    assert entry.reason == "Prone on elbows: do Prone lying first in this session."
    plan = plan_at(mckenzie, "2026-03-02 10:05", done("prone-lying", "2026-03-02 10:02"))
    assert plan.entry("prone-on-elbows").status == "available"


def test_before_rule_needs_the_same_session_not_just_the_same_day(mckenzie):
    plan = plan_at(mckenzie, "2026-03-02 11:00", done("prone-lying", "2026-03-02 10:00"))
    assert plan.entry("prone-on-elbows").status == "blocked"


def test_first_time_prerequisites_then_free(mckenzie):
    plan = plan_at(mckenzie, "2026-03-02 10:00", done("prone-lying", "2026-03-02 09:58"))
    assert plan.entry("prone-press-up").status == "blocked"
    assert "The first time, do Prone on elbows" in plan.entry("prone-press-up").reason
    later = plan_at(mckenzie, "2026-03-05 10:00",
                    done("prone-lying", "2026-03-02 09:50"),
                    done("prone-on-elbows", "2026-03-02 09:55"),
                    done("prone-press-up", "2026-03-02 10:00"))
    assert later.entry("prone-press-up").status == "available"


def test_follow_with_requires_the_next_exercise_and_blocks_the_rest(mckenzie):
    sets = [done("prone-lying", "2026-03-02 09:00"), done("prone-on-elbows", "2026-03-02 09:05"),
            done("prone-press-up", "2026-03-02 09:10"), done("lying-flexion", "2026-03-02 09:15")]
    plan = plan_at(mckenzie, "2026-03-02 09:16", *sets)
    assert plan.required_next == "prone-press-up"
    assert [e.id for e in plan.available] == ["prone-press-up"]
    assert plan.entry("standing-extension").reason == (
        "Do Prone press-up next: it comes straight after Lying flexion.")


def test_follow_up_set_ignores_spacing_and_daily_cap(mckenzie):
    sets = [done("prone-press-up", f"2026-03-02 {h:02d}:00") for h in range(8, 16)]
    sets.append(done("lying-flexion", "2026-03-02 16:05"))
    plan = plan_at(mckenzie, "2026-03-02 16:06", *sets)
    assert plan.entry("prone-press-up").status == "available"
    assert plan.entry("prone-press-up").follow_up
    after = plan_at(mckenzie, "2026-03-02 16:08", *sets,
                    done("prone-press-up", "2026-03-02 16:07", follow_up=True))
    assert after.required_next is None
    assert after.entry("prone-press-up").status == "done"


def test_daily_cap(mckenzie):
    sets = [done("prone-lying", f"2026-03-02 {h:02d}:00") for h in range(6, 22, 2)]
    plan = plan_at(mckenzie, "2026-03-02 23:30", *sets)
    entry = plan.entry("prone-lying")
    assert (entry.status, entry.sets_today, entry.sets_target) == ("done", 8, 8)
    assert entry.reason == "Done for today: 8 of 8 sets."
    assert entry.next_allowed_at == at("2026-03-03 00:00")


def test_spacing(mckenzie):
    plan = plan_at(mckenzie, "2026-03-02 11:30", done("prone-lying", "2026-03-02 10:00"))
    entry = plan.entry("prone-lying")
    assert entry.status == "later"
    assert entry.next_allowed_at == at("2026-03-02 12:00")
    assert entry.reason == "Next set from 12:00: sets are spaced 2 h apart."


def test_unlock_after_weeks_of_continuous_practice(mckenzie):
    plan = plan_at(mckenzie, "2026-03-02 10:00")
    entry = plan.entry("sitting-flexion")
    assert entry.status == "locked"
    assert entry.unlocks_on.isoformat() == "2026-04-06"
    assert entry.reason == ("Sitting flexion unlocks on 6 April 2026, after 5 weeks of "
                            "Lying flexion without a missed day.")


def test_unlock_gap_allowance(catalog, tmp_path):
    from backcoach.programs.loader import load_program

    text = (catalog.path_of("mckenzie").read_text()
            .replace('weeks = 5, max_gap_days = 0', 'weeks = 1, max_gap_days = 1')
            .replace('session_starts_with = "prone-lying"', ''))
    source = tmp_path / "gappy.toml"
    source.write_text(text)
    program = load_program(source)
    every_other = [SetRecord("lying-flexion", at("2026-03-01 09:00") + timedelta(days=2 * i))
                   for i in range(5)]  # days 1,3,5,7,9: one missed day between each
    assert plan_at(program, "2026-03-10 10:00", *every_other).entry(
        "sitting-flexion").status == "available"
    strict = plan_at(catalog.load("mckenzie"), "2026-03-10 10:00", *every_other)
    assert strict.entry("sitting-flexion").status == "locked"


def test_substitute_when_cannot_lie_down(mckenzie):
    sets = [done("prone-lying", "2026-03-01 09:00"), done("prone-on-elbows", "2026-03-01 09:05"),
            done("prone-press-up", "2026-03-01 09:10"), done("lying-flexion", "2026-03-02 09:15")]
    plan = plan_at(mckenzie, "2026-03-02 09:16", *sets, checkin=CheckIn(cannot_lie_down=True))
    assert plan.required_next == "standing-extension"
    assert plan.entry("prone-press-up").status == "blocked"
    assert "Do Standing extension instead" in plan.entry("prone-press-up").reason
    after = plan_at(mckenzie, "2026-03-02 09:18", *sets,
                    done("standing-extension", "2026-03-02 09:17"),
                    checkin=CheckIn(cannot_lie_down=True))
    assert after.required_next is None


def test_not_first_thing_in_the_day(catalog):
    core = catalog.load("core-basics")
    pain = (PainScore(at("2026-03-02 07:00"), 3),)
    plan = plan_at(core, "2026-03-02 07:30", pain_today=pain)
    assert plan.entry("curl-up").status == "later"
    assert plan.entry("curl-up").next_allowed_at == at("2026-03-02 08:00")
    assert plan_at(core, "2026-03-02 08:00", pain_today=pain).entry(
        "curl-up").status == "available"


def test_not_before_clock_time(catalog, tmp_path):
    from backcoach.programs.loader import load_program

    text = catalog.path_of("posture-neck").read_text().replace(
        "[exercise.dose]\nduration_minutes = 5",
        "[exercise.rules]\nnot_before = \"09:30\"\n[exercise.dose]\nduration_minutes = 5")
    source = tmp_path / "neck.toml"
    source.write_text(text)
    program = load_program(source)
    assert plan_at(program, "2026-03-02 09:00").entry("wall-standing").status == "later"
    assert plan_at(program, "2026-03-02 09:30").entry("wall-standing").status == "available"


def test_progression_of_curl_up_reps(catalog):
    core = catalog.load("core-basics")
    first = done("curl-up", "2026-01-01 12:00")
    assert plan_at(core, "2026-01-02 12:00", first).entry("curl-up").dose.startswith("15 reps")
    # progression follows days practised, not the calendar: one set, 70 days off, still 15
    assert plan_at(core, "2026-03-12 12:00", first).entry("curl-up").dose.startswith("15 reps")
    fortnight = daily("curl-up", "2026-01-01", 14, "12:00")
    assert plan_at(core, "2026-01-15 12:00", *fortnight).entry("curl-up").dose.startswith(
        "25 reps a set today")
    year = daily("curl-up", "2026-01-01", 365, "12:00")
    dose = plan_at(core, "2027-01-15 12:00", *year).entry("curl-up").dose
    assert dose.startswith("60 reps") and "15 reps" not in dose  # one figure, no contradiction


def test_acute_episode_blocks_everything(mckenzie):
    plan = plan_at(mckenzie, "2026-03-02 10:00", acute_since=at("2026-03-01 08:00"))
    assert plan.phase == "acute"
    assert all(e.status == "blocked" for e in plan.exercises)
    assert plan.available == ()
    assert "Rest" in plan.advice


def test_acute_pain_threshold(mckenzie):
    high = (PainScore(at("2026-03-02 08:00"), 8),)
    assert plan_at(mckenzie, "2026-03-02 09:00", pain_today=high).phase == "acute"
    lower = high + (PainScore(at("2026-03-02 08:30"), 5),)
    assert plan_at(mckenzie, "2026-03-02 09:00", pain_today=lower).phase == "non-acute"
    assert plan_at(mckenzie, "2026-03-02 09:00", checkin=CheckIn(pain=9)).phase == "acute"


def test_red_flag_blocks_everything(mckenzie):
    plan = plan_at(mckenzie, "2026-03-02 10:00",
                   last_red_flag=RedFlagCheck(at("2026-03-02 09:00"), True))
    assert plan.phase == "red-flag"
    assert not plan.available
    assert "seek medical care" in plan.entry("prone-lying").reason


def test_red_flag_check_due_weekly(mckenzie):
    recent = RedFlagCheck(at("2026-03-01 09:00"), False)
    assert not plan_at(mckenzie, "2026-03-02 10:00", last_red_flag=recent).red_flag_check_due
    assert plan_at(mckenzie, "2026-03-09 10:00", last_red_flag=recent).red_flag_check_due


def test_spreading_pain_stops_the_exercise_for_the_day(mckenzie):
    sets = [done("prone-lying", "2026-03-01 09:00"), done("prone-on-elbows", "2026-03-01 09:05"),
            done("prone-press-up", "2026-03-01 09:10"),
            done("prone-lying", "2026-03-02 09:00"),
            done("prone-press-up", "2026-03-02 09:10", outcome=STOPPED,
                 stop_reason=STOP_SPREADING)]
    plan = plan_at(mckenzie, "2026-03-02 09:11", *sets)
    entry = plan.entry("prone-press-up")
    assert entry.status == "blocked"
    assert entry.reason.startswith("Stopped for today: pain spread down the leg")
    assert "Go back to Prone lying" in entry.reason
    assert plan.required_next == "prone-lying"
    assert plan.entry("prone-lying").status == "available"  # spacing waived: go back to it
    tomorrow = plan_at(mckenzie, "2026-03-03 09:00", *sets)
    assert tomorrow.entry("prone-press-up").status == "available"


def test_peripheralising_symptom_response_counts_as_spreading(mckenzie):
    sets = [done("lying-flexion", "2026-03-02 09:00", symptom=PERIPHERALISING)]
    plan = plan_at(mckenzie, "2026-03-02 12:00", *sets)
    assert plan.entry("lying-flexion").status == "blocked"


def test_engine_requires_aware_now(mckenzie):
    with pytest.raises(ValueError):
        build_plan(mckenzie, History(), at("2026-03-02 10:00").replace(tzinfo=None))


# --- the seed's scenarios as a table ---------------------------------------------------

FOUNDATION = [done("prone-lying", "2026-02-01 09:00"), done("prone-on-elbows", "2026-02-01 09:05"),
              done("prone-press-up", "2026-02-01 09:10")]
SCENARIOS = [
    # (name, now, sets, exercise, expected status)
    ("ex 2 refused before ex 1 in a session", "2026-03-02 10:00", [], "prone-on-elbows",
     "blocked"),
    ("ex 2 allowed after ex 1", "2026-03-02 10:10",
     [done("prone-lying", "2026-03-02 10:00")], "prone-on-elbows", "available"),
    ("after ex 5 only ex 3: ex 3 available", "2026-03-02 10:11",
     FOUNDATION + [done("lying-flexion", "2026-03-02 10:10")], "prone-press-up", "available"),
    ("after ex 5 only ex 3: ex 1 blocked", "2026-03-02 10:11",
     FOUNDATION + [done("lying-flexion", "2026-03-02 10:10")], "prone-lying", "blocked"),
    ("after ex 5 only ex 3: ex 4 blocked", "2026-03-02 10:11",
     FOUNDATION + [done("lying-flexion", "2026-03-02 10:10")], "standing-extension", "blocked"),
    ("ex 6 locked on day 35 of ex 5", "2026-04-04 10:00",
     daily("lying-flexion", "2026-03-01", 35), "sitting-flexion", "locked"),
    ("ex 6 unlocked on day 36", "2026-04-05 10:00",
     daily("lying-flexion", "2026-03-01", 35), "sitting-flexion", "available"),
    ("ex 6 locked if a day was missed", "2026-04-05 10:00",
     [s for i, s in enumerate(daily("lying-flexion", "2026-03-01", 35)) if i != 20],
     "sitting-flexion", "locked"),
    ("ex 7 locked before 2 weeks of ex 6", "2026-03-20 10:00",
     daily("sitting-flexion", "2026-03-07", 13), "standing-flexion", "locked"),
    ("ex 7 unlocked after 2 weeks of ex 6", "2026-03-21 10:00",
     daily("sitting-flexion", "2026-03-07", 14), "standing-flexion", "available"),
    ("a 9th set of ex 1 in a day refused", "2026-03-02 23:59",
     [done("prone-lying", f"2026-03-02 {h:02d}:00") for h in range(6, 22, 2)], "prone-lying",
     "done"),
    ("a 7th set of ex 1 still allowed", "2026-03-02 23:59",
     [done("prone-lying", f"2026-03-02 {h:02d}:00") for h in range(8, 20, 2)], "prone-lying",
     "available"),
    ("ex 1 at +90 min refused", "2026-03-02 11:30",
     [done("prone-lying", "2026-03-02 10:00")], "prone-lying", "later"),
    ("ex 1 at +2 h allowed", "2026-03-02 12:00",
     [done("prone-lying", "2026-03-02 10:00")], "prone-lying", "available"),
]


@pytest.mark.parametrize("name,now,sets,exercise,status", SCENARIOS,
                         ids=[s[0] for s in SCENARIOS])
def test_seed_scenarios(mckenzie, name, now, sets, exercise, status):
    assert plan_at(mckenzie, now, *sets).entry(exercise).status == status


@pytest.mark.parametrize("exercise", ["prone-lying", "prone-on-elbows", "prone-press-up",
                                      "standing-extension", "lying-flexion",
                                      "sitting-flexion", "standing-flexion"])
def test_nothing_available_during_acute_episode(mckenzie, exercise):
    sets = daily("lying-flexion", "2026-01-01", 60) + daily("sitting-flexion", "2026-03-01", 20)
    plan = plan_at(mckenzie, "2026-03-25 10:00", *sets, acute_since=at("2026-03-25 08:00"))
    assert plan.entry(exercise).status == "blocked"
    assert not plan.entry(exercise).can_start


def test_every_blocking_reason_is_one_sentence(mckenzie):
    sets = FOUNDATION + [done("lying-flexion", "2026-03-02 10:10")]
    plan = plan_at(mckenzie, "2026-03-02 10:11", *sets)
    for entry in plan.exercises:
        assert entry.reason.endswith("."), entry
        assert entry.reason.count(". ") <= 1, entry


def test_dst_day_counts_as_one_day(mckenzie):
    # Europe/Berlin switches to summer time on 29 March 2026: the day has 23 hours
    sets = [done("prone-lying", f"2026-03-29 {h:02d}:30") for h in (4, 6, 8, 10, 12, 14, 16, 18)]
    plan = plan_at(mckenzie, "2026-03-29 23:30", *sets)
    assert plan.entry("prone-lying").sets_today == 8
    assert plan_at(mckenzie, "2026-03-30 00:30", *sets).entry("prone-lying").sets_today == 0


def test_plan_is_pure(mckenzie):
    sets = FOUNDATION + [done("lying-flexion", "2026-03-02 10:10")]
    first = plan_at(mckenzie, "2026-03-02 10:11", *sets)
    again = plan_at(mckenzie, "2026-03-02 10:11", *sets)
    assert first == again
    assert replace(first, now=first.now) == first


def test_required_follow_up_with_missing_first_time_prerequisite(mckenzie):
    # the very first session: prone lying, then lying flexion; the press-up is required next,
    # but the first time it needs prone on elbows, so that one is offered and nothing else
    sets = [done("prone-lying", "2026-03-02 10:00"), done("lying-flexion", "2026-03-02 10:05")]
    plan = plan_at(mckenzie, "2026-03-02 10:06", *sets)
    assert plan.required_next == "prone-press-up"
    assert [e.id for e in plan.available] == ["prone-on-elbows"]
    assert plan.entry("prone-on-elbows").reason == (
        "Do Prone on elbows now: it comes before Prone press-up the first time.")
    elbows = done("prone-on-elbows", "2026-03-02 10:09")
    after = plan_at(mckenzie, "2026-03-02 10:10", *sets, elbows)
    assert [e.id for e in after.available] == ["prone-press-up"]


def test_reps_target_follows_the_progression(catalog, mckenzie):
    core = catalog.load("core-basics")
    first = done("curl-up", "2026-01-01 12:00")
    assert plan_at(core, "2026-01-02 12:00", first).entry("curl-up").reps_target == 15
    three_weeks = daily("curl-up", "2026-01-01", 21, "12:00")
    assert plan_at(core, "2026-01-22 12:00", *three_weeks).entry("curl-up").reps_target == 30
    assert plan_at(mckenzie, "2026-01-02 12:00").entry("prone-press-up").reps_target == 10


def test_next_action_is_always_startable(mckenzie):
    sets = [done("prone-lying", "2026-03-02 10:00"), done("lying-flexion", "2026-03-02 10:05")]
    plan = plan_at(mckenzie, "2026-03-02 10:06", *sets)
    assert plan.required_next == "prone-press-up"
    assert plan.next_action.id == "prone-on-elbows" and plan.next_action.can_start


# --- the plan worked out step by step (the made-up history asks for one decision) -------

STEP_CASES = {
    "fresh": ("2026-03-02 10:00", []),
    "follow-up required": ("2026-03-02 09:16", [
        done("prone-lying", "2026-03-02 09:00"), done("prone-on-elbows", "2026-03-02 09:05"),
        done("prone-press-up", "2026-03-02 09:10"), done("lying-flexion", "2026-03-02 09:15")]),
    "first-time prerequisite": ("2026-03-02 10:06", [
        done("prone-lying", "2026-03-02 10:00"), done("lying-flexion", "2026-03-02 10:05")]),
    "spacing and spreading pain": ("2026-03-02 11:30", [
        done("prone-lying", "2026-03-02 10:00"),
        done("prone-on-elbows", "2026-03-02 10:04", outcome=STOPPED, stop_reason=STOP_SPREADING)]),
    "red flag": ("2026-03-02 10:00", []),
}


@pytest.mark.parametrize("case", list(STEP_CASES))
def test_plan_steps_give_the_entries_of_the_whole_plan(mckenzie, case):
    from backcoach.domain.engine import start_plan

    when, sets = STEP_CASES[case]
    now = at(when)
    flag = RedFlagCheck(at("2026-03-01 08:00"), True) if case == "red flag" else CHECKED
    given = history(*sets, now=now, last_red_flag=flag)
    whole = build_plan(mckenzie, given, now, None, TZ)
    steps = start_plan(mckenzie, given, now, None, TZ)
    assert (steps.phase, steps.required_next) == (whole.phase, whole.required_next)
    last = mckenzie.exercises[-1].id
    assert steps.entry(last) == whole.entry(last)  # out of order, on demand
    assert tuple(steps.entries()) == whole.exercises
    assert tuple(steps.available()) == whole.available
    assert start_plan(mckenzie, given, now, None, TZ).complete() == whole
    asked = start_plan(mckenzie, given, now, None, TZ)  # may_start first, then the entries
    assert [asked.may_start(e.id) for e in mckenzie.exercises] == \
        [e.can_start for e in whole.exercises]
    assert tuple(asked.entries()) == whole.exercises


def test_local_days_given_with_the_sets_change_nothing(mckenzie):
    sets = FOUNDATION + [done("lying-flexion", "2026-03-02 10:10"),
                         done("prone-lying", "2026-03-01 23:30")]
    now = at("2026-03-02 10:11")
    given = history(*sets, now=now)
    days = tuple(s.ended_at.astimezone(TZ).date() for s in given.sets)
    assert build_plan(mckenzie, replace(given, set_days=days), now, None, TZ) == \
        build_plan(mckenzie, given, now, None, TZ)


def test_practice_an_unlock_needs_ends_once_the_exercise_was_done(mckenzie):
    from backcoach.domain.windows import long_window_exercises

    assert long_window_exercises(mckenzie) == {"lying-flexion", "sitting-flexion"}
    # sitting flexion done once: it stays unlocked, so lying flexion's days no longer count
    assert long_window_exercises(mckenzie, {"sitting-flexion"}) == {"sitting-flexion"}
    assert long_window_exercises(mckenzie, {"sitting-flexion", "standing-flexion"}) == set()
    # standing flexion done first (it was unlocked in an earlier program version): sitting
    # flexion is still locked and still reads lying flexion
    assert long_window_exercises(mckenzie, {"standing-flexion"}) == {"lying-flexion"}
    from backcoach.domain.windows import whole_practice

    assert whole_practice(mckenzie) == {"lying-flexion", "sitting-flexion"}
    assert whole_practice(mckenzie, {"sitting-flexion"}) == {"sitting-flexion"}
    assert whole_practice(mckenzie, {"sitting-flexion", "standing-flexion"}) == set()


def test_a_settled_unlock_gives_the_same_plan_without_its_practice_days(coach):
    """Storage leaves out the practised days of an unlock that is settled (its exercise was
    done): the plan is the one the whole practice would give."""
    from backcoach.coach.sessions import NO_SESSION

    program = coach.program
    now = coach.clock()
    read = coach.repo.history(program, now, NO_SESSION)
    first = {"lying-flexion": at("2026-01-01 09:00"), "sitting-flexion": at("2026-02-10 09:00"),
             "standing-flexion": at("2026-02-20 09:00")}
    days = {"lying-flexion": tuple(at("2026-01-01 09:00").date() + timedelta(days=n)
                                   for n in range(60))}
    full = replace(read, first_done=first, practice_days=days)
    settled = replace(full, practice_days={})
    for when in (now, now + timedelta(hours=3)):
        assert build_plan(program, settled, when, None, TZ) == \
            build_plan(program, full, when, None, TZ)
