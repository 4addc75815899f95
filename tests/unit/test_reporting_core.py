"""Reporting: registration numbers and access codes, evidence checks, and the report service."""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import dataclasses
import datetime as dt
import hashlib
import math
import re
import secrets
from pathlib import Path

import pytest
from sqlmodel import func, select

from tests.unit import drafts, sample_evidence
from wbs_app import messages
from wbs_app.models import Channel, Evidence, Report, ReportAccused, ReportStatusChange, ViolationType, as_utc
from wbs_app.services import (
    codes,
    downloads,
    evidence,
    evidence_store,
    filecrypt,
    receipts,
    reference,
    reports,
    sealed,
    submission,
)
from wbs_app.services.errors import ValidationFailed
from wbs_app.settings import get_settings
from wbs_app.state.uploads import receive_files

KEY = sample_evidence.DRAFTS_KEY  # the draft area's key where no database is involved

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("WBS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield get_settings()
    monkeypatch.undo()
    get_settings.cache_clear()


# Codes -----------------------------------------------------------------------------------------------


def test_registration_numbers_have_the_format_and_never_collide_in_100000():
    numbers = [codes.new_registration_number() for _ in range(100_000)]
    assert all(re.fullmatch(r"WBS-[0-9A-HJKMNP-TV-Z]{10}", n) for n in numbers[:1000])
    assert len(set(numbers)) == len(numbers)
    # Every symbol is used, evenly: a broken random source would show here.
    counts = collections.Counter("".join(n[4:] for n in numbers))
    expected = 10 * len(numbers) / 32
    assert set(counts) == set(codes.CROCKFORD)
    assert all(0.9 * expected < c < 1.1 * expected for c in counts.values())


def test_access_codes_carry_at_least_80_bits_and_never_collide():
    code = codes.new_access_code()
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{5}-){3}[0-9A-HJKMNP-TV-Z]{5}", code)
    assert len(code.replace("-", "")) * math.log2(len(codes.CROCKFORD)) >= 80
    assert len({codes.new_access_code() for _ in range(100_000)}) == 100_000


def test_access_code_input_is_forgiving_but_exact():
    code = codes.new_access_code()
    assert codes.normalize_access_code(code.lower().replace("-", " ")) == code
    assert codes.normalize_access_code("0O1IL" * 4) == "00111-00111-00111-00111"
    assert codes.normalize_access_code("ABC") == ""


# Evidence --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0", "jpeg"),
        (PNG, "png"),
        (b"%PDF-1.7", "pdf"),
        (b"PK\x03\x04", "zip"),
        (b"Rar!\x1a\x07\x01\x00", "rar"),
        (b"ID3\x04", "mp3"),
        (b"\x00\x00\x00\x18ftypmp42", "mp4"),
        (EXE, None),
    ],
)
def test_content_sniffing(head, kind):
    assert evidence.sniff_kind(head) == kind


def test_a_renamed_executable_and_a_foreign_extension_are_refused_by_name(data_dir):
    with pytest.raises(evidence.EvidenceRejected, match="program.pdf: isi berkas bukan PDF"):
        evidence.check_head("program.pdf", EXE[:16])
    with pytest.raises(evidence.EvidenceRejected, match="halaman.html: jenis berkas tidak diizinkan"):
        evidence.check_head("halaman.html", b"<html>" + b" " * 10)


def test_incoming_file_counts_bytes_and_stops_at_the_limit(data_dir, tmp_path):
    incoming = evidence.IncomingFile(folder=tmp_path / "draft", filename="besar.png", max_bytes=100, drafts_key=KEY)
    incoming.write(PNG[:50])
    with pytest.raises(evidence.EvidenceRejected, match="terlalu besar"):
        incoming.write(b"\x00" * 60)
    assert not incoming.path.exists()


