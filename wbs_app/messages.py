"""User-facing messages shared by services and pages.

Page-specific wording lives at the top of each page module; this module holds what several places use. Each
name reads in the current language (wbs_app/language.py) when it is used: `messages.REQUIRED` inside a handler
of an English page is English. The texts below are the Indonesian message ids of the catalogues (wbs_app/i18n).
"""

from wbs_app.i18n import N_, _

REQUIRED = N_("Wajib diisi.")
USERNAME_FORMAT = N_("Username 3–50 karakter: huruf, angka, titik, garis bawah atau tanda hubung.")
USERNAME_TAKEN = N_("Username sudah dipakai. Pilih username lain.")
EMAIL_INVALID = N_("Alamat email tidak valid.")
PASSWORD_TOO_SHORT = N_("Password minimal 10 karakter.")
PASSWORD_TOO_LONG = N_("Password maksimal 128 karakter.")
PASSWORD_WEAK = N_("Password terlalu mudah ditebak: gunakan campuran huruf dan angka, jangan mengulang satu karakter.")
PASSWORD_MISMATCH = N_("Konfirmasi password tidak sama dengan password.")
ACCOUNT_TYPE_INVALID = N_("Pilih jenis akun: Umum, PNS, atau Pramubakti.")
IDENTITY_INVALID = N_("Nomor Identitas harus NIK 16 digit yang valid atau nomor SIM 12–14 digit.")
NIK_INVALID = N_("NIK harus 16 digit dan sesuai format NIK (kode wilayah dan tanggal lahir).")
NIP_INVALID = N_("NIP harus 18 digit angka.")
UNIT_REQUIRED = N_("Pilih unit kerja.")
RANK_REQUIRED = N_("Pilih pangkat/golongan.")
PHONE_INVALID = N_("Nomor telepon harus nomor Indonesia yang valid, misalnya 0812xxxxxxxx.")
DATE_INVALID = N_("Tanggal tidak valid.")
TERMS_REQUIRED = N_("Anda harus menyetujui Syarat & Ketentuan.")
TOO_LONG = N_("Terlalu panjang (maksimal {max} karakter).")
FORM_HAS_ERRORS = N_("Periksa kembali isian yang ditandai.")

LOGIN_FAILED = N_("Username/email atau password salah.")
LOGIN_INACTIVE = N_("Akun Anda belum diaktifkan. Buka tautan aktivasi di email Anda atau kirim ulang tautannya.")
LOGIN_DEACTIVATED = N_("Akun Anda dinonaktifkan. Hubungi administrator WBS.")
LOGIN_LOCKED = N_("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {seconds} detik.")

ACTIVATION_OK = N_("Akun Anda sudah aktif. Silakan masuk.")
ACTIVATION_INVALID = N_(
    "Tautan aktivasi tidak berlaku: sudah dipakai, kedaluwarsa, atau salah. Minta tautan baru di bawah ini."
)
ACTIVATION_RESENT = N_(
    "Jika email tersebut terdaftar dan akunnya belum aktif, tautan aktivasi baru sudah kami kirim. "
    "Periksa kotak masuk (dan folder spam) Anda."
)
EMAIL_SEND_FAILED = N_("Email aktivasi belum dapat dikirim. Coba kirim ulang tautan aktivasi beberapa saat lagi.")

TRACK_FORMAT = N_("Nomor Registrasi berbentuk WBS- diikuti 10 huruf/angka, misalnya WBS-7K3M9Q2X4D.")
TRACK_NOT_FOUND = N_("Laporan dengan Nomor Registrasi tersebut tidak ditemukan. Periksa kembali nomor Anda.")
TRACK_RATE_LIMITED = N_("Terlalu banyak pencarian. Tunggu sebentar lalu coba lagi.")

SESSION_REQUIRED = N_("Silakan masuk terlebih dahulu.")
CONTACT_SAVED = N_("Data kontak tersimpan.")
PASSWORD_CHANGED = N_("Password berhasil diganti. Sesi masuk akun Anda di perangkat atau browser lain telah diakhiri.")
CURRENT_PASSWORD_WRONG = N_("Password saat ini salah.")
PASSWORD_CHANGE_REQUIRED = N_("Anda wajib mengganti password sebelum melanjutkan.")

