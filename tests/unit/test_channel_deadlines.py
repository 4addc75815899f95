"""Deadline presets (SP4N-LAPOR! service standards), rules per channel, working-day arithmetic, and reminders
that read only the reports that can be due."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from tests.unit.deadline_reports import UTC, add_report, staff_member
from wbs_app import messages
from wbs_app.models import AppSetting, Channel, Report, ReportStatus, Role
from wbs_app.services import case_list, cases, deadlines
from wbs_app.services.deadlines import DeadlineConfig, Rule
from wbs_app.services.errors import ValidationFailed

VIOLATION, CONFLICT, GRATIFICATION = (c.value for c in Channel)
LAPOR_14, LAPOR_60 = deadlines.PRESETS["lapor-14"][1], deadlines.PRESETS["lapor-60"][1]


def at_wib(day: dt.date, hour: int = 10) -> dt.datetime:
    """A moment of that day in Jakarta (UTC+7), as stored (UTC)."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - dt.timedelta(hours=7)


# Working days -----------------------------------------------------------------------------------------------


def test_working_days_skip_the_weekend():
    # Fri 6 March 2026 + 1 working day = Mon 9 March; + 3 = Wed 11 March. Calendar: Sat 7 March.
    assert deadlines.add_days(dt.date(2026, 3, 6), 1, working=True) == dt.date(2026, 3, 9)
    assert deadlines.add_days(dt.date(2026, 3, 6), 3, working=True) == dt.date(2026, 3, 11)
    assert deadlines.add_days(dt.date(2026, 3, 6), 1, working=False) == dt.date(2026, 3, 7)
    # Sent on a Saturday: the first working day counted is Monday.
    assert deadlines.add_days(dt.date(2026, 3, 7), 1, working=True) == dt.date(2026, 3, 9)


def test_working_days_skip_a_national_holiday():
    # Fri 14 Aug 2026, then the weekend and Mon 17 Aug (Hari Kemerdekaan): 3 working days later is Thu 20 Aug.
    assert not deadlines.is_working_day(dt.date(2026, 8, 17))
    assert deadlines.add_days(dt.date(2026, 8, 14), 3, working=True) == dt.date(2026, 8, 20)
    # Christmas 2026 (Fri 25 Dec) and the cuti bersama on Thu 24 Dec: 23 Dec + 1 working day is Mon 28 Dec.
    assert deadlines.add_days(dt.date(2026, 12, 23), 1, working=True) == dt.date(2026, 12, 28)


@pytest.mark.parametrize("rule_days,working", [(3, True), (14, True), (7, False)])
def test_the_submission_date_bounds_match_the_deadlines_day_by_day(rule_days, working):
    """first_start_due_from / last_start_due_by agree with add_days for every day around Lebaran and 17 Aug."""
    starts = [dt.date(2026, 3, 1) + dt.timedelta(days=n) for n in range(200)]
    for offset in range(0, 180, 3):
        day = dt.date(2026, 3, 20) + dt.timedelta(days=offset)
        first = deadlines.first_start_due_from(day, rule_days, working=working)
        last = deadlines.last_start_due_by(day, rule_days, working=working)
        for start in starts:
            due = deadlines.add_days(start, rule_days, working=working)
            assert (due >= day) == (start >= first), (day, start)
            assert (due <= day) == (start <= last), (day, start)


# Presets and rules per channel --------------------------------------------------------------------------------


def form(**values) -> dict[str, str]:
    return {"preset": "bawaan", "remind_days_before": "2", **values}


