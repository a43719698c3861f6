"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest

from tests.helpers.preview import week_of_practice


@pytest.fixture
def opened(tmp_path, monkeypatch):
    """A patient's file with a week of sets and pain scores; the coach open at 13:00
    (for the preview tests)."""
    with week_of_practice(tmp_path, monkeypatch) as opened:
        yield opened
