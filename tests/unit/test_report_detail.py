"""What one report shows to its reporter and to staff (wbs_app.state.report_detail)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from reflex_base.utils import format
from sqlmodel import select

from wbs_app.models import (
    Evidence,
    Report,
    ReportAccused,
    ReportMessage,
    ReportStatus,
    ReportStatusChange,
    Role,
    Unit,
    User,
    ViolationType,
)
from wbs_app.services import cases, downloads, reports, sessions, submission, users
from wbs_app.state.report_detail import AccusedRow, ThreadEntry, Viewer, report_detail

UTC = dt.UTC
SENT = dt.datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def evidence(report_id: int, name: str, kind: str, *, message_id: int | None = None) -> Evidence:
    return Evidence(
        report_id=report_id,
        message_id=message_id,
        stored_name=f"{report_id:04d}{name.encode().hex()}"[:32],
        original_name=name,
        kind=kind,
        size=2048,
        sha256="0" * 64,
    )


@pytest.fixture
def case(db):
    """A report by a logged-in owner: two accused, two files, one status change with both notes, and
    messages both ways, neither read yet by the side it was sent to."""
    owner = User(
        username="pemilik",
        username_key="pemilik",
        email="pemilik@mail.co.id",
        email_key="pemilik@mail.co.id",
        password_hash="x",
        full_name="Nama Pemilik Asli",
        is_active=True,
    )
    db.add(owner)
    db.commit()
    verifier = users.create_staff_user(
        session=db,
        username="siti",
        email="siti@inspektorat.go.id",
        full_name="Siti Aminah",
        role=Role.VERIFIER,
        password="Rahasia-2026-aman",
    )
    report = Report(
        registration_number="WBS-0000000042",
        channel="Pelanggaran (WBS)",
        reporter_id=owner.id,
        reporter_name="Robert",
        reporter_email="robert@mail.co.id",
        title="Pungutan pengadaan",
        description="Uraian kejadian",
        violation_type_id=db.exec(select(ViolationType.id)).first(),
        unit_id=db.exec(select(Unit.id)).first(),
        incident_address="Kantor",
        created_at=SENT,
        updated_at=SENT,
    )
    db.add(report)
    db.flush()
    db.add(ReportAccused(report_id=report.id, position_in_list=0, name="Tensu", position="Kepala Bidang", rank="IV/a"))
    db.add(ReportAccused(report_id=report.id, position_in_list=1, name="Bambang", classification="ASN"))
    db.add(evidence(report.id, "kuitansi.png", "png"))
    db.add(evidence(report.id, "kontrak.docx", "docx"))
    db.add(ReportStatusChange(report_id=report.id, status=report.status, created_at=SENT))  # as a submission does
    db.commit()
    cases.change_status(
        session=db,
        report=report,
        actor=verifier,
        new_status=ReportStatus.EXAMINATION.value,
        public_note="Laporan sedang diperiksa.",
        internal_note="RAHASIA: cek kontrak nomor 17.",
        now=SENT + dt.timedelta(hours=1),
    )
    question = ReportMessage(
        report_id=report.id,
        from_reporter=False,
        author_id=verifier.id,
        body="Mohon kirim salinan kuitansi.",
        created_at=SENT + dt.timedelta(hours=2),
    )
    db.add(question)
    db.commit()
    answer = ReportMessage(
        report_id=report.id,
        from_reporter=True,
        body="Terlampir.",
        created_at=SENT + dt.timedelta(hours=3),
    )
    db.add(answer)
    db.flush()
    db.add(evidence(report.id, "salinan.pdf", "pdf", message_id=answer.id))
    db.commit()
    owner_login = sessions.create_session(session=db, user=owner)
    verifier_login = sessions.create_session(session=db, user=verifier)
    return report, owner_login, verifier_login


def link_session_digest(link: str) -> str:
    # A PDF's view link draws its pages (PDF_PAGES); every other link serves the file (EVIDENCE_FILE).
    token = link.removeprefix(downloads.EVIDENCE_FILE).removeprefix(downloads.PDF_PAGES).removesuffix("?unduh=1")
    grant = downloads.read_download_token(token)
    assert grant is not None
    return grant.session_digest


def test_the_reporter_sees_public_notes_only_and_their_own_messages_as_anda(db, case):
    report, owner_login, _ = case
    detail = report_detail(
        session=db, report=report, viewer=Viewer.reporter(session_token=owner_login, by_access_code=False)
    )

    assert detail.status == ReportStatus.EXAMINATION.value
    assert [(row.status, row.public_note, row.internal_note) for row in detail.timeline] == [
        (ReportStatus.VERIFICATION.value, "", ""),
        (ReportStatus.EXAMINATION.value, "Laporan sedang diperiksa.", ""),
    ]
    assert "RAHASIA" not in format.json_dumps(dataclasses.asdict(detail))
    fields = {row.label: row.value for row in detail.fields}
    assert fields["Nomor Registrasi"] == "WBS-0000000042"
    assert fields["Pelapor"] == "Robert"
    assert fields["Tanggal"] == "02-03-2026 08:00 WIB"  # local time, labelled

    assert [(m.author, m.body, m.mine, m.unread) for m in detail.thread] == [
        ("Verifikator", "Mohon kirim salinan kuitansi.", False, True),
        ("Anda", "Terlampir.", True, False),
    ]
    assert [f.name for f in detail.thread[1].files] == ["salinan.pdf"]

    # Once the reporter has opened the page, the verifier's message is no longer new.
    reports.mark_read_by_reporter(session=db, report_id=report.id)
    again = report_detail(
        session=db, report=report, viewer=Viewer.reporter(session_token=owner_login, by_access_code=False)
    )
    assert [m.unread for m in again.thread] == [False, False]


def test_staff_see_the_internal_note_and_never_the_reporters_name(db, case):
    report, _, verifier_login = case
    detail = report_detail(session=db, report=report, viewer=Viewer.verifier(session_token=verifier_login))

    assert detail.timeline[-1].public_note == "Laporan sedang diperiksa."
    assert detail.timeline[-1].internal_note == "RAHASIA: cek kontrak nomor 17."
    fields = {row.label: row.value for row in detail.fields}
    assert fields["Pelapor"] == "Dirahasiakan"
    assert "Robert" not in format.json_dumps(dataclasses.asdict(detail))
    assert [(m.author, m.body, m.mine) for m in detail.thread] == [
        ("Verifikator", "Mohon kirim salinan kuitansi.", True),
        ("Pelapor", "Terlampir.", False),
    ]
    assert detail.accused == [
        AccusedRow(name="Tensu", position="Kepala Bidang", rank="IV/a"),
        AccusedRow(name="Bambang", classification="ASN"),
    ]


def test_the_unread_marker_is_on_the_other_sides_unread_message_only(db, case):
    report, owner_login, verifier_login = case

    def unread(viewer: Viewer) -> list[tuple[str, bool]]:
        return [(m.body, m.unread) for m in report_detail(session=db, report=report, viewer=viewer).thread]

    staff = Viewer.verifier(session_token=verifier_login)
    reporter = Viewer.reporter(session_token=owner_login, by_access_code=False)
    assert unread(staff) == [("Mohon kirim salinan kuitansi.", False), ("Terlampir.", True)]
    assert unread(reporter) == [("Mohon kirim salinan kuitansi.", True), ("Terlampir.", False)]
    # Opening the case marks the reporter's message read for staff; the reporter's marker stays until they look.
    cases.mark_read_by_staff(session=db, report_id=report.id)
    assert unread(staff) == [("Mohon kirim salinan kuitansi.", False), ("Terlampir.", False)]
    assert unread(reporter) == [("Mohon kirim salinan kuitansi.", True), ("Terlampir.", False)]


def test_evidence_links_are_bound_to_a_login_and_unbound_for_a_kode_akses_holder(db, case):
    report, owner_login, verifier_login = case
    owner = report_detail(
        session=db, report=report, viewer=Viewer.reporter(session_token=owner_login, by_access_code=False)
    )
    # A visitor who opened the report with its Kode Akses, maybe while logged in to another account.
    holder = report_detail(
        session=db, report=report, viewer=Viewer.reporter(session_token=owner_login, by_access_code=True)
    )
    staff = report_detail(session=db, report=report, viewer=Viewer.verifier(session_token=verifier_login))

    assert [(f.name, f.size, f.previewable, f.preview) for f in owner.files] == [
        ("kuitansi.png", "2 KB", True, "gambar"),
        ("kontrak.docx", "2 KB", False, ""),
    ]
    for detail, login in [(owner, owner_login), (staff, verifier_login)]:
        links = [link for f in [*detail.files, *detail.thread[1].files] for link in (f.view, f.download)]
        assert len(links) == 6
        assert {link_session_digest(link) for link in links} == {downloads._session_digest(login)}
    holder_links = [link for f in [*holder.files, *holder.thread[1].files] for link in (f.view, f.download)]
    assert {link_session_digest(link) for link in holder_links} == {""}
    assert all(link.endswith("?unduh=1") for link in (f.download for f in owner.files))


def test_staff_links_cannot_be_unbound():
    with pytest.raises(ValueError):
        Viewer.verifier(session_token="")


def test_the_rows_reach_the_browser_under_the_names_the_components_read():
    from wbs_app.components.report_detail import evidence_list, message_thread
    from wbs_app.pages.staff.case_page.state import CaseState

    assert [field.name for field in dataclasses.fields(AccusedRow)] == submission.ACCUSED_FIELDS
    rendered = str(message_thread(CaseState.thread)) + str(evidence_list(CaseState.files, previews=True))
    for name in ("author", "unread", "mine", "files", "view", "download", "preview"):
        assert f'?.["{name}"]' in rendered
    assert "evidence-preview" in rendered
    entry = ThreadEntry(author="Anda", body="Halo", when="-", mine=True, unread=False)
    assert format.json_dumps([entry]) == (
        '[{"author": "Anda", "body": "Halo", "when": "-", "mine": true, "unread": false, "files": []}]'
    )
