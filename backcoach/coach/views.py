"""The log as people read it: exercise titles, not ids; the patient's words, not codes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backcoach.domain.history import in_words


@dataclass(frozen=True)
class SessionView:
    """One session of the history list, in words."""

    id: int
    started_at: datetime
    program_version: str
    exercises: str  # "Prone lying ×2, Prone on elbows"
    pain_before: int | None
    pain_after: int | None
    stops: str  # "Prone on elbows: pain spread down the leg"
    note: str


def titles_in_order(ids: Sequence[str], title_of: Callable[[str], str]) -> str:
    """Titles in the order done, repeats counted: "Prone lying ×2, Prone on elbows"."""
    counts: dict[str, int] = {}
    for ident in ids:
        counts[ident] = counts.get(ident, 0) + 1
    return ", ".join(title_of(i) + (f" ×{n}" if n > 1 else "") for i, n in counts.items())


def session_view(line: Any, title_of: Callable[[str], str]) -> SessionView:
    """A storage SessionLine in words."""
    stops = ", ".join(f"{title_of(ident)}: {in_words(reason) or 'stopped'}"
                      for ident, reason in line.stops)
    return SessionView(line.id, line.started_at, line.program_version,
                       titles_in_order(line.exercises, title_of), line.pain_before,
                       line.pain_after, stops, line.note or "")
