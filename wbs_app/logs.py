"""Log lines never carry what identifies a reporter or opens their report.

Reflex logs a tab's token in some warnings ("Attempting to send delta to disconnected client '<token>'")
and the token travels in the websocket URL; an email address or a Kode Akses could reach a log through an
exception message. Every log record of the process is scrubbed when it is made, whichever library logs it.
"""

from __future__ import annotations

import logging
import re

_SECRETS = [
    # Reflex tab tokens and other UUIDs.
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE), "[token]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    # A Kode Akses: four groups of five Crockford base32 characters.
    (re.compile(r"\b[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}\b"), "[kode-akses]"),
]
_installed = False


def scrub(text: str) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def install_redaction() -> None:
    """Scrub every log record as it is created (once per process; safe to call again)."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def scrubbed_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is logging's to report, not ours
            return record
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        return record

    logging.setLogRecordFactory(scrubbed_record)
    _installed = True


def show_info(logger: logging.Logger) -> None:
    """Let `logger`'s INFO lines reach the process's standard error, with their time, when logging is not
    configured otherwise: Python shows only warnings by default, and the daily audit head line must not be lost."""
    logger.disabled = False  # logging.config.fileConfig (alembic/env.py runs it) disables loggers made before it
    if logger.getEffectiveLevel() > logging.INFO:
        logger.setLevel(logging.INFO)
    if not logger.hasHandlers():
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
