"""Start the TUI from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path


def run_app(args: argparse.Namespace) -> int:
    from backcoach.clock import clock_from_env
    from backcoach.paths import database_target
    from backcoach.ui.app import BackcoachApp

    extra = Path(args.programs) if getattr(args, "programs", None) else None
    app = BackcoachApp(database_target(args.db), clock_from_env(), args.program, extra)
    try:
        app.run()
    finally:
        if app.coach is not None:
            app.coach.close()  # the log moves into the file; today's plan is kept for next time
    return app.return_code or 0
