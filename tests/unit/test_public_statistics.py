"""Public statistics: counts per month, outcome, channel and type over the 12 complete months, with every count under 5
hidden and no hidden count recoverable by subtracting the shown ones from a total."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from sqlmodel import select

from wbs_app.models import Channel, Report, ReportStatus, ViolationType
from wbs_app.services import public_statistics
from wbs_app.services.public_statistics import HIDDEN, UNDER_THRESHOLD, protect

UTC = dt.UTC
TODAY = dt.date(2026, 12, 6)  # the window: December 2025 – November 2026
_numbers = itertools.count(1)


def test_counts_under_five_are_hidden_and_one_more_cell_with_them():
    assert protect([12, 7, 30]) == ["12", "7", "30"]
    assert protect([3, 50, 60]) == [UNDER_THRESHOLD, HIDDEN, "60"]
    assert protect([50, 0, 60, 1]) == [HIDDEN, UNDER_THRESHOLD, "60", UNDER_THRESHOLD]
    assert protect([4, 2, 0]) == [UNDER_THRESHOLD] * 3  # nothing of 5 or more to hide besides
    assert protect([1234, 5]) == ["1.234", "5"]


def _possible_values(shown: list[str], total: int) -> list[tuple[int, ...]]:
    """Every table of counts an outsider cannot tell from the one shown, given the total (shown elsewhere or summed
    from another table): "< 5" is 0–4, "disamarkan" is 5 or more."""
    hidden = [i for i, cell in enumerate(shown) if cell in (UNDER_THRESHOLD, HIDDEN)]
    rest = total - sum(int(cell.replace(".", "")) for cell in shown if cell not in (UNDER_THRESHOLD, HIDDEN))
    ranges = [range(0, 5) if shown[i] == UNDER_THRESHOLD else range(5, rest + 1) for i in hidden]
    return [values for values in itertools.product(*ranges) if sum(values) == rest]


def test_subtracting_the_shown_cells_from_the_total_never_yields_a_small_count():
    """The attack: for many random tables, list everything the hidden cells could hold given the shown cells and
    the exact total; a count of 1–4 must never be the only possibility for a cell."""
    generator = random.Random(37002)
    for _ in range(400):
        counts = [generator.choice([0, 1, 2, 3, 4, 5, 6, 9, 20, 140]) for _ in range(generator.randint(2, 5))]
        shown = protect(counts)
        possible = _possible_values(shown, sum(counts))
        assert tuple(c for c, s in zip(counts, shown, strict=True) if s in (UNDER_THRESHOLD, HIDDEN)) in possible
        hidden = [i for i, s in enumerate(shown) if s in (UNDER_THRESHOLD, HIDDEN)]
        for position, index in enumerate(hidden):
            values = {option[position] for option in possible}
            if shown[index] == UNDER_THRESHOLD and len(values) == 1:
                # Exact only when every cell is under 5 and they are all 4 (no report singled out), or it is 0.
                assert values == {0} or all(cell == UNDER_THRESHOLD for cell in shown), (counts, shown)


def test_without_the_second_hidden_cell_the_subtraction_would_work():
    """The check above is not vacuous: hiding only the small cell lets the total give it back."""
    counts = [1, 50, 60]
    only_primary = [UNDER_THRESHOLD, "50", "60"]
    assert _possible_values(only_primary, sum(counts)) == [(1,)]
    assert len(_possible_values(protect(counts), sum(counts))) > 1


def report(
    db, *, created: dt.datetime, closed: dt.datetime | None = None, status=None, channel=None, type_name="Korupsi"
):
    n = next(_numbers)
    row = Report(
        registration_number=f"WBS-S{n:09d}",
        channel=channel or Channel.VIOLATION.value,
        title="",
        description="",
        violation_type_id=db.exec(select(ViolationType.id).where(ViolationType.name == type_name)).one(),
        status=status or (ReportStatus.PROVEN.value if closed else ReportStatus.VERIFICATION.value),
        created_at=created,
        updated_at=created,
        closed_at=closed,
    )
    db.add(row)
    return row


def at(year: int, month: int, day: int = 10, hour: int = 3) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=UTC)


def test_the_page_counts_complete_months_by_outcome_channel_and_type(db):
    # March 2026: 12 received; 6 of them closed in April (4 proven, 2 not followed up) after 10 days each.
    for index in range(12):
        closed = at(2026, 4, 1 + index) if index < 6 else None
        status = (ReportStatus.PROVEN if index < 4 else ReportStatus.NOT_FOLLOWED_UP).value if closed else None
        channel = Channel.GRATIFICATION.value if index < 2 else Channel.VIOLATION.value
        report(db, created=at(2026, 3, 1 + index), closed=closed, status=status, channel=channel)
    # 1 gratification in June (a single report: must not be visible as such).
    report(db, created=at(2026, 6), channel=Channel.GRATIFICATION.value, type_name="Gratifikasi")
    # Outside the window: November 2025 and this month (December 2026).
    report(db, created=at(2025, 11))
    report(db, created=at(2026, 12, 2))
    db.commit()

    stats = public_statistics.compute(session=db, today=TODAY)
    assert stats.period == "Desember 2025 – November 2026"
    months = {row.label: (row.received, row.closed) for row in stats.months}
    assert len(months) == 12 and "Desember 2026" not in months and "November 2025" not in months
    assert months["Maret 2026"] == (HIDDEN, UNDER_THRESHOLD)  # 12 received: hidden beside the small ones
    assert months["April 2026"] == (UNDER_THRESHOLD, HIDDEN)  # 6 closed
    assert months["Juni 2026"] == (UNDER_THRESHOLD, UNDER_THRESHOLD)
    assert (stats.received_total, stats.closed_total) == ("13", "6")
    # 4 proven, 0 not proven, 2 not followed up: all under 5, and nothing of 5 or more to hide besides.
    assert [row.value for row in stats.by_outcome] == [UNDER_THRESHOLD] * 3
    assert {row.label: row.value for row in stats.by_channel} == {
        Channel.VIOLATION.value: HIDDEN,  # 10
        Channel.CONFLICT_OF_INTEREST.value: UNDER_THRESHOLD,  # 0
        Channel.GRATIFICATION.value: UNDER_THRESHOLD,  # 3
    }
    types = {row.label: row.value for row in stats.by_type}
    assert types["Korupsi"] == HIDDEN and types["Gratifikasi"] == UNDER_THRESHOLD
    assert stats.median_days_to_close == "31 hari"  # each of the 6 closed a month after it arrived
    assert stats.has_hidden


def test_the_median_needs_five_closed_reports_and_is_in_whole_days(db):
    for days in (2, 3, 4, 30):
        report(db, created=at(2026, 5, 1), closed=at(2026, 5, 1) + dt.timedelta(days=days))
    db.commit()
    assert public_statistics.compute(session=db, today=TODAY).median_days_to_close == "-"
    report(db, created=at(2026, 5, 1), closed=at(2026, 5, 1) + dt.timedelta(days=5, hours=12))
    db.commit()
    assert public_statistics.compute(session=db, today=TODAY).median_days_to_close == "4 hari"


def test_the_result_is_cached_for_some_minutes(db, monkeypatch):
    from sqlmodel import Session

    engine = db.get_bind()
    monkeypatch.setattr(public_statistics, "open_session", lambda: Session(engine))
    public_statistics.forget_cached()
    calls = []
    real = public_statistics.compute
    monkeypatch.setattr(public_statistics, "compute", lambda **kw: calls.append(1) or real(**kw))
    first = public_statistics.cached(now=1000.0, today=TODAY)
    assert public_statistics.cached(now=1000.0 + 9 * 60, today=TODAY) is first
    assert len(calls) == 1
    public_statistics.cached(now=1000.0 + 11 * 60, today=TODAY)
    public_statistics.cached(now=1000.0 + 11 * 60 + 1, today=dt.date(2027, 1, 1))  # a new month: computed again
    assert len(calls) == 3
    public_statistics.forget_cached()


def test_every_query_is_a_grouped_count(db):
    """At a million reports the page reads grouped counts and, for the median, two rows: never a row per report."""
    statements = []
    from sqlalchemy import event

    engine = db.get_bind()
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for index in range(6):
            report(db, created=at(2026, 2, 1), closed=at(2026, 2, 2 + index))
        db.commit()
        statements.clear()
        public_statistics.compute(session=db, today=TODAY)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    counted = [s for s in statements if "FROM report" in s]
    assert counted and all("count(" in s.lower() or "LIMIT" in s for s in counted), counted


def test_the_texts_are_in_the_language_asked_for(db, monkeypatch):
    from sqlmodel import Session

    from wbs_app import language

    for index in range(12):
        closed = at(2026, 4, 1 + index) if index < 6 else None
        report(db, created=at(2026, 3, 1 + index), closed=closed)
    report(db, created=at(2026, 6), channel=Channel.GRATIFICATION.value, type_name="Gratifikasi")
    db.commit()
    with language.use(language.ENGLISH):
        stats = public_statistics.compute(session=db, today=TODAY)
    assert stats.period == "December 2025 – November 2026"
    months = {row.label: (row.received, row.closed) for row in stats.months}
    assert months["March 2026"] == ("withheld", UNDER_THRESHOLD)
    assert [row.label for row in stats.by_outcome] == ["Closed: Proven", "Closed: Not Proven", "Not Followed Up"]
    assert {row.label: row.value for row in stats.by_channel}["Violation (WBS)"] == "withheld"
    assert {row.label for row in stats.by_type} >= {"Corruption", "Gratuity"}
    assert stats.median_days_to_close == "31 days" and stats.has_hidden

    # The cache keeps one result per language.
    engine = db.get_bind()
    monkeypatch.setattr(public_statistics, "open_session", lambda: Session(engine))
    public_statistics.forget_cached()
    english = public_statistics.cached(now=1000.0, today=TODAY, lang=language.ENGLISH)
    indonesian = public_statistics.cached(now=1000.0, today=TODAY, lang=language.DEFAULT)
    assert english.period.startswith("December") and indonesian.period.startswith("Desember")
    assert public_statistics.cached(now=1001.0, today=TODAY, lang=language.ENGLISH) is english
    public_statistics.forget_cached()
