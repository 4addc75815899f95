"""The administrator's deadline settings: what is accepted, what is refused, and the audit row it leaves."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from wbs_app import messages
from wbs_app.models import AppSetting, AuditLog, Role
from wbs_app.services import deadlines, sealed, users
from wbs_app.services.errors import Refused, ValidationFailed

VALID = {"acknowledge_days": "5", "result_days": "60", "remind_days_before": "0", "working_days": "on"}


def staff(db, role: Role, username: str):
    return users.create_staff_user(
        session=db,
        username=username,
        email=f"{username}@inspektorat.go.id",
        full_name="Petugas Uji",
        role=role,
        password="Rahasia-2026-aman",
    )


def stored(db) -> dict[str, str]:
    return {row.key: row.value for row in db.exec(select(AppSetting))}


def audit_rows(db) -> list[AuditLog]:
    return list(db.exec(select(AuditLog).where(AuditLog.action == "pengaturan")))


def test_an_administrator_saves_the_settings_and_the_audit_log_records_it(db):
    admin = staff(db, Role.ADMIN, "adminuji")
    config = deadlines.save_settings(session=db, actor=admin, form_values=VALID, client_ip="10.0.0.9")

    assert config == deadlines.DeadlineConfig(
        acknowledge_days=5, result_days=60, working_days=True, remind_days_before=0
    )
    assert deadlines.load_config(session=db) == config
    [entry] = audit_rows(db)
    assert entry.actor_id == admin.id
    assert entry.client_ip == "10.0.0.9"
    detail = sealed.open_row(session=db, row=entry).detail
    assert "acknowledge_days=5" in detail and "result_days=60" in detail


def test_an_unticked_working_days_box_means_calendar_days(db):
    admin = staff(db, Role.ADMIN, "adminuji")
    form = {key: value for key, value in VALID.items() if key != "working_days"}
    assert not deadlines.save_settings(session=db, actor=admin, form_values=form).working_days
    assert stored(db)["working_days"] == "0"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("acknowledge_days", "0"),
        ("acknowledge_days", ""),
        ("acknowledge_days", "tujuh"),
        ("result_days", "0"),
        ("result_days", "366"),
        ("result_days", "-5"),
        ("result_days", "1.5"),
        ("remind_days_before", "400"),
        ("remind_days_before", "²"),
    ],
)
def test_an_invalid_day_count_is_refused_under_its_field_and_nothing_is_stored(db, field, value):
    admin = staff(db, Role.ADMIN, "adminuji")
    before = stored(db)
    with pytest.raises(ValidationFailed) as refused:
        deadlines.save_settings(session=db, actor=admin, form_values={**VALID, field: value})
    assert refused.value.errors == {field: messages.DEADLINE_INVALID}
    assert stored(db) == before
    assert audit_rows(db) == []


def test_every_invalid_field_is_named_at_once(db):
    admin = staff(db, Role.ADMIN, "adminuji")
    with pytest.raises(ValidationFailed) as refused:
        deadlines.save_settings(
            session=db, actor=admin, form_values={**VALID, "acknowledge_days": "0", "result_days": "999"}
        )
    assert set(refused.value.errors) == {"acknowledge_days", "result_days"}


def test_a_verifier_may_not_change_the_settings(db):
    verifier = staff(db, Role.VERIFIER, "verifuji")
    before = stored(db)
    with pytest.raises(Refused) as refused:
        deadlines.save_settings(session=db, actor=verifier, form_values=VALID)
    assert str(refused.value) == messages.ADMIN_ONLY
    assert stored(db) == before
    assert db.exec(select(func.count()).select_from(AuditLog).where(AuditLog.action == "pengaturan")).one() == 0
