"""How tests/data/schema-v1.sqlite3 was made: the first schema version, with a few rows.

Kept for provenance; the test suite uses the committed file, never this script.
"""

import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from backcoach.storage.legacy_sql import APPLICATION_ID, V1  # noqa: E402

target = Path(__file__).with_name("schema-v1.sqlite3")
target.unlink(missing_ok=True)
conn = sqlite3.connect(target)
conn.executescript(V1)
conn.executescript("""
INSERT INTO program_text VALUES (1, 'mckenzie', '0.9', 'hash-v09', '# old text', '2025-01-05 08:00:00.000000');
INSERT INTO session VALUES (1, '2025-01-05 08:00:00.000000', '2025-01-05 08:20:00.000000', 'mckenzie', '0.9', 'hash-v09', 'tui', 'felt fine');
INSERT INTO session VALUES (2, '2025-01-05 10:05:00.000000', NULL, 'mckenzie', '0.9', 'hash-v09', 'cli', NULL);
INSERT INTO exercise_set VALUES (1, 1, 'prone-lying', '2025-01-05 08:01:00.000000', '2025-01-05 08:04:00.000000', NULL, 180, 'completed', NULL, 0);
INSERT INTO exercise_set VALUES (2, 1, 'prone-on-elbows', '2025-01-05 08:05:00.000000', '2025-01-05 08:08:00.000000', NULL, 180, 'completed', NULL, 0);
INSERT INTO exercise_set VALUES (3, 1, 'prone-press-up', '2025-01-05 08:09:00.000000', '2025-01-05 08:11:00.000000', 10, NULL, 'stopped', 'pain', 0);
INSERT INTO exercise_set VALUES (4, 2, 'prone-lying', '2025-01-05 10:05:00.000000', '2025-01-05 10:08:00.000000', NULL, 150, 'completed', NULL, 0);
INSERT INTO pain_score VALUES (1, '2025-01-05 07:55:00.000000', 6, 'before', 1);
INSERT INTO pain_score VALUES (2, '2025-01-05 08:21:00.000000', 4, 'after', 1);
INSERT INTO pain_score VALUES (3, '2025-01-05 12:00:00.000000', 3, 'standalone', NULL);
INSERT INTO acute_episode VALUES (1, '2025-01-01 09:00:00.000000', '2025-01-04 09:00:00.000000');
INSERT INTO red_flag_check VALUES (1, '2025-01-05 07:50:00.000000', '{"fever_unwell": false}', 0);
INSERT INTO setting VALUES ('program', 'mckenzie');
""")
conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
conn.execute("PRAGMA user_version=1")
conn.commit()
conn.close()
print(target)
