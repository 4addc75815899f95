"""Accounts: registration, activation, contact details, staff accounts (passwords: services/passwords.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select

from wbs_app import language, messages, validators
from wbs_app.i18n import _
from wbs_app.models import (
    AccountType,
    ActivationToken,
    PasswordResetToken,
    Rank,
    Role,
    Unit,
    User,
    as_utc,
    utcnow,
)
from wbs_app.security import hash_password, new_token, token_digest, token_digests
from wbs_app.services import audit, conflicts, sealed, vault
from wbs_app.services.errors import ValidationFailed
from wbs_app.settings import get_settings


@dataclasses.dataclass
class Registration:
    """What the registration form sends. Every value is a string as typed; nothing else is copied."""

    username: str = ""
    email: str = ""
    password: str = ""
    password_confirmation: str = ""
    account_type: str = AccountType.UMUM.value
    identity_number: str = ""
    nip: str = ""
    unit_id: str = ""
    rank_id: str = ""
    position: str = ""
    full_name: str = ""
    phone: str = ""
    address: str = ""
    birth_place: str = ""
    birth_date: str = ""
    institution: str = ""
    city: str = ""
    other_phone: str = ""
    accept_terms: bool = False

    @classmethod
    def from_form(cls, form: dict) -> Registration:
        values = {}
        for field in dataclasses.fields(cls):
            raw = form.get(field.name, "")
            if field.name == "accept_terms":
                values[field.name] = validators.is_checked(raw)
            else:
                values[field.name] = str(raw or "")[:1000]
        return cls(**values)


EMAIL_KEY_NAME = "emails"


def email_key(*, session: Session, email: str) -> str:
    """What user_account.email_key holds: the keyed digest of the lower-cased address (a reporter's address itself
    is sealed), so the unique index and the lookup at login work without it in clear."""
    key = vault.system_key(session=session, name=EMAIL_KEY_NAME)
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def find_by_identifier(*, session: Session, identifier: str) -> User | None:
    key = identifier.strip().lower()
    if not key:
        return None
    return session.exec(
        select(User).where(or_(User.username_key == key, User.email_key == email_key(session=session, email=key)))
    ).first()


def opened(*, session: Session, user: User) -> User:
    """A detached copy of the account with its personal columns in clear (for pages and emails)."""
    return sealed.open_row(session=session, row=user)


def _parse_id(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


def validate_registration(*, session: Session, data: Registration) -> dict[str, str]:
    errors: dict[str, str] = {}

    def check(field: str, message: str | None) -> None:
        if message and field not in errors:
            errors[field] = message

    username = data.username.strip()
    check("username", validators.check_username(username))
    check("email", validators.check_email(data.email))
    check("password", validators.check_password(data.password, username))
    check("password_confirmation", validators.check_password_confirmation(data.password, data.password_confirmation))
    if data.account_type not in {t.value for t in AccountType}:
        check("account_type", messages.ACCOUNT_TYPE_INVALID)
    check("identity_number", validators.check_identity_number(data.identity_number))
    if data.account_type in (AccountType.PNS.value, AccountType.PRAMUBAKTI.value):
        unit_id = _parse_id(data.unit_id)
        unit = session.get(Unit, unit_id) if unit_id else None
        check("unit_id", None if unit and unit.is_active else messages.UNIT_REQUIRED)
    if data.account_type == AccountType.PNS.value:
        check("nip", validators.check_nip(data.nip))
        rank_id = _parse_id(data.rank_id)
        check("rank_id", None if rank_id and session.get(Rank, rank_id) else messages.RANK_REQUIRED)
        check("position", validators.check_required(data.position) or validators.check_max_length(data.position, 120))
    check("full_name", validators.check_required(data.full_name) or validators.check_max_length(data.full_name, 120))
    check("phone", validators.check_phone(data.phone))
    check("address", validators.check_required(data.address) or validators.check_max_length(data.address, 500))
    check("birth_place", validators.check_max_length(data.birth_place, 80))
    if data.birth_date.strip():
        check("birth_date", validators.check_birth_date(data.birth_date))
    check("institution", validators.check_max_length(data.institution, 120))
    check("city", validators.check_max_length(data.city, 80))
    check("other_phone", validators.check_phone(data.other_phone, required=False))
    if not data.accept_terms:
        check("accept_terms", messages.TERMS_REQUIRED)

    if "username" not in errors and session.exec(select(User.id).where(User.username_key == username.lower())).first():
        errors["username"] = messages.USERNAME_TAKEN
    return errors


class EmailAlreadyRegistered(Exception):
    """The address already has an account. The visitor must get the same answer as for a new account (so the
    form cannot be used to learn who is registered); the address's owner is told by email instead."""

    def __init__(self, user: User):
        super().__init__("email already registered")
        self.user = user


