"""The audit log's hash chain: `verify-audit` finds a row edited, deleted or inserted after it was written,
the migration chains the rows already there, and concurrent writers keep the chain one line."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import Session, select

from tests.conftest import migrate, run_alembic
from wbs_app import cli
from wbs_app.models import AuditHead, AuditLog, Role, utcnow
from wbs_app.services import audit, audit_chain, sealed, users

pytestmark = pytest.mark.usefixtures("cli_db")  # the CLI works on the test's `db`


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    """Walk two rows at a time, so every check below also crosses batch boundaries."""
    monkeypatch.setattr(audit_chain, "BATCH", 2)


def chain_of_five(db) -> list[AuditLog]:
    """Five chained rows: an account created (seq 1), then four actions of that account."""
    admin = users.create_staff_user(
        session=db,
        username="kepala",
        email="kepala@inspektorat.go.id",
        full_name="Kepala Inspektorat",
        role=Role.ADMIN,
        password="Rahasia-2026-aman",
    )
    for step in range(4):
        audit.record(session=db, action="pengaturan", actor_id=admin.id, detail=f"langkah {step}", client_ip="10.0.0.1")
        db.commit()
    return rows(db)


def rows(db) -> list[AuditLog]:
    db.expire_all()
    return list(db.exec(select(AuditLog).order_by(AuditLog.seq)))


def verify_audit(capsys, *args: str) -> tuple[int, str]:
    code = cli.main(["verify-audit", *args])
    return code, capsys.readouterr().out


def tamper(db, sql: str, **params) -> None:
    """What someone with write access to the database does, behind the app's back."""
    db.exec(sa.text(sql), params=params)
    db.commit()


def test_an_intact_chain_prints_utuh_with_its_count_and_head_and_exits_0(db, capsys):
    chained = chain_of_five(db)
    assert [row.seq for row in chained] == [1, 2, 3, 4, 5]
    assert chained[0].prev_hash == audit_chain.GENESIS
    assert all(row.prev_hash == before.row_hash for before, row in zip(chained, chained[1:], strict=False))
    head = db.get(AuditHead, 1)
    assert (head.seq, head.row_hash) == (5, chained[-1].row_hash)
    assert verify_audit(capsys) == (0, f"Rantai log audit utuh: 5 baris, kepala seq=5 hash={head.row_hash}\n")
    # The published head of today still matches.
    assert verify_audit(capsys, "--head", f"5:{head.row_hash}")[0] == 0


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("detail", "langkah yang tidak pernah terjadi"),
        ("actor_id", None),
        ("action", "pesan"),
        ("client_ip", "192.0.2.1"),
        ("created_at", "2020-01-01 00:00:00.000000"),
        ("prev_hash", "f" * 64),
    ],
)
def test_an_edited_row_is_found_and_the_command_exits_1(db, capsys, column, value):
    third = chain_of_five(db)[2]
    tamper(db, f"update audit_log set {column} = :value where seq = 3", value=value)  # noqa: S608
    code, printed = verify_audit(capsys)
    assert code == 1
    assert printed == f"Rantai log audit PUTUS pada baris seq=3 id={third.id}: {audit_chain.EDITED}\n"


def test_an_edit_with_the_rows_own_hash_recomputed_breaks_the_link_to_the_next_row(db, capsys):
    third = chain_of_five(db)[2]
    third.detail = "langkah yang tidak pernah terjadi"
    sealed.seal_row(session=db, row=third)  # stored as the app stores it (this attacker also has the keys)
    third.row_hash = audit_chain.row_hash(third)
    db.add(third)
    db.commit()
    code, printed = verify_audit(capsys)
    assert code == 1 and printed.startswith("Rantai log audit PUTUS pada baris seq=4 ")
    assert audit_chain.LINK in printed


def test_a_deleted_row_in_the_middle_is_a_gap(db, capsys):
    fourth = chain_of_five(db)[3]
    tamper(db, "delete from audit_log where seq = 3")
    code, printed = verify_audit(capsys)
    assert code == 1
    assert printed == f"Rantai log audit PUTUS pada baris seq=4 id={fourth.id}: baris seq=3 hilang (dihapus)\n"


