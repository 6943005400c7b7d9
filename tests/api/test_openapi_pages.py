"""/docs and /redoc come from bundles in the package: nothing is fetched from elsewhere,
so the pages work offline, and each asset is served with its content type."""

from __future__ import annotations

import re

import pytest

from tests.helpers import is_problem

CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_a_docs_page_loads_its_assets_from_this_server_only(client, page):
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text

    assert not re.findall(r"https?://|[\"'(]//", html)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) >= 2
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        extension = asset[asset.rindex(".") :]
        assert served.headers["content-type"].startswith(CONTENT_TYPES[extension]), asset
        assert len(served.content) > 500, asset
    assert "/openapi.json" in html


@pytest.mark.parametrize("backend", ["sqlite"])
def test_only_the_known_assets_are_served(client):
    assert is_problem(client.get("/docs/assets/LICENSE"), 404, "not_found")
    assert is_problem(client.get("/docs/assets/..%2Fpages.py"), 404)


def test_the_pages_and_assets_are_not_operations_of_the_document(openapi_document):
    assert not [p for p in openapi_document["paths"] if p.startswith(("/docs", "/redoc"))]
