"""Test settings: every run gets its own data folder and SQLite database, never the developer's data/."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_RUN_DIR = Path(tempfile.mkdtemp(prefix="wbs-test-"))

# Before anything imports rxconfig or wbs_app.settings.
os.environ["WBS_DATA_DIR"] = str(_RUN_DIR / "data")
os.environ["WBS_DATABASE_URL"] = f"sqlite:///{_RUN_DIR / 'app.db'}"
# One master key for the whole run: tests that move WBS_DATA_DIR must still open what the migrated template sealed.
os.environ["WBS_MASTER_KEY_FILE"] = str(_RUN_DIR / "keys" / "master.key")
os.environ.pop("WBS_SMTP_HOST", None)
os.environ.pop("REDIS_URL", None)
os.environ["REFLEX_TELEMETRY_ENABLED"] = "false"
# Every browser test logs in from 127.0.0.1: the per-address login slow-down is for real visitors.
os.environ["WBS_LOGIN_ATTEMPTS_PER_CLIENT_SLOW_AFTER"] = "10000"
os.environ["WBS_REGISTRATIONS_PER_CLIENT"] = "10000"
# A text marked for translation without its English is an error in tests (wbs_app/i18n), in the app the tests
# start too: a page compiled or a message sent with a missing translation fails the test that meets it.
os.environ["WBS_STRICT_CATALOGUE"] = "1"
(_RUN_DIR / "data").mkdir(parents=True, exist_ok=True)


def run_alembic(engine, action, target: str) -> None:
    """Run an Alembic command (upgrade, downgrade, stamp) on a database through alembic/env.py, as `reflex db
    migrate` does: one connection, committed at the end (a data migration commits its batches)."""
    from alembic.config import Config

    import wbs_app.db  # noqa: F401 - SQLite pragmas

    with engine.connect() as connection:
        config = Config(str(ROOT / "alembic.ini"))
        config.set_main_option("script_location", str(ROOT / "alembic"))
        config.attributes["connection"] = connection
        action(config, target)
        connection.commit()


def migrate(url: str) -> None:
    """Bring a database to the newest Alembic revision."""
    import sqlalchemy as sa
    from alembic import command

    engine = sa.create_engine(url)
    run_alembic(engine, command.upgrade, "head")
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_template() -> Path:
    """One migrated database file; each test gets a copy (much faster than migrating every time)."""
    path = _RUN_DIR / "template.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture
def db(migrated_template, tmp_path):
    """A SQLModel session on a fresh, migrated database with the reference data loaded."""
    import sqlalchemy as sa
    from sqlmodel import Session

    from wbs_app.services import reference

    path = tmp_path / "test.db"
    shutil.copy(migrated_template, path)
    engine = sa.create_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        reference.seed_reference_data(session=session)
        yield session
    engine.dispose()


POSTGRES_URL = os.environ.get("WBS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture
def postgres_database():
    """new(): the URL of a new, empty PostgreSQL database, dropped after the test; skipped without a server."""
    import sqlalchemy as sa

    server = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with server.connect() as connection:
            connection.execute(sa.text("select 1"))
    except sa.exc.OperationalError as error:
        server.dispose()
        reason = f"PostgreSQL at {POSTGRES_URL} not reachable ({str(error.orig).strip().splitlines()[0]})"
        print(reason)
        pytest.skip(reason)
    made = []

    def new() -> str:
        name = f"wbs_test_{uuid.uuid4().hex[:12]}"
        with server.connect() as connection:
            connection.execute(sa.text(f'create database "{name}"'))
        made.append(name)
        return sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    yield new
    with server.connect() as connection:
        for name in made:
            connection.execute(sa.text(f'drop database if exists "{name}" with (force)'))
    server.dispose()


@pytest.fixture
def postgres_url(postgres_database) -> str:
    """The URL of one new, empty PostgreSQL database for this test (see postgres_database)."""
    return postgres_database()


REDIS_URL = os.environ.get("WBS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_reason() -> str:
    """Why the Redis at REDIS_URL cannot be used ("" when it can)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis at {REDIS_URL} not reachable ({error})"
    return ""


@pytest.fixture
def shared_redis(monkeypatch):
    """REDIS_URL set for this test (scale-out mode), as the app workers would have it; skipped without a server."""
    from wbs_app.settings import get_settings

    if reason := redis_reason():
        print(reason)
        pytest.skip(reason)
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    get_settings.cache_clear()
    yield REDIS_URL
    monkeypatch.delenv("REDIS_URL", raising=False)
    get_settings.cache_clear()


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_RUN_DIR, ignore_errors=True)
