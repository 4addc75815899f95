"""Public texts taken from the manuals (Mojokerto, Bali, BPOM, Bontang), shared by several pages."""

from wbs_app.settings import get_settings

DEFINITION = (
    "Whistleblowing System (WBS) adalah mekanisme penyampaian pengaduan dugaan tindak pidana tertentu yang telah "
    "terjadi atau akan terjadi yang melibatkan pegawai dan orang lain yang dilakukan dalam organisasi tempatnya "
    "bekerja, di mana pelapor bukan merupakan bagian dari pelaku kejahatan yang dilaporkannya."
)

OVERVIEW = (
    "Pengaduan masyarakat merupakan bentuk pengawasan masyarakat yang diwujudkan melalui sumbangan pemikiran, "
    "saran, gagasan atau keluhan/pengaduan yang bersifat membangun. WBS disediakan bagi Aparatur Sipil Negara dan "
    "masyarakat umum yang memiliki informasi dan ingin melaporkan suatu perbuatan berindikasi pelanggaran yang "
    "terjadi di lingkungan instansi pemerintah."
)

COMPLAINT_EXAMPLES = [
    "penggunaan dana tidak sesuai dengan anggaran",
    "perbuatan aparatur yang merugikan masyarakat",
    "tindakan sewenang-wenang",
    "salah urus",
    "penggunaan fasilitas/barang milik negara",
]

CRITERIA = [
    ("Who", "Siapa", "Siapa yang bertanggung jawab, terlibat dan terkait dalam perbuatan tersebut."),
    ("What", "Apa", "Apa perbuatan berindikasi tindak pidana korupsi/pelanggaran yang diketahui."),
    ("Where", "Di mana", "Di mana tempat terjadinya perbuatan tersebut dilakukan."),
    ("When", "Kapan", "Kapan waktu perbuatan tersebut dilakukan."),
    ("How", "Bagaimana", "Bagaimana cara perbuatan tersebut dilakukan (modus, cara, dan sebagainya)."),
    (
        "Evidence",
        "Bukti",
        "Dilengkapi dengan bukti permulaan (data, dokumen, gambar dan rekaman) yang mendukung.",
    ),
]

CONFIDENTIALITY = (
    "Anda tidak perlu khawatir terungkapnya identitas diri Anda: kami MERAHASIAKAN IDENTITAS DIRI ANDA sebagai "
    "whistleblower. Kami menghargai informasi yang Anda laporkan dan berfokus pada materi informasi yang Anda "
    "laporkan. Anda juga dapat melapor tanpa identitas atau dengan nama samaran."
)

STEPS = [
    (
        "Periksa laporan",
        "Sebelum melapor, periksa kelengkapan laporan Anda: apakah sudah memenuhi kriteria 5W+1H.",
    ),
    (
        "Isi formulir",
        "Pilih Lapor Sekarang, isi formulir pelaporan langkah demi langkah, lampirkan bukti, lalu Kirim Laporan.",
    ),
    (
        "Simpan nomor & kode",
        "Setelah terkirim Anda menerima Nomor Registrasi (dan Kode Akses bila melapor tanpa akun). "
        "Simpan dan jaga kerahasiaannya.",
    ),
    (
        "Pantau",
        "Pantau status laporan dengan Nomor Registrasi, dan berkomunikasi secara rahasia dengan verifikator.",
    ),
]

CHANNELS = [
    ("Pelanggaran (WBS)", "Adukan pelanggaran yang dilakukan pegawai: korupsi, pungli, penyalahgunaan wewenang, dll."),
    ("Benturan Kepentingan", "Laporkan situasi ketika kepentingan pribadi pegawai memengaruhi keputusan jabatannya."),
    ("Gratifikasi", "Laporkan penerimaan atau pemberian hadiah yang berhubungan dengan jabatan."),
]