def _account_with_email(*, session: Session, email: str) -> User | None:
    address = validators.normalize_email(email) or ""
    if not address:
        return None
    return session.exec(select(User).where(User.email_key == email_key(session=session, email=address))).first()


def register_user(*, session: Session, data: Registration) -> tuple[User, str]:
    """Create an inactive reporter account and its activation token (returned in clear, for the email).

    Raises ValidationFailed for refused fields, and EmailAlreadyRegistered, after the same password hashing
    work as a new account, when the address already has one.
    """
    errors = validate_registration(session=session, data=data)
    if errors:
        raise ValidationFailed(errors)
    if (existing := _account_with_email(session=session, email=data.email)) is not None:
        hash_password(data.password)  # the same time as creating an account
        raise EmailAlreadyRegistered(existing)
    email = validators.normalize_email(data.email) or ""
    is_pns = data.account_type == AccountType.PNS.value
    has_unit = data.account_type in (AccountType.PNS.value, AccountType.PRAMUBAKTI.value)
    user = User(
        username=data.username.strip(),
        username_key=data.username.strip().lower(),
        email=email,
        email_key=email_key(session=session, email=email),
        password_hash=hash_password(data.password),
        role=Role.REPORTER.value,
        account_type=data.account_type,
        identity_number=validators.digits_only(data.identity_number),
        nip=validators.digits_only(data.nip) if is_pns else "",
        unit_id=_parse_id(data.unit_id) if has_unit else None,
        rank_id=_parse_id(data.rank_id) if is_pns else None,
        position=data.position.strip() if is_pns else "",
        full_name=data.full_name.strip(),
        phone=validators.normalize_phone(data.phone) or "",
        address=data.address.strip(),
        birth_place=data.birth_place.strip(),
        birth_date=dt.date.fromisoformat(data.birth_date).isoformat() if data.birth_date.strip() else "",
        institution=data.institution.strip(),
        city=data.city.strip(),
        other_phone=validators.normalize_phone(data.other_phone) or "" if data.other_phone.strip() else "",
        is_active=False,
        # The language of the browser that registered: that of the account's emails until its next login.
        language=language.current(),
    )
    session.add(user)
    try:
        session.flush()
        token = _add_activation_token(session=session, user=user)
        session.commit()
    except IntegrityError as clash:
        # Someone took the name or the address between the check and the insert.
        session.rollback()
        if (existing := _account_with_email(session=session, email=data.email)) is not None:
            raise EmailAlreadyRegistered(existing) from clash
        errors = validate_registration(session=session, data=data) or {"username": messages.USERNAME_TAKEN}
        raise ValidationFailed(errors) from clash
    session.refresh(user)
    return user, token


def issue_token(
    *, session: Session, model: type[ActivationToken | PasswordResetToken], user: User, lifetime: dt.timedelta, now=None
) -> str:
    """A single-use link token for the user, returned in clear for the email; only its digest is stored.
    A new link replaces every older unused one of the same kind."""
    now = now or utcnow()
    for old in session.exec(select(model).where(model.user_id == user.id, model.used_at.is_(None))):
        old.used_at = now
        session.add(old)
    token = new_token()
    session.add(model(user_id=user.id, token_hash=token_digest(token), created_at=now, expires_at=now + lifetime))
    return token


def _add_activation_token(*, session: Session, user: User) -> str:
    return issue_token(
        session=session, model=ActivationToken, user=user, lifetime=dt.timedelta(hours=get_settings().activation_hours)
    )


def activation_link(token: str) -> str:
    return f"{get_settings().base_url}/aktivasi/{token}"


def activation_email(*, user: User, token: str) -> dict[str, str]:
    """In the account's language (User.language); `language` goes on to mailer.send_email."""
    hours = get_settings().activation_hours
    with language.use(user.language):
        return link_email(
            user=user,
            subject=_("Aktifkan Akun WBS Anda"),
            lines=[
                _("Terima kasih telah mendaftar di Whistleblowing System (WBS)."),
                _("Aktifkan akun Anda (username: {username}) dengan membuka tautan berikut:").format(
                    username=user.username
                ),
            ],
            button=_("Aktifkan Akun"),
            link=activation_link(token),
            notes=[
                _("Tautan ini hanya dapat dipakai satu kali dan berlaku {hours} jam.").format(hours=hours),
                _("Jika Anda tidak merasa mendaftar, abaikan email ini."),
            ],
        )


def link_email(*, user: User, subject: str, lines: list[str], button: str, link: str, notes: list[str]) -> dict:
    """An account email of one link (activation, password reset): the greeting, `lines`, the link under `button`,
    then `notes`, as text and HTML. Call it inside language.use(user.language): the texts are in that language."""
    greeting = _("Yth. {name},").format(name=user.full_name)
    text = f"{greeting}\n\n" + "\n".join(lines) + f"\n\n{button}: {link}\n\n" + "\n".join(notes) + "\n"
    html = (
        "".join(f"<p>{escape_html(line)}</p>" for line in [greeting, *lines])
        + f'<p><a href="{link}">{escape_html(button)}</a></p>'
        + f"<p>{' '.join(escape_html(note) for note in notes)}</p>"
    )
    return {
        "to": user.email,
        "subject": subject,
        "text": text,
        "html": html,
        "language": language.normalize(user.language),
    }


