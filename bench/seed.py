"""Seeding many realistic reports fast: rows as the app stores them, inserted in bulk.

What `services/submission.submit_report` and `services/report_index.reindex` write for a visitor's report is
written here too, for every report: a data key of its own (wrapped by the master key), every sealed column sealed
with it (services/sealed: reporter identity when given, title, description, incident address; accused name,
position, institution), the Kode Akses and draft key as keyed digests, the accused's name digests
(services/conflicts.name_key), the keyed search tokens of title, description and accused names
(services/search_index), and the status timeline. Reports then move along the statuses as verifiers would: older
ones examined, assigned, acknowledged and closed, all within the last year (nothing the retention purge would
delete at once). Not written: evidence files and audit rows (the case list reads
neither). Text is Indonesian, made of a few hundred words so that common and rare words occur as in real reports.

The rows are made in worker processes (the AES-GCM sealing is the cost) and inserted by one connection with
executemany in large transactions; the indexes the migrations made stay in place.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import multiprocessing
import random
import sqlite3
import time
from pathlib import Path

from bench.server import note

BATCH = 5_000
SPAN_DAYS = 360  # one busy year: older closed reports would have been purged by retention
START = dt.datetime.now(dt.UTC) - dt.timedelta(days=SPAN_DAYS)

KINDS = ["pengadaan", "perjalanan dinas", "honorarium", "hibah", "bantuan sosial", "perizinan", "rekrutmen",
         "pemeliharaan gedung", "belanja modal", "retribusi", "dana desa", "tunjangan kinerja"]
ACTS = ["penggelembungan harga", "pungutan liar", "gratifikasi", "suap", "penyalahgunaan wewenang",
        "pemalsuan dokumen", "kegiatan fiktif", "benturan kepentingan", "pemerasan", "mark up anggaran"]
PLACES = ["Dinas Pendidikan", "Dinas Kesehatan", "Dinas Pekerjaan Umum", "Badan Keuangan Daerah", "Kecamatan Kota",
          "Kelurahan Sukamaju", "RSUD", "Dinas Perhubungan", "Satpol PP", "Dinas Sosial", "Sekretariat Daerah"]
FIRST = ["Budi", "Siti", "Agus", "Dewi", "Rudi", "Sri", "Hendra", "Wati", "Joko", "Rina", "Bambang", "Yuli", "Eko",
         "Lestari", "Hadi", "Nur", "Andi", "Ratna", "Dedi", "Fitri", "Slamet", "Ayu", "Teguh", "Indah", "Wahyu"]
LAST = ["Santoso", "Wijaya", "Hidayat", "Saputra", "Lestari", "Kusuma", "Pratama", "Nugroho", "Setiawan", "Rahayu",
        "Gunawan", "Susanto", "Hartono", "Purnomo", "Siregar", "Nasution", "Simanjuntak", "Harahap", "Wibowo"]
POSITIONS = ["Kepala Bidang", "Kepala Seksi", "Bendahara", "Pejabat Pembuat Komitmen", "Staf Pelaksana", "Lurah",
             "Camat", "Kepala Dinas", "Pejabat Pengadaan", "Operator"]
SENTENCES = [
    "Pada {bulan} lalu saya melihat {nama} selaku {jabatan} meminta sejumlah uang kepada rekanan {kind}.",
    "Nilai kontrak {kind} di {place} diduga dinaikkan dari harga pasar sekitar {persen} persen.",
    "Beberapa kwitansi {kind} ditandatangani tanpa barang atau jasa yang benar-benar diterima.",
    "Rekanan yang ditunjuk ternyata milik keluarga {nama} dan tidak melalui proses lelang yang wajar.",
    "Warga yang mengurus {kind} dimintai biaya tambahan tanpa tanda terima resmi.",
    "Dokumen pertanggungjawaban {kind} tahun {tahun} berbeda dengan kondisi di lapangan.",
    "Saya memiliki salinan percakapan dan foto yang menunjukkan {act} tersebut.",
    "Kejadian ini berulang setiap triwulan dan melibatkan lebih dari satu pegawai di {place}.",
    "Pegawai yang menolak ikut diancam dipindahkan ke unit lain oleh {jabatan}.",
    "Mohon laporan ini ditindaklanjuti karena merugikan keuangan daerah dan pelayanan publik.",
]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _text(rng: random.Random) -> tuple[str, str, str, list[tuple[str, str, str]]]:
    """Title, description, incident address and accused (name, position, institution) of one report."""
    kind, act, place = rng.choice(KINDS), rng.choice(ACTS), rng.choice(PLACES)
    accused = [(_person(rng), rng.choice(POSITIONS), place) for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))]
    values = {"bulan": rng.choice(MONTHS), "nama": accused[0][0], "jabatan": accused[0][1], "kind": kind,
              "place": place, "persen": rng.randint(10, 300), "tahun": rng.randint(2019, 2026), "act": act}
    description = " ".join(s.format(**values) for s in rng.sample(SENTENCES, rng.randint(3, 6)))
    title = f"Dugaan {act} pada {kind} di {place}"
    address = f"Jl. {rng.choice(LAST)} No. {rng.randint(1, 300)}, {place}"
    return title, description, address, accused


class Keys:
    """What the rows are sealed and digested with: read from the app once, handed to each worker."""

    def __init__(self, *, master: bytes, search: bytes, names: bytes, access: bytes, server: bytes):
        self.master, self.search, self.names, self.access, self.server = master, search, names, access, server


def app_keys(db) -> Keys:
    """The keys, read (and made, the first time) through the app's session `db`."""
    from wbs_app.security import server_key
    from wbs_app.services import codes, conflicts, keys, search_index, vault

    found = Keys(
        master=keys.master_key(), search=vault.system_key(session=db, name=search_index.KEY_NAME),
        names=vault.system_key(session=db, name=conflicts.KEY_NAME),
        access=vault.system_key(session=db, name=codes.ACCESS_CODE_KEY), server=server_key(),
    )
    db.commit()
    return found


