"""Record the OpenAPI examples from a real run and write them into the package.

    .venv/bin/python scripts/record_openapi_examples.py [--codes seen-codes.json]

Runs every flow in-process against a fresh SQLite sandbox database (see
orderhub/surfaces/openapi/recording.py) and rewrites
src/orderhub/surfaces/openapi/data/examples.json. With --codes, the problem codes seen on
the way are written there too, for scripts/update_problem_codes.py. Review the diff and
commit it.
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
from pathlib import Path

from orderhub.surfaces.openapi import annotate
from orderhub.surfaces.openapi.recording import record

EXAMPLES = Path(__file__).resolve().parents[1] / "src/orderhub/surfaces/openapi/data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--codes", type=Path, help="write the problem codes seen here")
    args = parser.parse_args()
    logging.disable(logging.INFO)  # no access log line per recorded call
    with tempfile.TemporaryDirectory() as workdir:
        recorder = record(Path(workdir))
    examples = recorder.examples_seen()
    target = EXAMPLES / annotate.EXAMPLES_FILE
    target.write_text(json.dumps(examples, indent=1, ensure_ascii=False) + "\n")
    pairs = sum(len(by_status) for by_status in examples.values())
    print(f"{target}: {pairs} examples of {len(examples)} operations")
    if args.codes:
        args.codes.write_text(json.dumps(recorder.codes_seen(), indent=1) + "\n")
        print(f"{args.codes}: problem codes seen")


if __name__ == "__main__":
    main()
