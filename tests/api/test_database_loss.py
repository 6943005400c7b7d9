"""A PostgreSQL restart costs one 503 per stale connection, not a 500 or a stuck pool."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.helpers import BASE, is_problem, sign_in


def test_a_lost_connection_is_a_503_and_the_next_request_reconnects(client, backend, database_url):
    if backend != "postgresql":
        pytest.skip("SQLite has no server connection to lose")
    headers = sign_in(client)
    assert client.get(f"{BASE}/v1/offers", headers=headers).status_code == 200

    # What a database restart does to the server's pooled connections.
    admin = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    admin.dispose()

    lost = client.get(f"{BASE}/v1/offers", headers=headers)
    assert is_problem(lost, 503, "database_unavailable")
    assert lost.headers["Retry-After"] == "1"
    assert client.get(f"{BASE}/v1/offers", headers=headers).status_code == 200