def make_batch(args: tuple) -> tuple[list, list, list, list]:
    """Rows of reports [first, first + count): (report, accused, search_token, status_change) tuples, report ids
    given here (the table is filled in id order)."""
    first, count, seed, app, lookups, total = args
    from wbs_app.services import conflicts, keys, search_index

    rng = random.Random(seed)
    type_ids, unit_ids, regencies, staff_ids = lookups
    seal, wrap = keys.seal, keys.wrap_key
    tokens: dict[str, int] = {}
    name_keys: dict[str, str] = {}
    reports, accused_rows, token_rows, changes = [], [], [], []
    channels = ["Pelanggaran (WBS)"] * 6 + ["Gratifikasi"] * 3 + ["Benturan Kepentingan"]
    for report_id in range(first, first + count):
        data_key = keys.new_data_key()
        title, description, address, accused = _text(rng)
        created = START + dt.timedelta(days=SPAN_DAYS * (report_id - 1 + rng.random()) / total)  # ids follow time
        age_days = (dt.datetime.now(dt.UTC) - created).total_seconds() / 86400
        status, timeline = _life(rng, age_days)
        moments = [created + dt.timedelta(days=sum(days for _, days in timeline[: i + 1]))
                   for i in range(len(timeline))]
        acknowledged = moments[1] if len(moments) > 1 else None
        closed = moments[-1] if status in CLOSED else None
        updated = moments[-1]
        named = rng.random() < 0.6  # a named reporter, else anonymous (no identity at all)
        reporter = [_person(rng), f"pelapor{report_id}@mail.id", f"+62812{rng.randint(10**7, 10**8 - 1)}",
                    f"Jl. {rng.choice(LAST)} {rng.randint(1, 99)}"] if named else ["", "", "", ""]
        reporter[1] = reporter[1] if named and rng.random() < 0.5 else ""
        province, regency_code, regency_name, province_name = rng.choice(regencies)
        sealed = [seal(data_key, value, aad=f"report.{column}") if value else ""
                  for column, value in zip(("reporter_name", "reporter_email", "reporter_phone", "reporter_address"),
                                           reporter, strict=True)]
        number = "WBS-" + "".join(rng.choice(ALPHABET) for _ in range(10))
        code = "-".join("".join(rng.choice(ALPHABET) for _ in range(5)) for _ in range(4))
        reports.append((
            report_id, number, "h1$" + hmac.new(app.access, code.encode(), hashlib.sha256).hexdigest(),
            rng.choice(channels), hmac.new(app.server, rng.randbytes(32).hex().encode(), hashlib.sha256).hexdigest(),
            wrap(data_key, master=app.master), *sealed, seal(data_key, title, aad="report.title"),
            seal(data_key, description, aad="report.description"), rng.choice(type_ids), rng.choice(unit_ids),
            seal(data_key, address, aad="report.incident_address"), province, province_name, regency_code,
            regency_name, _iso(created - dt.timedelta(days=rng.randint(1, 60))), status,
            rng.choice(staff_ids) if status != "Proses Verifikasi" or rng.random() < 0.3 else None,
            _iso(acknowledged), _iso(closed), _iso(created), _iso(updated),
        ))
        for order, (name, position, institution) in enumerate(accused):
            if name not in name_keys:
                name_keys[name] = hmac.new(app.names, conflicts.normalized_name(name).encode(),
                                           hashlib.sha256).hexdigest()
            accused_rows.append((report_id, order, seal(data_key, name, aad="report_accused.name"), name_keys[name],
                                 seal(data_key, position, aad="report_accused.position"),
                                 seal(data_key, institution, aad="report_accused.institution")))
        words = search_index.words(" ".join([title, description, *(person[0] for person in accused)]))
        for word in words:
            if word not in tokens:
                tokens[word] = search_index.token(app.search, word)
            token_rows.append((tokens[word], report_id))
        changes += [(report_id, step, _iso(at)) for (step, _), at in zip(timeline, moments, strict=True)]
    return reports, accused_rows, token_rows, changes


