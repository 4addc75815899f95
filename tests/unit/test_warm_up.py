"""After a start the SQLite file is read once in the background, so the first clicks do not wait for the disk;
never a file larger than half the memory available, never another database. And what the start made is kept
out of the garbage collector's full passes."""

from __future__ import annotations

import asyncio
import gc

from wbs_app import db


def test_the_whole_sqlite_file_is_read_in_a_background_thread(tmp_path):
    path = tmp_path / "wbs.db"
    path.write_bytes(b"\x01" * (9 << 20))  # more than two reads' worth
    thread = db.warm_up(f"sqlite:///{path}")
    assert thread is not None and thread.daemon
    thread.join(10)
    assert not thread.is_alive()
    assert db.read_through(path) == 9 << 20


def test_a_file_larger_than_half_the_available_memory_is_not_read(tmp_path, monkeypatch):
    path = tmp_path / "wbs.db"
    path.write_bytes(b"\x01" * 4096)
    monkeypatch.setattr(db, "available_memory", lambda: 8000)
    assert db.read_through(path) == 0
    monkeypatch.setattr(db, "available_memory", lambda: 8192)
    assert db.read_through(path) == 4096


def test_other_databases_and_missing_files_are_left_alone(tmp_path):
    assert db.warm_up("postgresql+psycopg://wbs@127.0.0.1/wbs") is None
    assert db.warm_up("sqlite://") is None
    assert db.read_through(tmp_path / "missing.db") == 0


def test_the_objects_made_at_start_are_left_out_of_later_full_collections():
    from wbs_app.wbs_app import freeze_startup_objects  # the app imported, as a worker has it when it starts

    try:
        asyncio.run(freeze_startup_objects())
        # What a full collection still walks is a small part of what the start made.
        assert len(gc.get_objects()) < gc.get_freeze_count() / 10
    finally:
        gc.unfreeze()