def test_incoming_file_keeps_the_exact_bytes_under_a_random_name(data_dir, tmp_path):
    incoming = evidence.IncomingFile(
        folder=tmp_path / "draft", filename="../../etc/foto.png", max_bytes=1000, drafts_key=KEY
    )
    incoming.write(PNG[:10])
    incoming.write(PNG[10:])
    received = incoming.finish()
    assert received.name == "foto.png" and received.kind == "png" and received.size == len(PNG)
    assert received.sha256 == hashlib.sha256(PNG).hexdigest()
    assert received.temp_path.name == received.file_id
    assert evidence.read_draft_file(received.temp_path, drafts_key=KEY) == PNG
    assert PNG[8:] not in received.temp_path.read_bytes()  # encrypted as it streamed in


def test_a_zip_renamed_docx_is_refused(data_dir, tmp_path):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("isi.txt", "bukan dokumen word")
    incoming = evidence.IncomingFile(folder=tmp_path / "draft", filename="surat.docx", max_bytes=10_000, drafts_key=KEY)
    incoming.write(buffer.getvalue())
    with pytest.raises(evidence.EvidenceRejected, match="bukan DOCX"):
        incoming.finish()
    assert not incoming.path.exists()


@dataclasses.dataclass
class Chunk:
    filename: str
    offset: int
    data: bytes
    content_type: str = "application/octet-stream"


async def chunk_stream(chunks):
    for chunk in chunks:
        yield chunk


def test_receive_files_accepts_good_files_and_names_each_refused_one(data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("WBS_MAX_FILE_MB", "1")
    get_settings.cache_clear()
    big = PNG + b"\x00" * (1024 * 1024)
    stream = [
        Chunk("a.png", 0, sample_evidence.png_with_text()),  # whole files are parsed: real ones
        Chunk("program.pdf", 0, EXE),
        Chunk("besar.png", 0, big[:600_000]),
        Chunk("besar.png", 600_000, big[600_000:]),
        Chunk("b.pdf", 0, sample_evidence.pdf_document()),
    ]
    folder = tmp_path / "draft"
    space = evidence.ClientDraftSpace("10.0.0.1", folder)
    coroutine = receive_files(
        chunk_stream(stream), folder=folder, already_bytes=0, already_files=0, space=space, drafts_key=KEY
    )
    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # its own event loop, whatever runs in this thread
        accepted, refused = pool.submit(asyncio.run, coroutine).result()
    assert [f.name for f in accepted] == ["a.png", "b.pdf"]
    assert any("program.pdf" in r for r in refused) and any("besar.png" in r and "terlalu besar" in r for r in refused)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f.file_id for f in accepted)


# Report service --------------------------------------------------------------------------------------


def make_draft(db, evidence: tuple = (), **overrides) -> submission.ReportDraft:
    values = {
        "reporter_name": "Robert",
        "include_email": True,
        "reporter_email": "robert@mail.co.id",
        "title": "Pungutan pengadaan",
        "violation_type_id": str(db.exec(select(ViolationType.id)).first()),
        "unit_id": str(reference.active_units(session=db)[0].id),
        "description": "Kepala bidang meminta uang pelicin kepada rekanan pengadaan server di kantor dinas.",
        "accused": [submission.AccusedInput(uid="a1", name="Tensu")],
        "incident_address": "Kantor",
        "province_code": "51",
        "regency_code": reference.regencies("51")[0][0],
        "incident_at": "2024-11-11T12:00",
    }
    return submission.ReportDraft(fields=submission.ReportFields(**{**values, **overrides}), evidence=list(evidence))


def draft_file(db, name: str = "foto.png") -> submission.EvidenceInput:
    return drafts.draft_file(db, PNG, name=name)


def stored_content(db, file_id: str) -> bytes:
    """A stored evidence file's content, decrypted with the key its row holds."""
    record = db.exec(select(Evidence).where(Evidence.stored_name == file_id)).one()
    found = downloads.stored_file(session=db, record=record)
    return filecrypt.read_file(found.path, key=found.key, file_id=found.file_id)


