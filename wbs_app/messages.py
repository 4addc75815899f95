"""User-facing messages shared by services and pages (Bahasa Indonesia).

Page-specific wording lives at the top of each page module; this catalogue holds what several places use.
"""

REQUIRED = "Wajib diisi."
USERNAME_FORMAT = "Username 3–50 karakter: huruf, angka, titik, garis bawah atau tanda hubung."
USERNAME_TAKEN = "Username sudah dipakai. Pilih username lain."
EMAIL_INVALID = "Alamat email tidak valid."
PASSWORD_TOO_SHORT = "Password minimal 10 karakter."
PASSWORD_TOO_LONG = "Password maksimal 128 karakter."
PASSWORD_WEAK = "Password terlalu mudah ditebak: gunakan campuran huruf dan angka, jangan mengulang satu karakter."
PASSWORD_MISMATCH = "Konfirmasi password tidak sama dengan password."
ACCOUNT_TYPE_INVALID = "Pilih jenis akun: Umum, PNS, atau Pramubakti."
IDENTITY_INVALID = "Nomor Identitas harus NIK 16 digit yang valid atau nomor SIM 12–14 digit."
NIK_INVALID = "NIK harus 16 digit dan sesuai format NIK (kode wilayah dan tanggal lahir)."
NIP_INVALID = "NIP harus 18 digit angka."
UNIT_REQUIRED = "Pilih unit kerja."
RANK_REQUIRED = "Pilih pangkat/golongan."
PHONE_INVALID = "Nomor telepon harus nomor Indonesia yang valid, misalnya 0812xxxxxxxx."
DATE_INVALID = "Tanggal tidak valid."
TERMS_REQUIRED = "Anda harus menyetujui Syarat & Ketentuan."
TOO_LONG = "Terlalu panjang (maksimal {max} karakter)."
FORM_HAS_ERRORS = "Periksa kembali isian yang ditandai."

LOGIN_FAILED = "Username/email atau password salah."
LOGIN_INACTIVE = "Akun Anda belum diaktifkan. Buka tautan aktivasi di email Anda atau kirim ulang tautannya."
LOGIN_DEACTIVATED = "Akun Anda dinonaktifkan. Hubungi administrator WBS."
LOGIN_LOCKED = "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {seconds} detik."

ACTIVATION_OK = "Akun Anda sudah aktif. Silakan masuk."
ACTIVATION_INVALID = (
    "Tautan aktivasi tidak berlaku: sudah dipakai, kedaluwarsa, atau salah. Minta tautan baru di bawah ini."
)
ACTIVATION_RESENT = (
    "Jika email tersebut terdaftar dan akunnya belum aktif, tautan aktivasi baru sudah kami kirim. "
    "Periksa kotak masuk (dan folder spam) Anda."
)
EMAIL_SEND_FAILED = "Email aktivasi belum dapat dikirim. Coba kirim ulang tautan aktivasi beberapa saat lagi."

TRACK_FORMAT = "Nomor Registrasi berbentuk WBS- diikuti 10 huruf/angka, misalnya WBS-7K3M9Q2X4D."
TRACK_NOT_FOUND = "Laporan dengan Nomor Registrasi tersebut tidak ditemukan. Periksa kembali nomor Anda."
TRACK_RATE_LIMITED = "Terlalu banyak pencarian. Tunggu sebentar lalu coba lagi."

SESSION_REQUIRED = "Silakan masuk terlebih dahulu."
CONTACT_SAVED = "Data kontak tersimpan."
PASSWORD_CHANGED = "Password berhasil diganti. Sesi masuk akun Anda di perangkat atau browser lain telah diakhiri."
CURRENT_PASSWORD_WRONG = "Password saat ini salah."
PASSWORD_CHANGE_REQUIRED = "Anda wajib mengganti password sebelum melanjutkan."

