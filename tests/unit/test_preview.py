"""Today's plan before the database is open (coach/preview.py): it is exactly the plan the
database gives at that moment, or there is none."""

from __future__ import annotations

import pytest

from backcoach.clock import FixedClock
from backcoach.coach import Coach, preview
from backcoach.private_cache import CACHE_ENV
from tests.helpers.preview import local


def previewed(db, clock):
    return preview.load(db, "mckenzie", None, clock)


@pytest.mark.parametrize("later", ["13:00", "13:01", "14:30", "19:00", "23:59"])
def test_the_preview_is_the_plan_the_database_gives(opened, later):
    db, clock, coach = opened
    coach.today_plan()  # kept for the next start
    clock.current = local(f"2026-03-08 {later}")
    shown = previewed(db, clock)
    assert shown is not None and shown.program.id == "mckenzie"
    assert shown.plan == coach.today_plan()


def test_a_write_another_day_or_an_earlier_clock_and_there_is_none(opened):
    db, clock, coach = opened
    coach.today_plan()
    clock.current = local("2026-03-09 00:01")
    assert previewed(db, clock) is None  # another local day
    clock.current = local("2026-03-08 12:59")
    assert previewed(db, clock) is None  # before the read
    clock.current = local("2026-03-08 14:00")
    assert previewed(db, clock) is not None
    coach.record_pain(4)
    assert previewed(db, clock) is None  # the file changed since


def test_nothing_is_kept_while_the_log_holds_a_later_entry(opened):
    db, clock, coach = opened
    clock.current = local("2026-03-08 15:00")
    coach.record_pain(6)  # entered for 15:00
    clock.current = local("2026-03-08 14:00")
    coach.today_plan()
    assert previewed(db, clock) is None


def test_closing_the_database_keeps_the_preview_until_a_write(opened):
    db, clock, coach = opened
    coach.today_plan()
    coach.close()  # the write-ahead log moves into the file
    assert not db.with_name(db.name + "-wal").exists()
    assert previewed(db, clock) is not None
    again = Coach.open(db, clock, "mckenzie")
    again.record_pain(2)
    again.close()
    assert previewed(db, clock) is None


def test_a_damaged_or_foreign_preview_is_ignored(opened):
    db, clock, coach = opened
    coach.today_plan()
    entry = preview.kept_at(db)
    assert entry.stat().st_mode & 0o777 == 0o600
    entry.write_bytes(b"\x80\x04not a pickle")
    assert previewed(db, clock) is None
    again = Coach.open(db, clock, "mckenzie")
    again.today_plan()
    again.close()
    assert previewed(db, clock) is not None
    entry.chmod(0o644)  # another user could have written it
    assert previewed(db, clock) is None


def test_a_later_plan_with_nothing_written_keeps_the_earlier_snapshot(opened):
    """Nothing written since the 13:00 read: it still holds, and from 13:00 on."""
    db, clock, coach = opened
    coach.today_plan()
    entry = preview.kept_at(db)
    kept = entry.stat().st_mtime_ns
    clock.current = local("2026-03-08 15:00")
    assert coach.today_plan() == previewed(db, clock).plan
    assert entry.stat().st_mtime_ns == kept  # not written again
    clock.current = local("2026-03-08 14:00")
    assert previewed(db, clock) is not None


def test_another_program_choice_has_its_own_preview(opened):
    db, clock, coach = opened
    coach.today_plan()
    assert preview.load(db, None, None, clock) is None
    assert preview.load(db, "mckenzie", None, clock) is not None


def test_a_program_chosen_in_this_run_is_previewed_next_time(tmp_path, monkeypatch):
    """First run: no program when the database opened; the one chosen then is kept."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    db = tmp_path / "first.sqlite3"
    clock = FixedClock(local("2026-03-02 09:00"))
    coach = Coach.open(db, clock)
    coach.finish_welcome()
    coach.choose_program("mckenzie")
    coach.record_safety({})
    plan = coach.today_plan()
    coach.close()
    shown = preview.load(db, None, None, clock)
    assert shown is not None and shown.plan == plan
