"""Realistic made-up history for newcomers and benchmarks, written with bulk inserts.

Adherence drifts, pain mostly improves with flare-ups, one acute episode, a few
stopped sets, weekly red-flag checks. The McKenzie order is respected.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from itertools import takewhile
from typing import Any

from backcoach.domain.program import Program
from backcoach.storage.database import Database, StorageError
from backcoach.storage.repository import holds_data
from backcoach.storage.types import to_db


COLUMNS = {
    "program_text": "id, program_id, version, content_hash, text, stored_at",
    "session": "id, started_at, ended_at, program_id, program_version, program_hash, source, note",
    "exercise_set": "id, session_id, exercise_id, program_id, program_version, program_hash, "
                    "started_at, ended_at, reps, hold_seconds, outcome, stop_reason, "
                    "symptom_response, follow_up",
    "pain_score": "id, at, score, context, location, session_id",
    "acute_episode": "id, started_at, ended_at",
    "red_flag_check": "id, at, answers, positive",
    "setting": "key, value",
}


class DemoWriter:
    """Collects rows with explicit ids, then inserts each table with one executemany."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple]] = {t: [] for t in (
            "program_text", "session", "exercise_set", "pain_score", "acute_episode",
            "red_flag_check", "setting")}

    def add(self, table: str, *values: Any) -> int:
        self.rows[table].append(values)
        return len(self.rows[table])

    def write(self, database: Database) -> dict[str, int]:
        with database.write() as conn:
            if holds_data(conn):
                raise StorageError("demo refuses a database that already holds data; "
                                   "use --db NEW.sqlite3")
            for table, rows in self.rows.items():
                if rows:
                    if table == "setting":
                        conn.exec_driver_sql("DELETE FROM setting")
                    marks = ", ".join("?" for _ in rows[0])
                    conn.exec_driver_sql(
                        f"INSERT INTO {table} ({COLUMNS[table]}) VALUES ({marks})", rows)
        return {t: len(r) for t, r in self.rows.items()}


