"""Database connection rules shared by the app, the CLI and the tests."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event


class _LoopReader(sqlite3.Connection):
    """The event loop's own read-only connection (loop_connection)."""


@event.listens_for(sa.engine.Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """A report must never be lost: WAL with full fsync, enforced foreign keys, and wait on locks. What is deleted
    or overwritten is zeroed (secure_delete), so no earlier text lingers in free pages. The loop's reader only
    reads and never waits (nothing here may take a lock on its way: it runs on the loop)."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    if isinstance(dbapi_connection, _LoopReader):
        cursor.execute("PRAGMA busy_timeout=0")
        cursor.execute("PRAGMA query_only=ON")
        cursor.close()
        return
    cursor.execute("PRAGMA busy_timeout=10000")  # first: switching to WAL may itself wait for a lock
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
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


_LOOP_ENGINES: dict[str, sa.Engine] = {}


def loop_connection(url: str | None = None) -> sa.Connection | None:
    """On SQLite, a read-only connection of this thread's own that never waits for a lock, for one-row reads by a
    unique index made on the event loop itself (public tracking): such a read takes tens of µs, less than handing
    it to a worker thread costs the loop. A locked database (rare in WAL mode) raises OperationalError at once;
    the caller then waits in a thread. None on other databases: their reads are network round trips and stay off
    the loop."""
    if url is None:
        from reflex.config import get_config

        url = get_config().db_url or ""
    if not url.startswith("sqlite"):
        return None
    engine = _LOOP_ENGINES.get(url)
    if engine is None:
        # One connection per thread, kept: only the loop's thread (and a test's) reads through it.
        engine = _LOOP_ENGINES[url] = sa.create_engine(
            url, poolclass=sa.pool.SingletonThreadPool, connect_args={"factory": _LoopReader, "timeout": 0}
        )
    return engine.connect()


# Reading the database file once after a start -----------------------------------------------------------------
logger = logging.getLogger("wbs.db")
_READ_BYTES = 4 << 20


def warm_up(database_url: str) -> threading.Thread | None:
    """On SQLite, read the database file once in a background thread (about a second per 750 MB here), so that the
    operating system holds it in memory: the first clicks after a restart (a case list over a million reports)
    then do not wait for the disk. Skipped for a file larger than half the memory available (it would only
    push out what the machine needs) and on other databases (they keep their own cache)."""
    url = sa.make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    thread = threading.Thread(target=read_through, args=(Path(url.database),), name="wbs-warm-up", daemon=True)
    thread.start()
    return thread


def read_through(path: Path) -> int:
    """The bytes of `path` read (0 when skipped); into one reused buffer, so only the OS cache keeps them."""
    try:
        size = path.stat().st_size
        if size > available_memory() // 2:
            logger.info("database file of %d MB not read ahead: larger than half the available memory", size >> 20)
            return 0
        read, view = 0, memoryview(bytearray(_READ_BYTES))
        with path.open("rb", buffering=0) as file:
            while count := file.readinto(view):
                read += count
        return read
    except OSError:
        logger.warning("database file not read ahead", exc_info=True)
        return 0


def available_memory() -> int:
    """MemAvailable of /proc/meminfo in bytes (0 where there is none: then nothing is read ahead)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0
