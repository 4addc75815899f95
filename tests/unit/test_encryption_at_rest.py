"""Encryption at rest: after a whole case — a reporter with an account and identity, a visitor's report, accused,
descriptions, messages both ways, notes, an identity reveal, evidence files — no value typed and no evidence byte
is found in the database, its WAL or any file of the data folder (the way `strings` would find them); one flipped
byte gives an integrity error, never altered data; search, the case page, export and statistics still work."""

from __future__ import annotations

import asyncio
import concurrent.futures
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlmodel import select

from tests.unit import sample_evidence
from tests.unit.builders import Chunk, chunk_stream
from tests.unit.second_factor import enrol, next_code
from wbs_app import messages
from wbs_app.models import Evidence, Report, ReportStatus, Role, ViolationType
from wbs_app.services import (
    audit,
    case_list,
    cases,
    deadlines,
    downloads,
    evidence,
    export,
    filecrypt,
    keys,
    reference,
    reports,
    sealed,
    statistics,
    submission,
    users,
    vault,
)
from wbs_app.settings import get_settings
from wbs_app.state.report_detail import Viewer, report_detail
from wbs_app.state.uploads import receive_files

# Everything a person typed, each distinctive enough that finding it anywhere means it was stored in clear.
IDENTITY = {
    "full_name": "Sukarmin Wibisono",
    "email": "sukarmin.rahasia@mail.co.id",
    "identity_number": "3201011501900077",
    "phone": "0812-7777-3344",
    "address": "Jalan Kenanga Tersembunyi 17",
    "birth_place": "Purwakarta",
}
VISITOR = {"reporter_name": "Dewi Anggraini", "reporter_email": "dewi.anggraini@mail.co.id",
           "reporter_phone": "0813-5555-6622", "reporter_address": "Gang Melati Buntu 4"}  # fmt: skip
CONTENT = {
    "title": "Gratifikasi pengadaan ambulans",
    "description": "Kepala bidang meminta transfer Rp 475.000.000 ke rekening pribadi sebelum kontrak ambulans.",
    "accused": "Bambang Sudarsono",
    "accused_position": "Kepala Bidang Sarpras",
    "accused_institution": "Dinas Kesehatan Kota",
    "incident_address": "Ruang rapat lantai tiga",
    "evidence_note": "foto kuitansi asli",
    "file_name": "rekaman-bambang.png",
    "message": "Saya menyimpan rekaman percakapan tanggal 3 Maret",
    "reply": "Mohon kirim salinan rekamannya",
    "public_note": "Laporan sedang diperiksa tim audit",
    "internal_note": "Saksi kunci: bendahara Ratna",
    "reason": "Permintaan penyidik Kejaksaan Negeri",
}


def upload(db, files: dict[str, bytes]) -> list[submission.EvidenceInput]:
    """Files through the real upload path: streamed in encrypted, checked and cleaned in memory."""
    folder = evidence.new_draft_folder()
    stream = [Chunk(name, 0, data) for name, data in files.items()]
    space = evidence.ClientDraftSpace("10.0.0.5", folder)
    drafts_key = vault.system_key(session=db, name=evidence.DRAFT_KEY_NAME)
    coroutine = receive_files(
        chunk_stream(stream), folder=folder, already_bytes=0, already_files=0, space=space, drafts_key=drafts_key
    )
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        accepted, refused = pool.submit(asyncio.run, coroutine).result()
    assert refused == []
    return [
        submission.EvidenceInput(
            file_id=item.file_id, name=item.name, kind=item.kind, size=item.size, sha256=item.sha256,
            temp_path=str(item.temp_path), description=CONTENT["evidence_note"],
        )  # fmt: skip
        for item in accepted
    ]