def generate(program: Program, days: int, seed: int, today: date,
             progress: Callable[[int, int], None] | None = None,
             until: datetime | None = None) -> DemoWriter:
    """Build `days` days of history ending `today` (local), deterministic for a seed.

    With `until` (now), nothing later is written: today's log stops at the present.
    """
    rng = random.Random(seed)
    out = DemoWriter()
    first = today - timedelta(days=days - 1)
    stamp = to_db(datetime.combine(first, time(7)).astimezone())
    out.add("program_text", 1, program.id, program.version, program.content_hash,
            program.source_text, stamp)
    ids = {e.id for e in program.exercises}
    acute_start = days // 3 if days >= 30 else None
    drift, flare = 0.0, 0.0
    lf_days = 0
    sf_days = 0
    for n in range(days):
        day = first + timedelta(days=n)
        if progress and n % 365 == 0:
            progress(n, days)
        drift = max(-0.5, min(0.2, drift + rng.gauss(0, 0.03)))
        adherence = max(0.1, min(1.0, 0.7 + 0.2 * math.sin(n / 14) + drift))
        if rng.random() < 1 / 60:
            flare = rng.uniform(2, 3.5)
        flare *= 0.75
        base = 2 + 4.5 * math.exp(-n / 120) + flare + rng.gauss(0, 0.4)
        in_acute = acute_start is not None and acute_start <= n < acute_start + 4
        if acute_start is not None and n == acute_start:
            out.add("acute_episode", None, _at(day, 7, 30),
                    _at(day + timedelta(days=4), 8, 0))
        if in_acute:
            base = 8 + rng.random()
        out.add("pain_score", None, _at(day, 7, rng.randint(0, 40)), _pain(base + 0.8, rng),
                "standalone", None, None)
        if n % 7 == 0:
            answers = {"bladder_bowel": False, "leg_weakness": False, "fracture_risk": False,
                       "trauma": False, "fever_unwell": False, "spreading_leg_pain": False}
            out.add("red_flag_check", None, _at(day, 7, 45), json.dumps(answers, sort_keys=True),
                    0)
        if in_acute:
            continue
        sessions = min(8, max(0, round(adherence * 7 + rng.gauss(0, 0.7))))
        did_lf = did_sf = False
        for k in range(sessions):
            start = datetime.combine(day, time(8)) + timedelta(
                hours=2 * k, minutes=rng.randint(0, 25))
            before = _pain(base - 0.2 * k, rng)
            session = out.add("session", None, to_db(start.astimezone()), None, program.id,
                              program.version, program.content_hash, "tui", None)
            clock = start
            out.add("pain_score", None, to_db(clock.astimezone()), before, "before", None,
                    session)
            plan = ["prone-lying", "prone-on-elbows", "prone-press-up"]
            if n >= 2 and k < 3 and "lying-flexion" in ids:
                plan += ["lying-flexion", "prone-press-up*"]
                did_lf = True
            if lf_days >= 35 and k < 3 and "sitting-flexion" in ids:
                plan += ["sitting-flexion", "prone-press-up*"]
                did_sf = True
            if sf_days >= 14 and k == 0 and "standing-flexion" in ids:
                plan += ["standing-flexion", "prone-press-up*"]
            for item in plan:
                follow_up = item.endswith("*")
                exercise = item.rstrip("*")
                length = 150 if exercise in ("prone-lying", "prone-on-elbows") else 60
                begun, clock = clock, clock + timedelta(seconds=length + 20)
                stopped = rng.random() < 0.015
                spreading = stopped and rng.random() < 0.1
                reps = None if length == 150 else (10 if exercise == "prone-press-up" else 6)
                out.add("exercise_set", None, session, exercise, program.id, program.version,
                        program.content_hash, to_db(begun.astimezone()),
                        to_db(clock.astimezone()), reps, length if length == 150 else None,
                        "stopped" if stopped else "completed",
                        ("spreading" if spreading else "pain") if stopped else None,
                        rng.choice(["centralising", "same", "same"]) if not stopped else None,
                        int(follow_up))
                if stopped:
                    break
            after = max(0, min(10, before - rng.choice([0, 1, 1, 1, 2])))
            out.add("pain_score", None, to_db(clock.astimezone()), after, "after", None, session)
            _end_session(out, session, clock)
        lf_days = lf_days + 1 if did_lf else 0
        sf_days = sf_days + 1 if did_sf else sf_days
    if until is not None:
        _drop_after(out, to_db(until))
    _number(out)
    out.add("setting", "program", program.id)
    out.add("setting", "welcome_done", "1")
    return out


def _at(day: date, hour: int, minute: int) -> str:
    return to_db(datetime.combine(day, time(hour, minute)).astimezone())


def _pain(level: float, rng: random.Random) -> int:
    return max(0, min(10, round(level + rng.gauss(0, 0.6))))


def _end_session(out: DemoWriter, session: int, end: datetime) -> None:
    row = list(out.rows["session"][session - 1])
    row[2] = to_db(end.astimezone())
    out.rows["session"][session - 1] = tuple(row)


def _drop_after(out: DemoWriter, until: str) -> None:
    """Drop sessions not finished by `until` (a trailing run: they are made in time order),
    and every set, pain score and safety check after it."""
    sessions = list(takewhile(lambda row: row[2] <= until, out.rows["session"]))
    kept = len(sessions)  # session ids are positions, so the kept ones keep their ids
    out.rows["session"] = sessions
    out.rows["exercise_set"] = [row for row in out.rows["exercise_set"]
                                if row[1] <= kept and row[7] <= until]
    out.rows["pain_score"] = [row for row in out.rows["pain_score"]
                              if row[1] <= until and (row[5] is None or row[5] <= kept)]
    out.rows["red_flag_check"] = [row for row in out.rows["red_flag_check"] if row[1] <= until]


def _number(out: DemoWriter) -> None:
    """Give every row its id: its position in the table."""
    for table in ("session", "exercise_set", "pain_score", "acute_episode", "red_flag_check"):
        out.rows[table] = [(i,) + row[1:] for i, row in enumerate(out.rows[table], 1)]
