"""Administration: staff accounts and reference data. Every change checks that the actor is an administrator."""

from __future__ import annotations

import secrets

from sqlmodel import Session, and_, col, func, or_, select

from wbs_app import messages
from wbs_app.models import Role, Unit, User, ViolationType, utcnow
from wbs_app.security import hash_password
from wbs_app.services import audit, policy, sealed, sessions, two_factor, users
from wbs_app.services.errors import NotFound, Refused, ValidationFailed

REFERENCE_MODELS = {"jenis": ViolationType, "unit": Unit}


def list_users(*, session: Session, search: str = "", page: int = 1, page_size: int = 20) -> tuple[list[User], int]:
    """One page of accounts, opened. Search: part of a username, a whole email address, or part of a staff
    member's name (a reporter's name and address are sealed, so they are found by exact address only)."""
    conditions = []
    term = search.strip().lower()[:100]
    if term:
        conditions.append(
            or_(
                col(User.username_key).contains(term, autoescape=True),
                User.email_key == users.email_key(session=session, email=term),
                and_(col(User.role).in_(policy.STAFF_ROLES), col(User.full_name).icontains(term, autoescape=True)),
            )
        )
    total = session.exec(select(func.count()).select_from(User).where(*conditions)).one()
    found = session.exec(
        select(User)
        .where(*conditions)
        .order_by(User.role, User.username_key)
        .offset((max(1, page) - 1) * page_size)
        .limit(page_size)
    ).all()
    return sealed.open_rows(session=session, rows=list(found)), total


def _staff_account(*, session: Session, actor: User, user_id: int) -> User:
    """The account an administrator acts on."""
    policy.require_admin(actor)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(messages.USER_NOT_FOUND)
    return user


def _commit_account_change(*, session: Session, actor: User, user: User, detail: str, client_ip: str) -> None:
    session.add(user)
    audit.record(session=session, action="pengguna", actor_id=actor.id, detail=detail, client_ip=client_ip)
    session.commit()


def set_active(*, session: Session, actor: User, user_id: int, active: bool, client_ip: str = "") -> User:
    user = _staff_account(session=session, actor=actor, user_id=user_id)
    if not active:
        policy.require_may_deactivate(actor, user)
    user.is_active = active
    if active and user.activated_at is None:
        user.activated_at = utcnow()
    verb = "Aktifkan" if active else "Nonaktifkan"
    _commit_account_change(
        session=session, actor=actor, user=user, detail=f"{verb} {user.username}", client_ip=client_ip
    )
    if not active:
        sessions.revoke_all_sessions(session=session, user_id=user.id)
    return user


def reset_password(*, session: Session, actor: User, user_id: int, client_ip: str = "") -> tuple[User, str]:
    """A temporary password, shown once to the administrator; the user must choose a new one at login."""
    user = _staff_account(session=session, actor=actor, user_id=user_id)
    temporary = "Wbs-" + secrets.token_urlsafe(9)
    user.password_hash = hash_password(temporary)
    user.must_change_password = True
    _commit_account_change(
        session=session, actor=actor, user=user, detail=f"Reset password {user.username}", client_ip=client_ip
    )
    sessions.revoke_all_sessions(session=session, user_id=user.id)
    return user, temporary


def reference_rows(*, session: Session, kind: str) -> list:
    model = REFERENCE_MODELS[kind]
    order = model.sort_order if model is ViolationType else model.name
    return list(session.exec(select(model).order_by(order)))


def _reference_model(kind: str):
    model = REFERENCE_MODELS.get(kind)
    if model is None:
        raise Refused(messages.REFERENCE_KIND_INVALID)
    return model


def _reference_row(*, session: Session, kind: str, row_id: int):
    row = session.get(_reference_model(kind), row_id)
    if row is None:
        raise NotFound(messages.REFERENCE_KIND_INVALID)
    return row


def _checked_name(*, session: Session, kind: str, name: str, renamed_id: int | None = None) -> str:
    """The name with its spaces tidied; refused when empty or already taken (ignoring case) by another row."""
    model = _reference_model(kind)
    name = " ".join(name.split())[:200]
    if not name:
        raise ValidationFailed({f"{kind}_name": messages.REQUIRED})
    same_name = [func.lower(model.name) == name.lower()]
    if renamed_id is not None:
        same_name.append(model.id != renamed_id)
    if session.exec(select(model.id).where(*same_name)).first():
        raise ValidationFailed({f"{kind}_name": messages.REFERENCE_EXISTS})
    return name


def _commit_reference_change(*, session: Session, actor: User, detail: str, client_ip: str) -> None:
    audit.record(session=session, action="referensi", actor_id=actor.id, detail=detail, client_ip=client_ip)
    session.commit()


def add_reference(*, session: Session, actor: User, kind: str, name: str, client_ip: str = "") -> None:
    policy.require_admin(actor)
    model = _reference_model(kind)
    row = model(name=_checked_name(session=session, kind=kind, name=name))
    if model is ViolationType:
        row.sort_order = (session.exec(select(func.max(ViolationType.sort_order))).one() or 0) + 1
    session.add(row)
    _commit_reference_change(session=session, actor=actor, detail=f"Tambah {kind}: {row.name}", client_ip=client_ip)


def rename_reference(*, session: Session, actor: User, kind: str, row_id: int, name: str, client_ip: str = "") -> None:
    policy.require_admin(actor)
    row = _reference_row(session=session, kind=kind, row_id=row_id)
    old, row.name = row.name, _checked_name(session=session, kind=kind, name=name, renamed_id=row_id)
    session.add(row)
    _commit_reference_change(
        session=session, actor=actor, detail=f"Ubah {kind}: {old} → {row.name}", client_ip=client_ip
    )


def set_reference_active(
    *, session: Session, actor: User, kind: str, row_id: int, active: bool, client_ip: str = ""
) -> None:
    """Deactivate instead of delete: reports that already use a type or unit keep it."""
    policy.require_admin(actor)
    row = _reference_row(session=session, kind=kind, row_id=row_id)
    row.is_active = active
    session.add(row)
    verb = "Aktifkan" if active else "Nonaktifkan"
    _commit_reference_change(session=session, actor=actor, detail=f"{verb} {kind}: {row.name}", client_ip=client_ip)


def create_staff(
    *,
    session: Session,
    actor: User,
    username: str,
    email: str,
    full_name: str,
    role: Role,
    password: str,
    second_factor_code: str,
    client_ip: str = "",
) -> User:
    """A verifier or administrator account made by an administrator: a temporary password, changed at first login,
    and a second factor enrolled at first login. The administrator confirms with a fresh second-factor code."""
    policy.require_admin(actor)
    two_factor.require_fresh_code(session=session, user=actor, code=second_factor_code)
    return users.create_staff_user(
        session=session,
        username=username,
        email=email,
        full_name=full_name,
        role=role,
        password=password,
        must_change_password=True,
        created_by=actor,
        client_ip=client_ip,
    )
