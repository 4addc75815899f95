"""Shared steps of the browser tests: accounts."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import time

import pyotp
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


CODE_LABEL = "Kode autentikator atau kode pemulihan"


def login(page, identifier: str, password: str = PASSWORD, *, second_factor: bool = True) -> None:
    """Log in; for an account with an authenticator, also type its next code (unless `second_factor` is False).

    A complete login ends with a full navigation through the server route that sets the HttpOnly session cookie
    (/_wbs/masuk/<ticket>): wait for the page it lands on (expect_path) before opening another one.
    """
    open_page(page, "/masuk")
    page.get_by_label("Username atau Email").fill(identifier)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    secret = second_factor and authenticator_secret(identifier)
    if secret:
        page.get_by_label(CODE_LABEL).fill(next_code(secret))
        page.get_by_role("button", name="Verifikasi").click()


def authenticator_secret(identifier: str) -> str:
    """The secret of the account's confirmed authenticator, or "" when it has none (stored sealed: opened here)."""
    from wbs_app.models import SecondFactor
    from wbs_app.services import sealed, users

    with app_db() as db:
        user = users.find_by_identifier(session=db, identifier=identifier)
        factor = (
            user
            and db.exec(
                select(SecondFactor).where(SecondFactor.user_id == user.id, SecondFactor.enabled_at.is_not(None))
            ).first()
        )
        return sealed.open_row(session=db, row=factor).secret if factor else ""


def _last_used_step(db, secret: str) -> int | None:
    """The last step used by the authenticator with this secret (secrets are sealed: each one is opened)."""
    from wbs_app.models import SecondFactor
    from wbs_app.services import sealed

    for factor in db.exec(select(SecondFactor)):
        if sealed.open_row(session=db, row=factor).secret == secret:
            return factor.last_used_step
    return None


def audit_details(*conditions) -> list[str]:
    """The details of the audit rows matching `conditions`, in order, opened (they are stored sealed)."""
    from wbs_app.models import AuditLog
    from wbs_app.services import sealed

    with app_db() as db:
        rows = db.exec(select(AuditLog).where(*conditions).order_by(AuditLog.id)).all()
        return [sealed.open_row(session=db, row=row).detail for row in rows]


_last_step: dict[str, int] = {}


def next_code(secret: str, *, latest: bool = False) -> str:
    """A code the server accepts now: of a step after every one used so far, not behind the clock (so it stays
    good for at least 30 seconds on a slow machine), and at most one step ahead of it, as the server allows.

    `latest`: the step after the clock's (the longest-lived code, e.g. to replay it a moment later).
    """
    with app_db() as db:
        used = _last_used_step(db, secret)
    totp = pyotp.TOTP(secret)
    current = totp.timecode(time.time())
    step = max(current + 1 if latest else current, (used or 0) + 1, _last_step.get(secret, 0) + 1)
    if step > current + 1:  # two codes already used in this step: wait for the clock
        time.sleep((step - 1) * totp.interval - time.time() + 0.5)
    _last_step[secret] = step
    return totp.generate_otp(step)


