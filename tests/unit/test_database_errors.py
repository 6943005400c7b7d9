"""Which database errors are the database's trouble (503, retry) and which are bugs (500)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from orderhub.surfaces.problems import _connection_trouble


@pytest.mark.parametrize(
    "message",
    [
        "database is locked",
        "database table is locked",
        "unable to open database file",
        "disk I/O error",
        "attempt to write a readonly database",
        "database or disk is full",
    ],
)
def test_sqlite_trouble_with_its_file_is_unavailability(message):
    error = OperationalError("SELECT 1", {}, sqlite3.OperationalError(message))
    assert _connection_trouble(error)


@pytest.mark.parametrize("message", ["no such table: orders", 'near "SELEC": syntax error'])
def test_a_sqlite_statement_it_cannot_run_is_a_bug(message):
    error = OperationalError("SELECT 1", {}, sqlite3.OperationalError(message))
    assert not _connection_trouble(error)


def test_a_refused_statement_is_a_bug():
    error = IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed"))
    assert not _connection_trouble(error)


def test_a_postgresql_operational_error_is_unavailability():
    class PgOperationalError(Exception):
        __module__ = "psycopg"

    error = OperationalError("SELECT 1", {}, PgOperationalError("connection refused"))
    assert _connection_trouble(error)
