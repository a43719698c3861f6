"""The use-case layer: one method per user action, shared by the app and the command line.

Neither `backcoach.commands` nor `backcoach.ui` reaches storage or runs the rules
engine themselves; they ask the Coach. No Textual import here.
"""

from backcoach.coach.core import Coach
from backcoach.coach.errors import ProgramInvalid, Refused, StorageError
from backcoach.coach.state import AcuteState, Logged, SessionState, SetResult

__all__ = ["AcuteState", "Coach", "Logged", "ProgramInvalid", "Refused", "SessionState",
           "SetResult", "StorageError"]
