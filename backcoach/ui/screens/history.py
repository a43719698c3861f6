"""History: pain trend, before/after, adherence heat map, insights, sessions; export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, Input, Static
from textual.worker import get_current_worker

from backcoach.domain.psfs import chart_lines as psfs_lines
from backcoach.domain.trends import overview_lines
from backcoach.text import printable
from backcoach.ui.access import coach_of
from backcoach.ui.messages import HistoryReady
from backcoach.ui.screens.session_detail import SessionModal
from backcoach.ui.widgets.key_footer import KeyFooter
from backcoach.ui.widgets.trend_chart import TrendChart, chart_lines, heatmap_lines


def clip(text: str, width: int) -> str:
    """At most `width` characters, with "…" when cut."""
    return text if len(text) <= width else text[:width - 1] + "…"


RANGES = {"1": (30, "30 days"), "2": (90, "90 days"), "3": (365, "1 year"), "4": (None, "all")}


class HistoryScreen(Screen[None]):
    HELP_TITLE = "History"
    BINDINGS = [Binding("1", "range('1')", "30 days", tooltip="the last 30 days"),
                Binding("2", "range('2')", "90 days", tooltip="the last 90 days"),
                Binding("3", "range('3')", "1 year", tooltip="the last year"),
                Binding("4", "range('4')", "All", tooltip="everything logged"),
                Binding("enter", "session", "Sets", show=False,
                        tooltip="the highlighted session: its sets and pain scores, where v "
                        "marks one entered by mistake as void"),
                Binding("e", "app.export", "Export", tooltip="export your log (CSV, JSON, "
                        "FHIR)"),
                Binding("escape", "back", "Back", tooltip="back to Today")]

    def __init__(self) -> None:
        super().__init__()
        self.range_key = "1"
        self.cache: dict[str, dict] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("History — loading…", markup=False, id="range", classes="title")
        with VerticalScroll(id="history"):
            yield TrendChart(id="chart")
            yield Static("", markup=False, id="overview", classes="panel")
            yield Static("", markup=False, id="heatmap", classes="panel")
            yield Static("", markup=False, id="psfs", classes="panel")
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_columns("date", "version", "exercises", "pain", "stops", "note")
        self.load()

    def action_range(self, key: str) -> None:
        self.range_key = key
        if key in self.cache:
            self.post_message(HistoryReady(self.cache[key]))
        else:
            self.load()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load(self) -> None:
        """Aggregates in SQL and the chart text, off the event loop; then the other ranges,
        so that switching is instant. A newer load cancels this one, which stops at its next
        step instead of computing ranges nobody waits for."""
        worker = get_current_worker()
        first = self.range_key
        data = self._compute(first, lambda: worker.is_cancelled)
        if data is None:
            return  # superseded: a newer load runs
        self.cache[first] = data
        self.post_message(HistoryReady(data))
        for key in RANGES:
            if key not in self.cache:
                data = self._compute(key, lambda: worker.is_cancelled)
                if data is None:
                    return
                self.cache[key] = data

    def _compute(self, key: str, cancelled: Callable[[], bool]) -> dict | None:
        """One range's view; None as soon as `cancelled()` says nobody waits for it."""
        days, label = RANGES[key]
        coach = coach_of(self.app)
        if cancelled():
            return None
        summary = coach.history(days)
        if cancelled():
            return None
        details = coach.history_details(days)
        if cancelled():
            return None
        start = summary.last_day - timedelta(days=days - 1) if days else None
        chart = chart_lines(summary, details["markers"], width=70, start=start)
        psfs = printable("\n".join(psfs_lines(coach.psfs_history())), keep="\n")
        return {"summary": summary, "details": details, "chart": chart, "label": label,
                "psfs": psfs}

    def on_history_ready(self, message: HistoryReady) -> None:
        data = message.data
        if data["label"] != RANGES[self.range_key][1]:
            return  # a late answer for a range the user has left
        summary = data["summary"]
        self.query_one("#range", Static).update(
            f"History — {data['label']} (1–4: range · enter: a session in detail)")
        self.query_one(TrendChart).show(data["chart"])
        self.query_one("#overview", Static).update("\n".join(overview_lines(summary)))
        self.query_one("#heatmap", Static).update(
            "Sets done against the prescribed dose, last 12 weeks\n"
            + "\n".join(heatmap_lines(summary)))
        self.query_one("#psfs", Static).update(data.get("psfs", ""))
        table = self.query_one("#sessions", DataTable)
        table.clear()
        for line in data["details"]["sessions"]:
            pain = f"{'?' if line.pain_before is None else line.pain_before}→" \
                   f"{'?' if line.pain_after is None else line.pain_after}"
            table.add_row(*(Text(printable(str(v))) for v in (
                f"{line.started_at.astimezone():%Y-%m-%d %H:%M}", line.program_version,
                clip(line.exercises, 40), pain, clip(line.stops, 50), clip(line.note, 40))),
                key=str(line.id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.show_session(int(event.row_key.value or 0))

    def action_session(self) -> None:
        """Enter when the table is not focused: the highlighted session's sets."""
        table = self.query_one("#sessions", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            self.show_session(int(key.value or 0))

    def show_session(self, session_id: int) -> None:
        self.app.push_screen(SessionModal(session_id), self._after_session)

    def _after_session(self, changed: bool | None) -> None:
        """An entry was marked void in the detail: every range is recomputed."""
        if changed:
            self.cache.clear()
            self.load()

    def action_back(self) -> None:
        self.dismiss(None)


class ExportModal(ModalScreen[None]):
    """Export to a file the user names (default in the home folder)."""

    BINDINGS = [Binding("escape", "close", "Cancel")]

    def compose(self) -> ComposeResult:
        default = f"~/backcoach-export-{date.today():%Y%m%d}.csv"
        with Vertical(classes="dialog"):
            yield Static("Export your log. Type a file name ending in .csv, .json or "
                         ".fhir.json, then enter.", markup=False)
            yield Input(value=default, id="path")
            yield Static("", markup=False, id="result")
        yield KeyFooter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        kind = "fhir" if name.endswith(".fhir.json") else "json" if name.endswith(".json") \
            else "csv"
        self.export(kind, Path(name))

    @work(thread=True, exclusive=True, group="db", exit_on_error=False)
    def export(self, kind: str, path: Path) -> None:
        try:
            written = coach_of(self.app).export(kind, path)
            text = f"Exported to {written}. Press escape to close."
        except OSError as error:
            text = f"Could not write {path}: {error.strerror or error}"
        self.app.call_from_thread(self.query_one("#result", Static).update, text)

    def action_close(self) -> None:
        self.dismiss(None)
