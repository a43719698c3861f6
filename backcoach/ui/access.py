"""The typed way for screens to reach the app's coach."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from backcoach.coach import Coach
    from backcoach.ui.app import BackcoachApp


def coach_of(app: Any) -> Coach:
    """The app's Coach; only called once the app has posted CoachReady."""
    coach = cast("BackcoachApp", app).coach
    assert coach is not None, "the coach is not ready yet"
    return coach
