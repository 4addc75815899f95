"""`cli rotate-master-key`: every data key re-wrapped under a new master key, resumably; nothing else changes, and
the old master key opens nothing afterwards."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from tests.unit.installation import populate
from wbs_app import cli
from wbs_app.models import AppSetting, AuditLog, Report, User
from wbs_app.services import audit_chain, keys, rotation, sealed, vault
from wbs_app.settings import get_settings

CLOSED = dt.datetime(2026, 4, 27, 3, tzinfo=dt.UTC)  # the reports' closing date: long past


@pytest.fixture
def master_file(tmp_path, monkeypatch):
    """A master key of this test's own (copied from the run's, which wrapped the template's system keys)."""
    path = tmp_path / "keys" / "master.key"
    path.parent.mkdir()
    path.write_bytes(get_settings().master_key_file.read_bytes())
    monkeypatch.setenv("WBS_MASTER_KEY_FILE", str(path))
    monkeypatch.setenv("WBS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    keys.forget_cached_keys()
    yield path
    monkeypatch.undo()
    get_settings.cache_clear()
    keys.forget_cached_keys()


def wrapped_keys(db) -> list[str]:
    db.expire_all()
    return [
        *db.exec(select(Report.data_key).where(Report.data_key.is_not(None))),
        *db.exec(select(User.data_key).where(User.data_key.is_not(None))),
        *db.exec(select(AppSetting.value).where(AppSetting.key.startswith(vault.SYSTEM_KEY_PREFIX))),
    ]


def contents(db) -> list[tuple[str, str]]:
    return [(r.registration_number, sealed.open_row(session=db, row=r).title) for r in db.exec(select(Report))]


def test_a_rotation_rewraps_every_key_and_the_old_master_key_opens_nothing(db, master_file, monkeypatch, capsys):
    populate(db, closed_at=CLOSED)
    before, old = contents(db), keys.read_master_key(master_file)
    sealed_title = db.exec(select(Report.title)).first()
    count = len(wrapped_keys(db))
    monkeypatch.setattr(cli, "_session", lambda: _Borrowed(db))
    assert cli.main(["rotate-master-key"]) == 0
    assert f"{count} kunci data dibungkus ulang" in capsys.readouterr().out
    new = keys.read_master_key(master_file)
    assert new != old and not keys.next_master_key_path().exists()
    assert {keys.wrapped_key_id(w) for w in wrapped_keys(db)} == {keys.key_id(new)}
    for wrapped in wrapped_keys(db):
        with pytest.raises(keys.IntegrityError):
            keys.unwrap_key(wrapped, old)
    keys.forget_cached_keys()
    assert contents(db) == before  # the same text, opened through the new master key
    assert db.exec(select(Report.title)).first() == sealed_title  # sealed values were not touched
    entry = db.exec(select(AuditLog).where(AuditLog.action == "kunci")).one()
    assert keys.key_id(old) in sealed.open_row(session=db, row=entry).detail
    assert audit_chain.verify(session=db).intact


def test_an_interrupted_rotation_continues_and_new_keys_meanwhile_use_the_new_master_key(db, master_file, monkeypatch):
    populate(db, closed_at=CLOSED)
    before = contents(db)
    commits = {"n": 0}
    real_commit = db.commit

    def commit_then_crash():
        real_commit()
        commits["n"] += 1
        if commits["n"] == 2:
            raise KeyboardInterrupt  # the operator's Ctrl-C, after the second batch

    monkeypatch.setattr(db, "commit", commit_then_crash)
    with pytest.raises(KeyboardInterrupt):
        rotation.rotate_master_key(session=db, batch=2, progress=lambda _: None)
    monkeypatch.setattr(db, "commit", real_commit)
    upcoming = keys.read_master_key(keys.next_master_key_path())
    ids = {keys.wrapped_key_id(w) for w in wrapped_keys(db)}
    assert ids == {keys.key_id(keys.read_master_key(master_file)), keys.key_id(upcoming)}  # half done
    # WBS keeps running meanwhile: what it reads opens with either key; a new key is wrapped with the new one.
    assert contents(db) == before
    assert keys.wrapped_key_id(keys.new_wrapped_key()) == keys.key_id(upcoming)
    done = rotation.rotate_master_key(session=db, batch=2, progress=lambda _: None)
    assert done.new_id == keys.key_id(upcoming) and keys.read_master_key(master_file) == upcoming
    assert {keys.wrapped_key_id(w) for w in wrapped_keys(db)} == {done.new_id}
    keys.forget_cached_keys()
    assert contents(db) == before


class _Borrowed:
    """The test's session, handed to a command without closing it."""

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        return self.db

    def __exit__(self, *exc):
        return False
