"""Database problems a user can act on, as one plain sentence (never a traceback)."""

from __future__ import annotations

from pathlib import Path


class StorageError(Exception):
    """A problem with the database the user can act on."""


def explain(error: BaseException, where: Path | str) -> StorageError:
    """Turn a database driver error into one plain sentence naming the database."""
    text = str(getattr(error, "orig", None) or error).strip()
    low = text.lower()
    first = text.splitlines()[0] if text else type(error).__name__
    if "readonly" in low or "read-only" in low:
        return StorageError(f"the database {where} is read-only; nothing was written")
    if "full" in low and "disk" in low or "database or disk is full" in low:
        return StorageError(f"the disk is full: nothing was written to {where}; "
                            "free some space and try again")
    if "locked" in low or "busy" in low:
        return StorageError(f"the database {where} is busy (another backcoach is writing); "
                            "nothing was written, try again")
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return StorageError(f"the database {where} is damaged ({first}); nothing was written. "
                            "Restore a backup copy (*.bak next to it) or an export")
    if "unable to open" in low:
        return StorageError(f"cannot open the database {where} (check the folder exists and "
                            "is writable)")
    if "connection" in low or "could not translate host" in low or "timeout" in low:
        return StorageError(f"cannot connect to the database {where}: {first}")
    if "password authentication" in low or "role" in low and "does not exist" in low:
        return StorageError(f"the database {where} refused the login: {first}")
    if "permission denied" in low:
        return StorageError(f"the database {where} refused this: {first}; nothing was written")
    return StorageError(f"database error in {where}: {first}")
