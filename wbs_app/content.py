"""Public texts taken from the manuals (Mojokerto, Bali, BPOM, Bontang), shared by several pages.

Every text is marked for the catalogues (English: wbs_app/i18n/en/public.po); the pages show them with
components/text.tr. `{name}` placeholders are filled from VALUES.
"""

from wbs_app.i18n import N_
from wbs_app.settings import get_settings

DEFINITION = N_(
    "Whistleblowing System (WBS) adalah mekanisme penyampaian pengaduan dugaan tindak pidana tertentu yang telah "
    "terjadi atau akan terjadi yang melibatkan pegawai dan orang lain yang dilakukan dalam organisasi tempatnya "
    "bekerja, di mana pelapor bukan merupakan bagian dari pelaku kejahatan yang dilaporkannya."
)

OVERVIEW = N_(
    "Pengaduan masyarakat merupakan bentuk pengawasan masyarakat yang diwujudkan melalui sumbangan pemikiran, "
    "saran, gagasan atau keluhan/pengaduan yang bersifat membangun. WBS disediakan bagi Aparatur Sipil Negara dan "
    "masyarakat umum yang memiliki informasi dan ingin melaporkan suatu perbuatan berindikasi pelanggaran yang "
    "terjadi di lingkungan instansi pemerintah."
)

COMPLAINT_EXAMPLES = [
    N_("penggunaan dana tidak sesuai dengan anggaran"),
    N_("perbuatan aparatur yang merugikan masyarakat"),
    N_("tindakan sewenang-wenang"),
    N_("salah urus"),
    N_("penggunaan fasilitas/barang milik negara"),
]

# (English heading, the Indonesian word shown under it on the Indonesian page only, the explanation)
CRITERIA = [
    ("Who", "Siapa", N_("Siapa yang bertanggung jawab, terlibat dan terkait dalam perbuatan tersebut.")),
    ("What", "Apa", N_("Apa perbuatan berindikasi tindak pidana korupsi/pelanggaran yang diketahui.")),
    ("Where", "Di mana", N_("Di mana tempat terjadinya perbuatan tersebut dilakukan.")),
    ("When", "Kapan", N_("Kapan waktu perbuatan tersebut dilakukan.")),
    ("How", "Bagaimana", N_("Bagaimana cara perbuatan tersebut dilakukan (modus, cara, dan sebagainya).")),
    (
        "Evidence",
        "Bukti",
        N_("Dilengkapi dengan bukti permulaan (data, dokumen, gambar dan rekaman) yang mendukung."),
    ),
]

CONFIDENTIALITY = N_(
    "Anda tidak perlu khawatir terungkapnya identitas diri Anda: kami MERAHASIAKAN IDENTITAS DIRI ANDA sebagai "
    "whistleblower. Kami menghargai informasi yang Anda laporkan dan berfokus pada materi informasi yang Anda "
    "laporkan. Anda juga dapat melapor tanpa identitas atau dengan nama samaran."
)

STEPS = [
    (
        N_("Periksa laporan"),
        N_("Sebelum melapor, periksa kelengkapan laporan Anda: apakah sudah memenuhi kriteria 5W+1H."),
    ),
    (
        N_("Isi formulir"),
        N_("Pilih Lapor Sekarang, isi formulir pelaporan langkah demi langkah, lampirkan bukti, lalu Kirim Laporan."),
    ),
    (
        N_("Simpan nomor & kode"),
        N_(
            "Setelah terkirim Anda menerima Nomor Registrasi (dan Kode Akses bila melapor tanpa akun). "
            "Simpan dan jaga kerahasiaannya."
        ),
    ),
    (
        N_("Pantau"),
        N_("Pantau status laporan dengan Nomor Registrasi, dan berkomunikasi secara rahasia dengan verifikator."),
    ),
]

# The names are the stored channels (their English is in terms.po).
CHANNELS = [
    (
        N_("Pelanggaran (WBS)"),
        N_("Adukan pelanggaran yang dilakukan pegawai: korupsi, pungli, penyalahgunaan wewenang, dll."),
    ),
    (
        N_("Benturan Kepentingan"),
        N_("Laporkan situasi ketika kepentingan pribadi pegawai memengaruhi keputusan jabatannya."),
    ),
    (N_("Gratifikasi"), N_("Laporkan penerimaan atau pemberian hadiah yang berhubungan dengan jabatan.")),
]

