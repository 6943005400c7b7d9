"""Every data file the service reads at run time is shipped in the installed package.

An editable install reads the source tree, so a missing package-data glob only shows on a
real install (`pip install .`): the sandbox load would fail with FileNotFoundError.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[2]
PACKAGE = ROOT / "src" / "orderhub"


def test_every_sandbox_data_file_matches_a_package_data_glob():
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["orderhub"]
    shipped = {path for pattern in globs for path in PACKAGE.glob(pattern)}
    data = {path for path in (PACKAGE / "sandbox" / "data").rglob("*") if path.is_file()}
    assert data, "no sandbox data found"
    assert sorted(str(p.relative_to(PACKAGE)) for p in data - shipped) == []
