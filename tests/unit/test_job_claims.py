"""Scheduled jobs run once per period across app workers: the period is claimed in the database first."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from tests.conftest import migrate
from tests.unit.builders import make_report, staff
from wbs_app.models import AppSetting
from wbs_app.services import job_claims, mailer, reminders
from wbs_app.settings import get_settings

UTC = dt.UTC


def database_url(database: str, db, request) -> str:
    if database == "postgresql":
        url = request.getfixturevalue("postgres_database")()
        migrate(url)
        return url
    return str(db.get_bind().url)


def race(url: str, workers: int, work) -> list:
    """`work(session)` in `workers` threads at once, each with its own engine (as separate processes would)."""
    results, barrier = [], threading.Barrier(workers)

    def worker():
        engine = sa.create_engine(url)
        with Session(engine) as session:
            barrier.wait()
            results.append(work(session))
        engine.dispose()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_two_claimers_of_one_period_get_one_run_and_the_next_period_is_claimed_again(database, db, request):
    url = database_url(database, db, request)
    for period in ("2027-06-01T10", "2027-06-01T11"):  # the first claim inserts the row, the next updates it
        wins = race(url, 2, lambda session, p=period: job_claims.claim(session=session, job="sweep_x", period=p))
        assert sorted(wins) == [False, True], period
    engine = sa.create_engine(url)
    with Session(engine) as session:
        assert not job_claims.claim(session=session, job="sweep_x", period="2027-06-01T11")  # done
        assert not job_claims.claim(session=session, job="sweep_x", period="2027-06-01T09")  # never backwards
        assert job_claims.claim(session=session, job="other_job", period="2027-06-01T11")  # each job its own
        assert session.get(AppSetting, "sweep_x").value == "2027-06-01T11"
    engine.dispose()


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_six_workers_claiming_one_hour_one_wins(database, db, request):
    url = database_url(database, db, request)
    period = job_claims.hour_period(dt.datetime(2027, 6, 1, 17, 59, tzinfo=dt.timezone(dt.timedelta(hours=7))))
    assert period == "2027-06-01T10"
    wins = race(url, 6, lambda session: job_claims.claim(session=session, job="sweep_y", period=period))
    assert sorted(wins) == [False] * 5 + [True]


def test_two_workers_sending_the_day_s_reminders_send_them_once(db, tmp_path, monkeypatch):
    monkeypatch.setenv("WBS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("WBS_SMTP_HOST", raising=False)  # write to the outbox
    get_settings.cache_clear()
    try:
        verifier = staff(db)
        make_report(db, created=dt.datetime(2026, 5, 1, tzinfo=UTC), assigned_to=verifier.id)  # due 8 May
        url = str(db.get_bind().url)
        sent = race(url, 2, lambda session: reminders.send_reminders(session=session, today=dt.date(2026, 5, 7)))
        assert sorted(sent) == [0, 1]
        assert len(mailer.read_outbox()) == 1
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