def rows(db) -> dict[str, int]:
    return {
        m.__name__: db.exec(select(func.count()).select_from(m)).one()
        for m in (Report, ReportAccused, Evidence, ReportStatusChange)
    }


def test_step_validation_names_each_missing_field(db):
    empty = submission.ReportDraft(fields=submission.ReportFields(accused=[submission.AccusedInput(uid="x")]))
    assert "reporter_name" in submission.validate_reporter(empty, logged_in=False)
    details = submission.validate_details(empty, choices=submission.active_choices(session=db))
    assert {"title", "violation_type_id", "unit_id", "description", "accused_name_x"} <= set(details)
    location = submission.validate_location(empty)
    assert {"incident_address", "province_code", "incident_at"} <= set(location)
    future = submission.validate_location(make_draft(db, incident_at="2099-01-01T10:00"))
    assert future["incident_at"] == messages.DATETIME_IN_FUTURE
    other_province = submission.validate_location(make_draft(db, regency_code=reference.regencies("32")[0][0]))
    assert other_province["regency_code"] == messages.REGENCY_REQUIRED
    choices = submission.active_choices(session=db)
    too_many = [submission.AccusedInput(uid=str(i), name="x") for i in range(21)]
    assert submission.validate_details(make_draft(db, accused=too_many), choices=choices)[
        "accused"
    ] == messages.ACCUSED_TOO_MANY.format(max=20)  # fmt: skip
    assert submission.validate_details(make_draft(db), choices=choices) == {}
    retired = db.get(ViolationType, int(make_draft(db).fields.violation_type_id))
    retired.is_active = False
    db.add(retired)
    db.commit()
    refused = submission.validate_details(make_draft(db), choices=submission.active_choices(session=db))
    assert refused == {"violation_type_id": messages.VIOLATION_TYPE_REQUIRED}  # no longer offered: refused


def test_anonymous_submission_stores_everything_and_only_a_hash_of_the_code(db, data_dir):
    item = draft_file(db)
    result = submission.submit_report(session=db, draft=make_draft(db, evidence=[item]), user=None)
    assert result.access_code and result.notify_email == "robert@mail.co.id"
    report = db.exec(select(Report)).one()
    assert report.access_code_hash.startswith("h1$") and result.access_code not in report.access_code_hash
    assert rows(db) == {"Report": 1, "ReportAccused": 1, "Evidence": 1, "ReportStatusChange": 1}
    assert stored_content(db, item.file_id) == PNG
    assert PNG[8:] not in (data_dir.evidence_dir / item.file_id).read_bytes()  # encrypted in the store
    assert (
        reports.check_access_code(
            session=db,
            registration_number=result.registration_number,
            access_code=result.access_code.lower().replace("-", ""),
        )
        == report.registration_number
    )
    assert (
        reports.check_access_code(
            session=db, registration_number=result.registration_number, access_code="AAAAA-BBBBB-CCCCC-DDDDD"
        )
        is None
    )
    assert (
        reports.check_access_code(session=db, registration_number="WBS-0000000000", access_code=result.access_code)
        is None
    )


def test_a_failed_commit_keeps_nothing_and_the_draft_can_be_sent_again(db, data_dir, monkeypatch):
    item = draft_file(db)
    working_commit = submission._commit

    def broken(*, session):
        raise OSError("disk penuh")

    monkeypatch.setattr(submission, "_commit", broken)
    with pytest.raises(submission.SubmissionFailed):
        submission.submit_report(session=db, draft=make_draft(db, evidence=[item]), user=None)
    assert rows(db) == {"Report": 0, "ReportAccused": 0, "Evidence": 0, "ReportStatusChange": 0}
    assert not data_dir.evidence_dir.exists() or not any(data_dir.evidence_dir.iterdir())
    monkeypatch.setattr(submission, "_commit", working_commit)
    submission.submit_report(session=db, draft=make_draft(db, evidence=[item]), user=None)
    assert rows(db)["Evidence"] == 1


