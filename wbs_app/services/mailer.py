"""Outgoing email: through SMTP when WBS_SMTP_HOST is set, otherwise as encrypted .eml files in data/outbox/
(an address is personal data): `python -m wbs_app.cli outbox` shows them.

An email is written in its recipient's language (models.User.language): the builders write their texts inside
`language.use(...)` and pass `language` on, so the signature below the text is in the same language."""

from __future__ import annotations

import email
import email.policy
import logging
import secrets
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from wbs_app import language as languages
from wbs_app.models import utcnow
from wbs_app.services import filecrypt, institution, keys
from wbs_app.settings import get_settings

logger = logging.getLogger("wbs.mail")
OUTBOX = "outbox"


def build_message(
    *, to: str, subject: str, text: str, html: str | None = None, language: str | None = None
) -> EmailMessage:
    """Sent under the institution's name (Administrasi → Instansi), with its signature below the text (in
    `language`, the recipient's; else the current one)."""
    settings = get_settings()
    profile = institution.current()
    message = EmailMessage()
    message["From"] = institution.sender(profile, settings.smtp_from)
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="wbs.localhost")
    with languages.use(language or languages.current()) as chosen:
        signature = institution.signature(profile)
    message.set_content(f"{text.rstrip()}\n\n{signature}")
    if html:
        message.add_alternative(html, subtype="html")
    message["Content-Language"] = chosen  # after the body: set_content replaces the Content-* headers
    return message


def send_email(*, to: str, subject: str, text: str, html: str | None = None, language: str | None = None) -> None:
    """Send one email or raise OSError/smtplib.SMTPException. Blocking: call it from a thread."""
    settings = get_settings()
    message = build_message(to=to, subject=subject, text=text, html=html, language=language)
    if not settings.smtp_host:
        settings.outbox_dir.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.eml"
        filecrypt.write_file(settings.outbox_dir / name, bytes(message), key=keys.derived_key(OUTBOX), file_id=name)
        # No recipient in the log: an address next to a report number would name a reporter.
        logger.warning("SMTP belum diatur: email disimpan di %s", settings.outbox_dir / name)
        return
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


def read_outbox() -> list[tuple[str, email.message.EmailMessage]]:
    """The emails written to the outbox (file name, message), oldest first."""
    folder = get_settings().outbox_dir
    found = []
    for path in sorted(folder.glob("*.eml")) if folder.exists() else []:
        data = filecrypt.read_file(path, key=keys.derived_key(OUTBOX), file_id=path.name)
        found.append((path.name, email.message_from_bytes(data, policy=email.policy.default)))
    return found
