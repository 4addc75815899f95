"""Daily reminder emails to verifiers about reports whose deadline is near.

Runs inside the app process (a Reflex lifespan task): once a day, and at most once per calendar day
even across restarts (the last run date is kept in app_setting). With several app workers each one
checks the same date, so a day's reminders still go out once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from sqlmodel import Session

from wbs_app import localtime
from wbs_app.db import open_session
from wbs_app.models import AppSetting, User
from wbs_app.services import cases, deadlines, mailer, policy

logger = logging.getLogger("wbs.reminders")
LAST_RUN_KEY = "reminders_last_run"


def send_reminders(*, session: Session, today: dt.date) -> int:
    """Email each assigned verifier (or every verifier, for unassigned reports) once today. Returns emails sent."""
    last = session.get(AppSetting, LAST_RUN_KEY)
    if last is not None and last.value == today.isoformat():
        return 0
    config = deadlines.load_config(session=session)
    recipients: dict[str, list[str]] = {}
    staff = cases.staff_members(session=session)
    for report, deadline in cases.reminder_candidates(session=session, config=config, today=today):
        assignee = session.get(User, report.assigned_to_id) if report.assigned_to_id else None
        targets = [assignee] if policy.is_staff(assignee) else staff
        # Never tell the accused that a report about them exists.
        targets = [p for p in targets if not policy.is_accused(session=session, user=p, report=report)]
        for person in targets:
            recipients.setdefault(person.email, []).append(
                f"{report.registration_number}: tenggat {deadline.kind.lower()} {deadline.due:%d-%m-%Y}"
            )
    last = last or AppSetting(key=LAST_RUN_KEY, value="")
    last.value = today.isoformat()
    session.add(last)
    session.commit()
    sent = 0
    for address, lines in recipients.items():
        text = "Laporan WBS berikut mendekati tenggat:\n\n" + "\n".join(f"- {line}" for line in lines) + "\n"
        try:
            mailer.send_email(to=address, subject="Pengingat tenggat laporan WBS", text=text)
            sent += 1
        except Exception:  # noqa: BLE001 - one failed address must not stop the others
            logger.exception("a deadline reminder failed")
    return sent


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
