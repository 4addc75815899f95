"""Verifier services: deadline arithmetic, the workflow rules, the case list, statistics and reminders."""

from __future__ import annotations

import datetime as dt
import io

import lokal
import pytest
from sqlmodel import select

from tests.unit.builders import detail, make_report, staff
from tests.unit.second_factor import enrol, next_code
from wbs_app import messages
from wbs_app.models import AuditLog, ReportAccused, ReportStatus, Role
from wbs_app.services import (
    case_list,
    cases,
    deadlines,
    export,
    mailer,
    policy,
    report_index,
    reports,
    statistics,
)
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.settings import get_settings

UTC = dt.UTC


# Deadlines -------------------------------------------------------------------------------------------


def test_calendar_and_working_day_arithmetic():
    assert deadlines.add_days(dt.date(2026, 3, 2), 7, working=False) == dt.date(2026, 3, 9)
    # 14-18 Aug 2026: Fri 14, weekend, Mon 17 is Independence Day, so one working day later is Tue 18.
    assert not lokal.is_working_day("2026-08-17")
    assert deadlines.add_days(dt.date(2026, 8, 14), 1, working=True) == dt.date(2026, 8, 18)
    assert deadlines.add_days(dt.date(2026, 8, 18), -1, working=True) == dt.date(2026, 8, 14)
    # Five working days from a Monday without holidays is the next Monday.
    assert deadlines.add_days(dt.date(2026, 3, 2), 5, working=True) == dt.date(2026, 3, 9)


def test_next_deadline_follows_the_status():
    config = deadlines.DeadlineConfig()
    created = dt.datetime(2026, 3, 2, 9, tzinfo=UTC)
    first = deadlines.next_deadline(
        status=ReportStatus.VERIFICATION.value, created_at=created, acknowledged_at=None, config=config
    )
    assert (first.kind, first.due) == ("Tanggapan awal", dt.date(2026, 3, 9))
    later = deadlines.next_deadline(
        status=ReportStatus.EXAMINATION.value, created_at=created, acknowledged_at=created, config=config
    )
    assert (later.kind, later.due) == ("Hasil", dt.date(2026, 5, 31))
    assert (
        deadlines.next_deadline(
            status=ReportStatus.PROVEN.value, created_at=created, acknowledged_at=created, config=config
        )
        is None
    )


def test_deadline_settings_round_trip(db):
    assert deadlines.load_config(session=db) == deadlines.DeadlineConfig(7, 90, False, 2)
    deadlines.save_config(session=db, config=deadlines.DeadlineConfig(5, 60, True, 1))
    db.commit()
    assert deadlines.load_config(session=db) == deadlines.DeadlineConfig(5, 60, True, 1)


# Case list -------------------------------------------------------------------------------------------


