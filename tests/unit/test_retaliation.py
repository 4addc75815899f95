"""Retaliation check-in: after closure the reporter (owner or Kode Akses holder) answers; a "yes" is a protection
case with its own deadline for staff not named in the report, sealed, audited, and kept from retention while open."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import func, select, text

from tests.unit.builders import detail, make_draft, staff
from wbs_app import messages
from wbs_app.models import AuditLog, Report, ReportStatus, RetaliationCheckIn, Role, User, utcnow
from wbs_app.services import cases, keys, reports, retaliation, retention, submission
from wbs_app.services.errors import NotFound, Refused, ValidationFailed

STORY = "Sejak laporan selesai saya dimutasi ke kantor kecamatan tanpa alasan oleh Kepala Bidang Tensu."


@pytest.fixture
def closed(db, data_dir):
    """A visitor's report naming "Tensu", closed (Selesai: Terbukti) by a verifier; returns (report, verifier)."""
    verifier = staff(db)
    sent = submission.submit_report(session=db, draft=make_draft(db), user=None)
    report = reports.find_report(session=db, registration_number=sent.registration_number)
    for status in (ReportStatus.EXAMINATION, ReportStatus.PROVEN):
        cases.change_status(session=db, report=report, actor=verifier, new_status=status.value, public_note="Catatan")
    return report, verifier


def holder(report) -> dict:
    """The reader the report page passes for a Kode Akses holder of this report."""
    return {"user_id": None, "granted": {report.registration_number}}


def test_the_question_comes_only_after_closure_and_only_to_the_reporter(db, data_dir):
    sent = submission.submit_report(session=db, draft=make_draft(db), user=None)
    report = reports.find_report(session=db, registration_number=sent.registration_number)
    assert retaliation.view_for_reporter(session=db, report=report).asked is False
    with pytest.raises(Refused, match=messages.RETALIATION_NOT_YET):
        retaliation.check_in(session=db, report=report, **holder(report), retaliation=True)
    with pytest.raises(NotFound):  # no grant for this report, no account
        retaliation.check_in(session=db, report=report, user_id=None, granted={"WBS-7K3M9Q2X4D"}, retaliation=True)
    assert db.exec(select(func.count()).select_from(RetaliationCheckIn)).one() == 0


def test_yes_opens_a_sealed_protection_case_with_its_own_deadline(db, closed):
    report, _ = closed
    now = dt.datetime(2026, 12, 6, 2, tzinfo=dt.UTC)
    case = retaliation.check_in(session=db, report=report, **holder(report), retaliation=True, description=STORY, now=now)
    assert (case.status, case.due_on) == (retaliation.OPEN, dt.date(2026, 12, 13))  # 7 days (WBS_PROTECTION_CASE_DAYS)
    stored = db.exec(text("select description from retaliation_checkin")).one()[0]
    assert "dimutasi" not in stored and keys.is_sealed(stored)  # sealed with the report's key
    view = retaliation.view_for_reporter(session=db, report=report)
    assert (view.answer, view.case_status, view.due_on, view.may_answer) == ("Ya", "Terbuka", "13-12-2026", False)
    entry = db.exec(select(AuditLog).where(AuditLog.action == "perlindungan")).one()
    assert entry.actor_id is None and entry.report_id == report.id and "tenggat 13-12-2026" in detail(db, entry)
    with pytest.raises(Refused, match=messages.RETALIATION_CASE_OPEN):
        retaliation.check_in(session=db, report=report, **holder(report), retaliation=False)


def test_no_is_kept_as_the_answer_and_the_reporter_may_answer_again(db, closed):
    report, _ = closed
    retaliation.check_in(session=db, report=report, **holder(report), retaliation=False, description="abaikan")
    row = db.exec(select(RetaliationCheckIn)).one()
    assert (row.retaliation, row.status, row.description) == (False, None, "")
    view = retaliation.view_for_reporter(session=db, report=report)
    assert (view.answer, view.may_answer) == ("Tidak", True)
    with pytest.raises(ValidationFailed):
        retaliation.check_in(session=db, report=report, **holder(report), retaliation=True, description="x" * 6000)
    retaliation.check_in(session=db, report=report, **holder(report), retaliation=True)
    assert retaliation.view_for_reporter(session=db, report=report).case_status == retaliation.OPEN


