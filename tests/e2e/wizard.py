"""The report wizard driven as a reporter drives it: open a channel, fill each step, attach files, send."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlmodel import func, select

from tests.e2e.conftest import app_db, expect_path, open_page
from tests.unit import sample_evidence
from wbs_app.models import Report

# Real files (they are parsed in full and cleaned of metadata on upload), with metadata to remove.
PNG = sample_evidence.png_with_text()
PDF = sample_evidence.pdf_document()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
DESCRIPTION = (
    "Kepala bidang meminta uang pelicin sebesar lima juta rupiah kepada rekanan pengadaan server "
    "di kantor dinas pada bulan November, disaksikan dua staf."
)


def report_count() -> int:
    with app_db() as db:
        return db.exec(select(func.count()).select_from(Report)).one()


def evidence_files() -> set[str]:
    from wbs_app.settings import get_settings

    folder = get_settings().evidence_dir
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def files(tmp_path, *specs: tuple[str, bytes]) -> list[str]:
    paths = []
    for name, data in specs:
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def start_wizard(page, channel_label: str = "Lapor Pelanggaran (WBS)") -> None:
    open_page(page, "/lapor")
    page.get_by_role("link", name=channel_label).click()
    expect_path(page, "/lapor/", prefix=True)
    page.wait_for_selector('main[data-ready="true"]')
    expect(page.get_by_role("heading", name="Form Pelaporan")).to_be_visible()


def next_step(page) -> None:
    page.get_by_role("button", name="Selanjutnya").click()


def fill_anonymous_reporter(page) -> None:
    page.get_by_role("textbox", name="Nama").fill("Robert")
    page.get_by_label("Cantumkan Email").click()
    page.get_by_role("textbox", name="Email").fill("robert@mail.co.id")
    next_step(page)


def fill_details(page) -> None:
    expect(page.get_by_role("heading", name="Detail Kejadian")).to_be_visible()
    page.get_by_label("Judul").fill("Pungutan pada pengadaan server")
    page.get_by_label("Jenis Pelanggaran").select_option(label="Korupsi")
    rows = page.locator(".accused-row")
    rows.nth(0).get_by_label("Nama Terlapor").fill("Tensu")
    rows.nth(0).get_by_label("Jabatan").fill("Kepala Bidang")
    page.get_by_role("button", name="Tambah Terlapor").click()
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_label("Nama Terlapor").fill("Dihapus Nanti")
    page.get_by_role("button", name="Tambah Terlapor").click()
    expect(rows).to_have_count(3)
    rows.nth(2).get_by_label("Nama Terlapor").fill("Bambang")
    rows.nth(2).get_by_label("Klasifikasi").select_option("Pihak Ketiga/Swasta")
    rows.nth(1).get_by_role("button", name="Hapus").click()
    expect(rows).to_have_count(2)
    # The rows that stay keep what was typed in them.
    expect(rows.nth(0).get_by_label("Nama Terlapor")).to_have_value("Tensu")
    expect(rows.nth(1).get_by_label("Nama Terlapor")).to_have_value("Bambang")
    page.get_by_label("Unit Kejadian").select_option(label="Dinas Komunikasi, Informatika, dan Statistik")
    page.get_by_label("Deskripsi Pelanggaran").fill(DESCRIPTION)
    next_step(page)


def fill_location(page, tmp_path) -> None:
    expect(page.get_by_role("heading", name="Lokasi & Waktu Kejadian")).to_be_visible()
    page.get_by_role("textbox", name="Alamat").fill("Kantor Dinas, Jl. Udayana 1")
    page.get_by_label("Provinsi").select_option(label="Bali")
    regency = page.get_by_label("Kabupaten/Kota")
    expect(regency.locator("option", has_text="Kabupaten Jembrana")).to_have_count(1)
    regency.select_option(label="Kabupaten Jembrana")
    page.get_by_label("Perkiraan Waktu Kejadian").fill("2024-11-11T12:00")
    upload(page, files(tmp_path, ("kuitansi.png", PNG), ("kontrak.pdf", PDF)))
    items = page.locator(".evidence-item")
    expect(items).to_have_count(2)
    # The reporter is told what was taken out of each file before sending it.
    expect(items.filter(has_text="kontrak.pdf").locator(".cleaned-note")).to_contain_text("nama penulis")
    items.nth(0).get_by_label("Keterangan").fill("Foto kuitansi")
    items.nth(1).get_by_label("Keterangan").fill("Salinan kontrak")
    next_step(page)


def upload(page, paths: list[str]) -> None:
    page.locator(".upload-box input[type=file]").first.set_input_files(paths)


def submit(page) -> None:
    page.get_by_label(re.compile("benar sepanjang pengetahuan saya")).check()
    page.get_by_role("button", name="Kirim Laporan").click()
