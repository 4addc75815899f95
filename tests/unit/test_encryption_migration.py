"""Revision 0013 seals a database written by an earlier version in place: every row in batches that are each
committed, every evidence file encrypted beside itself; interrupted, the next migration run continues."""

from __future__ import annotations

import hashlib
import os

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import Session, select

from tests.conftest import run_alembic
from wbs_app.models import Evidence, Report, ReportAccused, ReportConflict, SecondFactor, User
from wbs_app.services import (
    audit_chain,
    case_list,
    conflicts,
    deadlines,
    downloads,
    filecrypt,
    keys,
    sealed,
    two_factor,
    users,
)
from wbs_app.settings import get_settings
from wbs_app.upgrades import seal_existing

BEFORE_ENCRYPTION = "0011sessiondevices"
REPORTS = 450  # more than two batches
FILE_EVERY = 50


def old_installation(connection) -> None:
    """What an earlier version stored: everything in clear, evidence files byte for byte."""
    run = connection.exec_driver_sql
    run("insert into unit (id, name, is_active) values (1, 'Dinas Pekerjaan Umum', 1)")
    run("insert into violation_type (id, name, sort_order, is_active) values (1, 'Korupsi', 0, 1)")
    run(
        "insert into user_account (id, username, username_key, email, email_key, password_hash, role, account_type,"
        " identity_number, nip, position, full_name, phone, address, birth_place, birth_date, institution, city,"
        " other_phone, is_active, must_change_password, created_at, unit_id) values"
        " (1, 'warga', 'warga', 'Warga.Lama@mail.co.id', 'warga.lama@mail.co.id', 'x', 'reporter', 'Umum',"
        "  '3201011501900099', '', '', 'Warga Lama Sekali', '0812-9999-0000', 'Jl. Lama 9', 'Bogor', '1980-02-03',"
        "  '', 'Bogor', '', 1, 0, '2025-01-01', null),"
        " (2, 'hadi', 'hadi', 'hadi@inspektorat.go.id', 'hadi@inspektorat.go.id', 'x', 'verifier', 'Umum', '', '', '',"
        "  'Hadi Purnomo', '', '', '', null, '', '', '', 1, 0, '2025-01-01', 1)"
    )
    run("insert into second_factor (id, user_id, secret, created_at, enabled_at) values"
        " (1, 2, 'JBSWY3DPEHPK3PXP', '2025-01-01', '2025-01-01')")  # fmt: skip
    folder = get_settings().evidence_dir
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, REPORTS + 1):
        accused = "Hadi Purnomo" if n % 100 == 0 else f"Pejabat Nomor {n}"
        run(
            "insert into report (id, registration_number, channel, title, description, violation_type_id, unit_id,"
            " reporter_id, status, created_at, updated_at, hide_identity, reporter_name, reporter_email, reporter_phone,"
            " reporter_address, incident_address, province_code, province_name, regency_code, regency_name)"
            f" values ({n}, 'WBS-{n:010d}', 'Pelanggaran (WBS)', 'Pungli jembatan {n}',"
            f" 'Uraian lama tentang proyek jembatan nomor {n} yang dimark-up', 1, 1, {1 if n == 1 else 'null'},"
            " 'Proses Verifikasi', '2025-02-01', '2025-02-01', 0, 'Pelapor Lama', 'pelapor.lama@mail.co.id',"
            " '0813-1111-2222', 'Jl. Pelapor 1', 'Lokasi proyek', '32', 'Jawa Barat', '3201', 'Bogor')"
        )
        run(f"insert into report_accused (report_id, position_in_list, name, position, rank, institution, city,"
            f" classification) values ({n}, 0, '{accused}', 'PPK', '', 'Dinas Pekerjaan Umum', 'Bogor', 'ASN')")  # fmt: skip
        run(f"insert into report_message (report_id, from_reporter, body, created_at) values ({n}, 1,"
            f" 'Pesan lama rahasia {n}', '2025-02-02')")  # fmt: skip
        run(f"insert into report_status_change (report_id, status, public_note, internal_note, created_at) values"
            f" ({n}, 'Proses Verifikasi', 'Diterima', 'Catatan internal lama {n}', '2025-02-01')")  # fmt: skip
        run(f"insert into audit_log (created_at, action, report_id, detail, client_ip) values"
            f" ('2025-02-02', 'pesan_pelapor', {n}, 'Pesan lama rahasia {n}', '')")  # fmt: skip
        if n % FILE_EVERY == 0:
            content = f"ISI BUKTI LAMA {n} ".encode() * 5000  # about 100 KB: more than one chunk
            name = hashlib.md5(str(n).encode()).hexdigest()  # noqa: S324 - a file name only
            (folder / name).write_bytes(content)
            run(
                "insert into evidence (report_id, stored_name, original_name, description, kind, size, sha256,"
                f" created_at) values ({n}, '{name}', 'bukti-lama-{n}.png', 'catatan bukti', 'png', {len(content)},"
                f" '{hashlib.sha256(content).hexdigest()}', '2025-02-01')"
            )


