"""The physiotherapist's dashboard (`backcoach clinic` with no action)."""

from __future__ import annotations

import argparse
from pathlib import Path


def run_dashboard(args: argparse.Namespace, target: str) -> int:
    from backcoach.clock import clock_from_env
    from backcoach.ui.clinic.app import DashboardApp

    extra = Path(args.programs) if getattr(args, "programs", None) else None
    app = DashboardApp(target, clock_from_env(), extra)
    app.run()
    return app.return_code or 0
