"""What the patient's app and the clinic's dashboard share: how they end and how they
report a failed worker."""

from __future__ import annotations

from textual.app import App
from textual.worker import Worker, WorkerState

from backcoach.coach.errors import ProgramInvalid, Refused, StorageError

#: failures that are the situation, not a bug: shown as their one sentence
USER_ERRORS = (Refused, StorageError, ProgramInvalid, LookupError, OSError)


class CarefulApp(App[int]):
    """Exit code 1 after a failure to open; a crash report without local variables (they
    may hold health data); a failed worker's reason in one notice."""

    failed = False  # the database could not be used: the exit code says so
    FAILED_TAIL = ""  # added to the notice of an unexpected error

    async def action_quit(self) -> None:
        self.exit(return_code=1 if self.failed else 0)

    def _fatal_error(self) -> None:
        """Exit after an unexpected error without printing local variables (health data)."""
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        trace = Traceback(show_locals=False, width=None)
        self._exit_renderables.append(Segments(self.console.render(trace, self.console.options)))
        self._close_messages_no_wait()

    def notify_failed_worker(self, event: Worker.StateChanged) -> bool:
        """If the worker failed, say why in one notice; whether it had."""
        if event.state != WorkerState.ERROR or event.worker.error is None:
            return False
        error = event.worker.error
        text = str(error) if isinstance(error, USER_ERRORS) else (
            f"Something went wrong ({type(error).__name__}){self.FAILED_TAIL}.")
        self.notify(text, severity="error", markup=False, timeout=10)
        return True
