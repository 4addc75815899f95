"""What the audit chain records: every change an administrator or an operator command makes, each check of
the chain, and the head published once a day whatever the number of app workers."""

from __future__ import annotations

import datetime as dt
import logging
import threading

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from tests.unit.second_factor import enrol, next_code
from wbs_app import cli
from wbs_app.models import AuditLog, Role, User
from wbs_app.services import admin, audit, audit_chain, deadlines, sealed, two_factor, users

PASSWORD = "Rahasia-2026-aman"
CLIENT = "10.0.0.7"


def staff(db, role: Role = Role.ADMIN, username: str = "kepala") -> User:
    return users.create_staff_user(
        session=db,
        username=username,
        email=f"{username}@inspektorat.go.id",
        full_name="Petugas Uji",
        role=role,
        password=PASSWORD,
    )


def rows_after(db, seq: int) -> list[tuple[str, int | None, str, str]]:
    db.expire_all()
    found = db.exec(select(AuditLog).where(AuditLog.seq > seq).order_by(AuditLog.seq)).all()
    # The detail is stored sealed (services/sealed): compared in clear.
    return [(row.action, row.actor_id, sealed.open_row(session=db, row=row).detail, row.client_ip) for row in found]


def head_seq(db) -> int:
    return audit_chain.head(session=db)[0]


def test_every_change_an_administrator_makes_is_one_chained_row(db):
    administrator = staff(db)
    enrol(db, administrator)
    me = administrator.id

    def audited(change) -> list[tuple]:
        before = head_seq(db)
        change()
        return rows_after(db, before)

    created = []
    assert audited(
        lambda: created.append(
            admin.create_staff(
                session=db,
                actor=administrator,
                username="petugas2",
                email="petugas2@inspektorat.go.id",
                full_name="Petugas Dua",
                role=Role.VERIFIER,
                password=PASSWORD,
                second_factor_code=next_code(db, administrator),
                client_ip=CLIENT,
            )
        )
    ) == [("pengguna", me, "Buat akun petugas2 (verifier)", CLIENT)]
    user_id = created[0].id
    enrol(db, created[0])
    changes = {
        "Nonaktifkan petugas2": lambda: admin.set_active(
            session=db, actor=administrator, user_id=user_id, active=False, client_ip=CLIENT
        ),
        "Aktifkan petugas2": lambda: admin.set_active(
            session=db, actor=administrator, user_id=user_id, active=True, client_ip=CLIENT
        ),
        "Reset password petugas2": lambda: admin.reset_password(
            session=db, actor=administrator, user_id=user_id, client_ip=CLIENT
        ),
        "Reset verifikasi dua langkah petugas2": lambda: two_factor.reset(
            session=db, actor=administrator, user_id=user_id, client_ip=CLIENT
        ),
        "Tambah unit: Unit Uji": lambda: admin.add_reference(
            session=db, actor=administrator, kind="unit", name="Unit Uji", client_ip=CLIENT
        ),
    }
    for detail, change in changes.items():
        assert audited(change) == [("pengguna" if "petugas2" in detail else "referensi", me, detail, CLIENT)]
    unit_id = db.exec(sa.text("select id from unit where name = 'Unit Uji'")).scalar_one()
    assert audited(
        lambda: admin.rename_reference(
            session=db, actor=administrator, kind="unit", row_id=unit_id, name="Unit Baru", client_ip=CLIENT
        )
    ) == [("referensi", me, "Ubah unit: Unit Uji → Unit Baru", CLIENT)]
    assert audited(
        lambda: admin.set_reference_active(
            session=db, actor=administrator, kind="unit", row_id=unit_id, active=False, client_ip=CLIENT
        )
    ) == [("referensi", me, "Nonaktifkan unit: Unit Baru", CLIENT)]
    settings = {"acknowledge_days": "5", "result_days": "60", "remind_days_before": "1"}
    expected = deadlines.DeadlineConfig(acknowledge_days=5, result_days=60, working_days=False, remind_days_before=1)
    assert audited(
        lambda: deadlines.save_settings(session=db, actor=administrator, form_values=settings, client_ip=CLIENT)
    ) == [("pengaturan", me, str(expected), CLIENT)]
    assert audit_chain.verify(session=db).intact


