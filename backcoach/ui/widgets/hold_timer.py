"""HoldTimer: get ready, then count the hold down with a bar; bell at the end.

Time comes from the injected clock, so tests move the clock instead of waiting.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Digits, Label, ProgressBar


def mmss(seconds: float) -> str:
    whole = max(0, int(round(seconds)))
    return f"{whole // 60}:{whole % 60:02d}"


class HoldTimer(Vertical):
    """A get-ready countdown, then a hold (or relax) countdown."""

    DEFAULT_CSS = """
    HoldTimer { height: auto; }
    HoldTimer Digits { width: auto; }
    HoldTimer ProgressBar { margin-top: 1; }
    """

    @dataclass
    class Finished(Message):
        timer: HoldTimer
        seconds: int

    phase: reactive[str] = reactive("idle")

    def __init__(self, seconds: int, clock, label: str = "Hold", get_ready: int = 5,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.seconds, self.clock, self.label, self.get_ready = seconds, clock, label, get_ready
        self.elapsed = 0.0
        self._since = None
        self._ticker = None

    def compose(self) -> ComposeResult:
        yield Label(f"{self.label} {mmss(self.seconds)} — press space to start", id="phase")
        yield Digits(mmss(self.seconds), id="clock")
        yield ProgressBar(total=self.seconds, show_eta=False, id="bar")

    @property
    def running(self) -> bool:
        return self.phase in ("ready", "hold")

    def toggle(self) -> None:
        """Start, pause or resume."""
        if self.phase == "idle":
            self.phase = "ready" if self.get_ready else "hold"
            self._since = self.clock()
            self._ticker = self.set_interval(0.2, self.tick)
        elif self.running:
            self.elapsed = self._total()
            self._since = None
            self._paused_in = self.phase
            self.phase = "paused"
        elif self.phase == "paused":
            self._since = self.clock()
            self.phase = self._paused_in
        self.tick()

    def _total(self) -> float:
        extra = (self.clock() - self._since).total_seconds() if self._since else 0.0
        return self.elapsed + extra

    @property
    def held_seconds(self) -> int:
        return int(max(0.0, min(self._total() - self.get_ready, self.seconds)))

    def tick(self) -> None:
        if self.phase in ("idle", "done"):
            return
        total = self._total()
        label = self.query_one("#phase", Label)
        digits = self.query_one("#clock", Digits)
        bar = self.query_one("#bar", ProgressBar)
        if total < self.get_ready:
            digits.update(mmss(self.get_ready - total))
            paused = " (paused: space resumes)" if self.phase == "paused" else ""
            label.update("Get ready…" + paused)
            return
        if self.phase == "ready":
            self.phase = "hold"
        held = total - self.get_ready
        bar.progress = min(held, self.seconds)
        digits.update(mmss(self.seconds - held))
        paused = " (paused: space resumes)" if self.phase == "paused" else ""
        label.update(f"{self.label}: {mmss(self.seconds - held)} left{paused}")
        if held >= self.seconds and self.phase != "paused":
            self.phase = "done"
            if self._ticker is not None:
                self._ticker.stop()
            label.update(f"{self.label}: done")
            self.app.bell()
            self.post_message(self.Finished(self, self.seconds))
