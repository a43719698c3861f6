"""Use cases that correct the log: a set or pain score entered by mistake is marked void
(it stays in the log and exports, and stops counting), and the last set of a session can
be undone the same way."""

from __future__ import annotations

import getpass

from backcoach.coach.errors import Refused
from backcoach.coach.parts import CoachParts
from backcoach.coach.state import SessionState
from backcoach.domain.engine import Plan
from backcoach.domain.history import SetRecord
from backcoach.domain.rules import clock_text
from backcoach.storage.repository import VOIDABLE, Entry

LABEL = {"set": "set", "pain": "pain score"}


def who(source: str) -> str:
    """The person and the road that marked an entry void, e.g. 'ana via app'."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown user"
    return f"{user} via {source}"


class CorrectionActions(CoachParts):
    """Mixed into Coach: marking entries void, undoing a session's last set."""

    def void_entry(self, kind: str, entry_id: int, source: str = "cli") -> Entry:
        """Mark a set or pain score void; Refused if there is none or it is void already."""
        if kind not in VOIDABLE:
            raise Refused(f"only a set or a pain score can be voided, not {kind!r}")
        label = LABEL[kind]
        now = self.clock()
        with self.repo.writing() as log:
            entry = log.entry(kind, entry_id)
            if entry is None:
                raise Refused(f"There is no {label} #{entry_id}.")
            if entry.void_at is not None:
                raise Refused(f"{label.capitalize()} #{entry_id} is void already (since "
                              f"{clock_text(entry.void_at, self.tz, now.date())}).")
            log.void(entry, now, who(source))
        return entry

    def undo_last_set(self, state: SessionState) -> tuple[SetRecord, Plan]:
        """Void the latest set of this session (it stays in the log, marked void); the set
        undone and the plan after it. Refused if the session has no set left to undo."""
        if not state.set_ids:
            raise Refused("There is no set in this session to undo.")
        self.void_entry("set", state.set_ids[-1], "app")
        state.set_ids.pop()
        record = state.done.pop()
        return record, self.plan(state)
