"""Shared steps of the browser tests: accounts."""

from __future__ import annotations

import itertools
import re

from playwright.sync_api import expect
from sqlmodel import func, select

from tests.e2e.conftest import activation_link, app_db, open_page
from wbs_app import messages

PASSWORD = "Rahasia-2026-aman"
_serial = itertools.count(1)


# Valid NIKs (region 32.01, born 15-01-1990) differing in the serial number.
def valid_nik(n: int) -> str:
    return f"320101150190{n:04d}"


def new_person(account_type: str = "Umum") -> dict[str, str]:
    n = next(_serial)
    return {
        "account_type": account_type,
        "username": f"pelapor{n}x",
        "email": f"pelapor{n}@mail.co.id",
        "password": PASSWORD,
        "password_confirmation": PASSWORD,
        "identity_number": valid_nik(n),
        "nip": "198501152010011001",
        "unit": "Dinas Kesehatan",
        "rank": "Penata Muda (III/a)",
        "position": "Analis Kebijakan",
        "full_name": f"Pelapor Uji {n}",
        "phone": "081234567890",
        "address": "Jl. Merdeka No. 1, Bontang",
        "accept_terms": "yes",
    }


def fill_registration(page, person: dict[str, str]) -> None:
    page.get_by_label(person["account_type"], exact=True).check()
    page.get_by_label("Username").fill(person["username"])
    page.get_by_label("Email").fill(person["email"])
    page.get_by_label("Password", exact=True).fill(person["password"])
    page.get_by_label("Konfirmasi Password").fill(person["password_confirmation"])
    page.get_by_label("Nomor Identitas (KTP/SIM)").fill(person["identity_number"])
    if person["account_type"] == "PNS":
        page.get_by_label("Nomor Induk Pegawai (NIP)").fill(person["nip"])
        if person["rank"]:
            page.get_by_label("Pangkat/Golongan").select_option(label=person["rank"])
        page.get_by_label("Jabatan").fill(person["position"])
    if person["account_type"] in ("PNS", "Pramubakti") and person["unit"]:
        page.get_by_label("Unit", exact=True).select_option(label=person["unit"])
    page.get_by_label("Nama Lengkap").fill(person["full_name"])
    page.get_by_label("Nomor Telepon", exact=True).fill(person["phone"])
    page.get_by_label("Alamat").fill(person["address"])
    if person.get("birth_place"):
        page.get_by_text("Data tambahan (opsional)").click()
        page.get_by_label("Tempat Lahir").fill(person["birth_place"])
        page.get_by_label("Tanggal Lahir").fill(person["birth_date"])
        page.get_by_label("Nomor Telepon Lain").fill(person["other_phone"])
    if person["accept_terms"]:
        page.get_by_label(re.compile("Syarat & Ketentuan")).check()


def user_count() -> int:
    from wbs_app.models import User

    with app_db() as db:
        return db.exec(select(func.count()).select_from(User)).one()


def login(page, identifier: str, password: str = PASSWORD) -> None:
    open_page(page, "/masuk")
    page.get_by_label("Username atau Email").fill(identifier)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()


def request_password_reset(page, identifier: str) -> None:
    """From the login page's "Lupa password?" link; waits for the (always identical) answer."""
    open_page(page, "/masuk")
    page.get_by_role("link", name="Lupa password?").click()
    expect(page.get_by_role("heading", name="Lupa Password")).to_be_visible()
    page.get_by_label("Username atau Email").fill(identifier)
    page.get_by_role("button", name="Kirim Tautan").click()
    expect(page.get_by_role("status")).to_have_text(messages.PASSWORD_RESET_REQUESTED)


def next_email(page, mailbox, to: str, before: int):
    """The newest email to `to` once more than `before` have arrived."""
    for _ in range(150):
        if mailbox.count_to(to) > before:
            return mailbox.wait_for(to)
        page.wait_for_timeout(100)
    raise AssertionError(f"no new email to {to} arrived")


def register_and_activate(page, mailbox, person: dict[str, str]) -> None:
    open_page(page, "/daftar")
    fill_registration(page, person)
    page.get_by_role("button", name="Buat Akun").click()
    expect(page.get_by_role("heading", name="Periksa email Anda")).to_be_visible()
    expect(page.locator("main")).to_contain_text(person["email"])

    message = mailbox.wait_for(person["email"])
    assert message["Subject"] == "Aktifkan Akun WBS Anda"
    link = activation_link(message)
    assert "/aktivasi/" in link

    # Before activation the account cannot log in, and says why.
    login(page, person["username"])
    expect(page.get_by_role("alert")).to_contain_text(messages.LOGIN_INACTIVE)

    open_page(page, link)
    expect(page.get_by_role("status").filter(has_text=messages.ACTIVATION_OK)).to_be_visible()


def create_staff(role: str = "verifier", **overrides) -> dict[str, str]:
    """A verifier or administrator account, created as the CLI does."""
    from wbs_app.models import Role
    from wbs_app.services import users

    n = next(_serial)
    person = {
        "username": f"petugas{n}x",
        "email": f"petugas{n}@inspektorat.go.id",
        "full_name": f"Petugas Uji {n}",
        **overrides,
    }
    with app_db() as db:
        users.create_staff_user(
            session=db,
            username=person["username"],
            email=person["email"],
            full_name=person["full_name"],
            role=Role(role),
            password=PASSWORD,
        )
    return person


def create_report(
    *, accused: str, email: str = "", user=None, title: str = "Pungutan pada pengadaan server"
) -> tuple[str, str | None]:
    """A report stored through the reporting service, as the wizard does; returns number and access code."""
    from sqlmodel import select as sql_select

    from wbs_app.models import ViolationType
    from wbs_app.services import reference, submission

    with app_db() as db:
        fields = submission.ReportFields(
            reporter_name="Robert",
            include_email=bool(email),
            reporter_email=email,
            title=title,
            violation_type_id=str(db.exec(sql_select(ViolationType.id).where(ViolationType.name == "Korupsi")).one()),
            unit_id=str(reference.active_units(session=db)[0].id),
            description="Kepala bidang meminta uang pelicin kepada rekanan pengadaan server di kantor dinas pada bulan November.",
            accused=[submission.AccusedInput(uid="a", name=accused, institution="Dinas Kesehatan")],
            incident_address="Kantor Dinas",
            province_code="51",
            regency_code=reference.regencies("51")[0][0],
            incident_at="2024-11-11T12:00",
        )
        result = submission.submit_report(session=db, draft=submission.ReportDraft(fields=fields), user=user)
    return result.registration_number, result.access_code
