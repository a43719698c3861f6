"""RepCounter: a key per rep, or paced reps (hold N s, relax M s) for held reps."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Static


class RepCounter(Static):
    """Counts repetitions towards an optional target. Posts Completed at the target."""

    DEFAULT_CSS = "RepCounter { height: auto; padding: 1 0; }"

    @dataclass
    class Completed(Message):
        counter: RepCounter
        reps: int

    def __init__(self, target: int | None, clock, hold: int | None = None, relax: int = 3,
                 **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self.target, self.clock, self.hold, self.relax = target, clock, hold, relax
        self.count = 0
        self.paused = True
        self._since = None
        self._offset = 0.0
        self._ticker = None

    def on_mount(self) -> None:
        self._draw()

    @property
    def paced(self) -> bool:
        return self.hold is not None

    def _draw(self, extra: str = "") -> None:
        goal = f" of {self.target}" if self.target else ""
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

    def tick(self) -> None:
        if self.paused or not self.paced or (self.target and self.count >= self.target):
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
