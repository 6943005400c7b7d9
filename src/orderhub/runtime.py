"""Everything a process builds once at start-up and every request shares."""

from __future__ import annotations

from dataclasses import dataclass

from orderhub import store_metrics
from orderhub.adapters.registry import Adapters
from orderhub.config import Settings
from orderhub.db import Database
from orderhub.identity.hashing import PasswordChecks
from orderhub.identity.service import signing_key
from orderhub.metrics import StoreCollector


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    database: Database
    adapters: Adapters
    key: bytes
    passwords: PasswordChecks
    store_metrics: StoreCollector

    @classmethod
    def start(cls, settings: Settings) -> Runtime:
        database = Database(settings.database_url)
        with database.transaction() as session:
            key = signing_key(session, settings)
        passwords = PasswordChecks(
            threads=settings.password_check_threads,
            queue=settings.password_check_queue,
            per_second=settings.sign_ins_per_second,
        )
        store = store_metrics.collector(database, sandbox=settings.sandbox)
        return cls(
            settings, database, Adapters.for_settings(settings, database), key, passwords, store
        )

    def close(self) -> None:
        self.passwords.close()
        self.database.dispose()