PASSWORD_RESET_REQUESTED = (
    "Jika akun terdaftar, tautan atur ulang password telah dikirim ke email Anda. "
    "Periksa kotak masuk (dan folder spam) Anda."
)
PASSWORD_RESET_INVALID = (
    "Tautan atur ulang password tidak berlaku: sudah dipakai, kedaluwarsa, atau salah. Minta tautan baru."
)
PASSWORD_RESET_DONE = (
    "Password Anda sudah diganti dan semua sesi masuk akun Anda telah diakhiri. Silakan masuk dengan password baru."
)

CHANNEL_INVALID = "Pilih saluran pelaporan."
VIOLATION_TYPE_REQUIRED = "Pilih jenis pelanggaran."
INCIDENT_UNIT_REQUIRED = "Pilih unit kejadian."
DESCRIPTION_TOO_SHORT = "Uraikan kejadian minimal {min} karakter (jawab pertanyaan 5W+1H)."
ACCUSED_REQUIRED = "Isi minimal satu terlapor."
ACCUSED_TOO_MANY = "Paling banyak {max} terlapor dalam satu laporan."
CLASSIFICATION_INVALID = "Pilih klasifikasi dari daftar."
PROVINCE_REQUIRED = "Pilih provinsi."
REGENCY_REQUIRED = "Pilih kabupaten/kota."
DATETIME_INVALID = "Tanggal dan waktu tidak valid."
DATETIME_IN_FUTURE = "Waktu kejadian tidak boleh di masa depan."
CONFIRMATION_REQUIRED = "Centang pernyataan bahwa laporan ini benar sepanjang pengetahuan Anda."
SAVED_CONFIRMATION_REQUIRED = (
    "Centang dulu bahwa Anda sudah menyimpannya: setelah laporan baru dimulai, halaman ini tidak ditampilkan lagi."
)
EVIDENCE_TOTAL_TOO_LARGE = "Total ukuran bukti melebihi {max} MB per laporan."
EVIDENCE_TOO_MANY = "Paling banyak {max} berkas bukti per laporan."
UPLOAD_TOO_LARGE = "Unggahan ditolak: ukurannya melebihi batas {max} MB per laporan. Tidak ada berkas yang disimpan."
UPLOAD_CUT_OFF = (
    "Unggahan terhenti sebelum selesai: ukurannya melebihi batas {max} MB per laporan, atau koneksi terputus. "
    "Tidak ada berkas dari unggahan ini yang disimpan; pilih lagi berkas Anda."
)
UPLOADS_TOO_FREQUENT = "Terlalu banyak unggahan dari perangkat ini. Coba lagi dalam beberapa menit."
DRAFT_QUOTA_FULL = (
    "Batas penyimpanan sementara untuk perangkat ini ({max} MB) sudah tercapai. Hapus berkas yang tidak "
    "diperlukan atau kirim laporan Anda dulu; isian Anda tetap tersimpan."
)
DRAFT_AREA_FULL = "Penyimpanan sementara sedang penuh. Coba unggah lagi nanti; isian Anda tetap tersimpan."
SUBMISSION_FAILED = (
    "Laporan belum tersimpan karena gangguan sistem. Tidak ada data yang tersimpan; silakan coba kirim lagi."
)
ACCESS_FAILED = "Nomor Registrasi atau Kode Akses salah."
ACCESS_RATE_LIMITED = "Terlalu banyak percobaan. Tunggu beberapa menit lalu coba lagi."
REPORT_NOT_FOUND = "Laporan tidak ditemukan."
MESSAGE_SENT = "Pesan terkirim."
STATUS_NOT_ALLOWED = "Perubahan status ini tidak diizinkan dari status sekarang."
NOTE_REQUIRED = "Tulis Catatan Verifikator untuk pelapor."
ASSIGNEE_INVALID = "Pilih verifikator yang aktif."
ASSIGNEE_CONFLICT = (
    "{name} tercantum sebagai terlapor pada laporan ini dan tidak dapat ditugaskan (benturan kepentingan)."
)
NO_IDENTITY = "Laporan ini dikirim tanpa identitas: tidak ada identitas yang dapat dibuka."
REVEAL_REASON_REQUIRED = "Tuliskan alasan membuka identitas (minimal {min} karakter)."
ACTION_DONE = "Tersimpan."
USER_NOT_FOUND = "Pengguna tidak ditemukan."
ROLE_LABELS = {"reporter": "Pelapor", "verifier": "Verifikator", "admin": "Administrator"}
STAFF_ONLY = "Tindakan ini hanya untuk verifikator dan administrator."
ADMIN_ONLY = "Tindakan ini hanya untuk administrator."
EXPORT_IDENTITY_ADMIN_ONLY = "Kolom identitas pelapor hanya untuk administrator."
EXPORT_FORMAT_UNKNOWN = "Format ekspor tidak dikenal."
CANNOT_DEACTIVATE_SELF = "Anda tidak dapat menonaktifkan akun Anda sendiri."
REFERENCE_KIND_INVALID = "Data referensi tidak dikenal."
REFERENCE_EXISTS = "Nama ini sudah ada."
DEADLINE_INVALID = "Isi jumlah hari 1–365."
RETENTION_DAYS_INVALID = "Isi jumlah hari {min}–{max}."
HOLD_REASON_REQUIRED = "Tuliskan alasannya (minimal {min} karakter)."
REPORT_PURGED = "Isi laporan ini telah dihapus sesuai masa retensi; laporan ini tidak dapat diubah lagi."
REPORT_PURGED_NOTICE = "Isi laporan ini telah dihapus sesuai masa retensi ({date})."
STAFF_CREATED = "Akun petugas dibuat. Petugas wajib mengganti password saat pertama masuk."
REPORT_DAMAGED = (
    "Isi laporan ini tidak dapat dibuka: data terenkripsinya berubah (rusak atau diubah di luar aplikasi), jadi "
    "tidak ditampilkan. Kejadian ini sudah dicatat di log audit; hubungi administrator untuk memulihkan dari cadangan."
)

