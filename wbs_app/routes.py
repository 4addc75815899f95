"""Every path of the app, in one place."""

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
ACCOUNT = "/akun"
REPORT_FORM = "/lapor/[kanal]"
ACCESS = "/akses"
HISTORY = "/riwayat"
REPORT_VIEW = "/laporan/[nomor]"


def report_form(slug: str) -> str:
    return f"/lapor/{slug}"


def report_view(registration_number: str) -> str:
    return f"/laporan/{registration_number}"