def test_case_list_filters_search_overdue_and_pages_in_the_database(db):
    verifier = staff(db)
    today = dt.date(2026, 6, 1)
    config = deadlines.DeadlineConfig()
    old = make_report(db, created=dt.datetime(2026, 5, 1, tzinfo=UTC), accused="Budi Santoso", title="Server")
    examined = make_report(
        db,
        created=dt.datetime(2026, 5, 30, tzinfo=UTC),
        status=ReportStatus.EXAMINATION.value,
        acknowledged=dt.datetime(2026, 5, 31, tzinfo=UTC),
        assigned_to=verifier.id,
        type_name="Gratifikasi",
    )
    proven = make_report(
        db,
        created=dt.datetime(2026, 1, 1, tzinfo=UTC),
        status=ReportStatus.PROVEN.value,
        acknowledged=dt.datetime(2026, 1, 2, tzinfo=UTC),
        closed=dt.datetime(2026, 2, 1, tzinfo=UTC),
    )

    def numbers(**filters):
        rows, total = case_list.list_cases(
            session=db, filters=case_list.CaseFilters(**filters), user=verifier, config=config, today=today
        )
        assert total == len(rows)
        return [r.registration_number for r in rows]

    assert len(numbers()) == 3
    assert numbers(search="budi") == [old.registration_number]
    assert numbers(search="SERVER") == [old.registration_number]
    assert numbers(search="%") == [] and numbers(search="_") == []  # searched for, not wildcards
    assert numbers(overdue=True) == [old.registration_number]
    assert len(numbers(assigned_to_me=True)) == 1
    assert len(numbers(status=ReportStatus.PROVEN.value)) == 1
    assert len(numbers(date_from=dt.date(2026, 5, 1), date_to=dt.date(2026, 5, 30))) == 2
    # Clickable headers: each column both ways; equal values keep a stable order by id.
    oldest_first = [proven.registration_number, old.registration_number, examined.registration_number]
    assert numbers(sort="tanggal", descending=False) == oldest_first
    assert numbers(sort="tanggal") == oldest_first[::-1]
    assert numbers(sort="jenis", descending=False) == [
        examined.registration_number,
        old.registration_number,
        proven.registration_number,
    ]
    assert numbers(sort="status", descending=False) == oldest_first[::-1]
    assert numbers(sort="petugas", descending=True)[0] == examined.registration_number
    assert numbers(sort="tidak-ada") == numbers(sort="tanggal")
    counts = case_list.counters(session=db, user=verifier, config=config, today=today)
    assert counts == {"baru": 1, "verifikasi": 1, "pemeriksaan": 1, "selesai": 1, "terlambat": 1, "belum_dibaca": 0}
    for _ in range(22):
        make_report(db, created=dt.datetime(2026, 5, 31, tzinfo=UTC))
    page_two, total = case_list.list_cases(
        session=db, filters=case_list.CaseFilters(), user=verifier, config=config, today=today, page=2, page_size=20
    )
    assert total == 25 and len(page_two) == 5


# Workflow --------------------------------------------------------------------------------------------


def test_workflow_rules_notes_and_audit(db):
    verifier = staff(db)
    admin = staff(db, Role.ADMIN, "Admin", "admin1")
    report = make_report(db, created=dt.datetime(2026, 5, 1, tzinfo=UTC))
    assert policy.allowed_next_statuses(report, verifier) == [
        ReportStatus.EXAMINATION.value,
        ReportStatus.NOT_FOLLOWED_UP.value,
    ]
    with pytest.raises(Refused):
        cases.change_status(
            session=db, report=report, actor=verifier, new_status=ReportStatus.PROVEN.value, public_note="x"
        )
    with pytest.raises(ValidationFailed):
        cases.change_status(
            session=db, report=report, actor=verifier, new_status=ReportStatus.EXAMINATION.value, public_note=" "
        )
    cases.change_status(
        session=db,
        report=report,
        actor=verifier,
        new_status=ReportStatus.EXAMINATION.value,
        public_note="Diperiksa",
        internal_note="RAHASIA",
    )
    assert report.acknowledged_at is not None
    cases.change_status(
        session=db, report=report, actor=verifier, new_status=ReportStatus.PROVEN.value, public_note="Terbukti"
    )
    assert report.closed_at is not None
    assert policy.allowed_next_statuses(report, verifier) == []
    assert ReportStatus.EXAMINATION.value in policy.allowed_next_statuses(report, admin)
    timeline = reports.public_timeline(session=db, report_id=report.id)
    assert [(status, note) for status, _, note in timeline] == [
        (ReportStatus.EXAMINATION.value, "Diperiksa"),
        (ReportStatus.PROVEN.value, "Terbukti"),
    ]
    assert all("RAHASIA" not in note for _, _, note in timeline)
    actions = db.exec(select(AuditLog.action).where(AuditLog.report_id == report.id)).all()
    assert actions.count("ubah_status") == 2


