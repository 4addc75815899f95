"""Every rule of wbs_app.services.policy, for every kind of user: one parametrized table per rule.

The services' own use of these rules (a refused call changes nothing) is in test_policy_services.py, which
builds on the people and reports made here.

A staff member who must still replace a temporary password passes every rule here like any other active
staff member: the policy looks at role and activity only. Such a user is turned away before any rule is
asked, by sessions.resolve_session (the login counts as nobody) and state/staff.py (every staff handler);
test_policy_services.py shows the session side.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from wbs_app import messages
from wbs_app.models import Report, ReportAccused, ReportStatus, Role, Unit, User, ViolationType, utcnow
from wbs_app.security import hash_password
from wbs_app.services import codes, conflicts, policy, report_index, users
from wbs_app.services.errors import NotFound, Refused

V, E = ReportStatus.VERIFICATION.value, ReportStatus.EXAMINATION.value
P, NP, NFU = ReportStatus.PROVEN.value, ReportStatus.NOT_PROVEN.value, ReportStatus.NOT_FOLLOWED_UP.value
PASSWORD = "Rahasia-2026-aman"
PASSWORD_HASH = hash_password(PASSWORD)  # once: argon2 is slow on purpose
ACCESS_CODE_HASH = hash_password(codes.new_access_code())

ACTORS = [
    "anonymous",
    "reporter",  # owns the case (sent it from this account)
    "other_reporter",
    "deactivated_verifier",
    "verifier",
    "accused_verifier",  # "Tensu Wijaya" of Dinas Kesehatan, named with that unit among the accused
    "admin",
    "accused_admin",  # "Rina Lestari" of Inspektorat, named among the accused without a unit
    "pending_admin",  # must replace a temporary password
]

# What a rule answers, as the user would read it.
OK = "ok"
STAFF_ONLY = f"ditolak: {messages.STAFF_ONLY}"
ADMIN_ONLY = f"ditolak: {messages.ADMIN_ONLY}"
HIDDEN = f"tidak ditemukan: {messages.REPORT_NOT_FOUND}"  # the same answer as for an unknown number
NOT_ALLOWED = f"ditolak: {messages.STATUS_NOT_ALLOWED}"
ASSIGNEE_INVALID = f"ditolak: {messages.ASSIGNEE_INVALID}"
IDENTITY_ADMIN_ONLY = f"ditolak: {messages.EXPORT_IDENTITY_ADMIN_ONLY}"
SELF_DEACTIVATION = f"ditolak: {messages.CANNOT_DEACTIVATE_SELF}"


def conflict(name: str) -> str:
    return f"ditolak: {messages.ASSIGNEE_CONFLICT.format(name=name)}"


def outcome(action: Callable, *args, **kwargs) -> str:
    """OK when `action(*args, **kwargs)` goes through, else the refusal with its message."""
    try:
        action(*args, **kwargs)
    except NotFound as error:
        return f"tidak ditemukan: {error}"
    except Refused as error:
        return f"ditolak: {error}"
    return OK


# People and reports -----------------------------------------------------------------------------------


def unit_id(db: Session, name: str) -> int:
    return db.exec(select(Unit.id).where(Unit.name == name)).one()


def person(
    db: Session,
    username: str,
    full_name: str,
    *,
    role: Role = Role.VERIFIER,
    unit: str | None = None,
    active: bool = True,
    must_change_password: bool = False,
) -> User:
    user = User(
        username=username,
        username_key=username,
        email=f"{username}@contoh.go.id",
        email_key=f"{username}@contoh.go.id",
        password_hash=PASSWORD_HASH,
        role=role.value,
        full_name=full_name,
        unit_id=unit_id(db, unit) if unit else None,
        is_active=active,
        must_change_password=must_change_password,
    )
    db.add(user)
    db.flush()
    conflicts.link_staff(session=db, user=user)  # as creating a staff account does
    db.commit()
    db.refresh(user)
    return user


def report(
    db: Session,
    *,
    status: str,
    accused: list[tuple[str, str]],
    owner: User | None = None,
) -> Report:
    """A report about `accused` (name, institution); sent from `owner`'s account, or else with a Kode Akses."""
    now = utcnow()
    owner = users.opened(session=db, user=owner) if owner else None  # its name and address in clear
    row = Report(
        registration_number=codes.new_registration_number(),
        access_code_hash=None if owner else ACCESS_CODE_HASH,
        channel="Pelanggaran (WBS)",
        reporter_id=owner.id if owner else None,
        reporter_name=owner.full_name if owner else "Robert",
        reporter_email=owner.email if owner else "robert@mail.co.id",
        title="Pengadaan fiktif",
        description="Uraian",
        violation_type_id=db.exec(select(ViolationType.id)).first(),
        unit_id=unit_id(db, "Dinas Kesehatan"),
        status=status,
        created_at=now,
        updated_at=now,
        closed_at=now if status not in (V, E) else None,
    )
    db.add(row)
    db.flush()
    for order, (name, institution) in enumerate(accused):
        db.add(ReportAccused(report_id=row.id, position_in_list=order, name=name, institution=institution))
    db.flush()
    report_index.reindex(session=db, report=row)  # as a submission does
    db.commit()
    db.refresh(row)
    return row


