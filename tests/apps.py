"""Apps for in-process tests, reused across tests within one test process.

A FastAPI app builds each route's parameters and dependencies on its first request
(some 0.2 s for OrderHub's routes), and every test used to pay that on an app of its own.
An app's only per-database state is the runtime its lifespan starts from
`app.state.settings`, so an idle app built for the same settings, database aside, serves
the next test on that test's database. An app in use is never handed out twice: a test
holding two clients at once gets two apps.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI
from fastapi.testclient import TestClient

from orderhub.app import create_app
from orderhub.config import Settings

_idle: dict[Settings, list[FastAPI]] = {}


@contextmanager
def app_for(settings: Settings) -> Iterator[FastAPI]:
    """An app configured by `settings` (on its database), idle again after the block."""
    key = dataclasses.replace(settings, database_url="")
    apps = _idle.setdefault(key, [])
    app = apps.pop() if apps else create_app(settings)
    app.state.settings = settings
    try:
        yield app
    finally:
        app.state.runtime = None  # nothing of this test's database outlives it
        apps.append(app)


@contextmanager
def started_client(settings: Settings, **options: object) -> Iterator[TestClient]:
    """A started TestClient (lifespan run) on a reused app for `settings`."""
    with app_for(settings) as app, TestClient(app, **options) as client:
        yield client
