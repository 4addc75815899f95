"""The services protect themselves: each asks its policy rule, so a page that forgets a check cannot misuse it.

For every actor of test_policy.py: a refused call raises with the rule's message and leaves every table and
every file as it was (only the conflict-of-interest refusal of the case page writes its audit entry, on
purpose); the allowed actor gets the change.

The administrator who must replace a temporary password is allowed by the services too: they trust their
`actor`. The login session never hands that user to a page or to the download route (last tests).
"""

from __future__ import annotations

import csv
import io
import secrets

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, select

from tests.unit.drafts import draft_file
from tests.unit.second_factor import enrol, next_code
from tests.unit.test_policy import (  # noqa: F401 - world_fixture provides `world`
    ACTORS,
    ADMIN_ONLY,
    ASSIGNEE,
    CASE,
    DEACTIVATE,
    DOWNLOAD,
    EXPORT,
    HIDDEN,
    OK,
    PASSWORD,
    READS_AS_REPORTER,
    ROLES,
    STAFF_ONLY,
    TRANSITION,
    E,
    V,
    World,
    outcome,
    reporter_views,
    unit_id,
    world_fixture,
)
from wbs_app.models import AuditLog, Evidence, Report, ReportMessage, ReportStatusChange, Role, User, ViolationType
from wbs_app.security import new_token
from wbs_app.services import admin, audit, case_list, cases, deadlines, downloads, export, reports, sessions
from wbs_app.settings import get_settings

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("WBS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield get_settings().data_dir
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def staff_authenticators(world) -> None:
    """Every verifier and administrator account has its second factor, as after their first login."""
    for user in [*world.people.values(), world.colleague]:
        if user is not None and user.role in (Role.VERIFIER.value, Role.ADMIN.value):
            enrol(world.db, user)


def fresh_code(world: World, user) -> str:
    """The code the actor types with a sensitive action (nobody but staff has an authenticator)."""
    return next_code(world.db, user) if user is not None and user.role != Role.REPORTER.value else ""


@pytest.fixture
def colleague_login(world) -> str:
    """The colleague is logged in: a refused deactivation or password reset must not end that session."""
    return sessions.create_session(session=world.db, user=world.colleague)


def upload(world: World) -> reports.EvidenceInput:
    """A file received into a draft's temporary folder, ready to go with a message."""
    return draft_file(world.db, PNG)


def snapshot(world: World) -> dict:
    """Every row of every table (pending changes flushed first) and every file in the data folder."""
    world.db.flush()
    connection = world.db.connection()
    folder = get_settings().data_dir
    return {
        "tables": {
            table.name: sorted(map(repr, connection.execute(sa.select(table))))
            for table in SQLModel.metadata.sorted_tables
        },
        "files": sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()),
    }


def check(world: World, expected: str, action, *args, **kwargs) -> None:
    """`action` answers as expected; when refused, it left no trace."""
    before = snapshot(world)
    assert outcome(action, *args, **kwargs) == expected
    if expected != OK:
        assert snapshot(world) == before


def audited(world: World, action: str) -> list[tuple[int | None, int | None]]:
    """(actor, report) of each audit entry of this action."""
    return list(world.db.exec(select(AuditLog.actor_id, AuditLog.report_id).where(AuditLog.action == action)))


def column(world: World, field, row_id: int):
    """One stored value, read from the database (not from the object in memory)."""
    return world.db.exec(select(field).where(field.class_.id == row_id)).one()


def stored(item: reports.EvidenceInput) -> bool:
    return (get_settings().evidence_dir / item.file_id).is_file()


# Case actions: the rule of require_case --------------------------------------------------------------


def change_status(world: World, user, item) -> bool:
    cases.change_status(session=world.db, report=world.case, actor=user, new_status=E, public_note="Diperiksa")
    changes = world.db.exec(select(ReportStatusChange.changed_by_id, ReportStatusChange.status)).all()
    return column(world, Report.status, world.case.id) == E and changes == [(user.id, E)]


def add_internal_note(world: World, user, item) -> bool:
    cases.add_internal_note(session=world.db, report=world.case, actor=user, note="Saksi kedua dihubungi")
    return audited(world, "catatan_internal") == [(user.id, world.case.id)]