ACCUSED = [("Tensu Wijaya", "Dinas Kesehatan"), ("Rina Lestari", "")]


@dataclasses.dataclass
class World:
    db: Session
    people: dict[str, User | None]
    case: Report  # open, sent from the reporter's account, about Tensu Wijaya and Rina Lestari
    closed: Report  # closed (Terbukti), sent with a Kode Akses, about the same two
    unrelated: Report  # open, about someone else
    colleague: User  # an active verifier the tests assign, deactivate and reset

    def __getitem__(self, actor: str) -> User | None:
        return self.people[actor]


@pytest.fixture(name="world")
def world_fixture(db) -> World:
    people = {
        "anonymous": None,
        "reporter": person(db, "andi", "Andi Pelapor", role=Role.REPORTER),
        "other_reporter": person(db, "dewi", "Dewi Pelapor", role=Role.REPORTER),
        "deactivated_verifier": person(db, "joko", "Joko Nonaktif", active=False),
        "verifier": person(db, "siti", "Siti Aminah", unit="Inspektorat"),
        "accused_verifier": person(db, "tensu", "Tensu Wijaya", unit="Dinas Kesehatan"),
        "admin": person(db, "admin", "Admin Utama", role=Role.ADMIN),
        "accused_admin": person(db, "rina", "Rina Lestari", role=Role.ADMIN, unit="Inspektorat"),
        "pending_admin": person(db, "baru", "Admin Baru", role=Role.ADMIN, must_change_password=True),
    }
    assert list(people) == ACTORS
    return World(
        db=db,
        people=people,
        case=report(db, status=V, accused=ACCUSED, owner=people["reporter"]),
        closed=report(db, status=P, accused=ACCUSED),
        unrelated=report(db, status=V, accused=[("Bambang", "Dinas Kesehatan")]),
        colleague=person(db, "bambang", "Bambang Petugas"),
    )


# Roles ------------------------------------------------------------------------------------------------

ROLES = {  # actor: (is_staff, is_admin)
    "anonymous": (False, False),
    "reporter": (False, False),
    "other_reporter": (False, False),
    "deactivated_verifier": (False, False),
    "verifier": (True, False),
    "accused_verifier": (True, False),
    "admin": (True, True),
    "accused_admin": (True, True),
    "pending_admin": (True, True),
}


@pytest.mark.parametrize(("actor", "expected"), ROLES.items())
def test_roles(world, actor, expected):
    user = world[actor]
    staff, admin = expected
    assert (policy.is_staff(user), policy.is_admin(user)) == expected
    assert outcome(policy.require_staff, user) == (OK if staff else STAFF_ONLY)
    assert outcome(policy.require_admin, user) == (OK if admin else ADMIN_ONLY)


# Conflict of interest ---------------------------------------------------------------------------------

CONFLICTS = [  # (staff name, staff unit, accused name, accused institution, is accused)
    ("Tensu Wijaya", "Dinas Kesehatan", "Tensu Wijaya", "Dinas Kesehatan", True),
    ("Tensu Wijaya", "Dinas Kesehatan", "  tensu WIJAYA ", " dinas kesehatan ", True),  # trimmed, any case
    ("Tensu Wijaya", "Inspektorat", "Tensu Wijaya", "Dinas Kesehatan", False),  # a namesake in another unit
    ("Tensu Wijaya", None, "Tensu Wijaya", "Dinas Kesehatan", True),  # staff without a unit: the name decides
    ("Tensu Wijaya", "Inspektorat", "Tensu Wijaya", "", True),  # accused without a unit: the name decides
    ("Tensu", "Dinas Kesehatan", "Tensu Wijaya", "Dinas Kesehatan", False),  # part of a name is not the name
]


@pytest.mark.parametrize(("name", "unit", "accused_name", "institution", "expected"), CONFLICTS)
def test_conflict_of_interest_is_the_same_name_and_the_same_unit_when_both_name_one(
    db, name, unit, accused_name, institution, expected
):
    staff = person(db, "petugas", name, unit=unit)
    about_them = report(db, status=V, accused=[("Bambang", ""), (accused_name, institution)])
    assert policy.is_accused(session=db, user=staff, report=about_them) is expected
    assert policy.may_handle_case(session=db, user=staff, report=about_them) is not expected


