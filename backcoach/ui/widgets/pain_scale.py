"""PainScale: a 0–10 score with one keypress (0–9, and t for 10)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

KEYS = {str(n): n for n in range(10)} | {"t": 10}


class PainScale(Static, can_focus=True):
    """Press 0–9, or t for 10. Posts Chosen."""

    BINDINGS = [Binding(key, f"choose({value})", show=False, tooltip="pain score 0–9, t for 10")
                for key, value in KEYS.items()]

    @dataclass
    class Chosen(Message):
        scale: PainScale
        score: int

    def __init__(self, question: str, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self.question = question
        self.score: int | None = None

    def on_mount(self) -> None:
        self._draw()

    def _draw(self) -> None:
        cells = " ".join(f"[{n}]" if n == self.score else f" {n} " for n in range(11))
        chosen = f"  → {self.score}/10" if self.score is not None else ""
        self.update(f"{self.question}\n0 = no pain … 10 = worst imaginable. "
                    f"Press 0–9, or t for 10.\n{cells}{chosen}")

    def action_choose(self, value: int) -> None:
        self.score = value
        self._draw()
        self.post_message(self.Chosen(self, value))
