"""The made-up history made in a second process while this one writes it: the generator
(the rules engine, asked before every set) and the database's inserts each get a core.
The child only computes and sends what it made, in batches, through a pipe; this process
writes everything in its one transaction. Where processes cannot be forked, or the child
fails, nothing is left behind: the child's error is raised here."""

from __future__ import annotations

import multiprocessing
import pickle
import queue
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import datetime, tzinfo
from multiprocessing.connection import Connection
from typing import Any

from backcoach.domain.history import SetRecord
from backcoach.domain.program import Program
from backcoach.storage.bulk import BulkWriter

BATCH = 4_000  # calls sent at once
AHEAD = 64  # batches read ahead of the writer, at most (about 140 kB each)
Call = tuple[Any, ...]  # (method name, its arguments)


class Recorder:
    """Takes the calls the generator makes on a BulkWriter and sends them in batches;
    sessions get numbers of their own (the writer maps them to its ids)."""

    def __init__(self, pipe: Connection) -> None:
        self.pipe = pipe
        self.calls: list[Call] = []
        self.sessions = 0

    def _call(self, *call: Any) -> None:
        self.calls.append(call)
        if len(self.calls) >= BATCH:
            self.send()

    def send(self) -> None:
        self.pipe.send_bytes(pickle.dumps(self.calls, pickle.HIGHEST_PROTOCOL))
        self.calls = []

    def session(self, start: datetime, program: Program) -> int:
        self.sessions += 1
        self._call("session", self.sessions, start)
        return self.sessions

    def end_session(self, session: int, end: datetime) -> None:
        self._call("end_session", session, end)

    def exercise_set(self, program: Program, record: SetRecord, started_at: datetime,
                     local: datetime | None = None) -> None:
        """(`local` is worked out again by the writer: a new tzinfo each time, it would be
        slow to send; the outcome goes as its text, quicker to pickle than the enum.)"""
        self._call("exercise_set", (record.exercise_id, record.ended_at, str(record.outcome),
                                    record.follow_up, record.stop_reason, record.symptom,
                                    record.session_id, record.reps, record.seconds),
                   started_at)

    def pain(self, at: datetime, score: int, context: str, session: int | None) -> None:
        self._call("pain", at, score, context, session)

    def acute_episode(self, start: datetime, end: datetime | None) -> None:
        self._call("acute_episode", start, end)

    def red_flags(self, at: datetime, answers: dict[str, bool], positive: bool) -> None:
        self._call("red_flags", at, answers, positive)

    def progress(self, done: int, total: int) -> None:
        self._call("progress", done, total)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def generated(make: Callable[[Recorder], None]) -> Iterator[list[Call]]:
    """Run `make` in a forked child; the batches of calls it makes, in order."""
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    _widen(reader)
    child = context.Process(target=_child, args=(make, writer), daemon=True)
    child.start()
    writer.close()
    received: queue.Queue[bytes | None] = queue.Queue(AHEAD)
    drain = threading.Thread(target=_drain, args=(reader, received), daemon=True)
    drain.start()
    try:
        while True:
            data = received.get()
            if data is None:
                raise EOFError
            batch: list[Call] = pickle.loads(data)
            if batch and batch[-1][0] == "failed":
                raise batch[-1][1]
            if batch and batch[-1][0] == "done":
                yield batch[:-1]
                return
            yield batch
    except EOFError:
        raise RuntimeError("the demo's generator stopped without a word") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        while drain.is_alive():  # it sees the pipe's end (it may wait on a full queue)
            with suppress(queue.Empty):
                received.get(timeout=0.1)
        reader.close()


def _widen(pipe: Connection) -> None:
    """A pipe of 1 MiB where the system allows it (Linux; 64 kB by default, less than a
    batch): the child sends on while this process's reader waits for its turn."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass


def _drain(reader: Connection, received: queue.Queue[bytes | None]) -> None:
    """Read the child's batches as they come (the read waits without the GIL), so that
    the child does not wait while this process writes a chunk; None at the pipe's end."""
    try:
        while True:
            received.put(reader.recv_bytes())
    except (EOFError, OSError):
        received.put(None)


def _child(make: Callable[[Recorder], None], pipe: Connection) -> None:
    recorder = Recorder(pipe)
    try:
        make(recorder)
        recorder.calls.append(("done",))
    except BaseException as error:  # noqa: BLE001 (raised again in the parent)
        error.add_note("in the demo's generator process:\n" + traceback.format_exc())
        try:
            pickle.dumps(error)
        except Exception:  # noqa: BLE001
            error = RuntimeError(f"{type(error).__name__}: {error}")
        recorder.calls = [("failed", error)]
    recorder.send()
    pipe.close()


def replay(bulk: BulkWriter, program: Program, tz: tzinfo | None, batch: list[Call],
           sessions: dict[int, int], progress: Callable[[int, int], None] | None) -> None:
    """Make the recorded calls on the writer (sessions numbered by the child mapped to
    the writer's ids in `sessions`; a set's end in `tz` worked out as the child did)."""
    for name, *args in batch:
        if name == "exercise_set":
            (exercise_id, ended_at, outcome, follow_up, stop_reason, symptom, session, reps,
             seconds), started_at = args
            bulk.set_row(program, started_at, exercise_id, ended_at, outcome, follow_up,
                         stop_reason, symptom, None if session is None else sessions[session],
                         reps, seconds, ended_at.astimezone(tz))
        elif name == "pain":
            at, score, context, session = args
            bulk.pain(at, score, context, sessions[session] if session is not None else None)
        elif name == "session":
            sessions[args[0]] = bulk.session(args[1], program)
        elif name == "end_session":
            bulk.end_session(sessions.pop(args[0]), args[1])
        elif name == "acute_episode":
            bulk.acute_episode(*args)
        elif name == "red_flags":
            bulk.red_flags(*args)
        elif name == "progress" and progress is not None:
            progress(*args)
