"""CSV or XLSX export of the filtered case list. Reporter identity only for administrators who ask for it."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

from sqlmodel import Session, select

from wbs_app import i18n, localtime, messages
from wbs_app.i18n import N_, _
from wbs_app.models import Report, User
from wbs_app.services import audit, case_list, cases, filecrypt, policy, sealed, sheets, two_factor, vault
from wbs_app.services.deadlines import DeadlineConfig
from wbs_app.services.downloads import EXPORT_FORMATS
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.settings import get_settings

# Column headers (catalogue ids): written in the requester's language, as the names in the cells.
COLUMNS = [
    N_("Nomor Registrasi"),
    N_("Tanggal"),
    N_("Kanal"),
    N_("Jenis Pelanggaran"),
    N_("Unit Kejadian"),
    N_("Terlapor"),
    N_("Status"),
    N_("Petugas"),
    N_("Tenggat"),
    N_("Terlambat"),
]
IDENTITY_COLUMNS = [N_("Nama Pelapor"), N_("Email Pelapor"), N_("Telepon Pelapor")]
BATCH = 500
KEY_NAME = "exports"  # the system key export files are encrypted with on disk


def export_cases(
    *,
    session: Session,
    filters: case_list.CaseFilters,
    user: User,
    config: DeadlineConfig,
    include_identity: bool = False,
    identity_reason: str = "",
    second_factor_code: str = "",
    file_format: str = "csv",
    today: dt.date | None = None,
    client_ip: str = "",
) -> str:
    """Write the export into the data folder and return its file name (served only through a signed link). Its
    headers and names are in the current language (the requester's).

    With the reporters' identities: administrators only, with a reason and a fresh second-factor code."""
    policy.require_export(user, include_identity=include_identity)
    identity_reason = identity_reason.strip()[:1000]
    if include_identity and len(identity_reason) < cases.REVEAL_REASON_MIN:
        raise ValidationFailed({"identity_reason": messages.REVEAL_REASON_REQUIRED.format(min=cases.REVEAL_REASON_MIN)})
    if file_format not in EXPORT_FORMATS:
        raise Refused(messages.EXPORT_FORMAT_UNKNOWN)
    if include_identity:
        # A fresh second-factor code, as for revealing one identity on a case page.
        two_factor.require_fresh_code(session=session, user=user, code=second_factor_code)
    folder = get_settings().data_dir / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{file_format}"
    key = vault.system_key(session=session, name=KEY_NAME)
    try:
        with _rows_writer(folder / name, file_format, key=key) as write_row:
            written, revealed = _write_cases(
                session=session,
                write_row=write_row,
                filters=filters,
                user=user,
                config=config,
                include_identity=include_identity,
                today=today,
            )
    except BaseException:
        (folder / name).unlink(missing_ok=True)
        raise
    audit.record(
        session=session,
        action="ekspor",
        actor_id=user.id,
        detail=f"{written} laporan ({file_format.upper()})"
        + (f", dengan identitas pelapor. Alasan: {identity_reason}" if include_identity else ""),
        client_ip=client_ip,
    )
    # Each identity that left in the file is a reveal: it shows in that case's history, with the reason.
    for report_id in revealed:
        audit.record(
            session=session,
            action="buka_identitas",
            actor_id=user.id,
            report_id=report_id,
            detail=f"Melalui ekspor. Alasan: {identity_reason}",
            client_ip=client_ip,
        )
    session.commit()
    return name


def _write_cases(*, session, write_row, filters, user, config, include_identity, today) -> tuple[int, list[int]]:
    """Write the header and every matching case; return how many, and the reports whose identity was written."""
    write_row([_(header) for header in COLUMNS + (IDENTITY_COLUMNS if include_identity else [])])
    yes, no = _("ya"), _("tidak")
    zone = localtime.zone()
    written, revealed = 0, []
    for rows in case_list.iter_cases(
        session=session, filters=filters, user=user, config=config, today=today, batch=BATCH
    ):
        identities = {}
        if include_identity and rows:
            numbers = [row.registration_number for row in rows]
            stored = session.exec(
                select(Report).where(Report.registration_number.in_(numbers), Report.purged_at.is_(None))
            ).all()
            for report in sealed.open_rows(session=session, rows=list(stored)):
                if cases.has_identity(report):
                    identities[report.registration_number] = (
                        report.reporter_name,
                        report.reporter_email,
                        report.reporter_phone,
                    )
                    revealed.append(report.id)
        for row in rows:
            values = [
                row.registration_number,
                f"{row.created_at.astimezone(zone):%Y-%m-%d %H:%M}",
                i18n.term(row.channel),
                i18n.term(row.violation_type),
                row.unit,
                row.accused,
                i18n.term(row.status),
                row.assignee,
                row.deadline,
                yes if row.overdue else no,
            ]
            if include_identity:
                values += list(identities.get(row.registration_number, ("", "", "")))
            write_row([CONTROL_CHARACTERS.sub("", str(value)) for value in values])
        written += len(rows)
    return written, revealed


@contextlib.contextmanager
def _rows_writer(path: Path, file_format: str, *, key: bytes):
    """Rows go to the file, encrypted, as they come: a large export never sits whole in memory, and no part of it
    is ever on disk in clear. Every XLSX cell is typed text (services/sheets)."""
    writer = filecrypt.SealedWriter(path, key=key, file_id=path.name)
    try:
        if file_format == "xlsx":
            with sheets.xlsx_rows(writer, _("Laporan")) as write_row:
                yield write_row
        else:
            with sheets.csv_rows(writer) as write_row:
                yield lambda row: write_row([_csv_text(value) for value in row])
        writer.close()
    except BaseException:
        writer.abort()
        raise


# Control characters (other than tab and newlines) are not allowed in XLSX and mean nothing in a CSV.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _csv_text(value: str) -> str:
    """Spreadsheets opening a CSV run cells that start with = + - @ as formulas; a leading quote keeps them text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_path(name: str) -> Path:
    return get_settings().data_dir / "exports" / name


def read_export(*, session: Session, name: str) -> Iterator[bytes]:
    """An export file's content, decrypted chunk by chunk (`name` as export_cases returned it)."""
    key = vault.system_key(session=session, name=KEY_NAME)
    return filecrypt.read_chunks(export_path(name), key=key, file_id=name)


def sweep_old_exports(max_age_hours: float = 24) -> int:
    """Exports hold report data: remove them a day after they were made."""
    import time

    folder = get_settings().data_dir / "exports"
    if not folder.exists():
        return 0
    cutoff = time.time() - max_age_hours * 3600
    removed = 0
    for path in folder.iterdir():
        if path.suffix.lstrip(".") in EXPORT_FORMATS and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
