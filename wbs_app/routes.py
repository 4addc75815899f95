"""Every path of the app, in one place."""

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