def fields(db, **overrides) -> submission.ReportFields:
    values = {
        "title": CONTENT["title"],
        "violation_type_id": str(db.exec(select(ViolationType.id)).first()),
        "unit_id": str(reference.active_units(session=db)[0].id),
        "description": CONTENT["description"],
        "accused": [
            submission.AccusedInput(
                uid="a", name=CONTENT["accused"], position=CONTENT["accused_position"],
                institution=CONTENT["accused_institution"],
            )  # fmt: skip
        ],
        "incident_address": CONTENT["incident_address"],
        "province_code": "32",
        "regency_code": reference.regencies("32")[0][0],
        "incident_at": "2026-03-03T10:00",
    }
    return submission.ReportFields(**{**values, **overrides})


@pytest.fixture
def case(db, data_dir):
    """The whole case, as users make it through the services."""
    registration = users.Registration(
        username="sukarmin", password="Rahasia-2026-aman", password_confirmation="Rahasia-2026-aman",
        birth_date="1990-01-15", accept_terms=True, **IDENTITY,
    )  # fmt: skip
    reporter, token = users.register_user(session=db, data=registration)
    users.activate_account(session=db, token=token)
    verifier = users.create_staff_user(
        session=db, username="siti", email="siti@inspektorat.go.id", full_name="Siti Aminah",
        role=Role.VERIFIER, password="Rahasia-2026-aman",
    )  # fmt: skip
    enrol(db, verifier)
    files = upload(db, {CONTENT["file_name"]: sample_evidence.png_with_text(), "kontrak.pdf": sample_evidence.pdf_document()})
    draft = submission.ReportDraft(fields=fields(db), evidence=files)
    number = submission.submit_report(session=db, draft=draft, user=reporter).registration_number
    report = reports.find_report(session=db, registration_number=number)
    reports.post_reporter_message(
        session=db, report=report, user_id=reporter.id, granted=set(), body=CONTENT["message"],
        attachments=upload(db, {"lampiran.png": sample_evidence.png_with_text()}),
    )  # fmt: skip
    cases.post_staff_message(session=db, report=report, actor=verifier, body=CONTENT["reply"], attachments=[])
    cases.change_status(
        session=db, report=report, actor=verifier, new_status=ReportStatus.EXAMINATION.value,
        public_note=CONTENT["public_note"], internal_note=CONTENT["internal_note"],
    )  # fmt: skip
    identity = cases.reveal_identity(
        session=db, report=report, actor=verifier, reason=CONTENT["reason"], second_factor_code=next_code(db, verifier)
    )
    assert identity.name == IDENTITY["full_name"] and identity.phone == IDENTITY["phone"]
    visitor = submission.submit_report(
        session=db, draft=submission.ReportDraft(fields=fields(db, include_email=True, **VISITOR)), user=None
    )
    evidence_rows = db.exec(select(Evidence).where(Evidence.report_id == report.id)).all()
    stored = [downloads.stored_file(session=db, record=row) for row in evidence_rows]
    contents = [filecrypt.read_file(f.path, key=f.key, file_id=f.file_id) for f in stored]
    return {"report": report, "visitor": visitor.registration_number, "verifier": verifier, "contents": contents}


def files_to_search(db) -> list[Path]:
    """The database, its WAL (and shared memory) and every file under the data folder."""
    database = Path(db.get_bind().url.database)
    found = [path for path in database.parent.glob(database.name + "*") if path.is_file()]
    return found + [path for path in get_settings().data_dir.rglob("*") if path.is_file()]


def test_no_typed_value_and_no_evidence_byte_is_stored_in_clear(db, case):
    searched = files_to_search(db)
    assert any(path.name.endswith("-wal") for path in searched)  # the WAL is searched too, not only the main file
    assert sum(1 for path in searched if path.parent.name == "evidence") == 3
    secrets = [*IDENTITY.values(), *VISITOR.values(), *CONTENT.values(), "1990-01-15"]
    raw = {path: path.read_bytes() for path in searched}
    for value in secrets:
        leaks = [str(path) for path, data in raw.items() if value.encode() in data or value.lower().encode() in data]
        assert leaks == [], f"{value!r} stored in clear in {leaks}"
    # Every 64-byte stretch of each stored evidence file (as decrypted) is absent from every file on disk.
    for content in case["contents"]:
        for start in range(0, len(content) - 64, 997):
            window = content[start : start + 64]
            assert not any(window in data for data in raw.values()), "evidence bytes stored in clear"
    if shutil.which("strings"):  # and as `strings` sees the files, whatever their encoding
        printed = subprocess.run(
            ["strings", "-a", "-n", "6", *map(str, searched)], capture_output=True, check=True, text=True
        ).stdout.lower()
        assert not [value for value in secrets if value.lower() in printed]


