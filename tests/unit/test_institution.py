"""The institution's profile: defaults until saved, an administrator's changes (checked, audited), its cache across
workers, the logo (checked like evidence, served by content hash) and the emails that carry it."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlmodel import Session, func, select

from tests.unit.builders import detail, staff
from tests.unit.sample_evidence import AUTHOR, jpeg_with_gps, png_with_text
from wbs_app.models import AuditLog, InstitutionLogo, InstitutionProfile, Role
from wbs_app.services import institution, mailer
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.settings import get_settings

FORM = {
    "name": "Inspektorat Kabupaten Mojokerto",
    "short_name": "Inspektorat Mojokerto",
    "address": "Jl. Kyai H. Hasyim Asy'ari No. 12, Mojokerto",
    "email": "inspektorat.kab.mojokerto@gmail.com",
    "phone": "(0321) 391 001",
    "website": "https://www.inspektorat.mojokab.go.id",
    "socials": "Instagram: https://instagram.com/inspektorat.kab.mojokerto\nhttps://facebook.com/inspektorat",
    "office_hours": "Senin–Kamis 07.30–16.00, Jumat 07.30–15.00",
    "letter_address": "Kotak Pos 10, Mojokerto",
    "phone_line": "0812 3000 4000 (jam kerja)",
    "walk_in_desk": "Meja Pengaduan, lantai 1 kantor Inspektorat",
    "lapor_url": "https://damarmojokerto.lapor.go.id/",
}


@pytest.fixture
def app_db(db, monkeypatch):
    """current() and the logo route read through open_session: point it at the test database, empty the cache."""
    engine = db.get_bind()
    monkeypatch.setattr(institution, "open_session", lambda: Session(engine))
    institution.forget_cached()
    yield db
    institution.forget_cached()


def test_setup_asks_nothing_the_environment_gives_the_defaults(app_db, monkeypatch):
    monkeypatch.setenv("WBS_ORG_NAME", "Inspektorat Provinsi Bali")
    monkeypatch.setenv("WBS_ORG_PHONE", "(0361) 222 333")
    get_settings.cache_clear()
    try:
        profile = institution.current()
    finally:
        get_settings.cache_clear()
    assert (profile.name, profile.phone, profile.version) == ("Inspektorat Provinsi Bali", "(0361) 222 333", 0)
    assert profile.lapor_url == "https://www.lapor.go.id"
    assert profile.address == ""  # never "belum diatur oleh administrator"
    assert app_db.exec(select(func.count()).select_from(InstitutionProfile)).one() == 0


def test_an_administrator_saves_the_profile_and_it_is_audited(app_db):
    admin = staff(app_db, Role.ADMIN, "Kepala", "kepala")
    saved = institution.save(session=app_db, actor=admin, form_values=FORM, client_ip="10.0.0.1")
    assert saved.name == FORM["name"] and saved.version == 1
    assert [(s.label, s.url) for s in saved.socials] == [
        ("Instagram", "https://instagram.com/inspektorat.kab.mojokerto"),
        ("facebook.com", "https://facebook.com/inspektorat"),
    ]
    assert institution.current() == saved
    entry = app_db.exec(select(AuditLog).where(AuditLog.action == "pengaturan")).one()
    assert entry.actor_id == admin.id and "Alamat surat: Kotak Pos 10" in detail(app_db, entry)
    again = institution.save(session=app_db, actor=admin, form_values={**FORM, "phone": "0321 1"}, client_ip="")
    assert again.version == 2 and again.phone == "0321 1"


@pytest.mark.parametrize("role", [Role.VERIFIER, Role.REPORTER])
def test_only_administrators_change_the_profile(app_db, role):
    user = staff(app_db, Role.VERIFIER, "Siti", "siti") if role == Role.VERIFIER else None
    with pytest.raises(Refused):
        institution.save(session=app_db, actor=user, form_values=FORM)
    with pytest.raises(Refused):
        institution.set_logo(session=app_db, actor=user, data=b"x", content_type="image/png")
    assert app_db.exec(select(func.count()).select_from(InstitutionProfile)).one() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", " "),
        ("email", "bukan-email"),
        ("website", "javascript:alert(1)"),
        ("lapor_url", "https://user:pw@lapor.go.id"),
        ("phone", "telepon kami"),
        ("socials", "Instagram: data:text/html,<b>x</b>"),
        ("address", "x" * 301),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_stored(app_db, field, value):
    admin = staff(app_db, Role.ADMIN, "Kepala", "kepala")
    with pytest.raises(ValidationFailed) as refused:
        institution.save(session=app_db, actor=admin, form_values={**FORM, field: value})
    assert list(refused.value.errors) == [field]
    assert app_db.exec(select(func.count()).select_from(InstitutionProfile)).one() == 0


def test_another_worker_s_change_reaches_this_process_through_the_version(app_db, monkeypatch):
    admin = staff(app_db, Role.ADMIN, "Kepala", "kepala")
    institution.save(session=app_db, actor=admin, form_values=FORM)
    assert institution.current().phone == FORM["phone"]
    # Another worker saves: the row changes and its version goes up, this process's cache knows nothing of it.
    row = app_db.get(InstitutionProfile, 1)
    row.phone, row.version = "0321 999", row.version + 1
    app_db.add(row)
    app_db.commit()
    assert institution.current().phone == FORM["phone"]  # within CHECK_SECONDS: the cached copy
    monkeypatch.setattr(institution, "CHECK_SECONDS", 0.0)
    assert institution.current().phone == "0321 999"


def _image_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def test_a_logo_is_checked_cleaned_scaled_and_served_by_its_hash(app_db):
    admin = staff(app_db, Role.ADMIN, "Kepala", "kepala")
    big = io.BytesIO()
    Image.new("RGB", (1600, 800), "navy").save(big, "PNG")
    cleaned, content_type = institution.clean_logo(big.getvalue(), "logo.png")
    assert content_type == "image/png" and _image_size(cleaned) == (512, 256)
    photo, photo_type = institution.clean_logo(jpeg_with_gps(), "logo.jpg")
    assert photo_type == "image/jpeg" and b"samsung" not in photo and AUTHOR.encode() not in photo
    text_png, _ = institution.clean_logo(png_with_text(), "logo.png")
    assert AUTHOR.encode() not in text_png

    profile = institution.set_logo(session=app_db, actor=admin, data=cleaned, content_type=content_type)
    name = profile.logo_url.removeprefix(institution.LOGO_ROUTE)
    assert name.endswith(".png") and len(name) == 64 + 4
    assert institution.stored_logo(session=app_db, name=name) == (cleaned, "image/png")
    assert institution.stored_logo(session=app_db, name=name.replace(".png", ".jpg")) is None
    assert institution.stored_logo(session=app_db, name="../../etc/passwd") is None
    # A new logo replaces the old one (a new name; the old row is gone).
    second = institution.set_logo(session=app_db, actor=admin, data=photo, content_type=photo_type)
    assert second.logo_url.endswith(".jpg") and app_db.exec(select(func.count()).select_from(InstitutionLogo)).one() == 1
    assert institution.remove_logo(session=app_db, actor=admin).logo_url == ""


@pytest.mark.parametrize(
    "data",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"GIF89a" + b"\x00" * 40,
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,  # a PNG header and nothing that decodes
        b"MZ\x90\x00" + b"\x00" * 64,
    ],
    ids=["svg", "gif", "broken-png", "program"],
)
def test_anything_but_a_real_png_or_jpeg_logo_is_refused(data):
    with pytest.raises(ValidationFailed) as refused:
        institution.clean_logo(data, "logo.png")
    assert list(refused.value.errors) == ["logo"]


def test_a_logo_over_the_limits_is_refused_before_decoding():
    huge = io.BytesIO()
    Image.new("1", (6000, 10)).save(huge, "PNG")  # tiny file, too wide
    with pytest.raises(ValidationFailed):
        institution.clean_logo(huge.getvalue(), "logo.png")
    with pytest.raises(ValidationFailed):
        institution.clean_logo(b"\x89PNG\r\n\x1a\n" + b"\x00" * (institution.LOGO_MAX_MB * 1024 * 1024), "logo.png")


def test_emails_carry_the_institution_s_name_and_signature(app_db):
    admin = staff(app_db, Role.ADMIN, "Kepala", "kepala")
    institution.save(session=app_db, actor=admin, form_values=FORM)
    message = mailer.build_message(to="pelapor@mail.co.id", subject="Laporan WBS diterima", text="Isi.\n")
    sender = message["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == ("WBS Inspektorat Mojokerto", "no-reply@wbs.localhost")
    body = message.get_content()
    assert body.startswith("Isi.\n\n-- \nWhistleblowing System Inspektorat Kabupaten Mojokerto\n")
    assert FORM["address"] in body and FORM["phone"] in body and FORM["email"] in body
