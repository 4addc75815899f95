"""Reporting: registration numbers and access codes, and sending a report (each step's checks, what is stored,
a draft sent twice, files left by a submission that died)."""

from __future__ import annotations

import collections
import datetime as dt
import math
import re
import secrets
from pathlib import Path

import pytest
from sqlmodel import func, select

from tests.unit.builders import PNG, draft_file, make_draft, reporter_account, staff, stored_content
from wbs_app import messages
from wbs_app.models import Channel, Evidence, Report, ReportAccused, ReportStatusChange, ViolationType, as_utc
from wbs_app.services import (
    codes,
    evidence,
    evidence_store,
    receipts,
    reference,
    reports,
    sealed,
    submission,
)
from wbs_app.services.errors import ValidationFailed
from wbs_app.settings import get_settings

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


# Report service --------------------------------------------------------------------------------------


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
        submission.submit_report(
            session=db, draft=make_draft(db, reporter_name="", title=""), user=reporter_account(db)
        )
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
    from wbs_app.services import case_list, conflicts, deadlines

    def verifier(username: str, full_name: str):
        return staff(db, name=full_name, username=username)

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


def test_confirmation_email_carries_only_the_number():
    email = receipts.confirmation_email(to="a@mail.co.id", registration_number="WBS-AB12CD34EF")
    assert "WBS-AB12CD34EF" in email["text"] and "Pungutan" not in email["text"]


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

    owner = reporter_account(db, "ulang6", "u6@mail.co.id", "Ulang")
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