def test_a_deleted_last_row_is_found_by_the_head(db, capsys):
    chain_of_five(db)
    tamper(db, "delete from audit_log where seq = 5")
    code, printed = verify_audit(capsys)
    assert code == 1
    expected = audit_chain.LAST_MISSING.format(head=5, found=4)
    assert printed == f"Rantai log audit PUTUS pada baris seq=5: {expected}\n"


def test_a_replaced_last_row_does_not_match_the_head(db, capsys):
    last = chain_of_five(db)[-1]
    last.detail = "diganti"
    sealed.seal_row(session=db, row=last)
    last.row_hash = audit_chain.row_hash(last)
    db.add(last)
    db.commit()
    code, printed = verify_audit(capsys)
    assert code == 1 and audit_chain.HEAD_MISMATCH in printed and "seq=5" in printed


def test_a_row_inserted_without_a_place_in_the_chain_is_found(db, capsys):
    chain_of_five(db)
    tamper(
        db,
        "insert into audit_log (created_at, action, detail, client_ip) values (:at, 'pengaturan', 'palsu', '')",
        at=utcnow().replace(tzinfo=None),
    )
    inserted = db.exec(select(AuditLog.id).where(AuditLog.detail == "palsu")).one()
    code, printed = verify_audit(capsys)
    assert code == 1
    assert printed == f"Rantai log audit PUTUS pada baris id={inserted}: {audit_chain.UNCHAINED}\n"


def test_a_row_appended_with_a_correct_hash_but_behind_the_heads_back_is_found(db, capsys):
    last = chain_of_five(db)[-1]
    forged = AuditLog(seq=6, prev_hash=last.row_hash, created_at=utcnow(), action="pengaturan", detail="palsu")
    forged.row_hash = audit_chain.row_hash(forged)
    db.add(forged)
    db.commit()
    code, printed = verify_audit(capsys)
    assert code == 1
    assert printed == f"Rantai log audit PUTUS pada baris seq=6 id={forged.id}: {audit_chain.BEYOND_HEAD}\n"


def test_a_row_inserted_in_the_middle_with_its_own_hash_computed_is_found(db, capsys):
    chained = chain_of_five(db)
    # Make room at seq 3 (in two steps: seq is unique), insert a well-formed row there, move the head on.
    tamper(db, "update audit_log set seq = seq + 100 where seq >= 3")
    tamper(db, "update audit_log set seq = seq - 99 where seq >= 103")
    forged = AuditLog(seq=3, prev_hash=chained[1].row_hash, created_at=utcnow(), action="pengaturan", detail="palsu")
    sealed.seal_row(session=db, row=forged)
    forged.row_hash = audit_chain.row_hash(forged)
    db.add(forged)
    db.commit()
    tamper(db, "update audit_head set seq = 6")
    code, printed = verify_audit(capsys)
    assert code == 1
    assert printed == f"Rantai log audit PUTUS pada baris seq=3 id={forged.id}: {audit_chain.INSERTED}\n"


def test_a_rewritten_chain_passes_alone_but_not_against_a_published_head(db, capsys):
    """The limit: whoever writes the database can recompute every hash and the head. The head published
    before (the daily log line, kept elsewhere) is what shows it."""
    chained = chain_of_five(db)
    published = f"5:{chained[-1].row_hash}"
    tamper(db, "delete from audit_log where seq = 5")
    chained[2].detail = "ditulis ulang"
    previous = chained[1].row_hash
    for row in chained[2:4]:
        row.prev_hash = previous
        row.row_hash = previous = audit_chain.row_hash(row)
        db.add(row)
    head = db.get(AuditHead, 1)
    head.seq, head.row_hash = 4, previous
    db.add(head)
    db.commit()
    assert verify_audit(capsys)[0] == 0
    code, printed = verify_audit(capsys, "--head", published)
    assert code == 1 and audit_chain.PUBLISHED_MISSING.format(seq=5) in printed
    code, printed = verify_audit(capsys, "--head", f"4:{chained[3].row_hash}", "--head", published)
    assert code == 1 and "seq=5" in printed  # the rewritten seq 4 matches (it was published after)
    code, printed = verify_audit(capsys, "--head", f"3:{'0' * 64}")
    assert code == 1 and audit_chain.NOT_PUBLISHED in printed and "seq=3" in printed
    assert verify_audit(capsys, "--head", "tiga:abc")[0] == 2


