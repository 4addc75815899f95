"""Database connection rules shared by the app, the CLI and the tests."""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from sqlalchemy import event


@event.listens_for(sa.engine.Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """A report must never be lost: WAL with full fsync, enforced foreign keys, and wait on locks. What is deleted
    or overwritten is zeroed (secure_delete), so no earlier text lingers in free pages."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def open_session():
    """A session on the app's database (the one configured in rxconfig)."""
    import reflex as rx

    return rx.session()


def open_connection() -> sa.Connection:
    """A plain connection on the same engine, for hot one-row reads where an ORM session costs more than the
    query (public tracking)."""
    from reflex.model import get_engine

    return get_engine().connect()