PASSWORD_RESET_REQUESTED = N_(
    "Jika akun terdaftar, tautan atur ulang password telah dikirim ke email Anda. "
    "Periksa kotak masuk (dan folder spam) Anda."
)
PASSWORD_RESET_INVALID = N_(
    "Tautan atur ulang password tidak berlaku: sudah dipakai, kedaluwarsa, atau salah. Minta tautan baru."
)
PASSWORD_RESET_DONE = N_(
    "Password Anda sudah diganti dan semua sesi masuk akun Anda telah diakhiri. Silakan masuk dengan password baru."
)

CHANNEL_INVALID = N_("Pilih saluran pelaporan.")
VIOLATION_TYPE_REQUIRED = N_("Pilih jenis pelanggaran.")
INCIDENT_UNIT_REQUIRED = N_("Pilih unit kejadian.")
DESCRIPTION_TOO_SHORT = N_("Uraikan kejadian minimal {min} karakter (jawab pertanyaan 5W+1H).")
ACCUSED_REQUIRED = N_("Isi minimal satu terlapor.")
ACCUSED_TOO_MANY = N_("Paling banyak {max} terlapor dalam satu laporan.")
CLASSIFICATION_INVALID = N_("Pilih klasifikasi dari daftar.")
PROVINCE_REQUIRED = N_("Pilih provinsi.")
REGENCY_REQUIRED = N_("Pilih kabupaten/kota.")
DATETIME_INVALID = N_("Tanggal dan waktu tidak valid.")
DATETIME_IN_FUTURE = N_("Waktu kejadian tidak boleh di masa depan.")
CONFIRMATION_REQUIRED = N_("Centang pernyataan bahwa laporan ini benar sepanjang pengetahuan Anda.")
SAVED_CONFIRMATION_REQUIRED = N_(
    "Centang dulu bahwa Anda sudah menyimpannya: setelah laporan baru dimulai, halaman ini tidak ditampilkan lagi."
)
EVIDENCE_TOTAL_TOO_LARGE = N_("Total ukuran bukti melebihi {max} MB per laporan.")
EVIDENCE_TOO_MANY = N_("Paling banyak {max} berkas bukti per laporan.")
UPLOAD_TOO_LARGE = N_(
    "Unggahan ditolak: ukurannya melebihi batas {max} MB per laporan. Tidak ada berkas yang disimpan."
)
UPLOAD_CUT_OFF = N_(
    "Unggahan terhenti sebelum selesai: ukurannya melebihi batas {max} MB per laporan, atau koneksi terputus. "
    "Tidak ada berkas dari unggahan ini yang disimpan; pilih lagi berkas Anda."
)
UPLOADS_TOO_FREQUENT = N_("Terlalu banyak unggahan dari perangkat ini. Coba lagi dalam beberapa menit.")
DRAFT_QUOTA_FULL = N_(
    "Batas penyimpanan sementara untuk perangkat ini ({max} MB) sudah tercapai. Hapus berkas yang tidak "
    "diperlukan atau kirim laporan Anda dulu; isian Anda tetap tersimpan."
)
DRAFT_AREA_FULL = N_("Penyimpanan sementara sedang penuh. Coba unggah lagi nanti; isian Anda tetap tersimpan.")
SUBMISSION_FAILED = N_(
    "Laporan belum tersimpan karena gangguan sistem. Tidak ada data yang tersimpan; silakan coba kirim lagi."
)
ACCESS_FAILED = N_("Nomor Registrasi atau Kode Akses salah.")
ACCESS_RATE_LIMITED = N_("Terlalu banyak percobaan. Tunggu beberapa menit lalu coba lagi.")
REPORT_NOT_FOUND = N_("Laporan tidak ditemukan.")
MESSAGE_SENT = N_("Pesan terkirim.")
STATUS_NOT_ALLOWED = N_("Perubahan status ini tidak diizinkan dari status sekarang.")
NOTE_REQUIRED = N_("Tulis Catatan Verifikator untuk pelapor.")
ASSIGNEE_INVALID = N_("Pilih verifikator yang aktif.")
ASSIGNEE_CONFLICT = N_(
    "{name} tercantum sebagai terlapor pada laporan ini dan tidak dapat ditugaskan (benturan kepentingan)."
)
NO_IDENTITY = N_("Laporan ini dikirim tanpa identitas: tidak ada identitas yang dapat dibuka.")
REVEAL_REASON_REQUIRED = N_("Tuliskan alasan membuka identitas (minimal {min} karakter).")
ACTION_DONE = N_("Tersimpan.")
USER_NOT_FOUND = N_("Pengguna tidak ditemukan.")
ROLE_LABELS = {"reporter": N_("Pelapor"), "verifier": N_("Verifikator"), "admin": N_("Administrator")}
STAFF_ONLY = N_("Tindakan ini hanya untuk verifikator dan administrator.")
ADMIN_ONLY = N_("Tindakan ini hanya untuk administrator.")
EXPORT_IDENTITY_ADMIN_ONLY = N_("Kolom identitas pelapor hanya untuk administrator.")
EXPORT_FORMAT_UNKNOWN = N_("Format ekspor tidak dikenal.")
CANNOT_DEACTIVATE_SELF = N_("Anda tidak dapat menonaktifkan akun Anda sendiri.")
REFERENCE_KIND_INVALID = N_("Data referensi tidak dikenal.")
REFERENCE_EXISTS = N_("Nama ini sudah ada.")
DEADLINE_INVALID = N_("Isi jumlah hari 1–365.")
RETENTION_DAYS_INVALID = N_("Isi jumlah hari {min}–{max}.")
HOLD_REASON_REQUIRED = N_("Tuliskan alasannya (minimal {min} karakter).")
REPORT_PURGED = N_("Isi laporan ini telah dihapus sesuai masa retensi; laporan ini tidak dapat diubah lagi.")
REPORT_PURGED_NOTICE = N_("Isi laporan ini telah dihapus sesuai masa retensi ({date}).")
STAFF_CREATED = N_("Akun petugas dibuat. Petugas wajib mengganti password saat pertama masuk.")
REPORT_DAMAGED = N_(
    "Isi laporan ini tidak dapat dibuka: data terenkripsinya berubah (rusak atau diubah di luar aplikasi), jadi "
    "tidak ditampilkan. Kejadian ini sudah dicatat di log audit; hubungi administrator untuk memulihkan dari cadangan."
)

