"""Issue 14: mutated exports are refused cleanly or stored in a form every command handles."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.test_untrusted_import import VALID

VALUES = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(),
                   st.text(max_size=20), st.just("2026-11-2T3:4:5.1Z"),
                   st.just("9999-12-31T23:59:59.000000Z"), st.just("\x1b]0;x\x07"),
                   st.just([[[[]]]]), st.just("=cmd|' /C calc'!A0"))
FIELDS = [(s, f) for s in ("sessions", "sets", "pain_scores") for f in VALID[s][0]]


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(FIELDS), VALUES), min_size=1, max_size=3))
def test_mutated_exports_never_traceback(tmp_path_factory, mutations):
    folder = tmp_path_factory.mktemp("fuzz")
    payload = copy.deepcopy(VALID)
    for (section, field), value in mutations:
        payload[section][0][field] = value
    source = folder / "in.json"
    source.write_text(json.dumps(payload, allow_nan=True))
    env = {**os.environ, "BACKCOACH_NOW": "2026-11-21T12:00"}
    base = [sys.executable, "-m", "backcoach"]
    db = ["--db", str(folder / "db.sqlite3")]
    report = ["report", "-o", str(folder / "report.html")]
    for args in (["import", str(source)], ["history"], report,
                 ["export", "--format", "csv"], ["plan"]):
        result = subprocess.run(base + args + db, capture_output=True, text=True, timeout=30,
                                env=env)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        assert result.returncode in (0, 1, 2)
        if args[0] == "import" and result.returncode:
            break
