"""The dashboard: one row per patient, filled in as each one's status is computed, those
who need a call first."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from backcoach.ui.clinic import rows
from backcoach.ui.clinic.messages import OpenPatient, StatusesReady, WriteReport
from backcoach.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from backcoach.coach.practice import PatientStatus


class DashboardScreen(Screen[None]):
    HELP_TITLE = "the dashboard"
    BINDINGS = [
        Binding("enter", "open", "History", tooltip="the highlighted patient's history: the "
                "screen they see themselves (esc comes back here)"),
        Binding("r", "report", "Report", tooltip="write the highlighted patient's HTML report "
                "(backcoach-ID-DATE.html in the current folder)"),
        Binding("q", "app.quit", "Quit", tooltip="quit the dashboard"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.statuses: dict[str, PatientStatus] = {}
        self.rank_of: dict[int, tuple[int, str]] = {}  # id() of a row's first cell: its rank
        self.total = 0
        self.complete = 0  # patients whose row is in full
        self.done = False
        self.now: datetime | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Opening the clinic's database…", markup=False, id="progress",
                     classes="title")
        yield DataTable(id="patients", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in rows.COLUMNS:
            table.add_column(label, width=width, key=label)

    def show_failure(self, text: str) -> None:
        self.query_one("#progress", Static).update(text)
        self.query_one("#progress", Static).add_class("danger")

    def start(self, total: int, now: datetime) -> None:
        self.total, self.now = total, now
        self._update_progress()

    def on_statuses_ready(self, message: StatusesReady) -> None:
        """Add the new rows, then sort: the cursor stays on the patient it was on, or on
        the top row (the most urgent) if it was there."""
        table = self.query_one(DataTable)
        current = self.highlighted() if table.cursor_row > 0 else None
        now = self.now or datetime.now().astimezone()
        for status in message.statuses:
            cells = rows.cells(status, now)
            self.rank_of[id(cells[0])] = rows.rank(status)
            if status.id in self.statuses:  # the full row after the first look
                for (label, _), cell in zip(rows.COLUMNS, cells, strict=True):
                    table.update_cell(status.id, label, cell, update_width=True)
            else:
                table.add_row(*cells, key=status.id)
            self.statuses[status.id] = status
        table.sort("patient", key=lambda cell: self.rank_of[id(cell)])
        if current is not None:
            table.move_cursor(row=table.get_row_index(current), animate=False)
        self.total, self.complete = message.total, message.done
        self.done = message.done >= message.total
        self._update_progress()

    def _update_progress(self) -> None:
        self.query_one("#progress", Static).update(
            rows.summary(self.total, list(self.statuses.values()), self.complete))

    def highlighted(self) -> str | None:
        """The id of the patient under the cursor, if any."""
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.post_message(OpenPatient(event.row_key.value))

    def action_open(self) -> None:
        patient = self.highlighted()
        if patient is not None:
            self.post_message(OpenPatient(patient))

    def action_report(self) -> None:
        patient = self.highlighted()
        if patient is not None:
            self.post_message(WriteReport(patient))
