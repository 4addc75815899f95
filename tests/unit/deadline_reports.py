"""Test helpers: staff accounts and bare reports in a chosen channel, state and date (no wizard)."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlmodel import select

from wbs_app.models import Channel, Report, ReportStatus, Role, Unit, ViolationType
from wbs_app.services import users

UTC = dt.UTC
_numbers = itertools.count(1)


def staff_member(db, *, role: Role = Role.VERIFIER, username: str = "verif1"):
    return users.create_staff_user(
        session=db,
        username=username,
        email=f"{username}@inspektorat.go.id",
        full_name=f"Petugas {username}",
        role=role,
        password="Rahasia-2026-aman",
    )


def unit_ids(db) -> list[int]:
    return list(db.exec(select(Unit.id).order_by(Unit.name)).all())


def add_report(
    db,
    *,
    created: dt.datetime,
    channel: str = Channel.VIOLATION.value,
    status: str = ReportStatus.VERIFICATION.value,
    acknowledged: dt.datetime | None = None,
    closed: dt.datetime | None = None,
    unit_id: int | None = None,
    type_name: str = "Korupsi",
    commit: bool = True,
) -> Report:
    report = Report(
        registration_number=f"WBS-D{next(_numbers):09d}",
        channel=channel,
        title="Judul",
        description="Uraian",
        violation_type_id=db.exec(select(ViolationType.id).where(ViolationType.name == type_name)).one(),
        unit_id=unit_id if unit_id is not None else unit_ids(db)[0],
        status=status,
        created_at=created,
        updated_at=created,
        acknowledged_at=acknowledged,
        closed_at=closed,
    )
    db.add(report)
    if commit:
        db.commit()
    return report