def test_assignment_refuses_a_verifier_named_among_the_accused(db):
    accused_verifier = staff(db, name="Tensu", username="tensu")
    other = staff(db, name="Siti", username="siti2")
    report = make_report(db, created=dt.datetime(2026, 5, 1, tzinfo=UTC), accused="Tensu")
    with pytest.raises(Refused, match="benturan kepentingan"):
        cases.assign(session=db, report=report, actor=other, verifier_id=accused_verifier.id)
    cases.assign(session=db, report=report, actor=other, verifier_id=other.id)
    assert report.assigned_to_id == other.id


def test_staff_named_among_the_accused_neither_list_nor_open_their_case(db):
    accused_verifier = staff(db, name="Tensu", username="tensu")
    other = staff(db, name="Siti", username="siti2")
    own = make_report(db, created=dt.datetime(2026, 5, 1, tzinfo=UTC), accused=" tensu ")
    unrelated = make_report(db, created=dt.datetime(2026, 5, 2, tzinfo=UTC), accused="Bambang")
    config = deadlines.DeadlineConfig()

    def listed(user):
        rows, total = case_list.list_cases(session=db, filters=case_list.CaseFilters(), user=user, config=config)
        assert total == len(rows)
        return {row.registration_number for row in rows}

    assert listed(accused_verifier) == {unrelated.registration_number}
    assert listed(other) == {own.registration_number, unrelated.registration_number}
    # Even the counters do not hint at it.
    assert case_list.counters(session=db, user=accused_verifier, config=config)["verifikasi"] == 1
    assert case_list.counters(session=db, user=other, config=config)["verifikasi"] == 2
    # Opening it answers "not found", as for any unknown number; the attempt is audited.
    assert (
        cases.open_case(session=db, number=own.registration_number, user=accused_verifier, client_ip="10.0.0.9") is None
    )
    refusal = db.exec(select(AuditLog).where(AuditLog.action == "akses_ditolak")).one()
    assert (refusal.actor_id, refusal.report_id, refusal.client_ip) == (accused_verifier.id, own.id, "10.0.0.9")
    assert cases.open_case(session=db, number=own.registration_number, user=other).id == own.id
    assert cases.open_case(session=db, number="WBS-TIDAKADA00", user=other) is None
    # An accused administrator does not read the case's notes and messages in the audit log either.
    from wbs_app.services import audit

    cases.add_internal_note(session=db, report=own, actor=other, note="Catatan tentang Tensu")
    accused_admin = staff(db, Role.ADMIN, "TENSU", "tensuadmin")
    other_admin = staff(db, Role.ADMIN, "Siti Admin", "sitiadmin")
    seen = {row.detail for row in audit.list_entries(session=db, viewer=accused_admin)[0]}
    assert "Catatan tentang Tensu" not in seen and "Catatan tentang Tensu" in {
        row.detail for row in audit.list_entries(session=db, viewer=other_admin)[0]
    }


def test_identity_reveal_needs_a_reason_and_a_fresh_code_and_is_audited(db):
    verifier = staff(db)
    enrol(db, verifier)
    report = make_report(db, created=dt.datetime(2026, 5, 1, tzinfo=UTC))
    reason = "Pemanggilan saksi pemeriksaan"
    with pytest.raises(ValidationFailed) as short:
        cases.reveal_identity(session=db, report=report, actor=verifier, reason="singkat", second_factor_code="")
    assert list(short.value.errors) == ["reason"]
    for wrong in ("", "000000"):
        with pytest.raises(ValidationFailed) as refused:
            cases.reveal_identity(session=db, report=report, actor=verifier, reason=reason, second_factor_code=wrong)
        assert list(refused.value.errors) == ["second_factor_code"]
    assert not db.exec(select(AuditLog).where(AuditLog.action == "buka_identitas")).all()
    code = next_code(db, verifier)
    identity = cases.reveal_identity(session=db, report=report, actor=verifier, reason=reason, second_factor_code=code)
    assert identity.email == "robert@mail.co.id"
    entry = db.exec(select(AuditLog).where(AuditLog.action == "buka_identitas")).one()
    assert entry.actor_id == verifier.id and "Pemanggilan saksi" in detail(db, entry)
    # The same code does not open it a second time.
    with pytest.raises(ValidationFailed, match="sudah dipakai"):
        cases.reveal_identity(session=db, report=report, actor=verifier, reason=reason, second_factor_code=code)
    report.hide_identity = True
    with pytest.raises(Refused, match=messages.NO_IDENTITY[:20]):
        cases.reveal_identity(
            session=db, report=report, actor=verifier, reason=reason, second_factor_code=next_code(db, verifier)
        )


