"""What a dashboard row shows: a patient's status as table cells, in words (pure; no
Textual). Text from the database is data: `printable`, in `rich.text.Text`, never markup."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.text import Text

from backcoach.coach.practice import PatientStatus
from backcoach.text import printable

#: (label, width; None: as wide as its text): at 80 columns the flags start at column 54,
#: the program (the same for most patients) comes last
COLUMNS: tuple[tuple[str, int | None], ...] = (
    ("patient", 16), ("last session", 12), ("7 d", 4), ("30 d", 4), ("pain", 7),
    ("flags", None), ("program", None))
URGENT_STYLE = "bold red"
CALL_STYLE = "yellow"


def rank(status: PatientStatus) -> tuple[int, str]:
    """Sort key: urgent first, then whoever needs a call, then the rest; by id within."""
    return (0 if status.urgent else 1 if status.needs_call else 2, status.id)


def last_session(when: datetime | None, now: datetime, tz: tzinfo | None = None) -> str:
    """"today", "yesterday", "3 days ago", "never" (the clinic's local days)."""
    if when is None:
        return "never"
    days = (now.astimezone(tz).date() - when.astimezone(tz).date()).days
    return "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def pain(first: float | None, last: float | None) -> str:
    """Mean pain in the first week of the log → the last 7 days ("6.2→3.1")."""
    if first is None and last is None:
        return "—"
    shown = ["?" if v is None else f"{v:.1f}" for v in (first, last)]
    return "→".join(shown)


def cells(status: PatientStatus, now: datetime, tz: tzinfo | None = None) -> tuple[Text, ...]:
    """The row of one patient, each cell a plain Text (no markup read)."""
    style = URGENT_STYLE if status.urgent else CALL_STYLE if status.needs_call else ""
    flags = "; ".join(status.flags) if status.flags else "—"
    name = Text(printable(f"{status.id} {status.name}"), style=style, overflow="ellipsis",
                no_wrap=True)
    values = (last_session(status.last_session, now, tz), percent(status.adherence_7),
              percent(status.adherence_30), pain(status.pain_first_week, status.pain_last_week))
    if not status.complete:  # a first look: the figures are still being read
        values = (values[0], "…", "…", "…")
    return (name, *(Text(v, no_wrap=True) for v in values),
            Text(printable(flags), style=style), Text(printable(status.program or "none")))


def summary(total: int, shown: list[PatientStatus], complete: int) -> str:
    """The line above the table: progress while loading, then who needs a call."""
    urgent = sum(s.urgent for s in shown)
    call = sum(s.needs_call for s in shown)
    done = complete >= total
    head = f"{total} patients" if done else f"Loading: {complete} of {total} patients…"
    if not total and done:
        return "No patients yet: backcoach clinic add-patient ID --name NAME"
    return f"{head} · {call} to call ({urgent} now) · enter: history · r: report"