FAQ = [
    (
        N_("Apakah identitas saya sebagai pelapor dirahasiakan?"),
        N_(
            "Ya. Identitas pelapor dirahasiakan dan hanya dapat dibuka oleh petugas berwenang untuk keperluan "
            "penyelidikan dan persidangan, dan setiap pembukaan identitas tercatat. Anda juga dapat melapor tanpa "
            "identitas, atau memakai nama dan email samaran."
        ),
    ),
    (
        N_("Apakah saya harus membuat akun untuk melapor?"),
        N_(
            "Tidak. Anda dapat melapor tanpa akun; setelah laporan terkirim Anda menerima Nomor Registrasi dan Kode "
            "Akses rahasia untuk membuka laporan Anda kembali. Dengan akun (Umum, PNS, atau Pramubakti) Anda dapat "
            "melihat riwayat semua laporan Anda."
        ),
    ),
    (
        N_("Pelanggaran apa saja yang dapat dilaporkan?"),
        N_(
            "Antara lain korupsi, gratifikasi, benturan kepentingan, pungutan liar/percaloan/suap, pelanggaran "
            "pengadaan barang dan jasa, pelanggaran disiplin dan kode etik ASN, pelecehan seksual, narkoba, "
            "maladministrasi, serta pelanggaran lainnya yang dilakukan pegawai."
        ),
    ),
    (
        N_("Laporan seperti apa yang dapat ditindaklanjuti?"),
        N_(
            "Laporan yang memenuhi unsur 5W+1H: siapa yang terlibat, apa perbuatannya, di mana, kapan, dan "
            "bagaimana caranya, dilengkapi bukti permulaan."
        ),
    ),
    (
        N_("Bukti apa yang dapat saya lampirkan?"),
        N_(
            "Data, dokumen, gambar, dan rekaman: berkas {extensions}, masing-masing paling besar {file_mb} MB dan "
            "seluruhnya paling besar {report_mb} MB per laporan. Tambahkan keterangan singkat untuk setiap berkas."
        ),
    ),
    (
        N_("Bagaimana cara memantau laporan saya?"),
        N_(
            "Masukkan Nomor Registrasi pada kolom Lacak Laporan di Beranda atau halaman Lacak Laporan untuk melihat "
            "status dan tanggal pembaruan terakhir. Isi laporan dan pesan dari verifikator hanya dapat dibuka oleh "
            "Anda: lewat akun Anda, atau dengan Nomor Registrasi dan Kode Akses."
        ),
    ),
    (
        N_("Apa arti status laporan?"),
        N_(
            "Proses Verifikasi: laporan sedang diperiksa kelengkapannya. Proses Pemeriksaan: laporan ditindaklanjuti "
            "dengan pemeriksaan. Selesai: Terbukti / Selesai: Tidak Terbukti: hasil pemeriksaan. Tidak "
            "Ditindaklanjuti: laporan tidak memenuhi kriteria, dengan catatan verifikator."
        ),
    ),
    (
        N_("Saya tidak menerima email aktivasi akun. Apa yang harus saya lakukan?"),
        N_(
            "Periksa folder spam, lalu minta tautan aktivasi baru di halaman Aktivasi Akun. Tautan berlaku 24 jam "
            "dan hanya dapat dipakai satu kali."
        ),
    ),
]

# The values of the `{name}`s above (the same in both languages).
VALUES = {
    "extensions": ", ".join(get_settings().allowed_extensions),
    "file_mb": get_settings().max_file_mb,
    "report_mb": get_settings().max_report_mb,
}

# What belongs in WBS, and what goes to SP4N-LAPOR! instead (the manuals of Mojokerto and Bali point service
# complaints to LAPOR!; WBS is for violations by employees).
WBS_MATTERS = [
    N_("korupsi, pungutan liar, pemerasan dan suap"),
    N_("gratifikasi: hadiah atau pemberian yang berhubungan dengan jabatan"),
    N_("benturan kepentingan dalam keputusan atau pengadaan"),
    N_("penyalahgunaan wewenang dan jabatan"),
    N_("pelanggaran kode etik dan disiplin ASN"),
    N_("pelanggaran dalam pengadaan barang dan jasa"),
    N_("pelecehan seksual, narkoba dan tindak pidana lain oleh pegawai"),
]
NOT_WBS_MATTERS = [
    N_("pelayanan yang lambat, berbelit atau tidak ramah"),
    N_("keluhan perizinan, administrasi kependudukan, pajak daerah dan layanan sejenis"),
    N_("jalan rusak, kebersihan, penerangan jalan dan fasilitas umum lainnya"),
    N_("usul, saran dan permintaan informasi"),
]
LAPOR_EXPLANATION = N_(
    "Keluhan atas pelayanan publik disampaikan melalui SP4N-LAPOR! (Sistem Pengelolaan Pengaduan Pelayanan "
    "Publik Nasional), yang meneruskannya ke unit pelayanan yang bertanggung jawab dan memantau tindak lanjutnya. "
    "Jika keluhan Anda menyangkut dugaan pelanggaran oleh pegawai (misalnya dimintai uang agar layanan dipercepat), "
    "laporkan melalui WBS."
)
