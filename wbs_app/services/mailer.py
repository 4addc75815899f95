"""Outgoing email: through SMTP when WBS_SMTP_HOST is set, otherwise as .eml files in data/outbox/."""

from __future__ import annotations

import logging
import secrets
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from wbs_app.models import utcnow
from wbs_app.settings import get_settings

logger = logging.getLogger("wbs.mail")


def build_message(*, to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    settings = get_settings()
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="wbs.localhost")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send_email(*, to: str, subject: str, text: str, html: str | None = None) -> None:
    """Send one email or raise OSError/smtplib.SMTPException. Blocking: call it from a thread."""
    settings = get_settings()
    message = build_message(to=to, subject=subject, text=text, html=html)
    if not settings.smtp_host:
        settings.outbox_dir.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.eml"
        (settings.outbox_dir / name).write_bytes(bytes(message))
        # No recipient in the log: an address next to a report number would name a reporter.
        logger.warning("SMTP belum diatur: email disimpan di %s", settings.outbox_dir / name)
        return
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)
