"""Every path of the app, in one place."""

import re

from wbs_app.models import Channel

HOME = "/"
ABOUT = "/tentang"
REPORT = "/lapor"
TRACK = "/lacak"
FAQ = "/faq"
CONTACT = "/kontak"
LOGIN = "/masuk"
REGISTER = "/daftar"
ACTIVATE = "/aktivasi/[token]"
ACTIVATE_RESEND = "/aktivasi"
RESET_REQUEST = "/lupa-password"
RESET_LINK = "/atur-password/[token]"
ACCOUNT = "/akun"
ACCESS = "/akses"
HISTORY = "/riwayat"
REPORT_VIEW = "/laporan/[nomor]"
TRACK_NUMBER = "/lacak/[nomor]"  # the address in a receipt's QR code: the status of that number
PUBLIC_STATISTICS = "/statistik"
VERIFY_RECEIPT = "/verifikasi-bukti"


# The report form of each channel: a static route each (/lapor/<kanal>), so the production build pre-renders it.
REPORT_VIOLATION = "/lapor/pelanggaran"
REPORT_CONFLICT_OF_INTEREST = "/lapor/benturan-kepentingan"
REPORT_GRATIFICATION = "/lapor/gratifikasi"
# Each form's route, and the channel (models.Channel) it is for.
REPORT_FORMS = {
    REPORT_VIOLATION: Channel.VIOLATION.value,
    REPORT_CONFLICT_OF_INTEREST: Channel.CONFLICT_OF_INTEREST.value,
    REPORT_GRATIFICATION: Channel.GRATIFICATION.value,
}


def report_view(registration_number: str) -> str:
    return f"/laporan/{registration_number}"


STAFF_HOME = "/verifikator"
STAFF_CASE = "/verifikator/laporan/[nomor]"
STAFF_STATS = "/verifikator/statistik"
STAFF_ADMIN = "/verifikator/admin"
STAFF_PROTECTION = "/verifikator/perlindungan"


def track_number(registration_number: str) -> str:
    return f"/lacak/{registration_number}"


def staff_case(registration_number: str) -> str:
    return f"/verifikator/laporan/{registration_number}"


def is_page_path(path: str) -> bool:
    """Whether `path` is the path of one of the pages above (a [parameter] stands for one segment of letters,
    digits, '-' or '_'); nothing else: no other host, no scheme, no query, no '//' or '\\\\'."""
    if not isinstance(path, str) or not path.startswith("/") or len(path) > 200:
        return False
    segments = path.rstrip("/").split("/")
    for pattern in _PAGE_PATTERNS:
        if len(pattern) == len(segments) and all(
            (part.startswith("[") and _SEGMENT.fullmatch(given)) or part == given
            for part, given in zip(pattern, segments, strict=True)
        ):
            return True
    return False


_SEGMENT = re.compile(r"[A-Za-z0-9_-]{1,80}")
# Every page route (tests/unit/test_routes.py checks that the constants above are exactly the app's pages).
_PAGE_PATTERNS = [
    value.rstrip("/").split("/")
    for name, value in dict(globals()).items()
    if name.isupper() and isinstance(value, str) and value.startswith("/")
]
