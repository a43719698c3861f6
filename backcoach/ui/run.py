"""Start the TUI from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path


def run_app(args: argparse.Namespace) -> int:
    from backcoach.clock import clock_from_env
    from backcoach.coach import first_view
    from backcoach.paths import database_target

    extra = Path(args.programs) if getattr(args, "programs", None) else None
    target, clock = database_target(args.db), clock_from_env()
    pending = first_view.start(target, args.program, extra, clock)  # before Textual's import
    from backcoach.ui.app import BackcoachApp

    app = BackcoachApp(target, clock, args.program, extra, pending)
    try:
        app.run()
    finally:
        if app.coach is not None:
            app.coach.close()  # the log moves into the file; today's plan is kept for next time
    return app.return_code or 0