def test_staff_see_and_close_cases_a_reporter_reads_the_follow_up(db, closed):
    report, verifier = closed
    case = retaliation.check_in(session=db, report=report, **holder(report), retaliation=True, description=STORY)
    listed = retaliation.list_cases(session=db, user=verifier)
    assert [(row.registration_number, row.status) for row in listed] == [(report.registration_number, "Terbuka")]
    assert retaliation.count_open(session=db, user=verifier) == 1
    assert retaliation.case_detail(session=db, user=verifier, case_id=case.id).description == STORY
    with pytest.raises(ValidationFailed):
        retaliation.close_case(session=db, user=verifier, case_id=case.id, note="ok")
    retaliation.close_case(
        session=db, user=verifier, case_id=case.id, note="Mutasi dibatalkan oleh Sekretaris Daerah.", client_ip="1.2.3.4"
    )
    view = retaliation.view_for_reporter(session=db, report=report)
    assert (view.case_status, view.closing_note, view.may_answer) == (
        "Selesai",
        "Mutasi dibatalkan oleh Sekretaris Daerah.",
        True,
    )
    entries = db.exec(select(AuditLog).where(AuditLog.action == "perlindungan").order_by(AuditLog.id)).all()
    assert entries[-1].actor_id == verifier.id and "Mutasi dibatalkan" in detail(db, entries[-1])
    with pytest.raises(Refused, match=messages.PROTECTION_CASE_CLOSED):
        retaliation.close_case(session=db, user=verifier, case_id=case.id, note="Sekali lagi ditutup.")
    assert retaliation.list_cases(session=db, user=verifier) == []
    assert [row.case_id for row in retaliation.list_cases(session=db, user=verifier, closed=True)] == [case.id]


def test_the_overdue_mark_follows_the_due_date(db, closed):
    report, verifier = closed
    retaliation.check_in(session=db, report=report, **holder(report), retaliation=True, now=utcnow() - dt.timedelta(days=9))
    assert retaliation.list_cases(session=db, user=verifier)[0].overdue is True


def test_staff_named_in_the_report_do_not_see_its_protection_case(db, closed):
    report, _ = closed
    case = retaliation.check_in(session=db, report=report, **holder(report), retaliation=True, description=STORY)
    accused = staff(db, Role.ADMIN, "Tensu", "tensu")  # the accused of the report (make_draft names "Tensu")
    assert retaliation.list_cases(session=db, user=accused) == []
    assert retaliation.count_open(session=db, user=accused) == 0
    with pytest.raises(NotFound):
        retaliation.case_detail(session=db, user=accused, case_id=case.id)
    with pytest.raises(NotFound):
        retaliation.close_case(session=db, user=accused, case_id=case.id, note="Ditutup oleh terlapor sendiri.")
    assert db.get(RetaliationCheckIn, case.id).status == retaliation.OPEN


@pytest.mark.parametrize("who", ["reporter", "nobody"])
def test_non_staff_reach_no_protection_case(db, closed, who):
    report, _ = closed
    case = retaliation.check_in(session=db, report=report, **holder(report), retaliation=True)
    user = None
    if who == "reporter":
        user = User(username="budi", username_key="budi", email="b", email_key="b", password_hash="-", full_name="Budi")
        user.is_active = True
        db.add(user)
        db.commit()
    for call in (
        lambda: retaliation.list_cases(session=db, user=user),
        lambda: retaliation.case_detail(session=db, user=user, case_id=case.id),
        lambda: retaliation.close_case(session=db, user=user, case_id=case.id, note="Ditutup tanpa hak."),
    ):
        with pytest.raises(Refused):
            call()
    assert db.get(RetaliationCheckIn, case.id).status == retaliation.OPEN


def test_an_open_case_keeps_its_report_from_retention_and_a_purge_removes_the_answers(db, closed):
    report, verifier = closed
    case = retaliation.check_in(session=db, report=report, **holder(report), retaliation=True, description=STORY)
    later = utcnow() + dt.timedelta(days=400)
    assert retention.purge_due(session=db, now=later) == 0
    retaliation.close_case(session=db, user=verifier, case_id=case.id, note="Sudah ditindaklanjuti dengan baik.")
    assert retention.purge_due(session=db, now=later) == 1
    assert db.exec(select(func.count()).select_from(RetaliationCheckIn)).one() == 0
    purged = db.get(Report, report.id)
    assert retaliation.view_for_reporter(session=db, report=purged).asked is False