def enrol_in_browser(page) -> tuple[str, list[str]]:
    """At the enrolment step of the login page: read the secret, confirm with a code; the recovery codes shown."""
    expect(page.get_by_role("heading", name="Aktifkan Verifikasi Dua Langkah")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Kode autentikator").fill(next_code(secret))
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    return secret, [code.strip() for code in page.locator("#recovery-codes li").all_inner_texts()]


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


def create_reporter() -> dict[str, str]:
    """An activated reporter account, registered through the service as the form does (no email round trip)."""
    from wbs_app.services import users

    person = new_person()
    with app_db() as db:
        _, token = users.register_user(session=db, data=users.Registration.from_form({**person, "accept_terms": "on"}))
        users.activate_account(session=db, token=token)
    return person


def session_cookie(context) -> dict | None:
    """The login cookie as the browser holds it (with its HttpOnly, SameSite, Secure flags), or None."""
    return next((c for c in context.cookies() if c["name"] == "wbs_sesi"), None)


def create_staff(role: str = "verifier", *, enrolled: bool = True, **overrides) -> dict:
    """A verifier or administrator account, created as the CLI does.

    `enrolled`: with an authenticator, as after the first login (its secret and recovery codes are in the
    returned dict; `login` types its codes); without, the first login asks for enrolment.
    """
    from wbs_app.models import Role
    from wbs_app.services import two_factor, users

    n = next(_serial)
    person = {
        "username": f"petugas{n}x",
        "email": f"petugas{n}@inspektorat.go.id",
        "full_name": f"Petugas Uji {n}",
        **overrides,
    }
    with app_db() as db:
        user = users.create_staff_user(
            session=db,
            username=person["username"],
            email=person["email"],
            full_name=person["full_name"],
            role=Role(role),
            password=PASSWORD,
        )
        if enrolled:
            secret = two_factor.start_enrolment(session=db, user=user).secret
            # Confirmed with the code of the step before the clock's, which leaves the next ones to the test.
            earlier = dt.datetime.fromtimestamp(time.time() - 30, dt.UTC)
            code = pyotp.TOTP(secret).at(earlier)
            person["recovery_codes"] = two_factor.confirm_enrolment(session=db, user=user, code=code, now=earlier)
            person["totp_secret"] = secret
    return person


def wait_for_refusal(handler: str, timeout: float = 10) -> str:
    """The detail of the "akses_ditolak" row of this handler, once written: refused calls are counted in memory for
    WBS_REFUSAL_AUDIT_SECONDS (1 s in these tests) before their row is written."""
    from wbs_app.models import AuditLog

    deadline = time.monotonic() + timeout
    while True:
        found = [d for d in audit_details(AuditLog.action == "akses_ditolak") if d.startswith(handler)]
        if found or time.monotonic() > deadline:
            assert found, "the refusal was not audited"
            return found[0]
        time.sleep(0.1)


def create_report(
    *, accused: str, email: str = "", user=None, institution: str = "Dinas Kesehatan", **fields
) -> tuple[str, str | None]:
    """A report stored through the reporting service, as the wizard does; returns number and access code.

    `fields` replace the ReportFields given here (title, description, incident_address...)."""
    from sqlmodel import select as sql_select

    from wbs_app.models import ViolationType
    from wbs_app.services import reference, submission

    with app_db() as db:
        given = {
            "reporter_name": "Robert",
            "include_email": bool(email),
            "reporter_email": email,
            "title": "Pungutan pada pengadaan server",
            "violation_type_id": str(
                db.exec(sql_select(ViolationType.id).where(ViolationType.name == "Korupsi")).one()
            ),
            "unit_id": str(reference.active_units(session=db)[0].id),
            "description": "Kepala bidang meminta uang pelicin kepada rekanan pengadaan server di kantor dinas "
            "pada bulan November.",
            "accused": [submission.AccusedInput(uid="a", name=accused, institution=institution)],
            "incident_address": "Kantor Dinas",
            "province_code": "51",
            "regency_code": reference.regencies("51")[0][0],
            "incident_at": "2024-11-11T12:00",
        }
        draft = submission.ReportDraft(fields=submission.ReportFields(**(given | fields)))
        result = submission.submit_report(session=db, draft=draft, user=user)
    return result.registration_number, result.access_code


def add_statistics_month(*, prefix: str, month: dt.datetime) -> None:
    """Bare report rows for the public statistics, all made in `month`: 9 through the violation channel, proven
    3 days later, and 2 gratifications still in verification (numbers WBS-<prefix>000000000 …)."""
    from wbs_app.models import Channel, Report, ReportStatus, ViolationType

    with app_db() as db:
        violation_type = db.exec(select(ViolationType.id).where(ViolationType.name == "Korupsi")).one()
        for n in range(11):
            closed = month + dt.timedelta(days=3) if n < 9 else None
            db.add(
                Report(
                    registration_number=f"WBS-{prefix}{n:09d}",
                    channel=Channel.VIOLATION.value if n < 9 else Channel.GRATIFICATION.value,
                    title="",
                    description="",
                    violation_type_id=violation_type,
                    status=ReportStatus.PROVEN.value if closed else ReportStatus.VERIFICATION.value,
                    created_at=month,
                    updated_at=month,
                    closed_at=closed,
                )
            )
        db.commit()


def emails_to(mailbox, to: str) -> list:
    with mailbox._lock:
        return [m for m in mailbox.messages if m["To"] == to]


def wait_for_emails(mailbox, to: str, count: int, timeout: float = 20) -> list:
    deadline = time.monotonic() + timeout
    while len(found := emails_to(mailbox, to)) < count:
        assert time.monotonic() < deadline, f"{len(found)} emails to {to}, not {count}"
        time.sleep(0.2)
    return found


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()
