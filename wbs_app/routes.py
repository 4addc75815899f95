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
REPORT_FORM = "/lapor/[kanal]"
ACCESS = "/akses"
HISTORY = "/riwayat"
REPORT_VIEW = "/laporan/[nomor]"


# The channel in /lapor/<kanal>, and the channel (models.Channel) it stands for.
CHANNEL_SLUGS = {
    "pelanggaran": Channel.VIOLATION.value,
    "benturan-kepentingan": Channel.CONFLICT_OF_INTEREST.value,
    "gratifikasi": Channel.GRATIFICATION.value,
}


def report_form(slug: str) -> str:
    return f"/lapor/{slug}"


def report_view(registration_number: str) -> str:
    return f"/laporan/{registration_number}"


STAFF_HOME = "/verifikator"
STAFF_CASE = "/verifikator/laporan/[nomor]"
STAFF_STATS = "/verifikator/statistik"
STAFF_ADMIN = "/verifikator/admin"


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
