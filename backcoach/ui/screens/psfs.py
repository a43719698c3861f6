"""The activity scale (Patient-Specific Functional Scale): up to five activities that are
hard because of the back, each rated 0-10. Last time's activities come back to be rated
again; esc leaves without saving anything (a weekly ask then waits for tomorrow)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from backcoach.domain.psfs import MAX_ACTIVITIES, MAX_NAME, SCALE_TEXT, Assessment
from backcoach.ui.access import coach_of
from backcoach.ui.widgets.key_footer import KeyFooter

INTRO = ("Name up to five activities you are unable to do, or find hard, because of your "
         f"back, and rate each: {SCALE_TEXT}.")
AGAIN = "Last time's activities are filled in: rate them again (clear a name to leave it out)."


class PsfsScreen(Screen[Assessment | None]):
    """Dismisses with the saved assessment, or None when left with esc."""

    HELP_TITLE = "Activity scale"
    BINDINGS = [Binding("ctrl+s", "save", "Save", tooltip="save the ratings"),
                Binding("escape", "skip", "Not now", tooltip="leave without saving (a weekly "
                        "ask comes back tomorrow)"),
                Binding("ctrl+q", "app.quit", "Quit", tooltip="quit backcoach")]
    DEFAULT_CSS = """
    PsfsScreen .psfs-row { height: 1; margin-bottom: 1; }
    PsfsScreen .psfs-name { width: 1fr; }
    PsfsScreen .psfs-score { width: 8; margin-left: 2; }
    PsfsScreen #psfs-rows { height: auto; max-height: 10; padding: 0 1; }
    """

    def __init__(self, activities: list[str] | None = None) -> None:
        super().__init__()
        self.activities = list(activities or [])[:MAX_ACTIVITIES]
        self.saving = False
        self.saved: Assessment | None = None  # saved while another screen was on top

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Activity scale (PSFS)", markup=False, classes="title")
        yield Static(INTRO + ("\n" + AGAIN if self.activities else ""), markup=False,
                     classes="panel")
        with VerticalScroll(id="psfs-rows"):
            for number in range(MAX_ACTIVITIES):
                name = self.activities[number] if number < len(self.activities) else ""
                with Horizontal(classes="psfs-row"):
                    yield Input(name, placeholder=f"activity {number + 1}", compact=True,
                                max_length=MAX_NAME, id=f"name-{number}", classes="psfs-name")
                    yield Input(placeholder="0-10", compact=True, max_length=2,
                                restrict=r"\d{0,2}", id=f"score-{number}",
                                classes="psfs-score")
        yield Static("enter: next field · ctrl+s: save · esc: not now", markup=False,
                     id="psfs-status", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#score-0" if self.activities else "#name-0", Input).focus()

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        """enter moves on (from a rating to the next named activity's rating); enter on an
        empty name, or on the last rating, saves."""
        ident = event.input.id or ""
        kind, _, number = ident.partition("-")
        if kind == "name" and not event.value.strip():
            self.action_save()
        elif ident == f"score-{MAX_ACTIVITIES - 1}":
            self.action_save()
        elif kind == "score" and self.query_one(f"#name-{int(number) + 1}", Input).value:
            self.query_one(f"#score-{int(number) + 1}", Input).focus()
        else:
            self.focus_next(Input)

    def ratings(self) -> tuple[list[tuple[str, int]], str | None]:
        """The filled rows as (activity, score), and what is missing (None: complete)."""
        out: list[tuple[str, int]] = []
        for number in range(MAX_ACTIVITIES):
            name = self.query_one(f"#name-{number}", Input).value.strip()
            score = self.query_one(f"#score-{number}", Input).value.strip()
            if not name and not score:
                continue
            if not name:
                return out, f"Activity {number + 1} has a rating but no name."
            if not score.isdigit() or not 0 <= int(score) <= 10:
                return out, f"Rate activity {number + 1} from 0 to 10."
            out.append((name, int(score)))
        if not out:
            return out, "Name at least one activity and rate it, or press esc for not now."
        return out, None

    def action_save(self) -> None:
        if self.saving or self.saved is not None:
            return
        ratings, missing = self.ratings()
        if missing:
            self.query_one("#psfs-status", Static).update(missing)
            return
        self.saving = True
        self.save(ratings)

    @work(thread=True, exclusive=True, group="psfs", exit_on_error=False)
    def save(self, ratings: list[tuple[str, int]]) -> None:
        from backcoach.coach.errors import Refused

        try:
            saved = coach_of(self.app).record_psfs(ratings)
        except Refused as refusal:
            self.app.call_from_thread(self._refused, str(refusal))
            return
        except Exception:  # the app's worker handler says what went wrong
            self.app.call_from_thread(self._refused, "try again (ctrl+s)")
            raise
        self.app.call_from_thread(self._saved, saved)

    def _refused(self, reason: str) -> None:
        self.saving = False
        self.query_one("#psfs-status", Static).update(f"Not saved: {reason}.")

    def _saved(self, saved: Assessment) -> None:
        self.saved = saved
        if self.app.screen is self:
            self.dismiss(saved)

    def on_screen_resume(self) -> None:
        if self.saved is not None:  # saved while the command palette was open
            self.dismiss(self.saved)

    def action_skip(self) -> None:
        if not self.saving:
            self.dismiss(None)
