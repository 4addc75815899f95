"""The verifiers' inbox: unread markers per staff member and report, their count, and the batched emails about new
reports and reporters' messages (services/staff_inbox, services/staff_notices)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlalchemy import insert, text
from sqlmodel import select

from wbs_app.models import Report, Role, StaffNotice, User, ViolationType
from wbs_app.services import (
    case_list,
    cases,
    deadlines,
    mailer,
    reference,
    reports,
    staff_inbox,
    staff_notices,
    submission,
    users,
)
from wbs_app.services.errors import Refused
from wbs_app.settings import get_settings

UTC = dt.UTC
TITLE = "Pungutan liar pengadaan server"
DESCRIPTION = "Kepala bidang meminta uang pelicin kepada rekanan pengadaan server di kantor dinas."


def staff(db, username: str, name: str, role=Role.VERIFIER):
    return users.create_staff_user(
        session=db,
        username=username,
        email=f"{username}@inspektorat.go.id",
        full_name=name,
        role=role,
        password="Rahasia-2026-aman",
    )


def send(db, *, accused: str = "Tensu", now: dt.datetime | None = None) -> Report:
    """A report sent as the wizard sends it (visitor, with a Kode Akses)."""
    fields = submission.ReportFields(
        reporter_name="Robert Pelapor",
        title=TITLE,
        violation_type_id=str(db.exec(select(ViolationType.id).where(ViolationType.name == "Korupsi")).one()),
        unit_id=str(reference.active_units(session=db)[0].id),
        description=DESCRIPTION,
        accused=[submission.AccusedInput(uid="a", name=accused, institution="Dinas Kesehatan")],
        incident_address="Kantor Dinas",
        province_code="51",
        regency_code=reference.regencies("51")[0][0],
        incident_at="2024-11-11T12:00",
    )
    result = submission.submit_report(session=db, draft=submission.ReportDraft(fields=fields), user=None, now=now)
    return reports.find_report(session=db, registration_number=result.registration_number)


def reporter_writes(db, report: Report, body: str = "Saya punya bukti tambahan rahasia.") -> None:
    reports.post_reporter_message(
        session=db, report=report, user_id=None, granted={report.registration_number}, body=body, attachments=[]
    )


def marker(db, user, report: Report) -> str:
    rows, _ = case_list.list_cases(
        session=db,
        filters=case_list.CaseFilters(search=report.registration_number),
        user=user,
        config=deadlines.DeadlineConfig(),
    )
    return rows[0].unread if rows else "not listed"


def unread(db, user) -> int:
    return case_list.counters(session=db, user=user, config=deadlines.DeadlineConfig())["belum_dibaca"]


def test_a_case_is_new_for_each_verifier_until_they_open_it_and_new_again_when_the_reporter_writes(db):
    siti, budi = staff(db, "siti", "Siti Aminah"), staff(db, "budi", "Budi Santoso")
    tensu = staff(db, "tensu", "Tensu")  # named among the accused below
    report = send(db)
    assert marker(db, siti, report) == marker(db, budi, report) == staff_inbox.NEW
    assert unread(db, siti) == unread(db, budi) == 1
    assert marker(db, tensu, report) == "not listed" and unread(db, tensu) == 0

    staff_inbox.mark_read(session=db, user=siti, report_id=report.id)
    assert marker(db, siti, report) == "" and unread(db, siti) == 0
    assert marker(db, budi, report) == staff_inbox.NEW and unread(db, budi) == 1  # per staff member

    db.refresh(report)
    reporter_writes(db, report)
    assert marker(db, siti, report) == staff_inbox.NEW_MESSAGE and unread(db, siti) == 1
    staff_inbox.mark_read(session=db, user=siti, report_id=report.id)
    staff_inbox.mark_read(session=db, user=siti, report_id=report.id)  # opened again: one marker, updated
    assert marker(db, siti, report) == "" and unread(db, siti) == 0

    second = send(db)
    assert unread(db, budi) == 2
    staff_inbox.mark_all_read(session=db, user=budi)
    assert unread(db, budi) == 0 and marker(db, budi, second) == ""
    assert unread(db, siti) == 1  # Budi's "all read" is his own


def test_reports_from_before_an_account_existed_are_not_new_to_it(db):
    earlier = send(db)
    newcomer = staff(db, "baru", "Petugas Baru")
    assert marker(db, newcomer, earlier) == "" and unread(db, newcomer) == 0
    reporter = User(
        id=9999,
        username="warga",
        username_key="warga",
        email="w",
        email_key="w",
        password_hash="-",
        full_name="Warga",
        role=Role.REPORTER.value,
        is_active=True,
    )
    for call in (staff_inbox.unread_count, staff_inbox.mark_all_read):
        with pytest.raises(Refused):
            call(session=db, user=reporter)
    with pytest.raises(Refused):
        staff_inbox.markers(session=db, user=reporter, report_ids=[earlier.id])


@pytest.fixture
def outbox(tmp_path, monkeypatch):
    monkeypatch.setenv("WBS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WBS_STAFF_NOTICE_SECONDS", "30")
    monkeypatch.delenv("WBS_SMTP_HOST", raising=False)  # write to the (encrypted) outbox
    get_settings.cache_clear()
    yield lambda: [message for _, message in mailer.read_outbox()]
    monkeypatch.undo()
    get_settings.cache_clear()


def test_a_burst_of_news_is_one_email_per_staff_member_with_numbers_and_links_only(db, outbox):
    siti, budi = staff(db, "siti", "Siti Aminah"), staff(db, "budi", "Budi Santoso")
    tensu = staff(db, "tensu", "Tensu")
    start = dt.datetime.now(UTC)
    first, second = send(db, now=start), send(db, now=start + dt.timedelta(seconds=1))
    reporter_writes(db, first)
    reporter_writes(db, first, "Satu lagi.")  # queued once
    assert staff_notices.send_due(session=db, now=start + dt.timedelta(seconds=5)) == 0  # the window is still open
    assert staff_notices.send_due(session=db, now=start + dt.timedelta(seconds=31)) == 2  # Siti and Budi, one email each
    assert staff_notices.send_due(session=db, now=start + dt.timedelta(seconds=90)) == 0  # sent once
    emails = outbox()
    assert sorted(m["To"] for m in emails) == [budi.email, siti.email]
    assert tensu.email not in {m["To"] for m in emails}  # the accused hears nothing
    body = emails[0].get_content()
    for number in (first.registration_number, second.registration_number):
        assert f"{get_settings().base_url}/verifikator/laporan/{number}" in body
    assert body.count(first.registration_number) == 2  # once in the line, once in its link
    for content in (TITLE, "pelicin", "Robert", "Tensu", "bukti tambahan", "Dinas Kesehatan", "Kantor Dinas"):
        assert content not in str(emails[0])


def test_news_goes_to_the_assignee_only_and_not_for_a_case_already_opened(db, outbox):
    siti, budi = staff(db, "siti", "Siti Aminah"), staff(db, "budi", "Budi Santoso")
    report = send(db)
    db.exec(StaffNotice.__table__.delete())
    db.commit()
    cases.assign(session=db, report=report, actor=siti, verifier_id=budi.id)
    reporter_writes(db, report)
    assert [n.user_id for n in db.exec(select(StaffNotice))] == [budi.id]
    staff_inbox.mark_read(session=db, user=budi, report_id=report.id)  # he saw it before the email left
    assert staff_notices.send_due(session=db, now=dt.datetime.now(UTC) + dt.timedelta(minutes=1)) == 0
    assert outbox() == [] and db.exec(select(StaffNotice)).all() == []


def test_two_workers_claim_a_queue_once(db, outbox):
    staff(db, "siti", "Siti Aminah")
    send(db)
    later = dt.datetime.now(UTC) + dt.timedelta(minutes=1)
    first = staff_notices.due_batches(session=db, now=later)
    assert len(first) == 1 and staff_notices.due_batches(session=db, now=later) == []


def test_unread_count_and_markers_stay_indexed_at_200000_reports(db):
    siti = staff(db, "siti", "Siti Aminah")
    type_id = db.exec(select(ViolationType.id)).first()
    horizon = staff_inbox.horizon(session=db, user=siti)
    rows = [
        {
            "registration_number": f"WBS-{n:010d}",
            "channel": "Pelanggaran (WBS)",
            "title": "-",
            "description": "-",
            "violation_type_id": type_id,
            "status": "Proses Verifikasi",
            "created_at": horizon - dt.timedelta(days=400) + dt.timedelta(minutes=n),
            "updated_at": horizon,
            # The last 1,000 have news after Siti's horizon; the rest are old.
            "staff_activity_at": horizon + dt.timedelta(seconds=n - 199_000) if n >= 199_000 else None,
        }
        for n in range(200_000)
    ]
    db.execute(insert(Report), rows)
    db.commit()
    new_ids = db.exec(select(Report.id).where(Report.staff_activity_at.is_not(None)).order_by(Report.id)).all()
    for report_id in new_ids[:300]:
        staff_inbox.mark_read(session=db, user=siti, report_id=report_id, now=horizon + dt.timedelta(days=1))
    began = time.perf_counter()
    assert staff_inbox.unread_count(session=db, user=siti) == 700
    page, total = case_list.list_cases(
        session=db, filters=case_list.CaseFilters(), user=siti, config=deadlines.DeadlineConfig()
    )
    elapsed = time.perf_counter() - began
    assert total == 200_000 and [row.unread for row in page] == ["baru"] * 20  # the newest ones, unopened
    assert elapsed < 1, f"unread count and a page took {elapsed:.2f} s"
    # The count reads index ranges, not the report table.
    plan = " ".join(
        str(row)
        for row in db.connection().execute(
            text("EXPLAIN QUERY PLAN SELECT count(*) FROM report WHERE staff_activity_at > :since"),
            {"since": horizon},
        )
    )
    assert "ix_report_staff_activity_at" in plan