def test_a_deleted_head_row_is_reported(db, capsys):
    chain_of_five(db)
    tamper(db, "delete from audit_head")
    code, printed = verify_audit(capsys)
    assert code == 1 and audit_chain.NO_HEAD in printed
    with pytest.raises(RuntimeError, match="audit_head"):
        audit.record(session=db, action="pengaturan")


def test_only_known_actions_are_recorded(db):
    with pytest.raises(ValueError, match="ACTIONS"):
        audit.record(session=db, action="aksi_baru")


def test_the_migration_chains_the_rows_already_there_in_id_order(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    run_alembic(engine, command.upgrade, "0010datakeys")
    # More rows than one batch of the migration, written by an older version (no chain), ids not in time order.
    old_rows = [
        {"id": n, "at": f"2026-01-{1 + n % 28:02d} 10:00:00.{n:06d}", "action": "pengaturan", "detail": f"lama {n}"}
        for n in range(1, 2052)
    ]
    old_rows[0]["at"] = "2026-01-01"  # a date alone, as some SQL tools write it
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "insert into audit_log (id, created_at, action, detail, client_ip) values (:id, :at, :action, :detail, '')"
            ),
            old_rows,
        )
    run_alembic(engine, command.upgrade, "head")
    with Session(engine) as db:
        chained = db.exec(select(AuditLog.id, AuditLog.seq).order_by(AuditLog.id)).all()
        assert [tuple(row) for row in chained] == [(n, n) for n in range(1, 2052)]
        report = audit_chain.verify(session=db)
        assert report.intact and (report.rows, report.head_seq) == (2051, 2051)
        # New rows continue the chain.
        audit.record(session=db, action="pengaturan", detail="baru")
        db.commit()
        assert audit_chain.verify(session=db).rows == 2052
    engine.dispose()


def concurrent_writers(engine, *, threads: int = 6, each: int = 15) -> list[BaseException]:
    """`threads` sessions appending at the same moment, each `each` rows, one commit per row."""
    start, failures = threading.Barrier(threads), []

    def write(writer: int) -> None:
        try:
            with Session(engine) as db:
                start.wait()
                for n in range(each):
                    audit.record(session=db, action="pengaturan", detail=f"penulis {writer} baris {n}")
                    db.commit()
        except BaseException as failure:  # noqa: BLE001 - reported by the test
            failures.append(failure)

    workers = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return failures


def assert_one_line(engine, expected_rows: int) -> None:
    with Session(engine) as db:
        chained = db.exec(select(AuditLog.seq, AuditLog.prev_hash, AuditLog.row_hash).order_by(AuditLog.seq)).all()
        assert [row.seq for row in chained] == list(range(1, expected_rows + 1))
        assert len({row.prev_hash for row in chained}) == expected_rows  # no two rows chained onto one row
        report = audit_chain.verify(session=db)
        assert report.intact and report.rows == expected_rows, report.summary()


@pytest.fixture
def slow_hashing(monkeypatch):
    """Widen the moment between taking the head and moving it on: without the head's lock, writers would fork."""
    original = audit_chain.row_hash

    def slow(row):
        time.sleep(0.002)
        return original(row)

    monkeypatch.setattr(audit_chain, "row_hash", slow)


def test_concurrent_writers_on_sqlite_keep_the_chain_one_line(tmp_path, slow_hashing):
    url = f"sqlite:///{tmp_path / 'concurrent.db'}"
    migrate(url)
    engine = sa.create_engine(url)
    assert concurrent_writers(engine) == []
    assert_one_line(engine, 6 * 15)
    engine.dispose()


def test_concurrent_writers_on_postgresql_keep_the_chain_one_line(postgres_url, slow_hashing):
    migrate(postgres_url)
    engine = sa.create_engine(postgres_url, pool_size=8)
    try:
        assert concurrent_writers(engine) == []
        assert_one_line(engine, 6 * 15)
    finally:
        engine.dispose()
