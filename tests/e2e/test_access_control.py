"""Every verifier and administrator event handler, sent by a reporter's and by an anonymous browser.

The list of handlers is generated from the StaffState classes, so a new handler is tested as soon as it
exists. Each call goes out over the browser's own websocket (or upload endpoint), as any client could
send it; the test then checks that nothing changed and that the refusal was written to the audit log
(counted: refusals of one handler from one client within a minute share a row).
"""

from __future__ import annotations

import inspect
import os
import time

import pytest
from reflex.utils import format
from sqlmodel import func, select

import wbs_app.wbs_app  # noqa: F401 - imports every page and its state
from tests.e2e.conftest import app_db, expect_path, open_page
from tests.e2e.helpers import audit_details, create_report, create_staff, login, new_person, register_and_activate
from wbs_app.models import (
    AppSetting,
    AuditLog,
    CaseRead,
    CaseReadHorizon,
    Evidence,
    InstitutionLogo,
    InstitutionProfile,
    Report,
    ReportMessage,
    ReportStatusChange,
    RetaliationCheckIn,
    SecondFactor,
    Unit,
    User,
    ViolationType,
)
from wbs_app.services import audit, cases, reports, retaliation
from wbs_app.state.staff import StaffState

pytestmark = pytest.mark.scaleout  # also in the second pass (PostgreSQL + Redis + 2 workers)


def staff_state_classes() -> list[type]:
    found, queue = [], list(StaffState.__subclasses__())
    while queue:
        cls = queue.pop()
        found.append(cls)
        queue.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: c.__name__)


def staff_handlers() -> list[tuple[type, str]]:
    return [
        (cls, name)
        for cls in staff_state_classes()
        for name in cls.event_handlers
        if name != "setvar"  # Reflex's own; see test_staff_states_have_no_setters
    ]


HANDLERS = staff_handlers()


def test_the_generated_list_covers_every_staff_page():
    names = {cls.__name__ for cls, _ in HANDLERS}
    assert {
        "CaseListState",
        "CaseState",
        "StatisticsState",
        "AdminState",
        "StaffAccountsState",
        "ReferenceDataState",
        "DeadlineSettingsState",
        "RetentionState",
        "AuditLogState",
    } <= names
    assert len(HANDLERS) >= 25


def test_staff_states_have_no_setters():
    """Reflex's built-in setvar calls set_<var>; without such methods it can change nothing."""
    for cls in staff_state_classes():
        assert not [name for name in cls.event_handlers if name.startswith("set_") and name not in OWN_SETTERS], cls


# Handlers whose names start with set_ but take several arguments (setvar cannot call them).
OWN_SETTERS = {"set_user_active", "set_reference_active", "set_upload_description"}


def arguments_for(cls: type, name: str, ids: dict) -> dict:
    form = {
        "new_status": "Proses Pemeriksaan",
        "public_note": "catatan dari penyerang",
        "internal_note": "x",
        "verifier_id": str(ids["victim"]),
        "reason": "alasan yang cukup panjang sekali",
        "message": "pesan palsu",
        "note": "catatan palsu",
        "username": "penyusup1",
        "email": "penyusup@mail.co.id",
        "full_name": "Penyusup",
        "password": "Rahasia-2026-aman",
        "role": "admin",
        "search": "",
        "name": "Nama dari penyerang",
        "acknowledge_days": "1",
        "result_days": "1",
        "remind_days_before": "0",
        "working_days": "on",
        "include_identity": "on",
        "status": "",
        "action": "",
        "report": "",
        "actor": "",
        "retention_days_wbs": "30",
        "retention_days_benturan": "30",
        "retention_days_gratifikasi": "30",
        "number": ids["number"],
    }
    values = {
        "form": form,
        "page": 2,
        "key": "nomor",
        "value": "Keterangan dari penyerang",
        "user_id": str(ids["victim"]),
        "active": False,
        "kind": "unit",
        "row_id": str(ids["unit"]),
        "name": "Nama dari penyerang",
        "file_id": "0" * 32,
        "progress": {"progress": 0.5},
        "tab": "tenggat",
        "number": ids["number"],
        "held": True,
        "case_id": ids["case"],
    }
    params = list(inspect.signature(cls.event_handlers[name].fn).parameters)[1:]
    return {param: values[param] for param in params}


