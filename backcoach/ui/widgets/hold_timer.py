"""HoldTimer: get ready, then count the hold down with a bar; bell when the dose is reached.

A dose of "2–3 min" rings at 2:00 and goes on to 3:00; with no duration at all it is an
open-ended stopwatch that counts up until the patient ends it. Time comes from the
injected clock, so tests move the clock instead of waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Digits, Label, ProgressBar

from backcoach.clock import Clock


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
        """The longest hold of the dose is done."""

        timer: HoldTimer
        seconds: int

    @dataclass
    class DoseReached(Message):
        """The shortest hold of the dose is done; the patient may go on to the longest."""

        timer: HoldTimer
        seconds: int

    phase: reactive[str] = reactive("idle")

    def __init__(self, seconds: int | None, clock: Clock, label: str = "Hold",
                 get_ready: int = 5, most: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seconds, self.clock, self.label, self.get_ready = seconds, clock, label, get_ready
        #: the longest hold of the dose (None: the shortest is also the longest)
        self.most = most if seconds is not None and most and most > seconds else seconds
        self.elapsed = 0.0
        self._since: datetime | None = None
        self._ticker: Timer | None = None
        self._paused_in = "hold"
        self.reached = False

    @property
    def open_ended(self) -> bool:
        return self.seconds is None

    def compose(self) -> ComposeResult:
        if self.seconds is None:
            yield Label(f"{self.label}: as long as you are able — press space to start",
                        id="phase")
            yield Digits("0:00", id="clock")
            return
        most = self.most or self.seconds
        span = mmss(self.seconds) + (f"–{mmss(most)}" if most != self.seconds else "")
        yield Label(f"{self.label} {span} — press space to start", id="phase")
        yield Digits(mmss(self.seconds), id="clock")
        yield ProgressBar(total=self.most, show_eta=False, id="bar")

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
    def started(self) -> bool:
        return self.phase != "idle"

    @property
    def held_seconds(self) -> int:
        held = max(0.0, self._total() - self.get_ready)
        return int(held if self.most is None else min(held, self.most))

    @property
    def dose_reached(self) -> bool:
        """The shortest hold is done (an open-ended timer: once it has run at all)."""
        if self.seconds is None:
            return self.held_seconds > 0
        return self.held_seconds >= self.seconds

    def pause(self) -> None:
        if self.running:
            self.toggle()

    def tick(self) -> None:
        if self.phase in ("idle", "done"):
            return
        total = self._total()
        label = self.query_one("#phase", Label)
        digits = self.query_one("#clock", Digits)
        paused = " (paused: space resumes)" if self.phase == "paused" else ""
        if total < self.get_ready:
            digits.update(mmss(self.get_ready - total))
            label.update("Get ready…" + paused)
            return
        if self.phase == "ready":
            self.phase = "hold"
        held = total - self.get_ready
        if self.seconds is None or self.most is None:
            digits.update(mmss(held))
            label.update(f"{self.label}: {mmss(held)} — enter when you have had enough{paused}")
            return
        self.query_one("#bar", ProgressBar).progress = min(held, self.most)
        if held < self.seconds:
            digits.update(mmss(self.seconds - held))
            label.update(f"{self.label}: {mmss(self.seconds - held)} left{paused}")
            return
        if not self.reached:
            self.reached = True
            if self.most > self.seconds:
                self.app.bell()
                self.post_message(self.DoseReached(self, self.seconds))
        if held < self.most:
            digits.update(mmss(self.most - held))
            label.update(f"{self.label}: dose reached — go on to {mmss(self.most)} or press "
                         f"enter ({mmss(self.most - held)} left){paused}")
            return
        if self.phase != "paused":
            self.phase = "done"
            if self._ticker is not None:
                self._ticker.stop()
            label.update(f"{self.label}: done")
            self.app.bell()
            self.post_message(self.Finished(self, self.most))
