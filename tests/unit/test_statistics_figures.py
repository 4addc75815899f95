"""Staff statistics: medians (computed in SQL, shown in hours under a day), time to close per unit, overdue by
channel rule, and each chart's numbers as CSV behind a signed link bound to a staff login."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time

import pytest
from sqlmodel import select

from tests.unit.deadline_reports import UTC, add_report, staff_member, unit_ids
from wbs_app.models import Channel, ReportStatus, Role, Unit
from wbs_app.services import deadlines, sessions, statistics, statistics_csv
from wbs_app.services.deadlines import DeadlineConfig

START = dt.datetime(2026, 3, 2, 2, tzinfo=UTC)
CLOSED = ReportStatus.PROVEN.value


def hours(n: float) -> dt.datetime:
    return START + dt.timedelta(hours=n)


@pytest.mark.parametrize(
    ("days", "text"),
    [(None, "-"), (0.01, "< 1 jam"), (5 / 24, "5 jam"), (23.7 / 24, "1 hari"), (1.0, "1,0 hari"), (2.54, "2,5 hari")],
)
def test_durations_read_as_people_read_them(days, text):
    assert statistics.format_duration(days) == text


def test_medians_of_reports_handled_within_hours_are_not_zero(db):
    for acknowledged_after in (2, 5, 9):  # hours
        add_report(db, created=START, acknowledged=hours(acknowledged_after))
    result = statistics.compute(session=db)
    assert result.median_days_to_acknowledge == pytest.approx(5 / 24)
    assert statistics.format_duration(result.median_days_to_acknowledge) == "5 jam"
    assert result.median_days_to_close is None


def test_an_even_count_has_the_mean_of_the_two_middle_values(db):
    for days in (1, 2, 4, 10):
        add_report(db, created=START, status=CLOSED, acknowledged=START, closed=hours(24 * days))
    assert statistics.compute(session=db).median_days_to_close == pytest.approx(3.0)


def test_time_to_close_per_unit(db):
    first, second, third = unit_ids(db)[:3]
    for days in (2, 4, 30):
        add_report(db, created=START, status=CLOSED, closed=hours(24 * days), unit_id=first)
    add_report(db, created=START, status=CLOSED, closed=hours(12), unit_id=second)
    add_report(db, created=START, status=CLOSED, closed=hours(36), unit_id=second)
    add_report(db, created=START, unit_id=third)  # still open: no time to close
    names = dict(db.exec(select(Unit.id, Unit.name)).all())
    result = statistics.compute(session=db)
    assert [(row["nama"], row["jumlah"], pytest.approx(row["median_hari"])) for row in result.close_by_unit] == [
        (names[first], 3, 4.0),
        (names[second], 2, 1.0),
    ]
    assert result.median_days_to_close == pytest.approx(2.0)  # 0.5, 1.5, 2, 4, 30 days


def test_overdue_follows_the_channel_rule(db):
    sent = dt.datetime(2026, 8, 13, 3, tzinfo=UTC)  # Thursday
    add_report(db, created=sent, channel=Channel.VIOLATION.value)  # 7 calendar days: due 20 Aug
    add_report(db, created=sent, channel=Channel.GRATIFICATION.value)  # 3 working days: due 19 Aug
    add_report(db, created=sent, channel=Channel.GRATIFICATION.value, status=CLOSED, closed=sent)
    config = DeadlineConfig(channel_rules=((Channel.GRATIFICATION.value, deadlines.PRESETS["lapor-14"][1]),))
    assert statistics.compute(session=db, config=config, today=dt.date(2026, 8, 20)).overdue == 1
    assert statistics.compute(session=db, config=config, today=dt.date(2026, 8, 21)).overdue == 2
    assert statistics.compute(session=db, config=DeadlineConfig(), today=dt.date(2026, 8, 20)).overdue == 0


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_each_chart_csv_holds_its_numbers(db):
    first = unit_ids(db)[0]
    name = db.get(Unit, first).name
    add_report(db, created=START, status=CLOSED, closed=hours(30), unit_id=first)
    add_report(db, created=START, type_name="Gratifikasi", unit_id=first)
    result = statistics.compute(session=db)
    assert rows_of(statistics_csv.chart_csv(result, "selesai_unit")) == [
        ["Unit Kejadian", "Laporan selesai", "Median hari sampai selesai"],
        [name, "1", "1.25"],
    ]
    assert rows_of(statistics_csv.chart_csv(result, "bulan")) == [["Bulan", "Jumlah laporan"], ["Mar 2026", "2"]]
    assert sorted(rows_of(statistics_csv.chart_csv(result, "jenis"))[1:]) == [["Gratifikasi", "1"], ["Korupsi", "1"]]
    status_rows = dict(rows_of(statistics_csv.chart_csv(result, "status"))[1:])
    assert status_rows[CLOSED] == "1" and status_rows[ReportStatus.VERIFICATION.value] == "1"
    assert rows_of(statistics_csv.chart_csv(result, "unit"))[1:] == [[name, "2"]]


def test_a_name_that_looks_like_a_formula_stays_text(db):
    unit = db.get(Unit, unit_ids(db)[0])
    unit.name = "=HYPERLINK(1)"
    db.add(unit)
    db.commit()
    add_report(db, created=START, unit_id=unit.id)
    result = statistics.compute(session=db)
    assert rows_of(statistics_csv.chart_csv(result, "unit"))[1] == ["'=HYPERLINK(1)", "1"]


def test_the_csv_link_works_only_for_the_staff_login_that_made_it(db):
    verifier = staff_member(db)
    other = staff_member(db, username="verif2")
    add_report(db, created=START)
    token = sessions.create_session(session=db, user=verifier)
    other_token = sessions.create_session(session=db, user=other)
    link = statistics_csv.make_token("unit", dt.date(2026, 3, 1), dt.date(2026, 3, 31), session_token=token)

    name, body = statistics_csv.granted_csv(session=db, token=link, session_token=token)
    assert name == "statistik-menurut-unit-20260301-20260331.csv"
    assert rows_of(body.decode())[1][1] == "1"
    assert statistics_csv.granted_csv(session=db, token=link, session_token=other_token) is None
    assert statistics_csv.granted_csv(session=db, token=link, session_token="") is None
    tampered = link.replace("unit-", "jenis-", 1)
    assert statistics_csv.granted_csv(session=db, token=tampered, session_token=token) is None
    later = time.time() + 3600 * 24
    assert statistics_csv.read_token(link, session_token=token, session=db, now=later) is None
    # A login that is no longer staff (deactivated) cannot use it either.
    verifier.is_active = False
    db.add(verifier)
    db.commit()
    assert statistics_csv.granted_csv(session=db, token=link, session_token=token) is None


def test_a_reporter_login_gets_no_statistics(db):
    from wbs_app.services import users

    reporter = users.create_staff_user(
        session=db,
        username="pelapor1",
        email="p@mail.co.id",
        full_name="Pelapor",
        role=Role.VERIFIER,
        password="Rahasia-2026-aman",
    )
    reporter.role = Role.REPORTER.value
    db.add(reporter)
    db.commit()
    token = sessions.create_session(session=db, user=reporter)
    link = statistics_csv.make_token("status", None, None, session_token=token)
    assert statistics_csv.granted_csv(session=db, token=link, session_token=token) is None


def test_medians_overdue_and_reminders_on_postgresql(postgres_database):
    """The same SQL on PostgreSQL (durations from extract(epoch), overdue and reminder ranges per channel)."""
    import sqlalchemy as sa
    from sqlmodel import Session

    from tests.conftest import migrate
    from wbs_app.services import cases, reference

    url = postgres_database()
    migrate(url)
    engine = sa.create_engine(url)
    try:
        with Session(engine) as db:
            reference.seed_reference_data(session=db)
            first = unit_ids(db)[0]
            for closed_after in (5, 9, 30):  # hours
                add_report(db, created=START, status=CLOSED, closed=hours(closed_after), unit_id=first)
            sent = dt.datetime(2026, 8, 13, 3, tzinfo=UTC)
            late = add_report(db, created=sent, channel=Channel.GRATIFICATION.value)
            config = DeadlineConfig(
                remind_days_before=1,
                channel_rules=((Channel.GRATIFICATION.value, deadlines.PRESETS["lapor-14"][1]),),
            )
            result = statistics.compute(session=db, config=config, today=dt.date(2026, 8, 20))
            assert statistics.format_duration(result.median_days_to_close) == "9 jam"
            assert [(row["jumlah"], row["median_hari"]) for row in result.close_by_unit] == [(3, pytest.approx(9 / 24))]
            assert result.overdue == 1
            found = cases.reminder_candidates(session=db, config=config, today=dt.date(2026, 8, 18))
            assert [(report.registration_number, deadline.due) for report, deadline in found] == [
                (late.registration_number, dt.date(2026, 8, 19))
            ]
    finally:
        engine.dispose()
