"""Merge observed problem codes into the documented table.

    .venv/bin/python scripts/update_problem_codes.py OBSERVED.json [DIR ...]

Each argument is a JSON file `{operationId: {status: [code, ...]}}`, or a directory of
them: what scripts/record_openapi_examples.py --codes writes, and what the API tests write
per worker when ORDERHUB_RECORD_PROBLEM_CODES=DIR is set. Codes listed as `shared` stay
there; the others are added to src/orderhub/surfaces/openapi/data/problem_codes.json
(nothing is removed: dropping a code is a decision made by hand). Review the diff.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TABLE = (
    Path(__file__).resolve().parents[1] / "src/orderhub/surfaces/openapi/data/problem_codes.json"
)


def _files(arguments: list[str]) -> list[Path]:
    found: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        found.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    return found


def main(arguments: list[str]) -> None:
    if not arguments:
        sys.exit(__doc__)
    table = json.loads(TABLE.read_text())
    shared = table.setdefault("shared", {})
    operations = table.setdefault("operations", {})
    added = []
    for path in _files(arguments):
        for operation, by_status in json.loads(path.read_text()).items():
            for status, codes in by_status.items():
                for code in codes:
                    known = operations.setdefault(operation, {}).setdefault(status, [])
                    if code not in known and code not in shared.get(status, []):
                        known.append(code)
                        added.append(f"{operation} {status} {code}")
    table["operations"] = {
        op: {status: sorted(codes) for status, codes in sorted(by_status.items()) if codes}
        for op, by_status in sorted(operations.items())
        if any(by_status.values())
    }
    TABLE.write_text(json.dumps(table, indent=1) + "\n")
    print("\n".join(added) or "nothing new")


if __name__ == "__main__":
    main(sys.argv[1:])