def test_staff_accounts_made_by_the_operator_commands_are_audited(cli_db, monkeypatch):
    monkeypatch.setenv("WBS_ADMIN_PASSWORD", PASSWORD)
    assert cli.setup() == 0
    monkeypatch.setenv("WBS_NEW_USER_PASSWORD", PASSWORD)
    args = ["--username", "siti", "--email", "siti@inspektorat.go.id", "--full-name", "Siti", "--role", "verifier"]
    assert cli.main(["create-user", *args]) == 0
    assert rows_after(cli_db, 0) == [
        ("pengguna", None, "Buat akun admin (admin) lewat perintah setup (administrator pertama)", ""),
        ("pengguna", None, "Buat akun siti (verifier) lewat perintah create-user", ""),
    ]


@pytest.mark.parametrize("action", audit.OPERATIONS)
def test_key_rotation_backup_and_restore_are_chained_and_logged(db, caplog, action):
    caplog.set_level(logging.INFO, logger="wbs.audit")
    entry = audit.record_operation(session=db, action=action, detail="berkas wbs-2026-12-06.tar")
    assert rows_after(db, 0) == [(action, None, "berkas wbs-2026-12-06.tar", "")]
    assert f"audit {action}: berkas wbs-2026-12-06.tar (head seq=1 hash={entry.row_hash})" in caplog.messages
    assert audit_chain.verify(session=db).intact
    with pytest.raises(ValueError, match="operator"):
        audit.record_operation(session=db, action="pengguna", detail="bukan perintah pengelola")


def test_a_check_is_recorded_with_its_result_and_checks_do_not_stack_up(db):
    administrator = staff(db)
    report = audit.check_chain(session=db, actor_id=administrator.id, client_ip=CLIENT)
    assert report.intact and report.rows == 1
    last = audit.last_check(session=db)
    assert (last.by, last.summary, last.intact) == ("kepala", report.summary(), True)
    # A second click while a check runs in this process waits for nothing and records nothing.
    with audit._one_check_at_a_time:
        assert audit.check_chain(session=db, actor_id=administrator.id) is None
    assert head_seq(db) == 2
    db.exec(sa.text("update audit_log set detail = 'diubah' where seq = 1"))
    db.commit()
    broken = audit.check_chain(session=db, actor_id=administrator.id)
    assert not broken.intact and broken.broken_seq == 1
    last = audit.last_check(session=db)
    assert not last.intact and last.summary.startswith("PUTUS pada baris seq=1")


def test_the_head_is_logged_once_a_day_whatever_the_number_of_workers(db, caplog):
    caplog.set_level(logging.INFO, logger="wbs.audit")
    staff(db)
    engine, day, workers = db.get_bind(), dt.date(2026, 12, 6), 4
    start, results = threading.Barrier(workers), []

    def worker(today: dt.date) -> None:
        with Session(engine) as session:
            start.wait()
            results.append(audit.publish_daily_head(session=session, today=today))

    def run_workers(today: dt.date) -> None:
        threads = [threading.Thread(target=worker, args=(today,)) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    head = audit_chain.head(session=db)
    run_workers(day)
    assert [result is not None for result in results].count(True) == 1
    assert [m for m in caplog.messages if m.startswith("audit head")] == [f"audit head seq=1 hash={head[1]}"]
    last = audit.last_check(session=db)
    assert last.by == "Sistem (harian)" and last.summary == f"utuh: 1 baris, kepala seq=1 hash={head[1]}"

    caplog.clear()
    results.clear()
    run_workers(day)  # the same day again (a restart): nothing
    assert results == [None] * workers and caplog.messages == []
    head = audit_chain.head(session=db)
    run_workers(day + dt.timedelta(days=1))
    assert [m for m in caplog.messages if m.startswith("audit head")] == [f"audit head seq=2 hash={head[1]}"]


def test_the_chain_check_button_is_an_administrators_background_event():
    from wbs_app.pages.staff.admin.audit_log import AuditLogState

    handler = AuditLogState.event_handlers["check_chain"]
    assert handler.fn.staff_guard == "admin" and handler.is_background
