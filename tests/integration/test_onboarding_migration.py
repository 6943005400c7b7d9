"""Migration 0019 on a database the onboarding demo filled before it: the phone check
takes the seed's name, old payments stay readable (settled, no order), and downgrade
goes back."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select, text

from orderhub import migrate
from orderhub.db import Database
from orderhub.inventory.models import InventoryService
from orderhub.surfaces.inventory import views as inventory_views
from tests.integration.test_ledger_migration import DUMP, _load

SERVICES = InventoryService.__table__


def _downgrade(database: Database, revision: str) -> None:
    config = migrate.alembic_config(database.url)
    with database.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # as migrate.upgrade: batch mode rebuilds tables others refer to
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        with connection.begin():
            config.attributes["connection"] = connection
            command.downgrade(config, revision)


def test_0019_renames_the_phone_check_and_keeps_old_payments(empty_database_url):
    dumped = DUMP["tables"]
    assert any(t["check_type"] == "phone" for t in dumped["onboarding_service_types"])
    database = Database(empty_database_url)
    try:
        migrate.upgrade(database, revision="0012")
        _load(database)
        migrate.upgrade(database)  # to head, 0019 included
        with database.engine.connect() as conn:
            checks = set(
                conn.execute(text("SELECT check_type FROM onboarding_service_types")).scalars()
            )
            kinds = set(conn.execute(text("SELECT kind FROM onboarding_sq_results")).scalars())
            payments = conn.execute(
                text("SELECT status, order_id, port_key, reference FROM onboarding_payments")
            ).all()
            services = conn.execute(select(SERVICES.c.qualification)).scalars().all()
            settings = conn.execute(text("SELECT count(*) FROM onboarding_provider_settings"))
            assert settings.scalar_one() == 0  # no row: every provider has the defaults
        assert "phone" not in checks and "GeneralPhone" in checks
        assert "phone" not in kinds and "GeneralPhone" in kinds
        # Services provisioned before keep the old name stored; they answer the seed's.
        assert any(q and q.get("kind") == "phone" for q in services)
        answered = {inventory_views._qualification(q)["kind"] for q in services if q}
        assert "GeneralPhone" in answered and "phone" not in answered
        assert len(payments) == len(dumped.get("onboarding_payments", []))
        assert all(p.order_id is None and p.port_key is None and p.reference for p in payments)

        _downgrade(database, "0018")
        with database.engine.connect() as conn:
            checks = set(
                conn.execute(text("SELECT check_type FROM onboarding_service_types")).scalars()
            )
        assert "phone" in checks and "GeneralPhone" not in checks
    finally:
        database.dispose()
