"""The yardstick for `backcoach export`: read the same rows (pain scores and sets) with the
standard library's sqlite3 and write them as JSON with json.dumps. Nothing else.

usage: python benchmarks/export_baseline.py DATABASE.sqlite3 OUT.json

The tables are found by name (`pain_score` and `exercise_set` today; otherwise the one table
whose name contains "pain", and the one whose name contains "set" but is not a settings
table), and read whole with SELECT *, so a new schema needs no change here.
"""

from __future__ import annotations

import json
import sqlite3
import sys


def find_table(names: list[str], preferred: str, word: str, avoid: str = "") -> str:
    if preferred in names:
        return preferred
    found = [n for n in names if word in n.lower() and not (avoid and avoid in n.lower())]
    if len(found) != 1:
        raise SystemExit(f"export_baseline: cannot tell which table holds the {word} rows: "
                         f"{found or names}")
    return found[0]


def rows(connection: sqlite3.Connection, table: str) -> list[dict[str, object]]:
    cursor = connection.execute(f'SELECT * FROM "{table}"')
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor]


def main() -> int:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__.split("\n\n")[1])
    database, out = sys.argv[1], sys.argv[2]
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    names = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    pain = find_table(names, "pain_score", "pain")
    sets = find_table(names, "exercise_set", "set", avoid="setting")
    document = {"pain_scores": rows(connection, pain), "sets": rows(connection, sets)}
    connection.close()
    text = json.dumps(document, ensure_ascii=False)
    with open(out, "w", encoding="utf-8") as file:
        file.write(text)
    print(f"{len(document['pain_scores'])} pain scores, {len(document['sets'])} sets, "
          f"{len(text)} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
