"""The dashboard's messages: its worker reports, the screen asks the app (see ui/messages)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from backcoach.coach.practice import PatientStatus, Practice


@dataclass
class PracticeReady(Message):
    """The clinic's database is open; `total` patients are about to be read."""

    practice: Practice
    where: str
    total: int


@dataclass
class PracticeFailed(Message):
    """The database could not be used (gone, not a clinic, not allowed): why, in one line."""

    text: str


@dataclass
class StatusesReady(Message):
    """The next patients' rows, as computed; `done` of `total` so far."""

    statuses: list[PatientStatus]
    done: int
    total: int


@dataclass
class OpenPatient(Message):
    """The dashboard asks for one patient's history."""

    patient_id: str


@dataclass
class WriteReport(Message):
    """The dashboard asks for one patient's HTML report."""

    patient_id: str