CLOSED = ("Selesai: Terbukti", "Selesai: Tidak Terbukti", "Tidak Ditindaklanjuti")


def _life(rng: random.Random, age_days: float) -> tuple[str, list[tuple[str, int]]]:
    """The status a report of this age has reached, and its timeline (status, days after the previous one); every
    step lies in the past. Nothing is closed longer ago than the retention term (services/retention, 365 days by
    default), which the app would have purged: the seeded reports are all within the last year."""
    timeline = [("Proses Verifikasi", 0)]
    first = rng.randint(2, 14)
    if first > age_days or rng.random() < 0.1:
        return "Proses Verifikasi", timeline
    if rng.random() < 0.15:
        return "Tidak Ditindaklanjuti", [*timeline, ("Tidak Ditindaklanjuti", first)]
    timeline.append(("Proses Pemeriksaan", first))
    last = rng.randint(20, 100)
    if first + last > age_days or rng.random() < 0.2:
        return "Proses Pemeriksaan", timeline
    final = rng.choice(["Selesai: Terbukti", "Selesai: Tidak Terbukti"])
    return final, [*timeline, (final, last)]


def _iso(value: dt.datetime | None) -> str | None:
    """As SQLAlchemy stores a DateTime in SQLite."""
    return None if value is None else value.strftime("%Y-%m-%d %H:%M:%S.%f")


REPORT_COLUMNS = (
    "id, registration_number, access_code_hash, channel, draft_key_hash, data_key, reporter_name, reporter_email, "
    "reporter_phone, reporter_address, title, description, violation_type_id, unit_id, incident_address, "
    "province_code, province_name, regency_code, regency_name, incident_at, status, assigned_to_id, "
    "acknowledged_at, closed_at, created_at, updated_at, hide_identity, legal_hold"
)


def _lookups(connection: sqlite3.Connection) -> tuple:
    from wbs_app.services import reference

    type_ids = [row[0] for row in connection.execute("SELECT id FROM violation_type WHERE is_active")]
    unit_ids = [row[0] for row in connection.execute("SELECT id FROM unit WHERE is_active")]
    staff = [row[0] for row in connection.execute("SELECT id FROM user_account WHERE role != 'reporter'")]
    provinces = dict(reference.provinces())
    regencies = [(p, code, name, provinces[p]) for p in list(provinces)[:12] for code, name in reference.regencies(p)]
    return type_ids, unit_ids, regencies, staff


def seed(database: Path, reports: int, *, session=None, workers: int | None = None) -> float:
    """Add reports until the database holds `reports` of them; returns the seconds it took. `session`: the app's
    session on that database (default: the configured one); `workers`: processes making rows (1: this one)."""
    began = time.monotonic()
    connection = sqlite3.connect(database, isolation_level=None)
    have = connection.execute("SELECT count(*), coalesce(max(id), 0) FROM report").fetchone()
    if have[0] >= reports:
        return 0.0
    if session is None:
        from wbs_app.db import open_session

        with open_session() as db:
            app = app_keys(db)
    else:
        app = app_keys(session)
    lookups = _lookups(connection)
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA cache_size=-400000")
    numbers = {row[0] for row in connection.execute("SELECT registration_number FROM report")}
    jobs = [(first, min(BATCH, have[1] + reports - have[0] + 1 - first), first, app, lookups, reports)
            for first in range(have[1] + 1, have[1] + 1 + reports - have[0], BATCH)]
    done = have[0]
    pool = None if workers == 1 else multiprocessing.get_context("fork").Pool(workers or multiprocessing.cpu_count())
    with pool or contextlib.nullcontext():
        for report_rows, accused, tokens, changes in (pool.imap if pool else map)(make_batch, jobs):
            report_rows = [row for row in report_rows if row[1] not in numbers]  # 50 random bits: rare, skipped
            numbers.update(row[1] for row in report_rows)
            kept = {row[0] for row in report_rows}
            connection.execute("BEGIN")
            connection.executemany(
                f"INSERT INTO report ({REPORT_COLUMNS}) VALUES ({', '.join('?' * 26)}, 0, 0)", report_rows)
            connection.executemany(
                "INSERT INTO report_accused (report_id, position_in_list, name, name_key, position, institution, "
                "rank, city, classification) VALUES (?, ?, ?, ?, ?, ?, '', '', 'ASN')",
                [row for row in accused if row[0] in kept])
            connection.executemany("INSERT INTO search_token (token, report_id) VALUES (?, ?)",
                                   [row for row in tokens if row[1] in kept])
            connection.executemany(
                "INSERT INTO report_status_change (report_id, status, public_note, internal_note, created_at) "
                "VALUES (?, ?, '', '', ?)", [row for row in changes if row[0] in kept])
            connection.execute("COMMIT")
            done += len(report_rows)
            if done // 50_000 != (done - len(report_rows)) // 50_000:
                note(f"  seeded {done:,} reports ({time.monotonic() - began:.0f} s)")
    connection.execute("ANALYZE")
    connection.close()
    return time.monotonic() - began
