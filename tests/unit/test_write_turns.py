"""Writers to the SQLite file take turns in the process (db._take_write_turn): a waiting writer goes on when the one
before it commits, instead of sleeping in SQLite's lock polling; a turn is never kept by a transaction that ended."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from wbs_app import db


@pytest.fixture
def engine(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    with engine.begin() as connection:
        connection.execute(sa.text("create table note (id integer primary key, text varchar)"))
    yield engine
    engine.dispose()


def turn_taken(engine) -> bool:
    turn = db._WRITE_TURNS.get(str(engine.url))
    return turn is not None and turn.locked()


def write(connection, text: str = "catatan") -> None:
    connection.execute(sa.text("insert into note (text) values (:text)"), {"text": text})


def test_a_turn_is_held_from_the_first_write_to_the_end_of_its_transaction(engine):
    with engine.connect() as connection:
        connection.execute(sa.text("select count(*) from note"))
        assert not turn_taken(engine)  # reading takes no turn
        write(connection)
        assert turn_taken(engine)
        write(connection)  # the same transaction: the same turn
        connection.commit()
        assert not turn_taken(engine)
        write(connection)
        connection.rollback()
        assert not turn_taken(engine)
        write(connection)
    assert not turn_taken(engine)  # a connection closed without a commit gives it back too
    connection = engine.connect()
    write(connection)
    connection.invalidate()  # a connection found broken
    assert not turn_taken(engine)
    connection.close()
    with engine.connect() as connection:
        assert connection.execute(sa.text("select count(*) from note")).scalar() == 2  # the committed two


def test_a_second_writer_waits_for_the_turn_not_in_sqlite(engine):
    """The second writer's own SQLite wait is 0.3 s, the first writer keeps its transaction open 1.5 s: the second
    only succeeds because it waited for the turn, and it wrote right after the first committed."""
    first_wrote, failures, finished = threading.Event(), [], {}

    def first():
        with engine.connect() as connection:
            write(connection, "pertama")
            first_wrote.set()
            time.sleep(1.5)
            connection.commit()
            finished["first"] = time.monotonic()

    def second():
        first_wrote.wait(5)
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA busy_timeout=300")
                write(connection, "kedua")
                connection.commit()
                finished["second"] = time.monotonic()
        except sa.exc.OperationalError as failure:
            failures.append(failure)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert failures == []
    assert finished["first"] <= finished["second"]
    with engine.connect() as connection:
        assert connection.execute(sa.text("select text from note order by id")).scalars().all() == ["pertama", "kedua"]


def test_a_turn_not_given_in_time_is_waited_for_once_per_transaction(engine, monkeypatch):
    monkeypatch.setattr(db, "WRITE_TURN_WAIT", 0.3)
    kept = db._WRITE_TURNS.setdefault(str(engine.url), threading.Lock())
    kept.acquire()  # a turn never given back (a bug elsewhere): writers must not wait for it at every statement
    try:
        began = time.monotonic()
        with engine.connect() as connection:
            for number in range(3):
                write(connection, f"catatan {number}")
            connection.commit()
        assert 0.3 <= time.monotonic() - began < 0.55
    finally:
        kept.release()
    with engine.connect() as connection:
        assert connection.execute(sa.text("select count(*) from note")).scalar() == 3


def test_other_databases_take_no_turn(postgres_database):
    engine = sa.create_engine(postgres_database())
    with engine.connect() as connection:
        connection.execute(sa.text("create table note (id serial primary key, text varchar)"))
        write(connection)
        assert not turn_taken(engine)
        connection.commit()
    engine.dispose()