def assign_colleague(world: World, user, item) -> bool:
    cases.assign(session=world.db, report=world.case, actor=user, verifier_id=world.colleague.id)
    return column(world, Report.assigned_to_id, world.case.id) == world.colleague.id


def message_reporter(world: World, user, item) -> bool:
    cases.post_staff_message(session=world.db, report=world.case, actor=user, body="Mohon bukti", attachments=[item])
    authors = world.db.exec(select(ReportMessage.author_id).where(ReportMessage.report_id == world.case.id)).all()
    return authors == [user.id] and stored(item)


def reveal_identity(world: World, user, item) -> bool:
    identity = cases.reveal_identity(
        session=world.db,
        report=world.case,
        actor=user,
        reason="Pemanggilan saksi",
        second_factor_code=fresh_code(world, user),
    )
    return identity.name == "Andi Pelapor" and audited(world, "buka_identitas") == [(user.id, world.case.id)]


CASE_ACTIONS = [change_status, add_internal_note, assign_colleague, message_reporter, reveal_identity]


@pytest.mark.parametrize("action", CASE_ACTIONS, ids=lambda action: action.__name__)
@pytest.mark.parametrize(("actor", "expected"), CASE.items())
def test_case_actions_check_the_actor_themselves(world, action, actor, expected):
    done, item = [], upload(world)
    check(world, expected, lambda: done.append(action(world, world[actor], item)))
    assert done == ([True] if expected == OK else [])


@pytest.mark.parametrize("actor", ACTORS)
def test_reopening_a_closed_report_is_for_administrators_only(world, actor):
    expected = TRANSITION[actor][2]  # Terbukti → Proses Verifikasi
    user = world[actor]
    check(
        world,
        expected,
        cases.change_status,
        session=world.db,
        report=world.closed,
        actor=user,
        new_status=V,
        public_note="Bukti baru diterima",
    )
    if expected == OK:
        assert column(world, Report.closed_at, world.closed.id) is None
        assert audited(world, "buka_kembali") == [(user.id, world.closed.id)]


@pytest.mark.parametrize(("actor", "expected"), ASSIGNEE.items())
def test_a_case_goes_only_to_active_staff_not_named_among_its_accused(world, actor, expected):
    candidate = world[actor]
    candidate_id = candidate.id if candidate else 10**6  # no such account
    check(
        world,
        expected,
        cases.assign,
        session=world.db,
        report=world.case,
        actor=world["admin"],
        verifier_id=candidate_id,
    )
    if expected == OK:
        assert column(world, Report.assigned_to_id, world.case.id) == candidate.id


@pytest.mark.parametrize(("actor", "expected"), CASE.items())
def test_opening_a_case_page(world, actor, expected):
    user, number = world[actor], world.case.registration_number
    if expected == STAFF_ONLY:
        check(world, expected, cases.open_case, session=world.db, number=number, user=user)
        return
    before = snapshot(world)
    opened = cases.open_case(session=world.db, number=number, user=user, client_ip="10.0.0.9")
    if expected == OK:
        assert opened.id == world.case.id and snapshot(world) == before
    else:  # the accused: "not found", and the attempt is the one thing written
        assert opened is None and audited(world, "akses_ditolak") == [(user.id, world.case.id)]
        after = snapshot(world)
        assert len(after["tables"]["audit_log"]) == len(before["tables"]["audit_log"]) + 1
        assert after["files"] == before["files"]
        audit_tables = {"audit_log", "audit_head"}  # the row and the chain's head it moved on
        assert {k: v for k, v in after["tables"].items() if k not in audit_tables} == {
            k: v for k, v in before["tables"].items() if k not in audit_tables
        }


@pytest.mark.parametrize(("actor", "expected"), CASE.items())
def test_the_case_list_and_its_counters(world, actor, expected):
    user, config = world[actor], deadlines.DeadlineConfig()
    filters = case_list.CaseFilters()
    if expected == STAFF_ONLY:
        check(world, expected, case_list.list_cases, session=world.db, filters=filters, user=user, config=config)
        check(world, expected, case_list.counters, session=world.db, user=user, config=config)
        return
    visible = [world.case, world.closed, world.unrelated] if expected == OK else [world.unrelated]
    rows, total = case_list.list_cases(session=world.db, filters=filters, user=user, config=config)
    assert {row.registration_number for row in rows} == {r.registration_number for r in visible}
    assert total == len(visible)
    open_count = sum(r.status == V for r in visible)
    assert case_list.counters(session=world.db, user=user, config=config)["verifikasi"] == open_count


