"""Schema versions as explicit SQL steps, tracked in PRAGMA user_version.

Version 1 is the first released schema (a file made by it is kept in
tests/data/). Each step runs inside the one upgrade transaction.
"""

from __future__ import annotations

APPLICATION_ID = 0x42434B48  # "BCKH": marks a backcoach database

V1 = """
CREATE TABLE program_text (
    id INTEGER PRIMARY KEY, program_id TEXT NOT NULL, version TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE, text TEXT NOT NULL, stored_at TEXT NOT NULL);
CREATE TABLE session (
    id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, ended_at TEXT,
    program_id TEXT NOT NULL, program_version TEXT NOT NULL, program_hash TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'cli', note TEXT);
CREATE TABLE exercise_set (
    id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES session(id),
    exercise_id TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT NOT NULL,
    reps INTEGER, hold_seconds INTEGER, outcome TEXT NOT NULL, stop_reason TEXT,
    follow_up INTEGER NOT NULL DEFAULT 0);
CREATE INDEX ix_set_exercise_ended ON exercise_set(exercise_id, ended_at);
CREATE TABLE pain_score (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    context TEXT NOT NULL, session_id INTEGER REFERENCES session(id));
CREATE INDEX ix_pain_at ON pain_score(at);
CREATE TABLE acute_episode (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, ended_at TEXT);
CREATE TABLE red_flag_check (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, answers TEXT NOT NULL, positive INTEGER NOT NULL);
CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# Version 2: each set records the program it followed and the symptom response;
# pain scores get an optional location; indexes for bounded rule windows.
V2 = """
CREATE TABLE exercise_set_new (
    id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES session(id),
    exercise_id TEXT NOT NULL, program_id TEXT NOT NULL, program_version TEXT NOT NULL,
    program_hash TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT NOT NULL,
    reps INTEGER, hold_seconds INTEGER,
    outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'stopped')),
    stop_reason TEXT, symptom_response TEXT, follow_up INTEGER NOT NULL DEFAULT 0);
INSERT INTO exercise_set_new
    SELECT s.id, s.session_id, s.exercise_id, se.program_id, se.program_version,
           se.program_hash, s.started_at, s.ended_at, s.reps, s.hold_seconds, s.outcome,
           s.stop_reason, NULL, s.follow_up
    FROM exercise_set s JOIN session se ON se.id = s.session_id;
DROP TABLE exercise_set;
ALTER TABLE exercise_set_new RENAME TO exercise_set;
CREATE INDEX ix_set_ended ON exercise_set(ended_at);
CREATE INDEX ix_set_exercise_outcome_ended ON exercise_set(exercise_id, outcome, ended_at);
CREATE INDEX ix_set_session ON exercise_set(session_id);
ALTER TABLE pain_score ADD COLUMN location TEXT;
CREATE INDEX ix_acute_started ON acute_episode(started_at);
CREATE INDEX ix_red_flag_at ON red_flag_check(at);
CREATE INDEX ix_session_started ON session(started_at);
"""

# Version 3: the history view joins pain scores to sessions; index that join.
V3 = """
CREATE INDEX ix_pain_session ON pain_score(session_id, context);
"""

# Version 4: a set ended before its dose is recorded as 'partial' (it happened, with what
# was done, and does not count towards the day's sets).
V4 = """
CREATE TABLE exercise_set_new (
    id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES session(id),
    exercise_id TEXT NOT NULL, program_id TEXT NOT NULL, program_version TEXT NOT NULL,
    program_hash TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT NOT NULL,
    reps INTEGER, hold_seconds INTEGER,
    outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'partial', 'stopped')),
    stop_reason TEXT, symptom_response TEXT, follow_up INTEGER NOT NULL DEFAULT 0);
INSERT INTO exercise_set_new SELECT * FROM exercise_set;
DROP TABLE exercise_set;
ALTER TABLE exercise_set_new RENAME TO exercise_set;
CREATE INDEX ix_set_ended ON exercise_set(ended_at);
CREATE INDEX ix_set_exercise_outcome_ended ON exercise_set(exercise_id, outcome, ended_at);
CREATE INDEX ix_set_session ON exercise_set(session_id);
"""

STEPS: dict[int, str] = {1: V1, 2: V2, 3: V3, 4: V4}
LATEST = max(STEPS)
