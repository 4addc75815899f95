"""Daily reminder emails to verifiers about reports whose deadline is near.

Runs inside the app process (a Reflex lifespan task): once a day, and at most once per calendar day
even across restarts and however many app workers run it: the day is claimed in app_setting first
(services/job_claims), so exactly one worker sends a day's reminders.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from sqlmodel import Session

from wbs_app import language, localtime
from wbs_app.db import open_session
from wbs_app.i18n import _
from wbs_app.models import User
from wbs_app.services import cases, deadlines, job_claims, mailer, policy

logger = logging.getLogger("wbs.reminders")
LAST_RUN_KEY = "reminders_last_run"


def send_reminders(*, session: Session, today: dt.date) -> int:
    """Email each assigned verifier (or every verifier, for unassigned reports) once today. Returns emails sent."""
    if not job_claims.claim(session=session, job=LAST_RUN_KEY, period=today.isoformat()):
        return 0
    config = deadlines.load_config(session=session)
    # address → (the recipient's language, their reports' lines: number, kind of deadline, due date)
    recipients: dict[str, tuple[str, list[tuple[str, str, dt.date]]]] = {}
    staff = cases.staff_members(session=session)
    for report, deadline in cases.reminder_candidates(session=session, config=config, today=today):
        assignee = session.get(User, report.assigned_to_id) if report.assigned_to_id else None
        targets = [assignee] if policy.is_staff(assignee) else staff
        # Never tell the accused that a report about them exists.
        targets = [p for p in targets if not policy.is_accused(session=session, user=p, report=report)]
        for person in targets:
            recipients.setdefault(person.email, (person.language, []))[1].append(
                (report.registration_number, deadline.kind, deadline.due)
            )
    sent = 0
    for address, (lang, items) in recipients.items():
        with language.use(lang):
            email = reminder_email(address, items)
        try:
            mailer.send_email(**email)
            sent += 1
        except Exception:  # noqa: BLE001 - one failed address must not stop the others
            logger.exception("a deadline reminder failed")
    return sent


def reminder_email(address: str, items: list[tuple[str, str, dt.date]]) -> dict[str, str]:
    """One recipient's reminder, in the current language (theirs: the caller's language.use)."""
    lines = [
        (
            _("{number}: tenggat tanggapan awal {due}")
            if kind == deadlines.ACKNOWLEDGEMENT
            else _("{number}: tenggat hasil {due}")
        ).format(number=number, due=f"{due:%d-%m-%Y}")
        for number, kind, due in items
    ]
    text = _("Laporan WBS berikut mendekati tenggat:") + "\n\n" + "\n".join(f"- {line}" for line in lines) + "\n"
    return {"to": address, "subject": _("Pengingat tenggat laporan WBS"), "text": text}


def _run_once() -> None:
    with open_session() as session:
        send_reminders(session=session, today=localtime.local_today())


async def run_daily():
    while True:
        try:
            await asyncio.to_thread(_run_once)
        except Exception:  # noqa: BLE001 - keep the scheduler alive; the next run tries again
            logger.exception("reminder run failed")
        await asyncio.sleep(3600)
