"""The benchmark's pure helpers, and its seeder writing reports the app itself can open, list and search."""

from __future__ import annotations

import datetime as dt
import math

from sqlmodel import select

from bench import seed
from bench.stats import percentile
from wbs_app.models import Report, ReportAccused, ReportStatusChange, Role, SearchToken, as_utc
from wbs_app.services import case_list, codes, deadlines, reports, sealed, users


def test_percentile_interpolates_between_ranks():
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 95) == 3.85
    assert percentile([5.0], 95) == 5.0
    assert math.isnan(percentile([], 50))


def test_seeded_reports_open_list_and_search_as_the_apps_own(db):
    verifier = users.create_staff_user(
        session=db,
        username="bench",
        email="bench@inspektorat.go.id",
        full_name="Verifikator Bench",
        role=Role.VERIFIER,
        password="Rahasia-2026-aman",
    )
    db.commit()
    database = db.get_bind().url.database
    seed.seed(database, 50, session=db, workers=1)
    db.expire_all()

    stored = db.exec(select(Report)).all()
    assert len(stored) == 50
    assert len({report.registration_number for report in stored}) == 50
    first = stored[0]
    # Sealed at rest, opened with the report's own key.
    assert first.title.startswith("e1.") and first.description.startswith("e1.")
    opened = sealed.open_row(session=db, row=first)
    assert opened.title.startswith("Dugaan ") and len(opened.description) > 50
    assert codes.DIGEST_PREFIX in first.access_code_hash
    names = reports.accused_names_of(session=db, report_ids=[first.id])[first.id]
    assert names and all(" " in name for name in names)
    assert db.exec(select(ReportAccused).where(ReportAccused.report_id == first.id)).first().name_key
    assert db.exec(select(ReportStatusChange).where(ReportStatusChange.report_id == first.id)).first() is not None
    assert db.exec(select(SearchToken).where(SearchToken.report_id == first.id)).first() is not None
    # Nothing the retention purge would delete as soon as the app starts on the seeded database.
    year_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=365)
    assert all(as_utc(report.closed_at) > year_ago for report in stored if report.closed_at is not None)

    config = deadlines.DeadlineConfig()
    rows, total = case_list.list_cases(session=db, filters=case_list.CaseFilters(), user=verifier, config=config)
    assert total == 50 and len(rows) == 20
    # The search-token index finds a report by a word of its title and by its accused's surname.
    word = opened.title.split()[-1]
    _, found = case_list.list_cases(
        session=db, filters=case_list.CaseFilters(search=word), user=verifier, config=config
    )
    assert 1 <= found <= 50
    surname = names[0].split()[-1]
    matched, _ = case_list.list_cases(
        session=db, filters=case_list.CaseFilters(search=surname), user=verifier, config=config, page_size=50
    )
    assert first.registration_number in {row.registration_number for row in matched}