def test_a_first_staff_message_acknowledges_the_report(db, tmp_path, monkeypatch):
    monkeypatch.setenv("WBS_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        verifier = staff(db)
        report = make_report(db, created=dt.datetime(2026, 5, 1, tzinfo=UTC))
        cases.post_staff_message(session=db, report=report, actor=verifier, body="Mohon bukti tambahan", attachments=[])
        assert report.acknowledged_at is not None
        assert detail(db, db.exec(select(AuditLog).where(AuditLog.action == "pesan")).one()) == "Mohon bukti tambahan"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


# Statistics ------------------------------------------------------------------------------------------


def test_statistics_against_a_known_data_set(db):
    day = lambda m, d: dt.datetime(2026, m, d, tzinfo=UTC)  # noqa: E731
    make_report(
        db,
        created=day(1, 10),
        type_name="Korupsi",
        unit_index=0,
        acknowledged=day(1, 12),
        closed=day(1, 20),
        status=ReportStatus.PROVEN.value,
    )
    make_report(db, created=day(1, 15), type_name="Korupsi", unit_index=1, acknowledged=day(1, 19))
    make_report(
        db,
        created=day(2, 1),
        type_name="Gratifikasi",
        unit_index=0,
        acknowledged=day(2, 7),
        closed=day(3, 3),
        status=ReportStatus.NOT_PROVEN.value,
    )
    make_report(db, created=day(3, 5), type_name="Korupsi", unit_index=0)
    result = statistics.compute(session=db)
    assert result.total == 4
    assert result.per_month == [
        {"bulan": "Jan 2026", "jumlah": 2},
        {"bulan": "Feb 2026", "jumlah": 1},
        {"bulan": "Mar 2026", "jumlah": 1},
    ]
    assert result.by_type[0] == {"nama": "Korupsi", "jumlah": 3}
    assert {"nama": "Gratifikasi", "jumlah": 1} in result.by_type
    assert sum(row["jumlah"] for row in result.by_unit) == 4 and result.by_unit[0]["jumlah"] == 3
    assert [row["nama"] for row in result.by_status] == reports.STATUS_ORDER
    assert dict((r["nama"], r["jumlah"]) for r in result.by_status)[ReportStatus.VERIFICATION.value] == 2
    assert result.median_days_to_acknowledge == 4.0  # 2, 4 and 6 days
    assert result.median_days_to_close == 20.0  # 10 and 30 days
    february = statistics.compute(session=db, date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 28))
    assert february.total == 1 and february.by_type == [{"nama": "Gratifikasi", "jumlah": 1}]