@pytest.fixture
def old_database(tmp_path, monkeypatch):
    monkeypatch.setenv("WBS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'lama.db'}")
    run_alembic(engine, command.upgrade, BEFORE_ENCRYPTION)
    with engine.begin() as connection:
        old_installation(connection)
    yield engine, tmp_path / "lama.db"
    engine.dispose()
    monkeypatch.undo()
    get_settings.cache_clear()


def test_an_interrupted_sealing_continues_and_leaves_nothing_in_clear(old_database, monkeypatch):
    engine, path = old_database
    batches = {"n": 0}
    finish_batch = seal_existing._Run.done_up_to

    def interrupted(self, step, last_id):
        finish_batch(self, step, last_id)
        if step == "reports":
            batches["n"] += 1
            if batches["n"] == 2:
                raise RuntimeError("listrik padam")

    monkeypatch.setattr(seal_existing._Run, "done_up_to", interrupted)
    with pytest.raises(RuntimeError, match="listrik padam"):
        run_alembic(engine, command.upgrade, "head")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("select version_num from alembic_version").scalar() == "0012encryption"
        done = connection.exec_driver_sql("select value from app_setting where key = 'upgrade:0013:reports'").scalar()
        assert int(done) == 2 * seal_existing.BATCH  # two batches kept
        sealed_titles = connection.exec_driver_sql("select count(*) from report where title like 'e1.%'").scalar()
        assert sealed_titles == 2 * seal_existing.BATCH
    monkeypatch.undo()
    get_settings.cache_clear()
    monkeypatch.setenv("WBS_DATA_DIR", str(path.parent / "data"))

    run_alembic(engine, command.upgrade, "head")
    data = path.read_bytes() + (
        path.with_name(path.name + "-wal").read_bytes() if path.with_name(path.name + "-wal").exists() else b""
    )
    for plain in (b"Pungli jembatan", b"Pesan lama rahasia", b"Catatan internal lama", b"Pelapor Lama", b"pelapor.lama",
                  b"3201011501900099", b"Warga Lama", b"Jl. Lama", b"Pejabat Nomor", b"JBSWY3DPEHPK3PXP",
                  b"warga.lama@"):  # fmt: skip
        assert plain not in data, plain
    with Session(engine) as db:
        assert db.exec(select(Report).where(~Report.title.startswith("e1."))).all() == []
        assert {r.registration_number: sealed.open_row(session=db, row=r).title for r in db.exec(select(Report))}[
            "WBS-0000000300"
        ] == "Pungli jembatan 300"
        for record in db.exec(select(Evidence)):
            stored = downloads.stored_file(session=db, record=record)
            assert (
                filecrypt.is_encrypted(stored.path)
                and not stored.path.with_name(stored.path.name + ".sealing").exists()
            )
            content = filecrypt.read_file(stored.path, key=stored.key, file_id=stored.file_id)
            assert (
                hashlib.sha256(content).hexdigest() == record.sha256
                and b"ISI BUKTI LAMA" not in stored.path.read_bytes()
            )
            assert stored.name.startswith("bukti-lama-")
        assert len(db.exec(select(Evidence)).all()) == REPORTS // FILE_EVERY
        # Search, lookups and conflicts work from what was derived while sealing.
        verifier = db.get(User, 2)
        found, total = case_list.list_cases(
            session=db,
            filters=case_list.CaseFilters(search="jembatan 123"),
            user=verifier,
            config=deadlines.DeadlineConfig(),
        )
        assert total == 1 and found[0].registration_number == "WBS-0000000123"
        accusing = set(db.exec(select(ReportConflict.report_id).where(ReportConflict.user_id == 2)))
        assert accusing == {100, 200, 300, 400}  # Hadi, of Dinas Pekerjaan Umum, is named in these
        assert verifier.name_key == conflicts.name_key(session=db, name="Hadi Purnomo")
        assert users.find_by_identifier(session=db, identifier="WARGA.LAMA@mail.co.id").id == 1
        assert users.opened(session=db, user=db.get(User, 1)).birth_date == "1980-02-03"
        factor = db.exec(select(SecondFactor)).one()
        assert factor.secret.startswith("e1.") and two_factor.is_enabled(session=db, user_id=2)
        assert sealed.open_row(session=db, row=factor).secret == "JBSWY3DPEHPK3PXP"
        assert all(row.name_key for row in db.exec(select(ReportAccused)))
        assert audit_chain.verify(session=db).intact  # 0014 chained the sealed details
        assert db.exec(sa.text("select count(*) from app_setting where key like 'upgrade:%'")).scalar() == 0
    assert keys.key_id(keys.master_key())
    assert os.stat(get_settings().master_key_file).st_mode & 0o777 == 0o600
