"""Paths and callers of the TM Forum APIs, for their tests."""

from __future__ import annotations

from typing import Any

TMF = "/tmf-api"
ORDERING = f"{TMF}/productOrderingManagement/v4"
CATALOG = f"{TMF}/productCatalogManagement/v4"
CUSTOMERS = f"{TMF}/customerManagement/v4"
INVENTORY = f"{TMF}/productInventory/v4"
OPERATOR = {"Authorization": "Bearer sandbox-operator-token"}


def tmf_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The TMF Error body of a refused call, checked for its shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert body["@type"] == "Error" and body["status"] == str(status), body
    assert body["reason"] and body["message"], body
    if code is not None:
        assert body["code"] == code, body
    return body
