"""The institution's profile: its name, logo, contact details and offline channels, as the public pages, the
footer, emails and receipts show them.

Setup asks nothing: until an administrator saves *Administrasi → Instansi*, the profile is made of defaults (the
WBS_ORG_* settings). Saved, it is one row (institution_profile, id 1) whose `version` goes up with every change.
Each app process keeps the profile in memory (`current()`) and compares the stored version at most every
CHECK_SECONDS, so a change made through one worker shows in every worker within seconds.

The logo is public (every page shows it), so it is not encrypted: it is checked and re-encoded like evidence
photos (services/sanitize: PNG or JPEG only, decoded in full, metadata gone), scaled down, kept in the database
(institution_logo, named by its SHA-256) and served by /_wbs/logo/<sha256>.<ext> with a year's caching — a new
logo has a new name, so nobody keeps seeing the old one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import logging
import re
import threading
import time
from urllib.parse import urlsplit

import sqlalchemy as sa
from PIL import Image, UnidentifiedImageError
from sqlmodel import Session, delete, select

from wbs_app import messages, validators
from wbs_app.db import open_session
from wbs_app.i18n import N_, _
from wbs_app.models import InstitutionLogo, InstitutionProfile, User, utcnow
from wbs_app.services import audit, evidence, policy, sanitize
from wbs_app.services.errors import ValidationFailed
from wbs_app.settings import get_settings

logger = logging.getLogger("wbs.institution")

ROW_ID = 1
CHECK_SECONDS = 5.0
DEFAULT_LAPOR_URL = "https://www.lapor.go.id"
# Shown in the page's language while the administrator keeps it (components/institution.py); typed hours as typed.
DEFAULT_OFFICE_HOURS = N_("Senin–Jumat, 08.00–16.00 (kecuali hari libur nasional)")
LOGO_ROUTE = "/_wbs/logo/"
LOGO_MAX_MB = 2
LOGO_MAX_SIDE = 5000  # refused before decoding: a small file must not unpack into a huge image
LOGO_BOX = 512  # stored at most this many pixels wide and high
LOGO_TYPES = {"png": ("image/png", "PNG"), "jpeg": ("image/jpeg", "JPEG")}
MAX_SOCIALS = 8

# Form field → (label in messages and the audit log, maximum length).
FIELDS = {
    "name": ("Nama instansi", 150),
    "short_name": ("Nama singkat", 40),
    "address": ("Alamat kantor", 300),
    "email": ("Email", 254),
    "phone": ("Telepon", 40),
    "website": ("Situs web", 200),
    "socials": ("Media sosial", 1500),
    "office_hours": ("Jam layanan", 200),
    "letter_address": ("Alamat surat", 300),
    "phone_line": ("Saluran telepon pengaduan", 100),
    "walk_in_desk": ("Layanan tatap muka", 300),
    "lapor_url": ("Halaman SP4N-LAPOR!", 200),
}
_PHONE = re.compile(r"^[0-9+()\-./ ]{5,40}$")


@dataclasses.dataclass(frozen=True)
class Social:
    label: str
    url: str


@dataclasses.dataclass(frozen=True)
class Profile:
    name: str = "Inspektorat"
    short_name: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    socials: list[Social] = dataclasses.field(default_factory=list)
    office_hours: str = DEFAULT_OFFICE_HOURS
    letter_address: str = ""
    phone_line: str = ""
    walk_in_desk: str = ""
    lapor_url: str = DEFAULT_LAPOR_URL
    logo_url: str = ""  # "" when there is no logo
    version: int = 0  # 0: the defaults, nothing saved yet

    @property
    def display_short(self) -> str:
        return self.short_name or self.name


def defaults() -> Profile:
    settings = get_settings()
    return Profile(
        name=settings.org_name or "Inspektorat",
        address=settings.org_address,
        email=settings.org_email,
        phone=settings.org_phone,
    )


def logo_url(sha256: str | None, content_type: str = "image/png") -> str:
    if not sha256:
        return ""
    return f"{LOGO_ROUTE}{sha256}.{'jpg' if content_type == 'image/jpeg' else 'png'}"


def parse_socials(text: str) -> list[Social]:
    """ "Label: https://…" (or a bare address) per line; ValidationFailed for anything else."""
    found = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        label, separator, url = line.partition(": ")
        if not separator:
            label, url = "", line
        url = url.strip()
        if check_url(url) or len(label) > 40 or len(found) >= MAX_SOCIALS:
            raise ValidationFailed({"socials": messages.SOCIALS_INVALID.format(max=MAX_SOCIALS)})
        found.append(Social(label=label.strip() or (urlsplit(url).hostname or url), url=url))
    return found


def check_url(url: str) -> str | None:
    """None for an absolute http(s) address without spaces or credentials (never javascript: or data:)."""
    parts = urlsplit(url)
    plain = not re.search(r"[\s<>\"'\\]", url) and "@" not in parts.netloc
    return None if parts.scheme in ("http", "https") and parts.hostname and plain else messages.URL_INVALID


def _profile_of(row: InstitutionProfile, logo_type: str) -> Profile:
    return Profile(
        name=row.name,
        short_name=row.short_name,
        address=row.address,
        email=row.email,
        phone=row.phone,
        website=row.website,
        socials=parse_socials(row.socials),
        office_hours=row.office_hours,
        letter_address=row.letter_address,
        phone_line=row.phone_line,
        walk_in_desk=row.walk_in_desk,
        lapor_url=row.lapor_url or DEFAULT_LAPOR_URL,
        logo_url=logo_url(row.logo_sha256, logo_type),
        version=row.version,
    )


def load(*, session: Session) -> Profile:
    """The stored profile, or the defaults while none is saved."""
    row = session.get(InstitutionProfile, ROW_ID)
    if row is None:
        return defaults()
    logo_type = session.exec(
        select(InstitutionLogo.content_type).where(InstitutionLogo.sha256 == row.logo_sha256)
    ).first()
    return _profile_of(row, logo_type or "image/png")


_cache_lock = threading.Lock()
_cached: Profile | None = None
_checked_at = 0.0


def current() -> Profile:
    """The profile as this process knows it: checked against the stored version at most every CHECK_SECONDS (one
    indexed one-row read), reloaded when another worker saved a new one. Blocking only for that read."""
    global _cached, _checked_at
    with _cache_lock:
        if _cached is not None and time.monotonic() - _checked_at < CHECK_SECONDS:
            return _cached
        known = _cached
    try:
        with open_session() as db:
            stored = db.exec(select(InstitutionProfile.version).where(InstitutionProfile.id == ROW_ID)).first()
            fresh = known if known is not None and known.version == (stored or 0) else load(session=db)
    except sa.exc.SQLAlchemyError:
        # A page or an email must not fail for want of the institution's address (e.g. the database is being
        # migrated): the last known profile, or the defaults.
        logger.warning("institution profile could not be read; using the last known one", exc_info=True)
        fresh = known or defaults()
    with _cache_lock:
        _cached, _checked_at = fresh, time.monotonic()
    return fresh


def forget_cached() -> None:
    """After a change in this process: the next current() reads the database."""
    global _cached
    with _cache_lock:
        _cached = None


def form_values(profile: Profile) -> dict[str, str]:
    """The administrator's form, filled with the profile (socials as one account a line)."""
    values = {field: str(getattr(profile, field)) for field in FIELDS if field != "socials"}
    values["socials"] = "\n".join(f"{social.label}: {social.url}" for social in profile.socials)
    return values


