"""The HTML report: self-contained, opened in headless Chromium, the chart visible."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=900,900"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    db, out = folder / "db.sqlite3", folder / "report.html"
    for args in (["demo", "--days", "120", "--seed", "2"], ["report", "-o", str(out)]):
        result = subprocess.run([sys.executable, "-m", "backcoach", "--db", str(db), *args],
                                capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert result.returncode == 0, result.stderr
    return out


def test_report_is_self_contained(report):
    html = report.read_text()
    assert "<svg" in html and 'id="pain-chart"' in html
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", html)
    assert "<script" not in html
    assert "not a diagnosis" in html


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                                             "(.ci/run installs it: apt-get install chromium)")
def test_report_chart_renders_in_headless_chromium(report, tmp_path):
    from PIL import Image

    shot = tmp_path / "report.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                    f"--screenshot={shot}", report.as_uri()], capture_output=True, timeout=120,
                   check=True)
    data = Image.open(shot).convert("RGB").tobytes()
    pixels = [tuple(data[i:i + 3]) for i in range(0, len(data), 3)]
    red_line = sum(1 for r, g, b in pixels if abs(r - 192) < 30 and g < 90 and b < 80)
    blue_bars = sum(1 for r, g, b in pixels if abs(r - 155) < 25 and abs(g - 184) < 25
                    and abs(b - 211) < 25)
    assert red_line > 300, red_line  # the 7-day mean line is drawn
    assert blue_bars > 300, blue_bars  # the daily range bars are drawn
