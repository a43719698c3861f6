"""Use cases over the whole log: history, export, import, made-up demo history."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from backcoach.coach.errors import Refused
from backcoach.coach.parts import CoachParts

if TYPE_CHECKING:
    from backcoach.coach.views import SessionView
    from backcoach.domain.history import History
    from backcoach.domain.trends import Summary
    from backcoach.storage.database import Database
    from backcoach.storage.queries import Marker, SessionEntry

def read_export(path: Path) -> str:
    """Read and validate a JSON export without any database (so a refused file leaves no
    database behind): a regular file under the import cap, UTF-8. OSError or
    UnicodeDecodeError when it cannot be read; StorageError listing every problem."""
    from backcoach.paths import read_regular_file
    from backcoach.storage.exchange import MAX_IMPORT, load_export

    text = read_regular_file(path, MAX_IMPORT).decode("utf-8")
    load_export(text, str(path))
    return text


class RecordActions(CoachParts):
    """Mixed into Coach: the log as a whole."""

    def is_empty(self) -> bool:
        return self.repo.is_empty()

    def today(self) -> date:
        return self.clock().astimezone(self.tz).date()

    # --- history -------------------------------------------------------------------------------
    def history(self, days: int | None) -> Summary:
        """The history view's aggregates over the last `days` days (None: all); adherence
        counts every exercise unlocked now (never done: 0), not the locked ones."""
        return self.summaries((days,))[1][0]

    def summaries(self, ranges: Sequence[int | None]) -> tuple[History, tuple[Summary, ...]]:
        """The rules' view of the log, read once, and `history(days)` for each of `ranges`
        (they share its targets)."""
        from backcoach.domain.engine import locked_exercises
        from backcoach.domain.trends import daily_targets
        from backcoach.storage.queries import history_summary

        program, now = self._program(), self.clock()
        history = self.repo.history(program, now, None)
        targets = daily_targets(program, locked_exercises(program, history, now, self.tz))
        titles = {e.id: e.title for e in program.exercises}
        return history, tuple(history_summary(self.repo.db, self.today(), days, targets, titles)
                              for days in ranges)

    def history_details(self, days: int | None, sessions: int = 100) -> dict[str, Any]:
        """Recent sessions, and acute episodes / safety checks for the timeline."""
        return {"sessions": self.recent_sessions(sessions), "markers": self.markers(days)}

    def recent_sessions(self, limit: int = 100) -> list[SessionView]:
        """The latest sessions in words: titles, stop reasons as said, the note."""
        from backcoach.coach.views import session_view
        from backcoach.storage.queries import recent_sessions

        return [session_view(line, self.program_exercise_title)
                for line in recent_sessions(self.repo.db, limit)]

    def markers(self, days: int | None) -> list[Marker]:
        from backcoach.storage.queries import timeline_markers

        return timeline_markers(self.repo.db, self.today(), days)

    def session_entries(self, session_id: int) -> tuple[str | None, list[SessionEntry]]:
        """A session's note, and its sets and pain scores (void ones marked)."""
        from backcoach.storage.queries import session_entries

        return session_entries(self.repo.db, session_id)

    # --- export and import -------------------------------------------------------------------
    def report_html(self, days: int | None) -> str:
        """The HTML report of the last `days` days (None: all): pain chart, adherence,
        sessions, activity scale; for the patient or their clinician."""
        from backcoach.report import render_report

        program = self._program()
        return render_report(self.history(days), program.title, self.markers(days),
                             self.recent_sessions(30), psfs=self.psfs_history())

    def export_to(self, kind: str, out: TextIO) -> None:
        """Stream the whole log as csv, json or fhir text into `out`, row by row."""
        self._writer(kind)(self.repo.db, out)

    def export(self, kind: str, path: Path) -> Path:
        """Write an export file for the user to take elsewhere: 0600, atomic (a failure
        leaves no partial file and any earlier file at `path` as it was)."""
        from backcoach.paths import replacing_private_file

        writer = self._writer(kind)
        path = path.expanduser()
        with replacing_private_file(path) as out:
            writer(self.repo.db, out)
        return path

    @staticmethod
    def _writer(kind: str) -> Callable[[Database, TextIO], None]:
        from backcoach.storage.export_writers import WRITERS

        if kind not in WRITERS:
            raise Refused(f"unknown export format {kind!r} (csv, json or fhir)")
        return WRITERS[kind]

    def import_text(self, text: str, source: str = "export") -> dict[str, int]:
        """Restore a JSON export into this (empty) database; counts per section. On a
        clinic's server the export is filed into the patient's log (only what is new)."""
        from backcoach.storage.exchange import import_json

        if self.repo.on_clinic:
            from backcoach.storage.merge import merge_json

            return merge_json(self.repo.db, text, source, self.tz)
        return import_json(self.repo.db, text, source, self.tz)

    # --- demo ----------------------------------------------------------------------------------
    def demo(self, days: int, seed: int,
             progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
        """Fill an empty database with made-up history that follows the active program."""
        from backcoach.coach.demo import write_demo

        if self.repo.on_clinic:
            raise Refused("demo writes made-up history; a clinic's database keeps patients' "
                          "real logs: use --db NEW.sqlite3")
        if not self.repo.is_empty():
            raise Refused("demo refuses a database that already holds data; "
                          "use --db NEW.sqlite3")
        return write_demo(self.repo, self._program(), days, seed, self.clock(), self.tz,
                          progress)
