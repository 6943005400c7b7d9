"""Everything a process builds once at start-up and every request shares."""

from __future__ import annotations

from dataclasses import dataclass

from orderhub.adapters.registry import Adapters
from orderhub.config import Settings
from orderhub.db import Database
from orderhub.identity.hashing import PasswordChecks
from orderhub.identity.service import signing_key


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    database: Database
    adapters: Adapters
    key: bytes
    passwords: PasswordChecks

    @classmethod
    def start(cls, settings: Settings) -> Runtime:
        database = Database(settings.database_url)
        with database.transaction() as session:
            key = signing_key(session, settings)
        passwords = PasswordChecks(
            threads=settings.password_check_threads, queue=settings.password_check_queue
        )
        return cls(settings, database, Adapters.for_settings(settings), key, passwords)

    def close(self) -> None:
        self.passwords.close()
        self.database.dispose()
