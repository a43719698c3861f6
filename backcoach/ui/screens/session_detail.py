"""One session in detail: its note, sets and pain scores; an entry made by mistake is marked
void here (it stays in the log, marked, and no longer counts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from backcoach.coach import Refused, StorageError
from backcoach.domain.history import in_words
from backcoach.text import plural, printable
from backcoach.ui.access import coach_of
from backcoach.ui.screens.dialogs import ConfirmModal
from backcoach.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from backcoach.storage.queries import SessionEntry

def describe(entry: SessionEntry, title: str) -> tuple[str, str, str]:
    """(time, what, details) of one entry, in words."""
    when = f"{entry.at.astimezone():%H:%M}"
    if entry.kind == "pain":
        what = f"pain {entry.score}/10"
        details = {"before": "before the session", "after": "after the session"}.get(
            entry.context or "", "")
    else:
        what = title
        amount = plural(entry.reps, "rep") if entry.reps else (
            f"{entry.seconds} s" if entry.seconds else "")
        said = [in_words(code) for code in (entry.stop_reason, entry.symptom) if code]
        outcome = "" if entry.outcome == "completed" else entry.outcome  # the usual: unsaid
        details = ", ".join(x for x in (outcome, amount, *said) if x)
    if entry.void_at is not None:
        details = f"VOID · {details}" if details else "VOID (entered by mistake)"
    return when, what, details


class SessionModal(ModalScreen[bool]):
    """Sets and pain scores of one session; `v` marks the highlighted one void. Dismissed
    with True when something was marked void (the history behind it is then out of date)."""

    HELP_TITLE = "Session detail"
    BINDINGS = [Binding("v", "void", "Void", tooltip="mark the highlighted entry as entered by "
                        "mistake (it stays in the log, marked void, and no longer counts)"),
                Binding("escape", "close", "Close", tooltip="back to History")]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id
        self.entries: dict[str, SessionEntry] = {}
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Session #{self.session_id}", markup=False, classes="question")
            yield Static("", markup=False, id="note")
            yield DataTable(id="entries", cursor_type="row")
            yield Static("", markup=False, id="said", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#entries", DataTable).add_columns("time", "entry", "details")
        self.load()

    @work(thread=True, exclusive=True, group="session", exit_on_error=False)
    def load(self) -> None:
        coach = coach_of(self.app)
        note, entries = coach.session_entries(self.session_id)
        rows = [(f"{e.kind}:{e.id}", e, describe(e, coach.program_exercise_title(
            e.exercise_id or ""))) for e in entries]
        self.app.call_from_thread(self._show, note, rows)

    def rows_text(self) -> str:
        """What the table shows, as plain text (tests, and a screen reader's view)."""
        table = self.query_one("#entries", DataTable)
        return "\n".join("  ".join(str(c) for c in table.get_row_at(i))
                         for i in range(table.row_count))

    def _show(self, note: str | None,
              rows: list[tuple[str, SessionEntry, tuple[str, str, str]]]) -> None:
        self.query_one("#note", Static).update(
            f"Note: {printable(note)}" if note else "No note for this session.")
        table = self.query_one("#entries", DataTable)
        at = table.cursor_row
        table.clear()
        self.entries = {}
        for key, entry, cells in rows:  # stored text: printable only, never markup
            table.add_row(*(printable(c) for c in cells), key=key)
            self.entries[key] = entry
        if rows:
            table.move_cursor(row=min(at, len(rows) - 1))

    def _highlighted(self) -> SessionEntry | None:
        table = self.query_one("#entries", DataTable)
        if not self.entries or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.entries.get(key or "")

    def action_void(self) -> None:
        entry = self._highlighted()
        if entry is None:
            return
        if entry.void_at is not None:
            self.query_one("#said", Static).update("That entry is void already.")
            return
        label = "set" if entry.kind == "set" else "pain score"
        question = (f"Mark this {label} as entered by mistake? It stays in your log marked "
                    "void, and no longer counts in plans, history or reports.")
        self.app.push_screen(ConfirmModal(question), lambda answer: self._answered(entry, answer))

    def _answered(self, entry: SessionEntry, answer: str | None) -> None:
        if answer == "yes":
            self._void(entry)

    @work(thread=True, exclusive=True, group="session", exit_on_error=False)
    def _void(self, entry: SessionEntry) -> None:
        try:
            coach_of(self.app).void_entry(entry.kind, entry.id, "app")
            said = "Marked void: it no longer counts."
            self.changed = True
        except (Refused, StorageError) as error:
            said = f"Not changed: {error}"
        self.app.call_from_thread(self.query_one("#said", Static).update, said)
        self.load()

    def action_close(self) -> None:
        self.dismiss(self.changed)