def test_an_administrator_picks_presets_and_a_rule_per_channel(db):
    admin = staff_member(db, role=Role.ADMIN, username="adminuji")
    config = deadlines.save_settings(
        session=db,
        actor=admin,
        form_values=form(
            preset="lapor-14",
            gratifikasi_preset="lapor-60",
            benturan_preset="kustom",
            benturan_acknowledge_days="2",
            benturan_result_days="30",
            benturan_working_days="on",
            pelanggaran_preset="umum",
        ),
    )
    assert config.general == LAPOR_14
    assert config.rule_for(GRATIFICATION) == LAPOR_60
    assert config.rule_for(CONFLICT) == Rule(2, 30, True)
    assert config.rule_for(VIOLATION) == LAPOR_14  # follows the general rule
    assert deadlines.load_config(session=db) == config
    assert deadlines.preset_of(config.rule_for(GRATIFICATION)) == "lapor-60"
    assert deadlines.preset_of(Rule(2, 30, True)) == deadlines.CUSTOM

    # Back to one rule for all: the channels' own rules are removed.
    config = deadlines.save_settings(session=db, actor=admin, form_values=form())
    assert deadlines.load_config(session=db) == config == DeadlineConfig(7, 90, False, 2)


def test_a_wrong_day_count_of_a_channel_is_named_and_nothing_is_stored(db):
    admin = staff_member(db, role=Role.ADMIN, username="adminuji")
    before = {row.key: row.value for row in db.exec(select(AppSetting))}
    with pytest.raises(ValidationFailed) as refused:
        deadlines.save_settings(
            session=db,
            actor=admin,
            form_values=form(
                gratifikasi_preset="kustom", gratifikasi_acknowledge_days="0", gratifikasi_result_days="abc"
            ),
        )
    assert refused.value.errors == {
        "gratifikasi_acknowledge_days": messages.DEADLINE_INVALID,
        "gratifikasi_result_days": messages.DEADLINE_INVALID,
    }
    db.rollback()
    assert {row.key: row.value for row in db.exec(select(AppSetting))} == before


def test_an_unknown_preset_is_read_as_typed_days(db):
    admin = staff_member(db, role=Role.ADMIN, username="adminuji")
    with pytest.raises(ValidationFailed) as refused:
        deadlines.save_settings(session=db, actor=admin, form_values=form(preset="semaunya"))
    assert set(refused.value.errors) == {"acknowledge_days", "result_days"}


CONFIG = DeadlineConfig(7, 90, False, 2, channel_rules=((GRATIFICATION, LAPOR_14),))


def test_the_due_date_follows_the_channel_rule():
    created = at_wib(dt.date(2026, 8, 13))  # Thursday
    by_channel = {
        channel: deadlines.next_deadline(
            status=ReportStatus.VERIFICATION.value,
            created_at=created,
            acknowledged_at=None,
            config=CONFIG,
            channel=channel,
        ).due
        for channel in (VIOLATION, GRATIFICATION)
    }
    # Calendar: 7 days later. SP4N-LAPOR!: Fri 14, (weekend, 17 Aug), Tue 18, Wed 19.
    assert by_channel == {VIOLATION: dt.date(2026, 8, 20), GRATIFICATION: dt.date(2026, 8, 19)}
    result = deadlines.next_deadline(
        status=ReportStatus.EXAMINATION.value,
        created_at=created,
        acknowledged_at=created,
        config=CONFIG,
        channel=GRATIFICATION,
    )
    # 14 working days, skipping 17 Aug and Maulid Nabi (Tue 25 Aug 2026).
    assert (result.kind, result.due) == ("Hasil", dt.date(2026, 9, 4))


def test_case_list_rows_counters_and_the_overdue_filter_follow_each_channel(db):
    verifier = staff_member(db)
    today = dt.date(2026, 8, 20)
    sent = at_wib(dt.date(2026, 8, 13))
    violation = add_report(db, created=sent, channel=VIOLATION)  # due 20 Aug: not yet late
    gratification = add_report(db, created=sent, channel=GRATIFICATION)  # due 19 Aug: late
    rows, total = case_list.list_cases(
        session=db, filters=case_list.CaseFilters(), user=verifier, config=CONFIG, today=today
    )
    by_number = {row.registration_number: row for row in rows}
    assert total == 2
    assert by_number[violation.registration_number].deadline == "20-08-2026"
    assert not by_number[violation.registration_number].overdue
    assert by_number[gratification.registration_number].deadline == "19-08-2026"
    assert by_number[gratification.registration_number].overdue
    late, count = case_list.list_cases(
        session=db, filters=case_list.CaseFilters(overdue=True), user=verifier, config=CONFIG, today=today
    )
    assert [row.registration_number for row in late] == [gratification.registration_number] and count == 1
    assert case_list.counters(session=db, user=verifier, config=CONFIG, today=today)["terlambat"] == 1


