"""The request path never imports a worker module: what a request and a worker share
lives in the domain areas (e.g. careorders/changes.py), and the loops stay out of the
API's import graph."""

from __future__ import annotations

import json
import subprocess
import sys

# Every module of every surface, imported in a fresh interpreter (this one has imported
# the workers already): the modules it loaded on the way.
_IMPORT_SURFACES = """
import importlib, json, pkgutil, sys
import orderhub.surfaces as surfaces
for module in pkgutil.walk_packages(surfaces.__path__, "orderhub.surfaces."):
    importlib.import_module(module.name)
print(json.dumps(sorted(sys.modules)))
"""

# Worker modules: loops and what only they run. (The sandbox routes that force a
# fulfillment or provisioning step import the steps, orders/progress.py and
# partner_orders/progress.py, not the workers that schedule them.)
WORKERS = {
    "orderhub.background",
    "orderhub.careorders.worker",
    "orderhub.careorders.apply",
    "orderhub.orders.fulfillment_worker",
    "orderhub.partner_orders.provisioning_worker",
    "orderhub.webhooks.worker",
}


def test_no_surface_imports_a_worker_module():
    loaded = subprocess.run(
        [sys.executable, "-c", _IMPORT_SURFACES],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    imported = set(json.loads(loaded.stdout.splitlines()[-1]))
    assert "orderhub.surfaces.care.routes" in imported  # the walk did import the surfaces
    assert imported.isdisjoint(WORKERS), sorted(imported & WORKERS)
