"""A writer process for durability tests: records pain scores through the storage layer.

usage: writer.py DB TAG COUNT [GO_FILE]
Prints "ready" once imports are done, then "ok TAG-N" after each committed write.
"""

import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from backcoach.storage.database import open_database
from backcoach.storage.repository import Repository

db, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
go = Path(sys.argv[4]) if len(sys.argv) > 4 else None
repo = Repository(open_database(Path(db)))
print("ready", flush=True)
while go is not None and not go.exists():
    time.sleep(0.005)
start = datetime(2026, 1, 1, tzinfo=timezone.utc)
for n in range(count):
    with repo.writing() as log:
        log.insert_pain(n % 11, start + timedelta(seconds=n), "standalone", location=f"{tag}-{n}")
    print(f"ok {tag}-{n}", flush=True)
