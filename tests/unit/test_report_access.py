"""A sent report: who may read it (its owner, a Kode Akses holder), the history list, evidence links, a report
sent without identity, draft links and the reporter's messages in the case history."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from tests.unit.builders import draft_file, make_draft, reporter_account, staff
from wbs_app.models import Report, ReportStatusChange
from wbs_app.services import codes, downloads, reports, sealed, submission


def test_only_the_owner_or_a_code_holder_reads_a_report(db, data_dir):

    owner = staff(db, name="P", username="pemilik")
    mine = submission.submit_report(session=db, draft=make_draft(db), user=owner)
    anonymous = submission.submit_report(session=db, draft=make_draft(db), user=None)
    assert mine.access_code is None
    assert reports.report_for_reporter(
        session=db, registration_number=mine.registration_number, user_id=owner.id, granted=set()
    )
    assert (
        reports.report_for_reporter(
            session=db, registration_number=mine.registration_number, user_id=owner.id + 1, granted=set()
        )
        is None
    )
    assert (
        reports.report_for_reporter(
            session=db, registration_number=mine.registration_number, user_id=None, granted={mine.registration_number}
        )
        is None
    )
    assert reports.report_for_reporter(
        session=db,
        registration_number=anonymous.registration_number,
        user_id=None,
        granted={anonymous.registration_number},
    )


def test_history_pages_filters_and_sorts_in_the_database(db, data_dir):
    from wbs_app.models import ReportStatus

    owner = staff(db, name="P", username="pemilik")
    numbers = [
        submission.submit_report(session=db, draft=make_draft(db, title=f"Laporan {i}"), user=owner).registration_number
        for i in range(15)
    ]
    submission.submit_report(session=db, draft=make_draft(db), user=None)
    first, total = reports.reporter_history(session=db, user_id=owner.id, page=1, page_size=10)
    second, _ = reports.reporter_history(session=db, user_id=owner.id, page=2, page_size=10)
    assert total == 15 and len(first) == 10 and len(second) == 5
    assert {r.registration_number for r in first + second} == set(numbers)
    by_number = [
        row.registration_number
        for page in (1, 2)
        for row in reports.reporter_history(session=db, user_id=owner.id, sort="nomor", descending=False, page=page)[0]
    ]
    assert by_number == sorted(numbers)
    newest_number_first, _ = reports.reporter_history(
        session=db, user_id=owner.id, sort="nomor", descending=True, page_size=3
    )
    assert [r.registration_number for r in newest_number_first] == sorted(numbers, reverse=True)[:3]
    # All 15 share one violation type: the tie is broken by id, so two pages never show the same report.
    same_type = [
        row.registration_number
        for page in (1, 2, 3)
        for row in reports.reporter_history(session=db, user_id=owner.id, sort="jenis", page=page, page_size=5)[0]
    ]
    assert sorted(same_type) == sorted(numbers)
    closed = db.exec(select(Report).where(Report.registration_number == numbers[3])).one()
    closed.status = ReportStatus.PROVEN.value
    db.add(closed)
    db.add(
        ReportStatusChange(report_id=closed.id, status=closed.status, public_note="Terbukti", internal_note="rahasia")
    )
    db.commit()
    proven, count = reports.reporter_history(session=db, user_id=owner.id, status=ReportStatus.PROVEN.value)
    assert count == 1 and proven[0].verifier_note == "Terbukti" and proven[0].accused == "Tensu"
    assert all("rahasia" not in note for _, _, note in reports.public_timeline(session=db, report_id=closed.id))


def test_evidence_links_follow_the_login_session_and_who_may_see_the_report(db, data_dir):
    from wbs_app.services import sessions

    owner = reporter_account(db, "pemilik2", "o@mail.co.id", "Pemilik")
    stranger = reporter_account(db, "lain2", "l@mail.co.id", "Lain")
    verifier = staff(db, name="Tensu", username="verif2")
    number = submission.submit_report(
        session=db, draft=make_draft(db, evidence=[draft_file(db)]), user=owner
    ).registration_number
    item = reports.evidence_of(session=db, report_id=reports.find_report(session=db, registration_number=number).id)[0]

    def fetch(link_session: str, cookie: str):
        grant = downloads.read_download_token(downloads.make_download_token(item.id, session_token=link_session))
        return downloads.may_download(session=db, grant=grant, session_token=cookie)

    owner_login = sessions.create_session(session=db, user=owner)
    stranger_login = sessions.create_session(session=db, user=stranger)
    verifier_login = sessions.create_session(session=db, user=verifier)
    assert fetch(owner_login, owner_login).id == item.id
    assert fetch(owner_login, "") is None  # another browser
    assert fetch(owner_login, stranger_login) is None  # someone else's login
    assert fetch(stranger_login, stranger_login) is None  # a link minted for someone who may not see it
    assert fetch(verifier_login, verifier_login) is None  # "Tensu" is the accused: conflict of interest
    assert fetch("", "").id == item.id  # a Kode Akses holder's link: signature and expiry only
    sessions.revoke_session(session=db, token=owner_login)
    assert fetch(owner_login, owner_login) is None  # logged out
    assert downloads.read_download_token("bukti.1.99999999999.forged") is None


def test_a_report_sent_without_identity_keeps_no_identity_and_no_link_to_the_account(db, data_dir):

    owner = reporter_account(
        db,
        "rahasia3",
        "r3@mail.co.id",
        "Nama Asli Pelapor",
        identity_number="3201011501900001",
        phone="+6281234567890",
        address="Jl. Melati 1",
    )
    # Fields a browser might still send are ignored: nothing of the account or the form is kept.
    hidden = submission.submit_report(
        session=db, draft=make_draft(db, hide_identity=True, reporter_phone="0812999"), user=owner
    )
    shown = submission.submit_report(session=db, draft=make_draft(db), user=owner)

    stored = reports.find_report(session=db, registration_number=hidden.registration_number)
    assert stored.hide_identity and stored.reporter_id is None
    assert (stored.reporter_name, stored.reporter_email, stored.reporter_phone, stored.reporter_address) == ("",) * 4
    # Opened like a visitor's report: with its Kode Akses, shown once to the sender, stored only as a hash.
    assert hidden.access_code and codes.access_code_matches(
        session=db, code=hidden.access_code, stored=stored.access_code_hash
    )
    assert reports.check_access_code(
        session=db, registration_number=hidden.registration_number, access_code=hidden.access_code
    )
    # No email anywhere: the account's address would link the report back to its sender.
    assert hidden.notify_email == "" and reports.update_address(session=db, report=stored) == ""
    history, total = reports.reporter_history(session=db, user_id=owner.id)
    assert total == 1 and [row.registration_number for row in history] == [shown.registration_number]
    assert (
        reports.report_for_reporter(
            session=db, registration_number=hidden.registration_number, user_id=owner.id, granted=set()
        )
        is None
    )

    # "Identitas dirahasiakan" (the default): linked, identity kept for an audited reveal, updates by email.
    kept = reports.find_report(session=db, registration_number=shown.registration_number)
    assert kept.reporter_id == owner.id and not kept.hide_identity and shown.access_code is None
    opened = sealed.open_row(session=db, row=kept)
    assert (opened.reporter_name, opened.reporter_email) == ("Nama Asli Pelapor", "r3@mail.co.id")
    assert shown.notify_email == "r3@mail.co.id" and reports.update_address(session=db, report=kept) == "r3@mail.co.id"

    # A visitor cannot choose "tanpa identitas": the report keeps what the visitor typed.
    visitor = submission.submit_report(session=db, draft=make_draft(db, hide_identity=True), user=None)
    typed = reports.find_report(session=db, registration_number=visitor.registration_number)
    assert not typed.hide_identity and sealed.open_row(session=db, row=typed).reporter_name == "Robert"
    assert visitor.notify_email == "robert@mail.co.id"
    anonymous = reports.find_report(
        session=db,
        registration_number=submission.submit_report(
            session=db, draft=make_draft(db, include_email=False, reporter_email=""), user=None
        ).registration_number,
    )
    assert reports.update_address(session=db, report=anonymous) == ""


def test_draft_file_links_name_a_file_in_the_draft_area_only(db, data_dir):

    item = draft_file(db)
    path, kind = downloads.read_draft_token(downloads.make_draft_token(item.temp_path, "png"))
    assert path == Path(item.temp_path) and kind == "png"
    assert downloads.read_draft_token(downloads.make_draft_token("/etc/passwd", "png")) is None
    folder = Path(item.temp_path).parent.name
    assert downloads.read_draft_token(downloads.make_token("draf", "etc-passwd-png")) is None
    assert downloads.read_draft_token(downloads.make_token("draf", f"{folder}-passwd-png")) is None
    assert downloads.read_draft_token(downloads.make_token("draf", f"{folder}-{'a' * 32}-p/g")) is None
    assert downloads.read_draft_token(downloads.make_download_token(1)) is None  # another kind of link


def test_a_reporter_message_shows_in_the_case_history_without_naming_the_account(db, data_dir):
    from wbs_app.services import audit

    owner = reporter_account(db, "pengirim4", "p4@mail.co.id", "Nama Pengirim Asli")
    number = submission.submit_report(session=db, draft=make_draft(db), user=owner).registration_number
    report = reports.find_report(session=db, registration_number=number)
    reports.post_reporter_message(
        session=db, report=report, user_id=owner.id, granted=set(), body="Ada bukti baru", attachments=[draft_file(db)]
    )
    (row,) = audit.report_history(session=db, report_id=report.id)
    assert (row.actor, row.action, row.detail) == ("Pelapor", "Pesan dari pelapor", "Ada bukti baru (1 lampiran)")