# Administration: the rule of require_admin -----------------------------------------------------------

ADMIN = {actor: OK if ROLES[actor][1] else ADMIN_ONLY for actor in ACTORS}


def deactivate_colleague(world: World, user) -> bool:
    admin.set_active(session=world.db, actor=user, user_id=world.colleague.id, active=False)
    return column(world, User.is_active, world.colleague.id) is False


def reactivate_verifier(world: World, user) -> bool:
    # As the deactivated verifier themselves: reactivating one's own account is refused too.
    target = world["deactivated_verifier"]
    admin.set_active(session=world.db, actor=user, user_id=target.id, active=True)
    return column(world, User.is_active, target.id) is True


def reset_colleague_password(world: World, user) -> bool:
    _, temporary = admin.reset_password(session=world.db, actor=user, user_id=world.colleague.id)
    return column(world, User.must_change_password, world.colleague.id) is True and temporary != PASSWORD


def add_unit(world: World, user) -> bool:
    admin.add_reference(session=world.db, actor=user, kind="unit", name="Dinas Pariwisata Baru")
    return "Dinas Pariwisata Baru" in [row.name for row in admin.reference_rows(session=world.db, kind="unit")]


def rename_violation_type(world: World, user) -> bool:
    type_id = world.db.exec(select(ViolationType.id).where(ViolationType.name == "Korupsi")).one()
    admin.rename_reference(session=world.db, actor=user, kind="jenis", row_id=type_id, name="Korupsi Anggaran")
    return column(world, ViolationType.name, type_id) == "Korupsi Anggaran"


def deactivate_unit(world: World, user) -> bool:
    unit = unit_id(world.db, "Inspektorat")
    admin.set_reference_active(session=world.db, actor=user, kind="unit", row_id=unit, active=False)
    return not [row for row in admin.reference_rows(session=world.db, kind="unit") if row.id == unit][0].is_active


def create_verifier(world: World, user) -> bool:
    admin.create_staff(
        session=world.db,
        actor=user,
        username="petugasbaru",
        email="petugasbaru@contoh.go.id",
        full_name="Petugas Baru",
        role=Role.VERIFIER,
        password=PASSWORD,
        second_factor_code=fresh_code(world, user),
    )
    created = world.db.exec(select(User).where(User.username_key == "petugasbaru")).one()
    return created.role == Role.VERIFIER.value and created.must_change_password


ADMIN_ACTIONS = [
    deactivate_colleague,
    reactivate_verifier,
    reset_colleague_password,
    add_unit,
    rename_violation_type,
    deactivate_unit,
    create_verifier,
]


@pytest.mark.parametrize("action", ADMIN_ACTIONS, ids=lambda action: action.__name__)
@pytest.mark.parametrize(("actor", "expected"), ADMIN.items())
def test_administration_checks_the_actor_itself(world, colleague_login, action, actor, expected):
    done = []
    check(world, expected, lambda: done.append(action(world, world[actor])))
    assert done == ([True] if expected == OK else [])
    # A deactivation or a password reset ends the colleague's login; a refused one does not.
    ended = expected == OK and action in (deactivate_colleague, reset_colleague_password)
    assert (sessions.resolve_session(session=world.db, token=colleague_login) is None) is ended


@pytest.mark.parametrize(("actor", "expected"), DEACTIVATE.items())
def test_nobody_deactivates_their_own_account(world, actor, expected):
    own = world[actor] or world.colleague
    check(world, expected[0], admin.set_active, session=world.db, actor=world[actor], user_id=own.id, active=False)