def _checked(form: dict) -> dict[str, str]:
    values = {field: str(form.get(field, "") or "").strip() for field in FIELDS}
    errors = {}
    for field, (_label, max_length) in FIELDS.items():
        if problem := validators.check_max_length(values[field], max_length):
            errors[field] = problem
    if not values["name"]:
        errors["name"] = messages.REQUIRED
    if values["email"] and not errors.get("email"):
        normalized = validators.normalize_email(values["email"])
        if normalized is None:
            errors["email"] = messages.EMAIL_INVALID
        values["email"] = normalized or values["email"]
    if values["phone"] and not (_PHONE.match(values["phone"]) and sum(ch.isdigit() for ch in values["phone"]) >= 5):
        errors["phone"] = messages.PHONE_FORMAT
    for field in ("website", "lapor_url"):
        if values[field] and (problem := check_url(values[field])):
            errors[field] = problem
    try:
        socials = parse_socials(values["socials"])
        values["socials"] = "\n".join(f"{social.label}: {social.url}" for social in socials)
    except ValidationFailed as invalid:
        errors.update(invalid.errors)
    if errors:
        raise ValidationFailed(errors)
    values["lapor_url"] = values["lapor_url"] or DEFAULT_LAPOR_URL
    return values


def _row_for_change(*, session: Session) -> InstitutionProfile:
    """The stored row, made from the defaults on the first save; locked until the caller commits."""
    row = session.exec(select(InstitutionProfile).where(InstitutionProfile.id == ROW_ID).with_for_update()).first()
    if row is not None:
        return row
    values = form_values(defaults())
    return InstitutionProfile(id=ROW_ID, version=0, **{**values, "socials": "", "lapor_url": DEFAULT_LAPOR_URL})


def _commit(*, session: Session, row: InstitutionProfile, actor: User, detail: str, client_ip: str) -> Profile:
    row.version += 1
    row.updated_at = utcnow()
    session.add(row)
    audit.record(session=session, action="pengaturan", actor_id=actor.id, detail=detail, client_ip=client_ip)
    session.commit()
    forget_cached()
    return load(session=session)


