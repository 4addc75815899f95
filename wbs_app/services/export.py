"""CSV export of the filtered case list. Reporter identity only for administrators who ask for it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets

from sqlmodel import Session, select

from wbs_app.models import Report, User
from wbs_app.services import audit, cases
from wbs_app.services.deadlines import DeadlineConfig
from wbs_app.settings import get_settings

COLUMNS = [
    "Nomor Registrasi",
    "Tanggal",
    "Kanal",
    "Jenis Pelanggaran",
    "Unit Kejadian",
    "Terlapor",
    "Status",
    "Petugas",
    "Tenggat",
    "Terlambat",
]
IDENTITY_COLUMNS = ["Nama Pelapor", "Email Pelapor", "Telepon Pelapor"]
BATCH = 500


def export_cases(
    session: Session,
    *,
    filters: cases.CaseFilters,
    user: User,
    config: DeadlineConfig,
    include_identity: bool = False,
    today: dt.date | None = None,
    client_ip: str = "",
) -> str:
    """Write the CSV into the data folder and return its file name (served only through a signed link)."""
    if include_identity and not cases.is_admin(user):
        raise cases.ActionRefused("Kolom identitas pelapor hanya untuk administrator.")
    folder = get_settings().data_dir / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS + (IDENTITY_COLUMNS if include_identity else []))
    page, written = 1, 0
    while True:
        rows, total = cases.list_cases(
            session, filters=filters, user=user, config=config, today=today, page=page, page_size=BATCH
        )
        identities = {}
        if include_identity and rows:
            numbers = [row.registration_number for row in rows]
            for report in session.exec(select(Report).where(Report.registration_number.in_(numbers))):
                identities[report.registration_number] = (
                    ("", "", "")
                    if report.hide_identity
                    else (report.reporter_name, report.reporter_email, report.reporter_phone)
                )
        for row in rows:
            values = [
                row.registration_number,
                f"{row.created_at:%Y-%m-%d %H:%M}",
                row.channel,
                row.violation_type,
                row.unit,
                row.accused,
                row.status,
                row.assignee,
                row.deadline,
                "ya" if row.overdue else "tidak",
            ]
            if include_identity:
                values += list(identities.get(row.registration_number, ("", "", "")))
            writer.writerow([_safe_cell(value) for value in values])
        written += len(rows)
        if written >= total or not rows:
            break
        page += 1
    (folder / name).write_text(buffer.getvalue(), encoding="utf-8-sig")
    audit.record(
        session,
        action="ekspor",
        actor_id=user.id,
        detail=f"{written} laporan" + (", dengan identitas pelapor" if include_identity else ""),
        client_ip=client_ip,
    )
    session.commit()
    return name


def _safe_cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; a leading quote keeps them text."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def sweep_old_exports(max_age_hours: float = 24) -> int:
    """Exports hold report data: remove them a day after they were made."""
    import time

    folder = get_settings().data_dir / "exports"
    if not folder.exists():
        return 0
    cutoff = time.time() - max_age_hours * 3600
    removed = 0
    for path in folder.glob("*.csv"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