# Cases ------------------------------------------------------------------------------------------------

CASE = {  # require_case, require_identity_reveal: on a report naming the accused staff
    "anonymous": STAFF_ONLY,
    "reporter": STAFF_ONLY,
    "other_reporter": STAFF_ONLY,
    "deactivated_verifier": STAFF_ONLY,
    "verifier": OK,
    "accused_verifier": HIDDEN,
    "admin": OK,
    "accused_admin": HIDDEN,
    "pending_admin": OK,
}


@pytest.mark.parametrize(("actor", "expected"), CASE.items())
def test_who_may_handle_a_case(world, actor, expected):
    db, user = world.db, world[actor]
    for report_ in (world.case, world.closed):
        assert outcome(policy.require_case, session=db, user=user, report=report_) == expected
        assert outcome(policy.require_identity_reveal, session=db, user=user, report=report_) == expected
        assert policy.may_handle_case(session=db, user=user, report=report_) is (expected == OK)
    # The accused handle every other report.
    on_unrelated = OK if policy.is_staff(user) else STAFF_ONLY
    assert outcome(policy.require_case, session=db, user=user, report=world.unrelated) == on_unrelated


WORKFLOW = {  # status: (next statuses for a verifier, for an administrator)
    V: ([E, NFU], [E, NFU]),
    E: ([P, NP], [P, NP]),
    P: ([], [V, E]),  # a closed report is reopened by an administrator only
    NP: ([], [V, E]),
    NFU: ([], [V, E]),
}
# Which column of WORKFLOW each actor gets; None: no status change at all. The accused get the column of
# their role: this answer is about the status; require_transition refuses them the case itself.
WORKFLOW_COLUMN = {
    "anonymous": None,
    "reporter": None,
    "other_reporter": None,
    "deactivated_verifier": None,
    "verifier": 0,
    "accused_verifier": 0,
    "admin": 1,
    "accused_admin": 1,
    "pending_admin": 1,
}


def test_the_workflow_table_covers_every_status():
    assert set(WORKFLOW) == {status.value for status in ReportStatus}


@pytest.mark.parametrize("status", WORKFLOW)
@pytest.mark.parametrize(("actor", "column"), WORKFLOW_COLUMN.items())
def test_next_statuses(world, status, actor, column):
    world.case.status = status
    expected = [] if column is None else WORKFLOW[status][column]
    assert policy.allowed_next_statuses(world.case, world[actor]) == expected