def is_upload_handler(cls: type, name: str) -> bool:
    parameters = list(inspect.signature(cls.event_handlers[name].fn).parameters.values())[1:]
    return any("UploadChunkIterator" in str(p.annotation) for p in parameters)


def snapshot() -> dict:
    from wbs_app.settings import get_settings

    with app_db() as db:
        exports = get_settings().data_dir / "exports"
        return {
            "reports": sorted(
                (r.registration_number, r.status, r.assigned_to_id, r.acknowledged_at, r.closed_at, r.updated_at)
                + (r.legal_hold, r.purged_at, r.data_key)
                for r in db.exec(select(Report))
            ),
            "changes": db.exec(select(func.count()).select_from(ReportStatusChange)).one(),
            "messages": db.exec(select(func.count()).select_from(ReportMessage)).one(),
            "evidence": db.exec(select(func.count()).select_from(Evidence)).one(),
            "users": sorted(
                (u.id, u.is_active, u.password_hash, u.role, u.must_change_password) for u in db.exec(select(User))
            ),
            "types": sorted((t.id, t.name, t.is_active) for t in db.exec(select(ViolationType))),
            "units": sorted((u.id, u.name, u.is_active) for u in db.exec(select(Unit))),
            "second_factors": sorted((f.user_id, f.secret, f.enabled_at) for f in db.exec(select(SecondFactor))),
            "institution": sorted((p.version, p.name, p.logo_sha256) for p in db.exec(select(InstitutionProfile))),
            "logos": sorted(logo.sha256 for logo in db.exec(select(InstitutionLogo))),
            "protection": sorted((c.id, c.status, c.closing_note) for c in db.exec(select(RetaliationCheckIn))),
            "read": sorted((r.user_id, r.report_id, r.read_at) for r in db.exec(select(CaseRead)))
            + sorted((h.user_id, h.read_before) for h in db.exec(select(CaseReadHorizon))),
            "settings": sorted(
                (s.key, s.value)
                for s in db.exec(select(AppSetting))
                # The app's daily jobs.
                if not s.key.endswith("_last_run") and s.key != "audit_head_logged_on"
            ),
            "audit": db.exec(
                select(func.count()).select_from(AuditLog).where(AuditLog.action != "akses_ditolak")
            ).one(),
            "exports": len(list(exports.iterdir())) if exports.exists() else 0,
        }


def refusals(handler: str) -> int:
    """How many calls of the handler the audit log shows refused (rows count repeated calls: "… (×3)")."""
    details = audit_details(AuditLog.action == "akses_ditolak")
    return sum(calls for name, calls in map(audit.refused_calls, details) if name == handler)


REWRITE_HOOK = """
window.__reflex_otel = { onEventSend: (event) => {
  const rewrite = window.__wbsRewrite;
  if (!rewrite) return;
  window.__wbsRewrite = null;
  event.name = rewrite.name;
  event.payload = rewrite.payload;
  event.router_data = {pathname: rewrite.pathname, asPath: rewrite.path, query: rewrite.query};
}};
"""


def send_over_websocket(page, event_name: str, payload: dict, number: str, route: str = "/verifikator/laporan") -> None:
    """Rewrite the next event this browser sends (the tracking form's) into the given one, as if it came
    from the page `route`/`number`."""
    page.evaluate(REWRITE_HOOK)
    page.evaluate(
        "([name, payload, number, route]) => { window.__wbsRewrite = {name, payload, pathname: route + '/[nomor]',"
        " path: route + '/' + number, query: {nomor: number}}; }",
        [event_name, payload, number, route],
    )
    page.get_by_label("Nomor Registrasi").fill("WBS-0000000000")
    page.get_by_role("button", name="Lacak").click()