def test_everything_still_reads_in_clear_through_the_services(db, case):
    report, verifier = case["report"], case["verifier"]
    config = deadlines.DeadlineConfig()
    for term in ("ambulans", "REKENING pribadi", "Sudarsono", report.registration_number[:7]):
        rows, total = case_list.list_cases(
            session=db, filters=case_list.CaseFilters(search=term), user=verifier, config=config
        )
        assert report.registration_number in [row.registration_number for row in rows], term
    assert case_list.list_cases(session=db, filters=case_list.CaseFilters(search="ambul"), user=verifier,
                                config=config)[1] == 0  # whole words, as typed  # fmt: skip
    detail = report_detail(session=db, report=report, viewer=Viewer.verifier(session_token="x"))
    assert CONTENT["title"] in [row.value for row in detail.fields] and detail.description == CONTENT["description"]
    assert [person.name for person in detail.accused] == [CONTENT["accused"]]
    assert [entry.body for entry in detail.thread] == [CONTENT["message"], CONTENT["reply"]]
    assert detail.timeline[-1].internal_note == CONTENT["internal_note"]
    assert {row.name for row in detail.files} == {CONTENT["file_name"], "kontrak.pdf"}
    name = export.export_cases(
        session=db, filters=case_list.CaseFilters(search="ambulans"), user=verifier, config=config
    )
    assert CONTENT["accused"] in b"".join(export.read_export(session=db, name=name)).decode("utf-8-sig")
    assert statistics.compute(session=db).total == 2


def test_a_flipped_byte_in_a_sealed_field_shows_a_notice_never_altered_text(db, case):
    report = case["report"]
    stored = report.description
    for attempt, position in enumerate((len(keys.SEALED_PREFIX), len(stored) // 2, len(stored) - 1), start=1):
        report.description = stored[:position] + ("A" if stored[position] != "A" else "B") + stored[position + 1 :]
        db.add(report)
        db.commit()
        with pytest.raises(keys.IntegrityError):
            sealed.open_row(session=db, row=report)
        detail = report_detail(session=db, report=report, viewer=Viewer.verifier(session_token="x"))
        assert detail.purged == messages.REPORT_DAMAGED
        assert detail.description == "" and detail.accused == [] and detail.thread == [] and detail.files == []
        damage = [
            row for row in audit.report_history(session=db, report_id=report.id) if row.action == audit.ACTIONS["integritas"]
        ]
        assert len(damage) == attempt and "tidak dapat dibuka" in damage[-1].detail


def test_a_sealed_value_moved_to_another_report_does_not_open_there(db, case):
    report = case["report"]
    other = reports.find_report(session=db, registration_number=case["visitor"])
    other.title = report.title  # ciphertext copied as is: it is bound to its own report's key
    db.add(other)
    db.commit()
    with pytest.raises(keys.IntegrityError):
        sealed.open_row(session=db, row=other)


def test_a_copy_of_the_database_without_the_master_key_opens_nothing(db, case, tmp_path):
    """The master key lives in its own file (0600), never in the database: a copy of the database alone, opened with
    any other key, gives an integrity error for every data key."""
    master_file = get_settings().master_key_file
    assert master_file.stat().st_mode & 0o777 == 0o600
    database = Path(db.get_bind().url.database).read_bytes()
    assert master_file.read_text().strip().encode() not in database
    other_master = keys.create_master_key(tmp_path / "lain.key")
    wrapped = [row for row in db.exec(select(Report.data_key))]
    assert len(wrapped) == 2
    for key in wrapped:
        with pytest.raises(keys.IntegrityError):
            keys.unwrap_key(key, other_master)