def save(*, session: Session, actor: User | None, form_values: dict, client_ip: str = "") -> Profile:
    """An administrator's profile, from the form as typed; audited ("pengaturan") with what changed."""
    policy.require_admin(actor)
    values = _checked(form_values)
    row = _row_for_change(session=session)
    changed = [field for field, value in values.items() if getattr(row, field) != value]
    for field, value in values.items():
        setattr(row, field, value)
    listed = "; ".join(f"{FIELDS[field][0]}: {values[field] or '(kosong)'}" for field in changed) or "tidak ada"
    return _commit(
        session=session, row=row, actor=actor, detail=f"Profil instansi diubah — {listed}", client_ip=client_ip
    )


# The logo -------------------------------------------------------------------------------------------------


def clean_logo(data: bytes, filename: str) -> tuple[bytes, str]:
    """The logo as it will be served: checked like an evidence photo, metadata gone, at most LOGO_BOX pixels a side;
    and its content type. ValidationFailed({"logo": …}) for anything else. CPU work: call it off the event loop."""
    refused = ValidationFailed({"logo": messages.LOGO_INVALID.format(max_mb=LOGO_MAX_MB, max_side=LOGO_MAX_SIDE)})
    kind = evidence.sniff_kind(data[: evidence.HEAD_BYTES])
    if kind not in LOGO_TYPES or len(data) > LOGO_MAX_MB * evidence.MB:
        raise refused
    try:
        with Image.open(io.BytesIO(data)) as probe:  # reads the header only
            if max(probe.size) > LOGO_MAX_SIDE:
                raise refused
        cleaned, _ = sanitize.inspect_and_clean(data, kind, evidence.display_name(filename))
        with Image.open(io.BytesIO(cleaned)) as image:
            image.load()
            image.thumbnail((LOGO_BOX, LOGO_BOX))
            content_type, pil_format = LOGO_TYPES[kind]
            if pil_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, pil_format, **({"quality": 90} if pil_format == "JPEG" else {"optimize": True}))
    except (evidence.EvidenceRejected, UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise refused from None
    return out.getvalue(), content_type


def set_logo(*, session: Session, actor: User | None, data: bytes, content_type: str, client_ip: str = "") -> Profile:
    """Make a cleaned logo (clean_logo) the current one; the earlier one is deleted. Audited."""
    policy.require_admin(actor)
    digest = hashlib.sha256(data).hexdigest()
    row = _row_for_change(session=session)
    session.exec(delete(InstitutionLogo).where(InstitutionLogo.sha256 != digest))
    if session.get(InstitutionLogo, digest) is None:
        session.add(InstitutionLogo(sha256=digest, content_type=content_type, data=data))
    row.logo_sha256 = digest
    detail = f"Logo instansi diganti ({len(data)} byte, SHA-256 {digest})"
    return _commit(session=session, row=row, actor=actor, detail=detail, client_ip=client_ip)


def remove_logo(*, session: Session, actor: User | None, client_ip: str = "") -> Profile:
    policy.require_admin(actor)
    row = _row_for_change(session=session)
    session.exec(delete(InstitutionLogo))
    row.logo_sha256 = None
    return _commit(session=session, row=row, actor=actor, detail="Logo instansi dihapus", client_ip=client_ip)


def stored_logo(*, session: Session, name: str) -> tuple[bytes, str] | None:
    """The logo a route name ("<sha256>.png" or ".jpg") names: its bytes and content type; None for any other."""
    digest, _, extension = name.partition(".")
    if not re.fullmatch(r"[0-9a-f]{64}", digest) or extension not in ("png", "jpg"):
        return None
    logo = session.get(InstitutionLogo, digest)
    if logo is None or logo_url(digest, logo.content_type) != LOGO_ROUTE + name:
        return None
    return logo.data, logo.content_type


# Emails ---------------------------------------------------------------------------------------------------


def sender(profile: Profile, from_setting: str) -> str:
    """The From header: the configured address under the institution's name ("WBS Inspektorat X <no-reply@…>")."""
    from email.headerregistry import Address
    from email.utils import parseaddr

    _, address = parseaddr(from_setting)
    if "@" not in address:
        return from_setting
    local, _, domain = address.partition("@")
    return str(Address(display_name=f"WBS {profile.display_short}"[:80], username=local, domain=domain))


def signature(profile: Profile) -> str:
    """The lines under every email: who sends it and how to reach them."""
    lines = ["-- ", f"Whistleblowing System {profile.name}"]
    lines += [value for value in (profile.address,) if value]
    reach = " · ".join(value for value in (profile.phone, profile.email, profile.website) if value)
    if reach:
        lines.append(reach)
    lines.append(_("Email ini dikirim otomatis; jangan membalasnya dengan isi laporan."))
    return "\n".join(lines) + "\n"
