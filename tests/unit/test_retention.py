"""Retention: past its term a closed report loses its content (rows, files, data key) and keeps what statistics
need; a legal hold keeps it; the daily job runs once however many workers race for it; administrators only."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from tests.conftest import migrate
from tests.unit.builders import staff
from tests.unit.installation import evidence_file, populate
from tests.unit.test_policy import (  # noqa: F401 - world_fixture provides `world`
    ACTORS,
    ADMIN_ONLY,
    HIDDEN,
    OK,
    STAFF_ONLY,
    outcome,
    world_fixture,
)
from wbs_app import messages
from wbs_app.models import (
    AppSetting,
    AuditLog,
    Channel,
    Evidence,
    Report,
    ReportAccused,
    ReportMessage,
    Role,
    utcnow,
)
from wbs_app.services import audit, cases, keys, policy, reports, retention, sealed, statistics, vault
from wbs_app.services.errors import NotFound, Refused, ValidationFailed
from wbs_app.settings import get_settings
from wbs_app.state.report_detail import Viewer, report_detail

NOW = dt.datetime(2027, 6, 1, 3, tzinfo=dt.UTC)
CLOSED = NOW - dt.timedelta(days=400)
PURGED = f"ditolak: {messages.REPORT_PURGED}"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("WBS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    keys.forget_cached_keys()
    yield get_settings()
    monkeypatch.undo()
    get_settings.cache_clear()
    keys.forget_cached_keys()


@pytest.fixture
def site(db):
    """Three reports (one per channel) closed 400 days before NOW, with files, messages, notes and keys."""
    return populate(db, closed_at=CLOSED)


def terms(db, site, **days) -> None:
    values = {retention.SETTING_KEYS[channel]: str(days.get(channel, 365)) for channel in retention.SETTING_KEYS}
    retention.save_days(session=db, actor=site.admin, form_values=values)


def count(db, model, report: Report) -> int:
    return db.exec(select(func.count()).select_from(model).where(model.report_id == report.id)).one()


def files_of(db, report: Report) -> list:
    return [get_settings().evidence_dir / name for name in db.exec(select(Evidence.stored_name).where(
        Evidence.report_id == report.id))]  # fmt: skip


def test_a_purge_removes_the_content_and_keeps_the_statistics(db, site):
    terms(db, site, **{Channel.GRATIFICATION.value: 500})  # the Gratifikasi report is not due yet
    purged, kept = site.reports[:2], site.reports[2]
    before = statistics.compute(session=db)
    files = {r.id: files_of(db, r) for r in site.reports}
    statuses = {r.id: [(c.status, c.created_at) for c in cases.status_changes_of(session=db, report_id=r.id)]
                for r in site.reports}  # fmt: skip
    assert all(len(f) == 2 and all(p.exists() for p in f) for f in files.values())
    assert before.median_days_to_close == 40.0 and before.total == 3

    assert retention.purge_due(session=db, now=NOW, batch=1) == 2
    db.expire_all()
    assert statistics.compute(session=db) == before  # counts by type, unit, status, month; days to close
    for report in purged:
        db.refresh(report)
        assert report.purged_at is not None and report.data_key is None and report.reporter_id is None
        assert (report.title, report.description, report.reporter_name, report.reporter_email) == ("", "", "", "")
        assert (report.incident_address, report.regency_name, report.incident_at) == ("", "", None)
        assert (report.channel, report.status, report.violation_type_id, report.unit_id) == (
            report.channel, "Selesai: Terbukti", kept.violation_type_id, kept.unit_id)  # fmt: skip
        assert report.closed_at and report.acknowledged_at and report.registration_number.startswith("WBS-")
        assert [count(db, m, report) for m in (Evidence, ReportMessage, ReportAccused)] == [0, 0, 0]
        assert not any(path.exists() for path in files[report.id])
        changes = cases.status_changes_of(session=db, report_id=report.id)
        assert [(c.status, c.created_at) for c in changes] == statuses[report.id]
        assert {(c.public_note, c.internal_note) for c in changes} == {("", "")}
        with pytest.raises(keys.ContentPurged):
            vault.report_key(session=db, report=report)
        entry = db.exec(select(AuditLog).where(AuditLog.report_id == report.id, AuditLog.action == "retensi")).one()
        detail = sealed.open_row(session=db, row=entry).detail
        assert "365 hari" in detail and "evidence 2" in detail and "Pungutan" not in detail
    # The report not yet due keeps everything.
    db.refresh(kept)
    assert kept.purged_at is None and sealed.open_row(session=db, row=kept).title == "Pungutan liar 2" and kept.data_key
    assert [count(db, m, kept) for m in (Evidence, ReportMessage, ReportAccused)] == [2, 2, 1]
    assert all(path.exists() for path in files[kept.id])
    # Nothing of the purged reports is left in the tables that held it.
    dump = "\n".join(
        line for line in db.connection().connection.driver_connection.iterdump() if "audit_log" not in line
    )
    assert "Pungutan liar" not in dump and "Pak Budi" not in dump  # sealed while kept, and gone once purged
    kept_notes = [change.internal_note for change in cases.status_changes_of(session=db, report_id=kept.id)]
    assert kept_notes.count("Saksi: Pak Budi di bagian keuangan") == 2  # the report still kept opens as before
    assert retention.purge_due(session=db, now=NOW) == 0


def test_a_purged_report_shows_the_notice_and_takes_no_more_work(db, site):
    report = site.reports[0]
    retention.purge_due(session=db, now=NOW)
    db.refresh(report)
    for viewer in (Viewer.reporter(session_token="", by_access_code=True), Viewer.verifier(session_token="s")):
        detail = report_detail(session=db, report=report, viewer=viewer)
        assert detail.purged == f"Isi laporan ini telah dihapus sesuai masa retensi ({NOW:%d-%m-%Y})."
        assert (detail.description, detail.accused, detail.files, detail.thread) == ("", [], [], [])
        assert [row.status for row in detail.timeline] == [
            "Proses Verifikasi",
            "Proses Pemeriksaan",
            "Selesai: Terbukti",
        ]
        assert {row.label for row in detail.fields} <= {"Nomor Registrasi", "Tanggal", "Kanal", "Saluran",
                                                         "Jenis Pelanggaran", "Unit Kejadian"}  # fmt: skip
    granted = {report.registration_number}
    with pytest.raises(Refused, match="masa retensi"):
        reports.post_reporter_message(
            session=db, report=report, user_id=None, granted=granted, body="Halo", attachments=[evidence_file(db)]
        )
    with pytest.raises(Refused, match="masa retensi"):
        cases.post_staff_message(session=db, report=report, actor=site.verifier, body="Halo", attachments=[])
    assert policy.allowed_next_statuses(report, site.admin) == []
    assert count(db, ReportMessage, report) == 0


def test_a_legal_hold_keeps_a_report_past_its_term_until_it_is_lifted(db, site):
    report = site.reports[0]
    number = report.registration_number
    with pytest.raises(ValidationFailed) as short:
        retention.set_legal_hold(session=db, actor=site.admin, registration_number=number, hold=True, reason="x")
    assert short.value.errors == {"reason": messages.HOLD_REASON_REQUIRED.format(min=10)}
    retention.set_legal_hold(
        session=db, actor=site.admin, registration_number=number, hold=True, reason="Perkara di pengadilan negeri"
    )
    assert retention.purge_due(session=db, now=NOW) == 2
    db.refresh(report)
    assert report.legal_hold and report.purged_at is None and count(db, Evidence, report) == 2
    rows, total = retention.list_due(session=db, viewer=site.admin, now=NOW)
    assert total == 1 and (rows[0].registration_number, rows[0].legal_hold) == (number, True)

    retention.set_legal_hold(
        session=db, actor=site.admin, registration_number=number, hold=False, reason="Putusan sudah berkekuatan tetap"
    )
    assert retention.list_due(session=db, viewer=site.admin, now=NOW)[1] == 1  # due now, no longer held
    history = audit.report_history(session=db, report_id=report.id)
    held = [row.detail for row in history if row.action.startswith("Penahanan")]
    assert held == ["Ditahan: Perkara di pengadilan negeri", "Penahanan dicabut: Putusan sudah berkekuatan tetap"]
    assert retention.purge_due(session=db, now=NOW) == 1
    # Its history keeps who held it and when; the details went with the report's content (sealed with its key).
    after = [row for row in audit.report_history(session=db, report_id=report.id) if row.action.startswith("Penahan")]
    assert [row.detail for row in after] == [audit.CONTENT_PURGED] * 2 and after[0].actor == "Kepala"
    with pytest.raises(Refused, match="masa retensi"):
        retention.set_legal_hold(
            session=db, actor=site.admin, registration_number=number, hold=True, reason="Terlambat ditahan"
        )


def test_the_due_list_pages_in_the_database_and_hides_reports_about_the_viewer(db, site):
    terms(db, site, **{Channel.GRATIFICATION.value: 500})
    first, total = retention.list_due(session=db, viewer=site.admin, now=NOW, page_size=1)
    second, _ = retention.list_due(session=db, viewer=site.admin, now=NOW, page=2, page_size=1)
    assert total == 2 and len(first) == len(second) == 1 and first[0] != second[0]
    assert first[0].purge_on == (CLOSED + dt.timedelta(days=365)).date()
    accused = staff(db, role=Role.ADMIN, name="Tensu", username="tensu")  # make_draft names "Tensu" as accused
    assert retention.list_due(session=db, viewer=accused, now=NOW) == ([], 0)
    with pytest.raises(NotFound):
        retention.set_legal_hold(
            session=db, actor=accused, registration_number=first[0].registration_number, hold=True,
            reason="Supaya tidak dihapus",
        )  # fmt: skip
    with pytest.raises(Refused, match="administrator"):
        retention.list_due(session=db, viewer=site.verifier, now=NOW)


def test_terms_are_checked_and_saved_by_administrators_only(db, site):
    wbs, benturan, gratifikasi = retention.SETTING_KEYS.values()
    assert retention.load_days(session=db) == dict.fromkeys(retention.SETTING_KEYS, 365)
    invalid = {wbs: "29", benturan: "²", gratifikasi: "36501"}
    with pytest.raises(ValidationFailed) as refused:
        retention.save_days(session=db, actor=site.admin, form_values=invalid)
    assert refused.value.errors == dict.fromkeys(invalid, "Isi jumlah hari 30–36500.")
    with pytest.raises(Refused, match="administrator"):
        retention.save_days(session=db, actor=site.verifier, form_values={wbs: "30", benturan: "30", gratifikasi: "30"})
    assert db.exec(select(func.count()).select_from(AppSetting).where(AppSetting.key == wbs)).one() == 0
    retention.save_days(session=db, actor=site.admin, form_values={wbs: "30", benturan: " 730 ", gratifikasi: "3650"})
    assert list(retention.load_days(session=db).values()) == [30, 730, 3650]
    entry = db.exec(select(AuditLog).where(AuditLog.action == "pengaturan")).one()
    assert entry.actor_id == site.admin.id and "Gratifikasi 3650 hari" in sealed.open_row(session=db, row=entry).detail


def test_the_daily_job_runs_once_when_two_workers_race(db, site):
    url = db.get_bind().url
    today = NOW.date()
    results, barrier = [], threading.Barrier(2)

    def worker():
        engine = sa.create_engine(url)
        with Session(engine) as session:
            barrier.wait()
            results.append(retention.run_for_day(session=session, today=today, now=NOW))
        engine.dispose()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [3, None]
    assert db.exec(select(func.count()).select_from(AuditLog).where(AuditLog.action == "retensi")).one() == 3
    assert retention.run_for_day(session=db, today=today, now=NOW) is None  # the same day again: done
    assert retention.run_for_day(session=db, today=today + dt.timedelta(days=1), now=NOW) == 0


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_of_many_workers_claiming_the_same_day_exactly_one_wins(database, db, request):
    if database == "postgresql":
        url = request.getfixturevalue("postgres_database")()
        migrate(url)
    else:
        url = db.get_bind().url
    wins, barrier = [], threading.Barrier(6)

    def worker(day: dt.date):
        engine = sa.create_engine(url)
        with Session(engine) as session:
            barrier.wait()
            wins.append(retention.claim_day(session=session, today=day))
        engine.dispose()

    for day in (dt.date(2027, 6, 1), dt.date(2027, 6, 2)):  # the first claim inserts the row, the next updates it
        wins.clear()
        threads = [threading.Thread(target=worker, args=(day,)) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(wins) == [False] * 5 + [True], day


# Policy (tests/unit/test_policy.py style) --------------------------------------------------------------

LEGAL_HOLD = {  # require_legal_hold on a closed report naming the accused staff; on an unrelated one
    "anonymous": (ADMIN_ONLY, ADMIN_ONLY),
    "reporter": (ADMIN_ONLY, ADMIN_ONLY),
    "other_reporter": (ADMIN_ONLY, ADMIN_ONLY),
    "deactivated_verifier": (ADMIN_ONLY, ADMIN_ONLY),
    "verifier": (ADMIN_ONLY, ADMIN_ONLY),
    "accused_verifier": (ADMIN_ONLY, ADMIN_ONLY),
    "admin": (OK, OK),
    "accused_admin": (HIDDEN, OK),
    "pending_admin": (OK, OK),
}


@pytest.mark.parametrize(("actor", "expected"), LEGAL_HOLD.items())
def test_who_may_put_a_case_on_legal_hold(world, actor, expected):
    db, user = world.db, world[actor]
    assert (
        outcome(policy.require_legal_hold, session=db, user=user, report=world.closed),
        outcome(policy.require_legal_hold, session=db, user=user, report=world.unrelated),
    ) == expected
    assert outcome(policy.require_admin, user) == (ADMIN_ONLY if expected[1] == ADMIN_ONLY else OK)


@pytest.mark.parametrize("actor", ACTORS)
def test_nobody_works_on_a_purged_report(world, actor):
    db, user = world.db, world[actor]
    world.unrelated.purged_at = utcnow()
    db.add(world.unrelated)
    db.commit()
    expected = STAFF_ONLY if not policy.is_staff(user) else PURGED
    assert outcome(policy.require_case, session=db, user=user, report=world.unrelated) == expected
    assert policy.allowed_next_statuses(world.unrelated, user) == []
    hold = ADMIN_ONLY if not policy.is_admin(user) else PURGED
    assert outcome(policy.require_legal_hold, session=db, user=user, report=world.unrelated) == hold