def test_an_invalid_draft_stores_nothing(db, data_dir):
    with pytest.raises(ValidationFailed):
        submission.submit_report(session=db, draft=make_draft(db, title=""), user=None)
    assert rows(db)["Report"] == 0


def test_a_refused_draft_names_the_first_step_to_fix(db, data_dir):
    Step = submission.Step
    with pytest.raises(submission.DraftInvalid) as both:
        submission.submit_report(session=db, draft=make_draft(db, reporter_name="", incident_address=""), user=None)
    assert both.value.step == Step.REPORTER
    assert both.value.by_step == {
        Step.REPORTER: {"reporter_name": messages.REQUIRED},
        Step.LOCATION: {"incident_address": messages.REQUIRED},
    }
    assert both.value.errors == {"reporter_name": messages.REQUIRED, "incident_address": messages.REQUIRED}

    with pytest.raises(ValidationFailed) as only_location:  # a DraftInvalid is still a ValidationFailed
        submission.submit_report(session=db, draft=make_draft(db, incident_at="2099-01-01T10:00"), user=None)
    assert only_location.value.step == Step.LOCATION
    assert only_location.value.errors == {"incident_at": messages.DATETIME_IN_FUTURE}

    # An account's report needs no reporter name: step 1 passes, the missing title sends it to step 2.
    with pytest.raises(submission.DraftInvalid) as details:
        submission.submit_report(session=db, draft=make_draft(db, reporter_name="", title=""), user=_account(db))
    assert details.value.step == Step.DETAILS and set(details.value.errors) == {"title"}
    assert rows(db)["Report"] == 0


def test_every_field_of_an_empty_draft_is_refused_in_its_own_step(db):
    empty = submission.ReportDraft(fields=submission.ReportFields(accused=[submission.AccusedInput(uid="x")]))
    by_step = submission.validate_draft(session=db, draft=empty, logged_in=False)
    assert set(by_step[submission.Step.REPORTER]) == {"reporter_name"}
    assert set(by_step[submission.Step.DETAILS]) == {
        "title",
        "violation_type_id",
        "unit_id",
        "description",
        "accused_name_x",
    }
    assert set(by_step[submission.Step.LOCATION]) == {"incident_address", "province_code", "incident_at"}


def test_what_the_reporter_typed_is_what_the_report_stores(db, data_dir):
    regency_code, regency_name = reference.regencies("51")[1]
    fields = submission.ReportFields(
        channel=Channel.GRATIFICATION.value,
        reporter_name="  Robert Samaran ",
        include_email=True,
        reporter_email="Robert@Mail.co.id",
        reporter_phone="081234567890",
        reporter_address="Jl. Melati 2",
        title=" Pungutan pengadaan ",
        violation_type_id=str(db.exec(select(ViolationType.id)).first()),
        unit_id=str(reference.active_units(session=db)[1].id),
        description="Kepala bidang meminta uang pelicin kepada rekanan pengadaan server di kantor dinas.",
        accused=[
            submission.AccusedInput(
                uid="a1",
                name="Tensu",
                position="Kepala Bidang",
                rank="IV/a",
                institution="Dinas Kominfo",
                city="Denpasar",
                classification="Pejabat",
            ),
            submission.AccusedInput(uid="b2", name="Bambang", classification="Pihak Ketiga/Swasta"),
        ],
        incident_address="Kantor Dinas",
        province_code="51",
        regency_code=regency_code,
        incident_at="2024-11-11T12:00",
    )
    result = submission.submit_report(session=db, draft=submission.ReportDraft(fields=fields), user=None)
    report = sealed.open_row(
        session=db, row=reports.find_report(session=db, registration_number=result.registration_number)
    )
    assert (report.channel, report.title, report.description) == (
        fields.channel,
        "Pungutan pengadaan",
        fields.description,
    )
    assert (report.reporter_name, report.reporter_email, report.reporter_phone, report.reporter_address) == (
        "Robert Samaran",
        "Robert@mail.co.id",  # the domain is normalized, the mailbox name kept
        "0812-3456-7890",
        "Jl. Melati 2",
    )
    assert (str(report.violation_type_id), str(report.unit_id)) == (fields.violation_type_id, fields.unit_id)
    assert (report.incident_address, report.province_name, report.regency_name) == (
        "Kantor Dinas",
        "Bali",
        regency_name,
    )
    assert as_utc(report.incident_at) == dt.datetime(2024, 11, 11, 5, 0, tzinfo=dt.UTC)  # 12:00 WIB
    stored = reports.accused_of(session=db, report_id=report.id)
    assert [{field: getattr(person, field) for field in submission.ACCUSED_FIELDS} for person in stored] == [
        {field: getattr(row, field) for field in submission.ACCUSED_FIELDS} for row in fields.accused
    ]


