"""What a use case can refuse or fail with. Callers catch these, never storage internals."""

from __future__ import annotations

from backcoach.programs.errors import ProgramInvalid
from backcoach.storage.errors import StorageError

__all__ = ["ProgramInvalid", "Refused", "StorageError"]


class Refused(Exception):
    """The rules (or the situation) do not allow this now; the message is one sentence."""