def escape_html(value: str) -> str:
    import html

    return html.escape(value)


def activate_account(*, session: Session, token: str, now: dt.datetime | None = None) -> User | None:
    """Use an activation token once. Returns the activated user, or None for an unknown/used/expired token."""
    if not token or len(token) > 100:
        return None
    now = now or utcnow()
    record = session.exec(
        select(ActivationToken).where(col(ActivationToken.token_hash).in_(token_digests(token)))
    ).first()
    if record is None or record.used_at is not None or now >= as_utc(record.expires_at):
        return None
    user = session.get(User, record.user_id)
    if user is None:
        return None
    record.used_at = now
    user.is_active = True
    user.activated_at = now
    session.add(record)
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def renew_activation(*, session: Session, email: str) -> tuple[User, str] | None:
    """A fresh activation token for a registered, never-activated account; None otherwise (told to nobody)."""
    normalized = validators.normalize_email(email)
    if not normalized:
        return None
    user = session.exec(select(User).where(User.email_key == email_key(session=session, email=normalized))).first()
    if user is None or user.is_active or user.activated_at is not None:
        return None
    token = _add_activation_token(session=session, user=user)
    session.commit()
    return user, token


CONTACT_FIELDS = ("phone", "other_phone", "address", "city")


def update_contact(*, session: Session, user_id: int, form: dict[str, str]) -> User:
    """Change the contact details a user may keep up to date themselves (identity data stays as registered).

    A reporter must keep a phone number and an address, as at registration; staff may leave them empty.
    """
    user = session.get(User, user_id)
    if user is None:
        raise ValidationFailed({"phone": messages.SESSION_REQUIRED})
    values = {field: str(form.get(field, "")).strip() for field in CONTACT_FIELDS}
    required = user.role == Role.REPORTER.value
    errors = {
        field: message
        for field, message in {
            "phone": validators.check_phone(values["phone"], required=required),
            "other_phone": validators.check_phone(values["other_phone"], required=False),
            "address": (validators.check_required(values["address"]) if required else None)
            or validators.check_max_length(values["address"], 500),
            "city": validators.check_max_length(values["city"], 80),
        }.items()
        if message
    }
    if errors:
        raise ValidationFailed(errors)
    for field in ("phone", "other_phone"):
        setattr(user, field, validators.normalize_phone(values[field]) or "" if values[field] else "")
    user.address, user.city = values["address"], values["city"]
    session.add(user)
    session.commit()
    session.refresh(user)
    return opened(session=session, user=user)


def create_staff_user(
    *,
    session: Session,
    username: str,
    email: str,
    full_name: str,
    role: Role,
    password: str,
    must_change_password: bool = False,
    created_by: User | None = None,
    via: str = "",
    client_ip: str = "",
) -> User:
    """A verifier or admin account, active at once, audited in the same transaction: made by the administrator
    `created_by`, or through `via` (an operator command, which has no account)."""
    if role not in (Role.VERIFIER, Role.ADMIN):
        raise ValueError("role must be verifier or admin")
    errors: dict[str, str] = {}
    if message := validators.check_username(username):
        errors["username"] = message
    normalized = validators.normalize_email(email)
    if not normalized:
        errors["email"] = messages.EMAIL_INVALID
    if message := validators.check_password(password, username):
        errors["password"] = message
    if not full_name.strip():
        errors["full_name"] = messages.REQUIRED
    if (
        not errors
        and session.exec(
            select(User.id).where(
                or_(
                    User.username_key == username.lower(),
                    User.email_key == email_key(session=session, email=normalized),
                )
            )
        ).first()
    ):
        errors["username"] = messages.USERNAME_TAKEN
    if errors:
        raise ValidationFailed(errors)
    now = utcnow()
    user = User(
        username=username,
        username_key=username.lower(),
        email=normalized,
        email_key=email_key(session=session, email=normalized),
        password_hash=hash_password(password),
        role=role.value,
        full_name=full_name.strip(),
        is_active=True,
        activated_at=now,
        must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    # Reports that already accuse this person are hidden from them from the first login on.
    conflicts.link_staff(session=session, user=user)
    audit.record(
        session=session,
        action="pengguna",
        actor_id=created_by.id if created_by else None,
        detail=f"Buat akun {user.username} ({role.value})" + (f" lewat {via}" if via else ""),
        client_ip=client_ip,
    )
    session.commit()
    session.refresh(user)
    return user


def has_admin(*, session: Session) -> bool:
    return session.exec(select(User.id).where(User.role == Role.ADMIN.value)).first() is not None