@pytest.mark.parametrize(("actor", "expected"), ADMIN.items())
def test_the_audit_log_is_for_administrators_and_hides_what_is_about_them(world, actor, expected):
    cases.add_internal_note(session=world.db, report=world.case, actor=world["verifier"], note="Tentang terlapor")
    audit.record(session=world.db, action="pengaturan", actor_id=world["admin"].id, detail="Tenggat diubah")
    world.db.commit()
    user = world[actor]
    check(world, expected, audit.list_entries, session=world.db, viewer=user)
    if expected == OK:
        details = {row.detail for row in audit.list_entries(session=world.db, viewer=user)[0]}
        accused = actor == "accused_admin"
        assert details == ({"Tenggat diubah"} if accused else {"Tenggat diubah", "Tentang terlapor"})


# Export -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("include_identity", [False, True], ids=["tanpa-identitas", "dengan-identitas"])
@pytest.mark.parametrize(("actor", "expected"), EXPORT.items())
def test_export_checks_the_actor_and_leaves_out_the_case_about_them(world, actor, expected, include_identity):
    user, expected = world[actor], expected[include_identity]
    names = []
    check(
        world,
        expected,
        lambda: names.append(
            export.export_cases(
                session=world.db,
                filters=case_list.CaseFilters(),
                user=user,
                config=deadlines.DeadlineConfig(),
                include_identity=include_identity,
                identity_reason="Permintaan APH nomor 12/2026",
                second_factor_code=fresh_code(world, user),
            )
        ),
    )
    if expected != OK:
        return
    text = b"".join(export.read_export(session=world.db, name=names[0])).decode("utf-8-sig")
    numbers = {row[0] for row in list(csv.reader(io.StringIO(text, newline="")))[1:]}
    visible = [world.unrelated] if actor.startswith("accused") else [world.case, world.closed, world.unrelated]
    assert numbers == {r.registration_number for r in visible}
    revealed = {report_id for _, report_id in audited(world, "buka_identitas")}
    assert revealed == ({r.id for r in visible} if include_identity else set())


# Reporters and downloads ------------------------------------------------------------------------------


@pytest.mark.parametrize(("actor", "expected"), READS_AS_REPORTER.items())
def test_the_reporter_page_and_its_messages(world, actor, expected):
    for (report, user_id, granted), allowed in zip(reporter_views(world, world[actor]), expected, strict=True):
        number = report.registration_number
        found = reports.report_for_reporter(
            session=world.db, registration_number=number, user_id=user_id, granted=granted
        )
        assert (found is not None) is allowed
        item = upload(world)
        check(
            world,
            OK if allowed else HIDDEN,
            reports.post_reporter_message,
            session=world.db,
            report=report,
            user_id=user_id,
            granted=granted,
            body="Ini bukti tambahan",
            attachments=[item],
        )
        assert stored(item) is allowed


# The download route checks the login again: a temporary password counts as no login at all.
DOWNLOAD_LINK = {**DOWNLOAD, "pending_admin": (False, False)}


@pytest.mark.parametrize(("actor", "expected"), DOWNLOAD_LINK.items())
def test_evidence_links_of_a_login_follow_the_policy(world, actor, expected):
    db, user = world.db, world[actor]
    files = []
    for report in (world.case, world.closed):
        files.append(
            Evidence(
                report_id=report.id,
                stored_name=secrets.token_hex(16),
                original_name="a.png",
                kind="png",
                size=1,
                sha256="0",
            )
        )
    db.add_all(files)
    db.commit()
    login = sessions.create_session(session=db, user=user) if user else ""
    for record, allowed in zip(files, expected, strict=True):
        # Without a login, the link of another browser's login is tried.
        link = downloads.make_download_token(record.id, session_token=login or new_token())
        grant = downloads.read_download_token(link)
        assert (downloads.may_download(session=db, grant=grant, session_token=login) is not None) is allowed
        # A Kode Akses holder's link has no login: signature and expiry are its only checks.
        assert downloads.may_download(session=db, grant=downloads.DownloadGrant(record.id), session_token="") == record


def test_a_temporary_password_opens_only_the_page_where_it_is_replaced(world):
    pending = world["pending_admin"]
    login = sessions.create_session(session=world.db, user=pending)
    assert sessions.resolve_session(session=world.db, token=login) is None
    assert sessions.resolve_session(session=world.db, token=login, allow_pending_password=True).id == pending.id
