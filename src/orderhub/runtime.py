"""Everything a process builds once at start-up and every request shares."""

from __future__ import annotations

from dataclasses import dataclass

from orderhub.adapters.registry import Adapters
from orderhub.config import Settings
from orderhub.db import Database
from orderhub.identity.service import signing_key


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    database: Database
    adapters: Adapters
    key: bytes

    @classmethod
    def start(cls, settings: Settings) -> Runtime:
        database = Database(settings.database_url)
        with database.transaction() as session:
            key = signing_key(session, settings)
        return cls(settings, database, Adapters.for_settings(settings), key)