def send_upload(page, event_name: str) -> None:
    page.evaluate(
        """async ([url, handler]) => {
            const form = new FormData();
            form.append("files", new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 0, 0, 0, 0, 0])]), "x.png");
            await fetch(url, {method: "POST", body: form, headers: {
                "Reflex-Client-Token": window.sessionStorage.getItem("token"), "Reflex-Event-Handler": handler}});
        }""",
        [os.environ["WBS_BASE_URL"] + "/_upload", event_name],  # the server under test
    )


@pytest.fixture(scope="module")
def targets(app_harness):  # made again in each pass's database
    number, _ = create_report(accused="Target Serangan", email="target@mail.co.id")
    victim = create_staff()
    with app_db() as db:
        victim_id = db.exec(select(User.id).where(User.username == victim["username"])).one()
        unit_id = db.exec(select(Unit.id)).first()
        # A second report, closed, whose reporter opened a protection case: the target of the protection handlers.
        closed, _ = create_report(accused="Target Perlindungan")
        report = reports.find_report(session=db, registration_number=closed)
        for status in ("Proses Pemeriksaan", "Selesai: Terbukti"):
            cases.change_status(session=db, report=report, actor=db.get(User, victim_id), new_status=status, public_note="x")
        grant = {"user_id": None, "granted": {closed}}
        case_id = retaliation.check_in(session=db, report=report, **grant, retaliation=True, description="Dimutasi.").id
    return {"number": number, "victim": victim_id, "unit": unit_id, "case": case_id}


@pytest.mark.parametrize("who", ["anonim", "pelapor"])
def test_no_staff_handler_works_for_a_non_staff_browser(page, mailbox, targets, who):
    if who == "pelapor":
        person = new_person()
        register_and_activate(page, mailbox, person)
        login(page, person["username"])
        expect_path(page, "/akun")
    before = snapshot()
    for cls, name in HANDLERS:
        open_page(page, "/")  # a refused handler may have sent the browser elsewhere
        event_name = format.format_event_handler(cls.event_handlers[name])
        label = f"{cls.__name__}.{name}"
        count = refusals(label)
        if is_upload_handler(cls, name):
            send_upload(page, event_name)
        else:
            send_over_websocket(page, event_name, arguments_for(cls, name, targets), targets["number"])
        deadline = time.monotonic() + 10
        while refusals(label) == count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert refusals(label) == count + 1, f"{label} was not refused (or never reached the server)"
    assert snapshot() == before


def test_report_page_handlers_serve_only_the_owner_or_a_code_holder(page, mailbox, targets):
    """The reporter's side: a message sent over the websocket for someone else's report is not stored."""
    from wbs_app.pages.report_view import ReportViewState

    person = new_person()
    register_and_activate(page, mailbox, person)
    login(page, person["username"])
    expect_path(page, "/akun")
    with app_db() as db:
        me = db.exec(select(User).where(User.username == person["username"])).one()
    own, _ = create_report(accused="Milik Sendiri", user=me)
    send_message = format.format_event_handler(ReportViewState.event_handlers["send_message"])

    def messages_of(number: str) -> list[str]:
        with app_db() as db:
            report = db.exec(select(Report).where(Report.registration_number == number)).one()
            return [message.body for message in reports.messages_of(session=db, report_id=report.id)]  # opened

    # The same route works for the browser's own report, so the refusal below is not a lost event.
    open_page(page, "/")
    send_over_websocket(page, send_message, {"form": {"message": "Pesan untuk laporan saya"}}, own, "/laporan")
    deadline = time.monotonic() + 10
    while not messages_of(own) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert messages_of(own) == ["Pesan untuk laporan saya"]

    open_page(page, "/")
    send_over_websocket(page, send_message, {"form": {"message": "Pesan penyusup"}}, targets["number"], "/laporan")
    time.sleep(3)
    assert "Pesan penyusup" not in messages_of(targets["number"])
