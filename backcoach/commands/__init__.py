"""The non-TUI subcommands. None of them imports Textual."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from backcoach.commands.base import Failure, err

Handler = Callable[[argparse.Namespace], int]


#: subcommand → (module in backcoach.commands, function): only the one run is imported
HANDLERS: dict[str, tuple[str, str]] = {
    "check": ("programs", "check"), "schema": ("programs", "schema"),
    "plan": ("records", "plan"), "log": ("records", "log"), "pain": ("records", "pain"),
    "acute": ("records", "acute"), "void": ("records", "void"),
    "history": ("data", "history"), "export": ("data", "export"),
    "import": ("data", "import_"), "demo": ("data", "demo"), "report": ("data", "report"),
    "safety": ("safety", "safety"), "next": ("reminders", "next_"),
    "remind": ("reminders", "remind"), "psfs": ("psfs", "psfs"), "clinic": ("clinic", "clinic"),
}


def _handler(command: str) -> Handler:
    from importlib import import_module

    module, function = HANDLERS[command]
    handler: Handler = getattr(import_module(f"backcoach.commands.{module}"), function)
    return handler


def run_command(args: argparse.Namespace) -> int:
    """Run one subcommand; user mistakes become one line on stderr and exit 1."""
    from backcoach.coach import Refused, StorageError

    try:
        code = _handler(args.command)(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:  # the reader left (`backcoach export | head`): stop quietly
        _discard_stdout()
        return 1
    except OSError as error:  # stdout on a full disk (history > /dev/full): one line
        if error.errno is None or error.errno not in (28, 5, 27):
            raise
        _discard_stdout()
        err(f"error: cannot write the output: {error.strerror}")
        return 1
    except StorageError as error:
        err(f"error: {error}")
        return 1
    except Refused as refusal:
        err(f"refused: {refusal}")
        return 1
    except Failure as failure:
        err(str(failure))
        return failure.code
    except KeyboardInterrupt:
        err("interrupted")
        return 130


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so the output still buffered is dropped at exit instead of
    failing again (and printing 'Exception ignored')."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
