"""The numbers behind each chart of the Statistik page as CSV, made on request for the staff member who asks.

Nothing is written to disk (nor to the public upload folder): the page hands out a signed, expiring link bound to
the login session (as exports are, services/downloads), naming the chart and the date range; the route
(wbs_app.api) checks the link, the session cookie and the staff role again, computes the statistics and answers
the CSV itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import hmac
import io

from sqlmodel import Session

from wbs_app.i18n import N_, _, term
from wbs_app.services import downloads, policy, sessions, statistics

ROUTE = "/_wbs/statistik-csv/"
EXPIRED = N_("Tautan unduhan tidak berlaku atau sudah kedaluwarsa. Muat ulang halaman Statistik untuk tautan baru.")


def _number(value: float) -> str:
    return f"{value:.2f}"


# chart → (file name, header (catalogue ids: written in the current language), rows of the statistics)
CHARTS = {
    "bulan": (
        "laporan-per-bulan",
        [N_("Bulan"), N_("Jumlah laporan")],
        lambda s: [[r["bulan"], r["jumlah"]] for r in s.per_month],
    ),
    "jenis": (
        "menurut-jenis",
        [N_("Jenis Pelanggaran"), N_("Jumlah laporan")],
        lambda s: [[term(r["nama"]), r["jumlah"]] for r in s.by_type],
    ),
    "status": (
        "menurut-status",
        [N_("Status"), N_("Jumlah laporan")],
        lambda s: [[term(r["nama"]), r["jumlah"]] for r in s.by_status],
    ),
    "unit": (
        "menurut-unit",
        [N_("Unit Kejadian"), N_("Jumlah laporan")],
        lambda s: [[r["nama"], r["jumlah"]] for r in s.by_unit],
    ),
    "selesai_unit": (
        "waktu-selesai-per-unit",
        [N_("Unit Kejadian"), N_("Laporan selesai"), N_("Median hari sampai selesai")],
        lambda s: [[r["nama"], r["jumlah"], _number(r["median_hari"])] for r in s.close_by_unit],
    ),
}


def _day(value: dt.date | None) -> str:
    return value.strftime("%Y%m%d") if value else "0"


def _parse_day(value: str) -> dt.date | None | bool:
    """The date of a link part; None for "0" (no bound); False when malformed."""
    if value == "0":
        return None
    try:
        return dt.datetime.strptime(value, "%Y%m%d").date() if len(value) == 8 and value.isdigit() else False
    except ValueError:
        return False


def make_token(chart: str, date_from: dt.date | None, date_to: dt.date | None, *, session_token: str) -> str:
    digest = downloads.session_digest(session_token)
    return downloads.make_token("statistik", f"{chart}-{_day(date_from)}-{_day(date_to)}-{digest}")


def read_token(
    token: str, *, session_token: str, session: Session, now: float | None = None
) -> tuple[str, dt.date | None, dt.date | None] | None:
    """(chart, from, to) that a valid link names, for the staff member whose login session made it; else None."""
    parts = (downloads.read_token("statistik", token, now=now) or "").split("-")
    if len(parts) != 4 or parts[0] not in CHARTS:
        return None
    date_from, date_to = _parse_day(parts[1]), _parse_day(parts[2])
    if date_from is False or date_to is False:
        return None
    if not session_token or not hmac.compare_digest(downloads.session_digest(session_token), parts[3]):
        return None
    if not policy.is_staff(sessions.resolve_session(session=session, token=session_token)):
        return None
    return parts[0], date_from, date_to


def _cell(value) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas (a unit's name is typed by an administrator)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def chart_csv(result: statistics.Statistics, chart: str) -> str:
    """The chart's numbers as CSV, its header and names in the current language (the requester's)."""
    _name, header, rows = CHARTS[chart]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_(text) for text in header])
    for row in rows(result):
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def file_name(chart: str, date_from: dt.date | None, date_to: dt.date | None) -> str:
    period = f"-{_day(date_from) if date_from else 'awal'}-{_day(date_to) if date_to else 'kini'}"
    return f"statistik-{CHARTS[chart][0]}{period if date_from or date_to else ''}.csv"


def granted_csv(*, session: Session, token: str, session_token: str) -> tuple[str, bytes] | None:
    """The file name and CSV bytes a link grants to this browser's login, or None (in the current language: the
    route uses the requester's)."""
    found = read_token(token, session_token=session_token, session=session)
    if found is None:
        return None
    chart, date_from, date_to = found
    result = statistics.compute(session=session, date_from=date_from, date_to=date_to)
    return file_name(chart, date_from, date_to), chart_csv(result, chart).encode("utf-8")
