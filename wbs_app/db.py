"""Database connection rules shared by the app, the CLI and the tests."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event


@event.listens_for(sa.engine.Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """A report must never be lost: WAL with full fsync, enforced foreign keys, and wait on locks. What is deleted
    or overwritten is zeroed (secure_delete), so no earlier text lingers in free pages."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")  # first: switching to WAL may itself wait for a lock
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


# Writers to one SQLite file take turns in the process ---------------------------------------------------------
# SQLite lets one transaction write at a time; a writer that finds the file locked sleeps and polls (1, 2, 5 … 100
# ms), so under many reporters at once the lock often stood free while every waiter slept. Here a writer waits
# on a lock that wakes it the moment the previous writer commits. Only the order inside one process: another
# process still waits in SQLite (busy_timeout). Held from a transaction's first write to its commit or rollback,
# or until its connection goes back to the pool; a turn not given within WRITE_TURN_WAIT goes on without it.
WRITE_TURN_WAIT = 10
_WRITE_TURNS: dict[str, threading.Lock] = {}
_TURN = "wbs_write_turn"
_WRITES = ("insert", "update", "delete", "replace")


@event.listens_for(sa.engine.Engine, "before_cursor_execute")
def _take_write_turn(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
    if conn.dialect.name != "sqlite" or _TURN in conn.info or not statement.lstrip()[:7].lower().startswith(_WRITES):
        return
    turn = _WRITE_TURNS.setdefault(str(conn.engine.url), threading.Lock())
    # Not given in time (a turn kept far too long): this transaction goes on without one and does not wait again.
    conn.info[_TURN] = turn if turn.acquire(timeout=WRITE_TURN_WAIT) else None


def _end_write_turn(info: dict) -> None:
    turn = info.pop(_TURN, None)
    if turn is not None:
        turn.release()


def _end_turn_of(conn: sa.Connection) -> None:
    if not conn.invalidated:  # else the pool's invalidate event gave it back (its info is out of reach now)
        _end_write_turn(conn.info)


# Released when SQLAlchemy is about to commit: a writer let in meanwhile waits in SQLite for the last fsync only.
event.listen(sa.engine.Engine, "commit", _end_turn_of)
event.listen(sa.engine.Engine, "rollback", _end_turn_of)
event.listen(sa.pool.Pool, "checkin", lambda _dbapi, record: record is not None and _end_write_turn(record.info))
event.listen(sa.pool.Pool, "invalidate", lambda _dbapi, record, _error: _end_write_turn(record.info))


def open_session():
    """A session on the app's database (the one configured in rxconfig)."""
    import reflex as rx

    return rx.session()


def open_connection() -> sa.Connection:
    """A plain connection on the same engine, for hot one-row reads where an ORM session costs more than the
    query (public tracking)."""
    from reflex.model import get_engine

    return get_engine().connect()


_LOOP_READERS = threading.local()


def loop_reader(url: str | None = None) -> sqlite3.Connection | None:
    """On SQLite, a read-only connection of this thread's own that never waits for a lock, for one-row reads by a
    unique index made on the event loop itself (public tracking): such a read takes tens of µs, less than handing
    it to a worker thread costs the loop. Plain sqlite3, no SQLAlchemy in between (which cost more than the read).
    A locked database (rare in WAL mode) raises sqlite3.OperationalError at once; the caller then waits in a
    thread. None on other databases: their reads are network round trips and stay off the loop."""
    if url is None:
        from reflex.config import get_config

        url = get_config().db_url or ""
    readers = _LOOP_READERS.__dict__.setdefault("by_url", {})
    if url not in readers:
        parsed = sa.make_url(url) if url else None
        database = parsed.database if parsed is not None and parsed.get_backend_name() == "sqlite" else None
        if not database or database == ":memory:":
            readers[url] = None
        else:
            # Autocommit (isolation_level=None): each read sees the newest commit and holds no snapshot after it.
            reader = sqlite3.connect(database, timeout=0, isolation_level=None)
            reader.execute("PRAGMA busy_timeout=0")
            reader.execute("PRAGMA query_only=ON")
            readers[url] = reader
    return readers[url]


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
