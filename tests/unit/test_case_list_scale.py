"""The case list stays fast with 100,000 encrypted reports: filters, keyed search, sorting and deep pages run in the
database, and only the shown page is opened."""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import insert
from sqlmodel import select

from wbs_app.models import Report, ReportAccused, ReportStatus, Role, SearchToken, Unit, ViolationType
from wbs_app.services import case_list, deadlines, keys, search_index, users, vault

REPORTS = 100_000


def test_the_case_list_answers_quickly_with_100000_reports(db):
    verifier = users.create_staff_user(
        session=db,
        username="cepat",
        email="cepat@inspektorat.go.id",
        full_name="Verifikator Cepat",
        role=Role.VERIFIER,
        password="Rahasia-2026-aman",
    )
    type_ids = db.exec(select(ViolationType.id)).all()
    unit_ids = db.exec(select(Unit.id)).all()
    statuses = [s.value for s in ReportStatus]
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    search_key = vault.system_key(session=db, name=search_index.KEY_NAME)
    rows, texts = [], {}
    for n in range(REPORTS):
        # Stored as the app stores them: a data key each, sealed text, keyed search tokens.
        data_key = keys.new_data_key()
        title = f"Laporan nomor {n}"
        description = "Uraian kejadian " + ("pengadaan server" if n % 1000 == 0 else "lain-lain")
        rows.append(
            {
                "registration_number": f"WBS-{n:010d}",
                "channel": "Pelanggaran (WBS)",
                "data_key": keys.wrap_key(data_key),
                "title": keys.seal(data_key, title, aad="report.title"),
                "description": keys.seal(data_key, description, aad="report.description"),
                "violation_type_id": type_ids[n % len(type_ids)],
                "unit_id": unit_ids[n % len(unit_ids)],
                "status": statuses[n % len(statuses)],
                "assigned_to_id": verifier.id if n % 7 == 0 else None,
                "created_at": start + dt.timedelta(minutes=5 * n),
                "updated_at": start + dt.timedelta(minutes=5 * n),
            }
        )
        texts[f"WBS-{n:010d}"] = (data_key, title, description)
    db.execute(insert(Report), rows)
    accused, tokens = [], []
    for report_id, number in db.exec(select(Report.id, Report.registration_number)).all():
        data_key, title, description = texts[number]
        name = f"Terlapor {report_id % 5000}"
        accused.append(
            {"report_id": report_id, "name": keys.seal(data_key, name, aad="report_accused.name"), "position_in_list": 0}
        )
        words = search_index.words(" ".join((title, description, name)))
        tokens += [{"token": search_index.token(search_key, word), "report_id": report_id} for word in words]
    db.execute(insert(ReportAccused), accused)
    db.execute(insert(SearchToken), tokens)
    db.commit()
    config = deadlines.DeadlineConfig()

    def timed(**filters) -> tuple[float, int]:
        began = time.perf_counter()
        _, total = case_list.list_cases(session=db, filters=case_list.CaseFilters(**filters), user=verifier, config=config)
        return time.perf_counter() - began, total

    checks = {
        "first page": timed(),
        "status": timed(status=ReportStatus.EXAMINATION.value),
        "unit and type": timed(unit_id=unit_ids[0], violation_type_id=type_ids[0]),
        "date range": timed(date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, 31)),
        "assigned to me": timed(assigned_to_me=True),
        "overdue": timed(overdue=True),
        "search": timed(search="pengadaan server"),
        "search accused": timed(search="Terlapor 4321"),
        "sort by type": timed(sort="jenis", descending=False),
    }
    assert checks["first page"][1] == REPORTS and checks["search"][1] == REPORTS // 1000
    slow = {name: round(seconds, 2) for name, (seconds, _) in checks.items() if seconds > 2}
    assert not slow, f"slower than 2 s with {REPORTS} reports: {slow}"
    began = time.perf_counter()
    rows, _ = case_list.list_cases(
        session=db, filters=case_list.CaseFilters(), user=verifier, config=config, page=4000, page_size=20
    )
    assert len(rows) == 20 and time.perf_counter() - began < 2  # a deep page

    # An export reads every case once, in the list's order (here by violation type, a joined column).
    began = time.perf_counter()
    batches = list(case_list.iter_cases(session=db, filters=case_list.CaseFilters(sort="jenis"), user=verifier, config=config))
    elapsed = time.perf_counter() - began
    exported = [row.registration_number for batch in batches for row in batch]
    first_page, _ = case_list.list_cases(session=db, filters=case_list.CaseFilters(sort="jenis"), user=verifier, config=config)
    assert len(exported) == len(set(exported)) == REPORTS
    assert exported[:20] == [row.registration_number for row in first_page]
    assert elapsed < 30, f"reading {REPORTS} reports for an export took {elapsed:.1f} s"