def test_a_submitted_report_is_found_by_its_words_and_hidden_from_the_staff_it_names(db, data_dir):
    """What a submission derives from the text as typed: search tokens, the accused's name digests, and the
    conflicts they decide, for staff accounts that exist already and for one made afterwards."""
    from wbs_app.models import Role
    from wbs_app.services import case_list, conflicts, deadlines, users

    def verifier(username: str, full_name: str):
        return users.create_staff_user(
            session=db, username=username, email=f"{username}@inspektorat.go.id", full_name=full_name,
            role=Role.VERIFIER, password="Rahasia-2026-aman",
        )  # fmt: skip

    before = verifier("tensu", "tensu   WIBOWO")  # spaces and case differ from the report's
    accused = [submission.AccusedInput(uid="a1", name="Tensu Wibowo"), submission.AccusedInput(uid="b2", name="Rina")]
    number = submission.submit_report(
        session=db, draft=make_draft(db, accused=accused, title="Pungutan genset"), user=None
    ).registration_number
    report = reports.find_report(session=db, registration_number=number)
    after, bystander = verifier("rina", "Rina"), verifier("hadi", "Hadi")
    stored = db.exec(select(ReportAccused).where(ReportAccused.report_id == report.id)).all()
    assert all(row.name_key and row.name != "Rina" for row in stored)  # digests beside sealed names
    for user, named in ((before, True), (after, True), (bystander, False)):
        assert conflicts.conflict_of_interest(session=db, report=report, verifier=user) is named, user.username
    for term in ("genset", "Wibowo", "rina"):
        rows, _ = case_list.list_cases(
            session=db, filters=case_list.CaseFilters(search=term), user=bystander, config=deadlines.DeadlineConfig()
        )
        assert [row.registration_number for row in rows] == [number], term


def _account(db, username: str = "akun5", email: str = "a5@mail.co.id", full_name: str = "Akun Lima", **fields):
    """A reporter account made straight in the database (no password hashing: these tests never log in)."""
    from wbs_app.models import User

    user = User(
        username=username,
        username_key=username,
        email=email,
        email_key=email,
        password_hash="x",
        full_name=full_name,
        is_active=True,
        **fields,
    )
    db.add(user)
    db.commit()
    return user


def test_only_the_owner_or_a_code_holder_reads_a_report(db, data_dir):
    from wbs_app.models import Role
    from wbs_app.services import users

    owner = users.create_staff_user(
        session=db,
        username="pemilik",
        email="p@mail.co.id",
        full_name="P",
        role=Role.VERIFIER,
        password="Rahasia-2026-aman",
    )
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
    from wbs_app.models import ReportStatus, Role
    from wbs_app.services import users

    owner = users.create_staff_user(
        session=db,
        username="pemilik",
        email="p@mail.co.id",
        full_name="P",
        role=Role.VERIFIER,
        password="Rahasia-2026-aman",
    )
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


