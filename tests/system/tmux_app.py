"""Drive the real `backcoach` TUI in tmux: what a person sees, keys as a terminal sends them."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
import uuid
from pathlib import Path

BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "backcoach"


def backcoach_bin() -> str:
    """The backcoach of this checkout's venv, else the one on PATH."""
    return str(BIN) if BIN.exists() else (shutil.which("backcoach") or "backcoach")


class TmuxApp:
    """One backcoach process in a detached tmux session of a fixed size."""

    def __init__(self, env: dict[str, str], args: tuple[str, ...] = (), size=(100, 32)) -> None:
        self.name = f"bc-{uuid.uuid4().hex[:8]}"
        self.marker = Path(env.get("BACKCOACH_DB", "/tmp/x")).with_suffix(".exit")
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        marker = shlex.quote(str(self.marker))
        # Textual draws on stderr, so nothing is redirected: a traceback stays on screen
        command = (f"env {assignments} {shlex.quote(backcoach_bin())} "
                   f"{' '.join(shlex.quote(a) for a in args)}; "
                   f"echo $? > {marker}; sleep 600")
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(size[0]),
                        "-y", str(size[1]), command], check=True)

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=True).stdout

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        """Wait until `text` is on screen; AssertionError with the screen if it never comes."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if text in shown:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; screen:\n{shown}")
            time.sleep(0.1)

    def keys(self, *keys: str, pause: float = 0.4) -> str:
        """Send keys one at a time (tmux names: Enter, Escape, Space, C-q, C-p), then wait."""
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(pause)
        return self.screen()

    def exit_code(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while not self.marker.exists() or not self.marker.read_text().strip():
            if time.monotonic() > deadline:
                raise AssertionError(f"the app did not exit; screen:\n{self.screen()}")
            time.sleep(0.1)
        return int(self.marker.read_text())

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)