# Institution profile, public statistics, receipts, retaliation check-in ------------------------------------
URL_INVALID = N_("Alamat web harus lengkap dengan https:// (atau http://), tanpa spasi.")
PHONE_FORMAT = N_("Nomor telepon hanya berisi angka, spasi, +, -, ( ) dan minimal 5 angka.")
SOCIALS_HINT = N_("Satu akun per baris: nama layanan, titik dua, lalu alamat lengkap akun (diawali https://).")
SOCIALS_INVALID = N_(
    "Satu akun per baris: nama layanan, titik dua, lalu alamat lengkap akun (diawali https://), paling banyak "
    "{max} baris."
)
LOGO_INVALID = N_("Logo harus gambar PNG atau JPEG, paling besar {max_mb} MB dan {max_side} piksel per sisi.")
STATISTICS_RATE_LIMITED = N_("Terlalu banyak permintaan dari perangkat ini. Tunggu sebentar lalu muat ulang halaman.")
RECEIPT_CHECK_RATE_LIMITED = N_("Terlalu banyak pemeriksaan dari perangkat ini. Tunggu beberapa menit lalu coba lagi.")
RECEIPT_INVALID = N_(
    "Bukti pelaporan TIDAK SAH: Nomor Registrasi, waktu penerimaan, saluran atau Kode Bukti tidak cocok dengan "
    "tanda tangan WBS. Bukti ini mungkin telah diubah."
)
RECEIPT_UNREADABLE = N_(
    "Berkas ini tidak dapat dibaca sebagai Bukti Pelaporan WBS (PDF paling besar {max_kb} KB). Ketik Nomor "
    "Registrasi dan Kode Bukti yang tercetak di dalamnya."
)
RETALIATION_NOT_YET = N_("Pertanyaan tentang pembalasan dibuka setelah laporan selesai ditangani.")
RETALIATION_CHOICE_REQUIRED = N_("Pilih jawaban: Ya atau Tidak.")
RETALIATION_CASE_OPEN = N_("Laporan pembalasan Anda untuk laporan ini sedang ditangani.")
PROTECTION_NOTE_REQUIRED = N_("Tulis tindak lanjut untuk pelapor (minimal {min} karakter).")
PROTECTION_CASE_CLOSED = N_("Kasus perlindungan ini sudah selesai.")


# The names above resolve through __getattr__, in the language of the moment they are read.
_TEXTS = {name: value for name, value in list(globals().items()) if name.isupper() and isinstance(value, str)}
_ROLE_LABELS = ROLE_LABELS
for _name in [*_TEXTS, "ROLE_LABELS"]:
    del globals()[_name]


def __getattr__(name: str):
    if name == "ROLE_LABELS":
        return {role: _(label) for role, label in _ROLE_LABELS.items()}
    if name in _TEXTS:
        return _(_TEXTS[name])
    raise AttributeError(name)
