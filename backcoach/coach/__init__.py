"""The use-case layer: one method per user action, shared by the app and the command line.

Neither `backcoach.commands` nor `backcoach.ui` reaches storage or runs the rules
engine themselves; they ask the Coach. No Textual import here.

Names load on first use (PEP 562): the app paints its first frame before the Coach and
the database libraries are imported.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backcoach.coach.core import Coach
    from backcoach.coach.errors import ProgramInvalid, Refused, StorageError
    from backcoach.coach.state import AcuteState, Logged, SessionState, SetResult

_HOME = {"Coach": "core", "ProgramInvalid": "errors", "Refused": "errors",
         "StorageError": "errors", "AcuteState": "state", "Logged": "state",
         "SessionState": "state", "SetResult": "state"}

__all__ = ["AcuteState", "Coach", "Logged", "ProgramInvalid", "Refused", "SessionState",
           "SetResult", "StorageError"]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'backcoach.coach' has no attribute {name!r}")
    return getattr(import_module(f"backcoach.coach.{_HOME[name]}"), name)