TRANSITION = {  # actor: (Verifikasi→Pemeriksaan, Verifikasi→Terbukti, Terbukti→Verifikasi, Terbukti→Tidak Terbukti)
    "anonymous": (STAFF_ONLY,) * 4,
    "reporter": (STAFF_ONLY,) * 4,
    "other_reporter": (STAFF_ONLY,) * 4,
    "deactivated_verifier": (STAFF_ONLY,) * 4,
    "verifier": (OK, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "accused_verifier": (HIDDEN,) * 4,
    "admin": (OK, NOT_ALLOWED, OK, NOT_ALLOWED),
    "accused_admin": (HIDDEN,) * 4,
    "pending_admin": (OK, NOT_ALLOWED, OK, NOT_ALLOWED),
}


@pytest.mark.parametrize(("actor", "expected"), TRANSITION.items())
def test_status_changes_follow_the_workflow_and_only_administrators_reopen(world, actor, expected):
    db, user = world.db, world[actor]
    moves = [(world.case, E), (world.case, P), (world.closed, V), (world.closed, NP)]
    assert (
        tuple(
            outcome(policy.require_transition, session=db, user=user, report=report_, new_status=new)
            for report_, new in moves
        )
        == expected
    )


ASSIGNEE = {  # require_assignable: the actor is the one to be assigned
    "anonymous": ASSIGNEE_INVALID,  # no such account
    "reporter": ASSIGNEE_INVALID,
    "other_reporter": ASSIGNEE_INVALID,
    "deactivated_verifier": ASSIGNEE_INVALID,
    "verifier": OK,
    "accused_verifier": conflict("Tensu Wijaya"),
    "admin": OK,
    "accused_admin": conflict("Rina Lestari"),
    "pending_admin": OK,
}


@pytest.mark.parametrize(("actor", "expected"), ASSIGNEE.items())
def test_who_may_be_assigned_a_case(world, actor, expected):
    db, user = world.db, world[actor]
    assert outcome(policy.require_assignable, session=db, verifier=user, report=world.case) == expected
    on_unrelated = OK if policy.is_staff(user) else ASSIGNEE_INVALID
    assert outcome(policy.require_assignable, session=db, verifier=user, report=world.unrelated) == on_unrelated


EXPORT = {  # actor: (the case list, the case list with the reporters' identities)
    "anonymous": (STAFF_ONLY, STAFF_ONLY),
    "reporter": (STAFF_ONLY, STAFF_ONLY),
    "other_reporter": (STAFF_ONLY, STAFF_ONLY),
    "deactivated_verifier": (STAFF_ONLY, STAFF_ONLY),
    "verifier": (OK, IDENTITY_ADMIN_ONLY),
    "accused_verifier": (OK, IDENTITY_ADMIN_ONLY),  # the export leaves their case out (services test)
    "admin": (OK, OK),
    "accused_admin": (OK, OK),
    "pending_admin": (OK, OK),
}


@pytest.mark.parametrize(("actor", "expected"), EXPORT.items())
def test_who_may_export(world, actor, expected):
    user = world[actor]
    assert (
        outcome(policy.require_export, user, include_identity=False),
        outcome(policy.require_export, user, include_identity=True),
    ) == expected


# Reporters --------------------------------------------------------------------------------------------

READS_AS_REPORTER = {
    # actor: (the account report without, with its number granted; the Kode Akses report without, with)
    "anonymous": (False, False, False, True),
    "reporter": (True, True, False, True),
    "other_reporter": (False, False, False, True),
    "deactivated_verifier": (False, False, False, True),
    "verifier": (False, False, False, True),  # staff read cases on the case page, not this one
    "accused_verifier": (False, False, False, True),  # holding the Kode Akses is all this page asks
    "admin": (False, False, False, True),
    "accused_admin": (False, False, False, True),
    "pending_admin": (False, False, False, True),
}


def reporter_views(world: World, user: User | None) -> list[tuple[Report, int | None, set[str]]]:
    """The four visits of READS_AS_REPORTER, as (report, user id, numbers granted in this tab)."""
    user_id = user.id if user else None
    return [
        (report_, user_id, granted)
        for report_ in (world.case, world.closed)
        for granted in (set(), {report_.registration_number})
    ]


@pytest.mark.parametrize(("actor", "expected"), READS_AS_REPORTER.items())
def test_who_reads_a_report_as_its_reporter(world, actor, expected):
    views = reporter_views(world, world[actor])
    assert tuple(policy.may_read_as_reporter(r, user_id=u, granted=g) for r, u, g in views) == expected
    assert (
        tuple(outcome(policy.require_reporter_access, r, user_id=u, granted=g) == OK for r, u, g in views) == expected
    )
    # A grant for another number opens nothing.
    assert not policy.may_read_as_reporter(world.closed, user_id=None, granted={world.case.registration_number})


DOWNLOAD = {  # may_download_evidence: actor: (the account report, the Kode Akses report)
    "anonymous": (False, False),
    "reporter": (True, False),
    "other_reporter": (False, False),
    "deactivated_verifier": (False, False),
    "verifier": (True, True),
    "accused_verifier": (False, False),
    "admin": (True, True),
    "accused_admin": (False, False),
    "pending_admin": (True, True),  # the download route's session check refuses them (services test)
}


@pytest.mark.parametrize(("actor", "expected"), DOWNLOAD.items())
def test_who_may_download_evidence(world, actor, expected):
    db, user = world.db, world[actor]
    assert (
        policy.may_download_evidence(session=db, user=user, report=world.case),
        policy.may_download_evidence(session=db, user=user, report=world.closed),
    ) == expected


def test_a_deactivated_owner_downloads_nothing(world):
    owner = world["reporter"]
    owner.is_active = False
    assert not policy.may_download_evidence(session=world.db, user=owner, report=world.case)


# Administration ---------------------------------------------------------------------------------------

DEACTIVATE = {  # require_may_deactivate: actor: (their own account, a colleague's)
    "anonymous": (ADMIN_ONLY, ADMIN_ONLY),
    "reporter": (ADMIN_ONLY, ADMIN_ONLY),
    "other_reporter": (ADMIN_ONLY, ADMIN_ONLY),
    "deactivated_verifier": (ADMIN_ONLY, ADMIN_ONLY),
    "verifier": (ADMIN_ONLY, ADMIN_ONLY),
    "accused_verifier": (ADMIN_ONLY, ADMIN_ONLY),
    "admin": (SELF_DEACTIVATION, OK),
    "accused_admin": (SELF_DEACTIVATION, OK),
    "pending_admin": (SELF_DEACTIVATION, OK),
}


@pytest.mark.parametrize(("actor", "expected"), DEACTIVATE.items())
def test_who_may_deactivate_an_account(world, actor, expected):
    user = world[actor]
    own = user or world.colleague  # nobody has no account of their own: any target will do
    assert (
        outcome(policy.require_may_deactivate, user, own),
        outcome(policy.require_may_deactivate, user, world.colleague),
    ) == expected