def test_reminders_go_once_a_day_to_the_assigned_verifier(db, tmp_path, monkeypatch):
    from wbs_app.services import reminders

    monkeypatch.setenv("WBS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("WBS_SMTP_HOST", raising=False)  # write to the outbox
    get_settings.cache_clear()
    try:
        verifier = staff(db)
        accused = staff(db, name="Tensu", username="tensu3")  # staff named in the unassigned report below
        make_report(db, created=dt.datetime(2026, 5, 1, tzinfo=UTC), assigned_to=verifier.id)  # due 8 May
        make_report(
            db, created=dt.datetime(2026, 4, 1, tzinfo=UTC), assigned_to=verifier.id, status=ReportStatus.PROVEN.value
        )
        unassigned = make_report(db, created=dt.datetime(2026, 5, 1, tzinfo=UTC), accused="Tensu")
        assert reminders.send_reminders(session=db, today=dt.date(2026, 5, 7)) == 1
        assert reminders.send_reminders(session=db, today=dt.date(2026, 5, 7)) == 0
        [(_, sent)] = mailer.read_outbox()
        assert sent["To"] == "siti@inspektorat.go.id"
        # Siti hears of the unassigned report too; the accused colleague hears of nothing.
        text = sent.get_content()
        assert unassigned.registration_number in text and accused.email not in str(sent)
        assert b"siti@" not in next((tmp_path / "outbox").iterdir()).read_bytes()  # encrypted on disk
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_old_exports_and_abandoned_drafts_are_swept(tmp_path, monkeypatch):
    import os
    import time

    from wbs_app.services import evidence

    monkeypatch.setenv("WBS_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        exports = tmp_path / "exports"
        exports.mkdir()
        old, new = exports / ("a" * 32 + ".csv"), exports / ("b" * 32 + ".csv")
        old_sheet = exports / ("d" * 32 + ".xlsx")
        for path in (old, new, old_sheet):
            path.write_text("x")
        draft = get_settings().upload_temp_dir / ("c" * 32)
        draft.mkdir(parents=True)
        two_days_ago = time.time() - 48 * 3600
        os.utime(old, (two_days_ago, two_days_ago))
        os.utime(old_sheet, (two_days_ago, two_days_ago))
        os.utime(draft, (two_days_ago, two_days_ago))
        assert export.sweep_old_exports() == 2 and evidence.sweep_abandoned_drafts() == 1
        assert not old.exists() and not old_sheet.exists() and new.exists() and not draft.exists()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_clicking_a_header_sorts_by_it_and_a_second_click_reverses():
    from wbs_app.components.sortable import next_sort

    columns = {"tanggal": True, "nomor": False}
    assert next_sort("tanggal", True, "nomor", columns) == ("nomor", False)
    assert next_sort("nomor", False, "nomor", columns) == ("nomor", True)
    assert next_sort("nomor", False, "tanggal", columns) == ("tanggal", True)
    # Anything a browser makes up leaves the order as it was.
    assert next_sort("nomor", False, "reporter_email", columns) == ("nomor", False)
    assert next_sort("nomor", False, ["nomor"], columns) == ("nomor", False)


def test_export_writes_the_filtered_cases_as_csv_or_xlsx_and_identity_only_for_admins(db):
    import csv

    import openpyxl

    from wbs_app.services import downloads

    verifier, admin = staff(db), staff(db, Role.ADMIN, "Admin", "admin2")
    enrol(db, admin)
    config = deadlines.DeadlineConfig()
    wanted = make_report(db, created=dt.datetime(2026, 5, 1, 20, tzinfo=UTC), accused='=HYPERLINK("x")')
    make_report(db, created=dt.datetime(2026, 5, 2, tzinfo=UTC), accused="Lain")
    db.add(ReportAccused(report_id=wanted.id, name="Bel\x07 Berbunyi", position_in_list=1))
    report_index.reindex(session=db, report=wanted)
    db.commit()
    only_wanted = case_list.CaseFilters(search="HYPERLINK")
    folder = get_settings().data_dir / "exports"

    def content(name: str) -> bytes:
        return b"".join(export.read_export(session=db, name=name))

    name = export.export_cases(session=db, filters=only_wanted, user=verifier, config=config)
    assert b"HYPERLINK" not in (folder / name).read_bytes()  # encrypted on disk
    rows = list(csv.reader(io.StringIO(content(name).decode("utf-8-sig"), newline="")))
    assert rows[0] == export.COLUMNS
    # One row, dated in Jakarta time; the accused names cannot run as a formula, and lose control characters
    # (which XLSX refuses).
    assert [row[0] for row in rows[1:]] == [wanted.registration_number]
    assert rows[1][1] == "2026-05-02 03:00" and rows[1][5] == '\'=HYPERLINK("x"), Bel Berbunyi'

    with pytest.raises(Refused):
        export.export_cases(session=db, filters=only_wanted, user=verifier, config=config, include_identity=True)
    with pytest.raises(Refused):
        export.export_cases(session=db, filters=only_wanted, user=admin, config=config, file_format="../../x")

    with pytest.raises(ValidationFailed):  # identities leave only with a reason
        export.export_cases(
            session=db, filters=only_wanted, user=admin, config=config, include_identity=True, identity_reason="perlu"
        )
    with_identity = {"include_identity": True, "identity_reason": "Permintaan APH nomor 12/2026"}
    with pytest.raises(ValidationFailed) as no_code:  # and a fresh second-factor code
        export.export_cases(session=db, filters=only_wanted, user=admin, config=config, **with_identity)
    assert list(no_code.value.errors) == ["second_factor_code"]
    sheet_name = export.export_cases(
        session=db,
        filters=only_wanted,
        user=admin,
        config=config,
        **with_identity,
        second_factor_code=next_code(db, admin),
        file_format="xlsx",
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content(sheet_name)), read_only=True)["Laporan"]
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0]) == export.COLUMNS + export.IDENTITY_COLUMNS
    assert cells[1][0] == wanted.registration_number and cells[1][-3:] == ("Robert", "robert@mail.co.id", "")
    # In XLSX every cell is typed text: the accused name shows as typed, and never runs as a formula.
    assert cells[1][5] == '=HYPERLINK("x"), Bel Berbunyi' and cells[1][7] == "-"
    typed = openpyxl.load_workbook(io.BytesIO(content(sheet_name)))["Laporan"]
    assert typed.cell(row=2, column=6).data_type == "s"
    details = [detail(db, entry) for entry in db.exec(select(AuditLog).where(AuditLog.action == "ekspor"))]
    assert details == [
        "1 laporan (CSV)",
        "1 laporan (XLSX), dengan identitas pelapor. Alasan: Permintaan APH nomor 12/2026",
    ]
    # The case's own history shows the reveal, with who and why.
    reveal = db.exec(select(AuditLog).where(AuditLog.action == "buka_identitas")).one()
    assert (reveal.report_id, reveal.actor_id) == (wanted.id, admin.id) and "APH nomor 12" in detail(db, reveal)

    # The signed link names that file and nothing else, for the login session that made it.
    from wbs_app.services import sessions

    login = sessions.create_session(session=db, user=admin)
    link = downloads.make_export_token(sheet_name, session_token=login)
    assert downloads.read_export_token(link, session_token=login, session=db) == sheet_name
    assert downloads.read_export_token(link, session_token="", session=db) is None
    assert (
        downloads.read_export_token(link, session_token=sessions.create_session(session=db, user=verifier), session=db)
        is None
    )
    forged = downloads.make_export_token("../../etc/passwd", session_token=login)
    assert downloads.read_export_token(forged, session_token=login, session=db) is None
    sessions.revoke_session(session=db, token=login)
    assert downloads.read_export_token(link, session_token=login, session=db) is None


def test_dates_follow_jakarta_time_in_filters_deadlines_and_statistics(db):
    verifier = staff(db)
    # 31 Oct 20:00 UTC is 1 Nov 03:00 in Jakarta: a November report for everyone using WBS.
    late_night = make_report(db, created=dt.datetime(2026, 10, 31, 20, tzinfo=UTC))
    rows, total = case_list.list_cases(
        session=db,
        filters=case_list.CaseFilters(date_from=dt.date(2026, 11, 1)),
        user=verifier,
        config=deadlines.DeadlineConfig(),
        today=dt.date(2026, 11, 2),
    )
    assert [r.registration_number for r in rows] == [late_night.registration_number]
    first = deadlines.next_deadline(
        status=late_night.status,
        created_at=late_night.created_at,
        acknowledged_at=None,
        config=deadlines.DeadlineConfig(),
    )
    assert first.due == dt.date(2026, 11, 8)
    numbers = statistics.compute(session=db, date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 30))
    assert numbers.total == 1 and numbers.per_month == [{"bulan": "Nov 2026", "jumlah": 1}]
