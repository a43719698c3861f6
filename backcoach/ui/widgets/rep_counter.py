"""RepCounter: a key per rep, or paced reps (hold N s, relax M s) for held reps.

A dose of "5–6 reps" reaches the dose at 5 (DoseReached) and goes on to 6 (Completed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from backcoach.clock import Clock


class RepCounter(Static):
    """Counts repetitions towards an optional target. Posts Completed at the target."""

    DEFAULT_CSS = "RepCounter { height: auto; padding: 1 0; }"

    @dataclass
    class Completed(Message):
        """The most reps of the dose are done."""

        counter: RepCounter
        reps: int

    @dataclass
    class DoseReached(Message):
        """The fewest reps of the dose are done; the patient may go on to the most."""

        counter: RepCounter
        reps: int

    def __init__(self, target: int | None, clock: Clock, hold: int | None = None,
                 relax: int = 3, most: int | None = None, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.clock, self.hold, self.relax = clock, hold, relax
        self.fewest = target
        #: the count the counter stops at: the dose's upper bound
        self.target = most if target and most and most > target else target
        self.count = 0
        self.paused = True
        self._since: datetime | None = None
        self._offset = 0.0
        self._ticker: Timer | None = None

    def on_mount(self) -> None:
        self._draw()

    @property
    def paced(self) -> bool:
        return self.hold is not None

    @property
    def started(self) -> bool:
        return self.count > 0 or not self.paused

    @property
    def dose_reached(self) -> bool:
        return self.count >= self.fewest if self.fewest else self.count > 0

    def pause(self) -> None:
        if self.paced and not self.paused:
            self.press()

    def _draw(self, extra: str = "") -> None:
        span = f"{self.fewest}–{self.target}" if self.fewest != self.target else self.target
        goal = f" of {span}" if self.target else ""
        if self.fewest and self.fewest != self.target and self.count >= self.fewest:
            extra = extra or f"dose reached — go on to {self.target} or press enter"
        how = ("space starts or pauses the paced count" if self.paced
               else "space counts a rep")
        self.update(f"Reps: {self.count}{goal}   ({how}; enter ends the set)"
                    + (f"\n{extra}" if extra else ""))

    def press(self) -> None:
        """Space: count one rep, or start/pause the paced count."""
        if not self.paced:
            self.add_rep()
            return
        if self.paused:
            self.paused = False
            self._since = self.clock()
            if self._ticker is None:
                self._ticker = self.set_interval(0.2, self.tick)
        else:
            if self._since is not None:
                self._offset += (self.clock() - self._since).total_seconds()
            self.paused = True
            self._draw("paused")

    def add_rep(self) -> None:
        if self.target and self.count >= self.target:
            return
        self.count += 1
        self._draw()
        if self.target and self.count >= self.target:
            self.post_message(self.Completed(self, self.count))
        elif self.fewest and self.count == self.fewest:
            self.app.bell()
            self.post_message(self.DoseReached(self, self.count))

    def tick(self) -> None:
        if self.paused or self.hold is None or self._since is None \
                or (self.target and self.count >= self.target):
            return
        cycle = self.hold + self.relax
        total = self._offset + (self.clock() - self._since).total_seconds()
        due = min(int(total // cycle), self.target or 10**6)
        while self.count < due:
            self.add_rep()
        phase = total - due * cycle
        if not (self.target and self.count >= self.target):
            doing = (f"hold… {self.hold - phase:.0f} s" if phase < self.hold
                     else f"relax… {cycle - phase:.0f} s")
            self._draw(doing)
