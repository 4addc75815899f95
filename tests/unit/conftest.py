"""Fixtures of the unit tests (the database fixtures are in tests/conftest.py)."""

from __future__ import annotations

import pytest

from wbs_app.settings import get_settings


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A data folder of the test's own (evidence, drafts, keys); the settings read again."""
    monkeypatch.setenv("WBS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield get_settings()
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def cli_db(db, monkeypatch):
    """The test's database session, used by the command-line tool (wbs_app.cli) without closing it."""
    from wbs_app import cli

    class Borrowed:
        """The test's session, handed to the CLI without closing it."""

        def __enter__(self):
            return db

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(cli, "_session", lambda: Borrowed())
    for name in ("WBS_ADMIN_USERNAME", "WBS_ADMIN_EMAIL", "WBS_ADMIN_PASSWORD", "WBS_ADMIN_NAME"):
        monkeypatch.delenv(name, raising=False)
    return db
