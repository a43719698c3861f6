"""Every path backcoach uses: the data folder, the database, and the overrides."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TextIO, cast

DB_ENV = "BACKCOACH_DB"
DB_NAME = "backcoach.sqlite3"
TEXT: dict[str, Any] = {"encoding": "utf-8", "newline": ""}  # text files: UTF-8, "\n" kept


def data_dir() -> Path:
    """The platform's user data folder for backcoach (not created here)."""
    from platformdirs import user_data_path

    return user_data_path("backcoach", appauthor=False)


def database_target(cli_value: str | None = None) -> Path | str:
    """--db wins, then $BACKCOACH_DB, then the platform data folder: a file path (SQLite) or
    a database URL such as postgresql+psycopg://user@host/db (kept as text)."""
    chosen = cli_value or os.environ.get(DB_ENV)
    if chosen:
        return chosen if "://" in chosen else Path(chosen).expanduser()
    return data_dir() / DB_NAME


def ensure_private_folder(folder: Path) -> None:
    """Create missing folders 0700; tighten backcoach's own data folder to 0700."""
    missing = []
    cursor = folder
    while not cursor.exists():
        missing.append(cursor)
        if cursor.parent == cursor:
            break
        cursor = cursor.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)
        os.chmod(path, 0o700)
    if folder.name == "backcoach" and folder == data_dir():  # platformdirs only if it may be
        os.chmod(folder, 0o700)


def write_private_file(path: Path, text: str) -> None:
    """Write `text` (UTF-8) atomically as 0600: see write_private_bytes."""
    write_private_bytes(path, text.encode("utf-8"))


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write `data` atomically as 0600; the old file survives a failure (see
    replacing_private_file)."""
    with _replacing(path, "wb") as out:
        out.write(data)


@contextmanager
def replacing_private_file(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text file that atomically replaces `path` (0600) when the block ends.

    It is a temporary file in the same folder (created 0600), fsynced and renamed over
    `path` at the end; on any error or interrupt it is removed and `path` is untouched.
    Refuses (NotRegularFile) to replace a symlink, FIFO, device or folder.
    """
    with _replacing(path, "w") as out:
        yield cast(TextIO, out)


@contextmanager
def _replacing(path: Path, mode: str) -> Iterator[IO[Any]]:
    import stat

    try:
        found = os.lstat(path).st_mode
    except FileNotFoundError:
        found = None
    if found is not None and not stat.S_ISREG(found):
        raise NotRegularFile(f"{path} exists and is not a regular file; not replaced")
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".backcoach-")  # 0600
    try:
        with os.fdopen(handle, mode, **({} if "b" in mode else TEXT)) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def create_private_file(path: Path) -> None:
    """Create `path` (if missing) as 0600 before anything else opens it."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


class NotRegularFile(OSError):
    """A path that is not a regular file (FIFO, device, folder) or is too large to read."""


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """Read a regular file of at most `max_bytes`, without blocking on a FIFO or device.

    Raises NotRegularFile (an OSError) with a plain message, or OSError from the system.
    """
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"{path} is not a regular file")
        if info.st_size > max_bytes:
            raise NotRegularFile(f"{path} is larger than {max_bytes // (1024 * 1024) or 1} MB "
                                 f"({info.st_size} bytes)")
        chunks = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > max_bytes:
            raise NotRegularFile(f"{path} grew past {max_bytes} bytes while being read")
        return data
    finally:
        os.close(fd)