# Institution profile, public statistics, receipts, retaliation check-in ------------------------------------
URL_INVALID = "Alamat web harus lengkap dengan https:// (atau http://), tanpa spasi."
PHONE_FORMAT = "Nomor telepon hanya berisi angka, spasi, +, -, ( ) dan minimal 5 angka."
SOCIALS_HINT = "Satu akun per baris: nama layanan, titik dua, lalu alamat lengkap akun (diawali https://)."
SOCIALS_INVALID = SOCIALS_HINT[:-1] + ", paling banyak {max} baris."
LOGO_INVALID = "Logo harus gambar PNG atau JPEG, paling besar {max_mb} MB dan {max_side} piksel per sisi."
STATISTICS_RATE_LIMITED = "Terlalu banyak permintaan dari perangkat ini. Tunggu sebentar lalu muat ulang halaman."
RECEIPT_CHECK_RATE_LIMITED = "Terlalu banyak pemeriksaan dari perangkat ini. Tunggu beberapa menit lalu coba lagi."
RECEIPT_INVALID = (
    "Bukti pelaporan TIDAK SAH: Nomor Registrasi, waktu penerimaan, saluran atau Kode Bukti tidak cocok dengan "
    "tanda tangan WBS. Bukti ini mungkin telah diubah."
)
RECEIPT_UNREADABLE = (
    "Berkas ini tidak dapat dibaca sebagai Bukti Pelaporan WBS (PDF paling besar {max_kb} KB). Ketik Nomor "
    "Registrasi dan Kode Bukti yang tercetak di dalamnya."
)
RETALIATION_NOT_YET = "Pertanyaan tentang pembalasan dibuka setelah laporan selesai ditangani."
RETALIATION_CHOICE_REQUIRED = "Pilih jawaban: Ya atau Tidak."
RETALIATION_CASE_OPEN = "Laporan pembalasan Anda untuk laporan ini sedang ditangani."
PROTECTION_NOTE_REQUIRED = "Tulis tindak lanjut untuk pelapor (minimal {min} karakter)."
PROTECTION_CASE_CLOSED = "Kasus perlindungan ini sudah selesai."
