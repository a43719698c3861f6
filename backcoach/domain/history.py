"""What the patient has done, as the rules engine sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from backcoach.domain.status import Outcome

COMPLETED = Outcome.COMPLETED
PARTIAL = Outcome.PARTIAL
STOPPED = Outcome.STOPPED

STOP_PAIN = "pain"
STOP_SPREADING = "spreading"
STOP_OTHER = "other"

CENTRALISING = "centralising"
SAME = "same"
PERIPHERALISING = "peripheralising"

#: the stored codes in the patient's own words (SPEC §3, symptom response; the questions
#: in ui/screens/dialogs.py): what history, reports and summaries show
STOP_WORDS = {STOP_PAIN: "it hurt", STOP_SPREADING: "pain spread down the leg",
              STOP_OTHER: "something else"}
SYMPTOM_WORDS = {CENTRALISING: "pain moved towards the middle of the back", SAME:
                 "pain about the same", PERIPHERALISING: "pain spread further down the leg"}


def in_words(code: str | None) -> str:
    """A stop reason or symptom response as the patient said it ("" for none)."""
    if not code:
        return ""
    return STOP_WORDS.get(code) or SYMPTOM_WORDS.get(code) or code


@dataclass(frozen=True)
class SetRecord:
    """One set, completed or stopped. Times are timezone-aware."""

    exercise_id: str
    ended_at: datetime
    outcome: str = COMPLETED
    follow_up: bool = False
    stop_reason: str | None = None
    symptom: str | None = None
    session_id: int | None = None
    reps: int | None = None
    seconds: int | None = None

    @property
    def completed(self) -> bool:
        return self.outcome == COMPLETED

    @property
    def spread_pain(self) -> bool:
        """Pain spread down the leg during or after this set."""
        return self.stop_reason == STOP_SPREADING or self.symptom == PERIPHERALISING


@dataclass(frozen=True)
class PainScore:
    at: datetime
    score: int
    context: str = "standalone"  # before | after | standalone


@dataclass(frozen=True)
class RedFlagCheck:
    at: datetime
    positive: bool


@dataclass(frozen=True)
class History:
    """A bounded window of the log: what the rules need, and no more.

    `sets` holds the recent sets in time order (at least the window the
    program's rules look back over); `session` the sets of the current
    session; `first_done` the first completed set of each exercise ever.
    """

    sets: tuple[SetRecord, ...] = ()
    session: tuple[SetRecord, ...] = ()
    first_done: dict[str, datetime] = field(default_factory=dict)
    acute_since: datetime | None = None
    pain_today: tuple[PainScore, ...] = ()
    last_red_flag: RedFlagCheck | None = None
    #: pain scores of the program's acute window before now (may reach into yesterday)
    pain_recent: tuple[PainScore, ...] = ()
    #: pain scores of the last five weeks (is the pain easing?)
    pain_weeks: tuple[PainScore, ...] = ()
    #: every local day with a completed set, for exercises whose whole practice counts
    #: (unlock prerequisites, progressions)
    practice_days: dict[str, tuple[date, ...]] = field(default_factory=dict)
    #: the local day of each of `sets` (in the same order, in the time zone the plan is
    #: made for), when the caller has them at hand; empty: the engine works them out
    set_days: tuple[date, ...] = ()


@dataclass(frozen=True)
class CheckIn:
    """What the patient said before a session."""

    pain: int | None = None
    cannot_lie_down: bool = False


def recent_pain(weeks: tuple[PainScore, ...], now: datetime, window: timedelta
                ) -> tuple[PainScore, ...]:
    """The pain scores of the acute window before `now`, from those of the last weeks."""
    since = now - window
    return tuple(p for p in weeks if p.at >= since)


def current_session(sets: tuple[SetRecord, ...] | list[SetRecord], now: datetime,
                    gap: timedelta) -> tuple[SetRecord, ...]:
    """The trailing run of sets each within `gap` of the next, ending within `gap` of now."""
    ordered = sorted((s for s in sets if s.ended_at <= now), key=lambda s: s.ended_at)
    run: list[SetRecord] = []
    cursor = now
    for record in reversed(ordered):
        if cursor - record.ended_at > gap:
            break
        run.append(record)
        cursor = record.ended_at
    return tuple(reversed(run))