FAQ = [
    (
        "Apakah identitas saya sebagai pelapor dirahasiakan?",
        "Ya. Identitas pelapor dirahasiakan dan hanya dapat dibuka oleh petugas berwenang untuk keperluan "
        "penyelidikan dan persidangan, dan setiap pembukaan identitas tercatat. Anda juga dapat melapor tanpa "
        "identitas, atau memakai nama dan email samaran.",
    ),
    (
        "Apakah saya harus membuat akun untuk melapor?",
        "Tidak. Anda dapat melapor tanpa akun; setelah laporan terkirim Anda menerima Nomor Registrasi dan Kode "
        "Akses rahasia untuk membuka laporan Anda kembali. Dengan akun (Umum, PNS, atau Pramubakti) Anda dapat "
        "melihat riwayat semua laporan Anda.",
    ),
    (
        "Pelanggaran apa saja yang dapat dilaporkan?",
        "Antara lain korupsi, gratifikasi, benturan kepentingan, pungutan liar/percaloan/suap, pelanggaran "
        "pengadaan barang dan jasa, pelanggaran disiplin dan kode etik ASN, pelecehan seksual, narkoba, "
        "maladministrasi, serta pelanggaran lainnya yang dilakukan pegawai.",
    ),
    (
        "Laporan seperti apa yang dapat ditindaklanjuti?",
        "Laporan yang memenuhi unsur 5W+1H: siapa yang terlibat, apa perbuatannya, di mana, kapan, dan "
        "bagaimana caranya, dilengkapi bukti permulaan.",
    ),
    (
        "Bukti apa yang dapat saya lampirkan?",
        "Data, dokumen, gambar, dan rekaman: berkas "
        + ", ".join(get_settings().allowed_extensions)
        + f", masing-masing paling besar {get_settings().max_file_mb} MB dan seluruhnya paling besar "
        f"{get_settings().max_report_mb} MB per laporan. Tambahkan keterangan singkat untuk setiap berkas.",
    ),
    (
        "Bagaimana cara memantau laporan saya?",
        "Masukkan Nomor Registrasi pada kolom Lacak Laporan di Beranda atau halaman Lacak Laporan untuk melihat "
        "status dan tanggal pembaruan terakhir. Isi laporan dan pesan dari verifikator hanya dapat dibuka oleh "
        "Anda: lewat akun Anda, atau dengan Nomor Registrasi dan Kode Akses.",
    ),
    (
        "Apa arti status laporan?",
        "Proses Verifikasi: laporan sedang diperiksa kelengkapannya. Proses Pemeriksaan: laporan ditindaklanjuti "
        "dengan pemeriksaan. Selesai: Terbukti / Selesai: Tidak Terbukti: hasil pemeriksaan. Tidak "
        "Ditindaklanjuti: laporan tidak memenuhi kriteria, dengan catatan verifikator.",
    ),
    (
        "Saya tidak menerima email aktivasi akun. Apa yang harus saya lakukan?",
        "Periksa folder spam, lalu minta tautan aktivasi baru di halaman Aktivasi Akun. Tautan berlaku 24 jam "
        "dan hanya dapat dipakai satu kali.",
    ),
]

# What belongs in WBS, and what goes to SP4N-LAPOR! instead (the manuals of Mojokerto and Bali point service
# complaints to LAPOR!; WBS is for violations by employees).
WBS_MATTERS = [
    "korupsi, pungutan liar, pemerasan dan suap",
    "gratifikasi: hadiah atau pemberian yang berhubungan dengan jabatan",
    "benturan kepentingan dalam keputusan atau pengadaan",
    "penyalahgunaan wewenang dan jabatan",
    "pelanggaran kode etik dan disiplin ASN",
    "pelanggaran dalam pengadaan barang dan jasa",
    "pelecehan seksual, narkoba dan tindak pidana lain oleh pegawai",
]
NOT_WBS_MATTERS = [
    "pelayanan yang lambat, berbelit atau tidak ramah",
    "keluhan perizinan, administrasi kependudukan, pajak daerah dan layanan sejenis",
    "jalan rusak, kebersihan, penerangan jalan dan fasilitas umum lainnya",
    "usul, saran dan permintaan informasi",
]
LAPOR_EXPLANATION = (
    "Keluhan atas pelayanan publik disampaikan melalui SP4N-LAPOR! (Sistem Pengelolaan Pengaduan Pelayanan "
    "Publik Nasional), yang meneruskannya ke unit pelayanan yang bertanggung jawab dan memantau tindak lanjutnya. "
    "Jika keluhan Anda menyangkut dugaan pelanggaran oleh pegawai (misalnya dimintai uang agar layanan dipercepat), "
    "laporkan melalui WBS."
)