def test_confirmation_email_carries_only_the_number():
    email = receipts.confirmation_email(to="a@mail.co.id", registration_number="WBS-AB12CD34EF")
    assert "WBS-AB12CD34EF" in email["text"] and "Pungutan" not in email["text"]


def test_evidence_links_follow_the_login_session_and_who_may_see_the_report(db, data_dir):
    from wbs_app.models import Role
    from wbs_app.services import downloads, sessions, users

    owner = _account(db, "pemilik2", "o@mail.co.id", "Pemilik")
    stranger = _account(db, "lain2", "l@mail.co.id", "Lain")
    verifier = users.create_staff_user(
        session=db,
        username="verif2",
        email="v2@inspektorat.go.id",
        full_name="Tensu",
        role=Role.VERIFIER,
        password="Rahasia-2026-aman",
    )
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

    owner = _account(
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


def test_the_same_draft_sent_twice_makes_one_report_with_the_same_number_and_code(db, data_dir):
    draft = make_draft(db, evidence=[draft_file(db)])
    draft.key, draft.access_code = secrets.token_urlsafe(32), codes.new_access_code()
    before = rows(db)
    first = submission.submit_report(session=db, draft=draft, user=None)
    # The answer was lost; the browser sends the draft again (its files are already in the store).
    again = submission.submit_report(session=db, draft=draft, user=None)
    assert rows(db) == {
        **before,
        "Report": before["Report"] + 1,
        "ReportAccused": before["ReportAccused"] + 1,
        "Evidence": before["Evidence"] + 1,
        "ReportStatusChange": before["ReportStatusChange"] + 1,
    }
    assert again.registration_number == first.registration_number
    assert again.access_code == first.access_code == draft.access_code
    assert reports.check_access_code(
        session=db, registration_number=again.registration_number, access_code=again.access_code
    )
    assert first.notify_email == "robert@mail.co.id" and again.notify_email == ""  # one confirmation email
    # Only a digest of the key is stored.
    stored = reports.find_report(session=db, registration_number=first.registration_number)
    assert stored.draft_key_hash and draft.key not in stored.draft_key_hash

    # A new draft (another key) is another report, even with the same content.
    other = make_draft(db)
    other.key, other.access_code = secrets.token_urlsafe(32), codes.new_access_code()
    assert submission.submit_report(session=db, draft=other, user=None).registration_number != first.registration_number
    assert rows(db)["Report"] == before["Report"] + 2


def test_a_repeat_never_shows_a_code_that_does_not_open_the_report(db, data_dir):

    owner = _account(db, "ulang6", "u6@mail.co.id", "Ulang")
    linked = make_draft(db)
    linked.key, linked.access_code = secrets.token_urlsafe(32), codes.new_access_code()
    first = submission.submit_report(session=db, draft=linked, user=owner)
    again = submission.submit_report(session=db, draft=linked, user=owner)
    # A report linked to the account has no Kode Akses, the first time or the second.
    assert (first.access_code, again.access_code) == (None, None)
    assert again.registration_number == first.registration_number
    assert receipts.sent_before(session=db, draft_key=linked.key, access_code="AAAAA-BBBBB-CCCCC-DDDDD") == (
        receipts.SubmittedReport(first.registration_number, None, "")
    )
    assert receipts.sent_before(session=db, draft_key=secrets.token_urlsafe(32), access_code="") is None
    assert receipts.sent_before(session=db, draft_key="", access_code="") is None


def test_a_draft_sent_twice_at_once_makes_one_report(db, data_dir, monkeypatch):
    """Two submissions of one draft that both pass the first check (the other one had not committed yet):
    the unique key refuses the second insert, and the second gets the first one's report."""
    draft = make_draft(db, evidence=[draft_file(db)])
    draft.key, draft.access_code = secrets.token_urlsafe(32), codes.new_access_code()
    first = submission.submit_report(session=db, draft=draft, user=None)
    before = rows(db)
    looked = []
    real_check = submission._made_before

    def not_yet_committed_at_first(*, session, draft):
        looked.append(draft.key)
        return None if len(looked) == 1 else real_check(session=session, draft=draft)

    monkeypatch.setattr(submission, "_made_before", not_yet_committed_at_first)
    late = make_draft(db, evidence=[draft_file(db)])  # its files are moved back, not left in the store
    late.key, late.access_code = draft.key, draft.access_code
    again = submission.submit_report(session=db, draft=late, user=None)
    assert len(looked) == 2 and rows(db) == before
    assert again == receipts.SubmittedReport(first.registration_number, draft.access_code, "")
    assert all(Path(item.temp_path).exists() for item in late.evidence)


def test_evidence_files_left_by_a_submission_that_died_mid_commit_are_swept(db, data_dir):
    import os
    import time

    kept = submission.submit_report(session=db, draft=make_draft(db, evidence=[draft_file(db)]), user=None)
    stored = reports.evidence_of(
        session=db, report_id=reports.find_report(session=db, registration_number=kept.registration_number).id
    )[0].stored_name
    store = get_settings().evidence_dir
    orphan, young = store / secrets.token_hex(16), store / secrets.token_hex(16)
    orphan.write_bytes(PNG)
    young.write_bytes(PNG)  # a commit may still be running for this one
    two_hours_ago = time.time() - 7200
    for path in (orphan, store / stored):
        os.utime(path, (two_hours_ago, two_hours_ago))
    assert evidence_store.sweep_orphan_evidence(session=db) == 1
    assert not orphan.exists() and young.exists() and (store / stored).exists()
    young.unlink()


def test_the_orphan_sweep_spares_files_of_a_commit_still_running(db, data_dir, monkeypatch):
    import os
    import time

    from sqlmodel import Session

    item = draft_file(db)
    hours_ago = time.time() - 5 * 3600  # uploaded long before the reporter pressed Kirim Laporan
    os.utime(item.temp_path, (hours_ago, hours_ago))
    working_commit = submission._commit
    swept = []

    def sweep_then_commit(*, session):
        with Session(db.get_bind()) as other:  # the hourly job, which cannot see the open transaction
            swept.append(evidence_store.sweep_orphan_evidence(session=other))
        working_commit(session=session)

    monkeypatch.setattr(submission, "_commit", sweep_then_commit)
    number = submission.submit_report(session=db, draft=make_draft(db, evidence=[item]), user=None).registration_number
    stored = reports.evidence_of(session=db, report_id=reports.find_report(session=db, registration_number=number).id)[
        0
    ].stored_name
    assert swept == [0] and (get_settings().evidence_dir / stored).exists()


def test_draft_file_links_name_a_file_in_the_draft_area_only(db, data_dir):
    from wbs_app.services import downloads

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

    owner = _account(db, "pengirim4", "p4@mail.co.id", "Nama Pengirim Asli")
    number = submission.submit_report(session=db, draft=make_draft(db), user=owner).registration_number
    report = reports.find_report(session=db, registration_number=number)
    reports.post_reporter_message(
        session=db, report=report, user_id=owner.id, granted=set(), body="Ada bukti baru", attachments=[draft_file(db)]
    )
    (row,) = audit.report_history(session=db, report_id=report.id)
    assert (row.actor, row.action, row.detail) == ("Pelapor", "Pesan dari pelapor", "Ada bukti baru (1 lampiran)")


def test_uploads_wait_when_unsent_drafts_fill_their_space(db, data_dir, monkeypatch):
    monkeypatch.setenv("WBS_MAX_DRAFT_AREA_MB", "1")
    get_settings.cache_clear()
    try:
        assert not evidence.draft_area_full(incoming_bytes=evidence.MB // 2)
        item = draft_file(db)
        Path(item.temp_path).write_bytes(b"x" * (evidence.MB + 1))
        assert evidence.draft_area_full()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