def test_the_case_page_line_names_the_rule(db):
    report = add_report(db, created=at_wib(dt.date(2026, 8, 13)), channel=GRATIFICATION)
    admin = staff_member(db, role=Role.ADMIN, username="adminuji")
    deadlines.save_settings(session=db, actor=admin, form_values=form(gratifikasi_preset="lapor-14"))
    text, late = cases.deadline_text(session=db, report=report, today=dt.date(2026, 8, 19))
    assert text == f"Tenggat tanggapan awal: 19-08-2026 (3 hari kerja, aturan kanal {GRATIFICATION})"
    assert not late
    assert cases.deadline_text(session=db, report=report, today=dt.date(2026, 8, 20))[1]


# Reminders ------------------------------------------------------------------------------------------------


def test_reminder_candidates_are_exactly_the_reports_due_in_the_window_and_no_others_are_read(db, monkeypatch):
    today = dt.date(2026, 8, 13)
    first_day = dt.date(2026, 4, 1)
    for n in range(0, 140):
        day = first_day + dt.timedelta(days=n)
        for index, channel in enumerate((VIOLATION, CONFLICT, GRATIFICATION)):
            acknowledged = at_wib(day, 12) if (n + index) % 2 else None
            status = ReportStatus.EXAMINATION.value if acknowledged else ReportStatus.VERIFICATION.value
            if (n + index) % 7 == 0:
                status = ReportStatus.PROVEN.value
            add_report(
                db,
                created=at_wib(day, 1 + index * 7),
                channel=channel,
                status=status,
                acknowledged=acknowledged,
                commit=False,
            )
    db.commit()
    config = DeadlineConfig(7, 90, False, 3, channel_rules=((GRATIFICATION, LAPOR_14), (CONFLICT, LAPOR_60)))
    window_end = today + dt.timedelta(days=3)
    expected = set()
    for report in db.exec(select(Report)):
        deadline = deadlines.next_deadline(
            status=report.status,
            created_at=report.created_at.replace(tzinfo=UTC),
            acknowledged_at=report.acknowledged_at,
            config=config,
            channel=report.channel,
        )
        if deadline and today <= deadline.due <= window_end:
            expected.add(report.registration_number)
    assert len(expected) >= 6

    checked = []
    real = deadlines.next_deadline

    def counting(**kwargs):
        checked.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(deadlines, "next_deadline", counting)
    found = cases.reminder_candidates(session=db, config=config, today=today)
    assert {report.registration_number for report, _ in found} == expected
    # Only reports whose deadline can fall in the window were read (not the ~420 reports in the table).
    assert len(checked) == len(expected)


def query_plan(db, query) -> list[str]:
    sql = query.compile(dialect=db.get_bind().dialect, compile_kwargs={"literal_binds": True})
    return [row[3] for row in db.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]


def test_reminders_and_overdue_counts_per_channel_read_index_ranges_only(db):
    """No scan of the report table: each channel's range is a search of a (status, channel, …) index."""
    from sqlmodel import func

    config = DeadlineConfig(channel_rules=((GRATIFICATION, LAPOR_14),))
    reminder_plan = query_plan(db, cases.reminder_query(config=config, today=dt.date(2026, 8, 20)))
    searches = [line for line in reminder_plan if "report" in line]
    assert len(searches) == 6  # three channels, two deadline kinds
    assert all(line.startswith("SEARCH report USING INDEX ix_report_status_channel_") for line in searches)
    for overdue_range in case_list.overdue_ranges(config, dt.date(2026, 8, 20)):
        [line] = query_plan(db, select(func.count()).select_from(Report).where(overdue_range))
        assert line.startswith("SEARCH report USING COVERING INDEX ix_report_status_channel_"), line
