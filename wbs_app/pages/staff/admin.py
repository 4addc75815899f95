"""Administrasi (role admin): users, reference data, deadline settings and the audit log."""

from __future__ import annotations

import asyncio

import reflex as rx

from wbs_app import messages, routes, validators
from wbs_app.components.forms import form_alert
from wbs_app.components.page import Page
from wbs_app.components.staff_nav import staff_nav
from wbs_app.db import open_session
from wbs_app.localtime import format_local
from wbs_app.models import Role, User
from wbs_app.services import admin, audit, deadlines
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.state.staff import StaffState, admin_event

AUDIT_PAGE_SIZE = 25


def _create_staff(actor: User, form: dict, client_ip: str) -> dict[str, str]:
    with open_session() as db:
        try:
            admin.create_staff(
                session=db,
                actor=actor,
                username=str(form.get("username", ""))[:60].strip(),
                email=str(form.get("email", ""))[:260],
                full_name=str(form.get("full_name", ""))[:120],
                role=Role.ADMIN if form.get("role") == "admin" else Role.VERIFIER,
                password=str(form.get("password", ""))[:200],
                client_ip=client_ip,
            )
        except ValidationFailed as invalid:
            return invalid.errors
    return {}


class AdminState(StaffState):
    user_rows: list[dict[str, str]] = []
    user_search: str = ""
    types: list[dict[str, str]] = []
    units: list[dict[str, str]] = []
    config: dict[str, str] = {}
    audit_rows: list[dict[str, str]] = []
    audit_total: int = 0
    audit_page: int = 1
    audit_filters: dict[str, str] = {}
    errors: dict[str, str] = {}
    notice: str = ""
    error: str = ""
    temporary_password: str = ""
    busy: bool = False

    @rx.var
    def audit_page_count(self) -> int:
        return max(1, -(-self.audit_total // AUDIT_PAGE_SIZE))

    def _refresh(self) -> None:
        """Reload the page's data; every caller has just checked that this browser is an administrator."""
        viewer = self._session_user()
        if viewer is None:
            return
        with open_session() as db:
            rows, _ = admin.list_users(session=db, search=self.user_search, page_size=200)
            self.user_rows = [
                {
                    "id": str(u.id),
                    "username": u.username,
                    "name": u.full_name,
                    "email": u.email,
                    "role": messages.ROLE_LABELS.get(u.role, u.role),
                    "active": "1" if u.is_active else "",
                }
                for u in rows
            ]
            self.types = [
                {"id": str(r.id), "name": r.name, "active": "1" if r.is_active else ""}
                for r in admin.reference_rows(session=db, kind="jenis")
            ]
            self.units = [
                {"id": str(r.id), "name": r.name, "active": "1" if r.is_active else ""}
                for r in admin.reference_rows(session=db, kind="unit")
            ]
            config = deadlines.load_config(session=db)
            self.config = {
                "acknowledge_days": str(config.acknowledge_days),
                "result_days": str(config.result_days),
                "working_days": "1" if config.working_days else "",
                "remind_days_before": str(config.remind_days_before),
            }
            entries, self.audit_total = audit.list_entries(
                session=db,
                viewer=viewer,
                action=self.audit_filters.get("action", ""),
                report_number=self.audit_filters.get("report", ""),
                actor_username=self.audit_filters.get("actor", ""),
                page=self.audit_page,
                page_size=AUDIT_PAGE_SIZE,
            )
        self.audit_rows = [
            {"when": format_local(e.when), "actor": e.actor, "action": e.action, "report": e.report, "detail": e.detail}
            for e in entries
        ]

    def _clear_feedback(self) -> None:
        self.errors = {}
        self.notice = self.error = ""
        self.temporary_password = ""

    @admin_event
    def load(self, actor: User):
        self._clear_feedback()
        self._refresh()

    @admin_event
    def search_users(self, actor: User, form: dict):
        self._clear_feedback()
        self.user_search = str(form.get("search", ""))[:100]
        self._refresh()

    @admin_event(background=True)
    async def create_user(self, actor: User, form: dict):
        async with self:
            self._clear_feedback()
            if self.busy:
                return
            self.busy = True
            client_ip = self._client_ip()
        errors = await asyncio.to_thread(_create_staff, actor, dict(form), client_ip)
        async with self:
            self.busy = False
            self.errors = errors
            if not errors:
                self.notice = messages.STAFF_CREATED
            self._refresh()

    def _apply(self, work, *, field_errors: bool = True) -> None:
        """Run one administration change; show its refusal, or confirm and reload the page's data.

        Field errors go beside their form field, or into the page alert where the input has no error slot.
        """
        with open_session() as db:
            try:
                work(db)
            except ValidationFailed as invalid:
                if field_errors:
                    self.errors = invalid.errors
                else:
                    self.error = next(iter(invalid.errors.values()))
                return
            except Refused as refused:
                self.error = str(refused)
                return
        self.notice = messages.ACTION_DONE
        self._refresh()

    @admin_event
    def set_user_active(self, actor: User, user_id: str, active: bool):
        self._clear_feedback()
        if str(user_id).isdigit():
            self._apply(
                lambda db: admin.set_active(
                    session=db, actor=actor, user_id=int(user_id), active=bool(active), client_ip=self._client_ip()
                )
            )

    @admin_event(background=True)
    async def reset_password(self, actor: User, user_id: str):
        async with self:
            self._clear_feedback()
            if not str(user_id).isdigit():
                return
            client_ip = self._client_ip()

        def work():
            with open_session() as db:
                user, temporary = admin.reset_password(
                    session=db, actor=actor, user_id=int(user_id), client_ip=client_ip
                )
                return user.username, temporary

        try:
            username, temporary = await asyncio.to_thread(work)
        except Refused as refused:
            async with self:
                self.error = str(refused)
            return
        async with self:
            self.temporary_password = f"{username}: {temporary}"
            self._refresh()

    @admin_event
    def add_reference(self, actor: User, kind: str, form: dict):
        self._clear_feedback()
        name = str(form.get("name", ""))
        self._apply(
            lambda db: admin.add_reference(
                session=db, actor=actor, kind=str(kind), name=name, client_ip=self._client_ip()
            )
        )

    @admin_event
    def rename_reference(self, actor: User, kind: str, row_id: str, name: str):
        self._clear_feedback()
        if str(row_id).isdigit():
            self._apply(
                lambda db: admin.rename_reference(
                    session=db,
                    actor=actor,
                    kind=str(kind),
                    row_id=int(row_id),
                    name=str(name),
                    client_ip=self._client_ip(),
                ),
                field_errors=False,
            )

    @admin_event
    def set_reference_active(self, actor: User, kind: str, row_id: str, active: bool):
        self._clear_feedback()
        if str(row_id).isdigit():
            self._apply(
                lambda db: admin.set_reference_active(
                    session=db,
                    actor=actor,
                    kind=str(kind),
                    row_id=int(row_id),
                    active=bool(active),
                    client_ip=self._client_ip(),
                )
            )

    @admin_event
    def save_deadlines(self, actor: User, form: dict):
        self._clear_feedback()
        values = {}
        for key in ("acknowledge_days", "result_days", "remind_days_before"):
            raw = str(form.get(key, ""))
            if not raw.isdigit() or not 0 <= int(raw) <= 365 or (key != "remind_days_before" and int(raw) == 0):
                self.errors = {key: messages.DEADLINE_INVALID}
                return
            values[key] = int(raw)
        config = deadlines.DeadlineConfig(working_days=validators.is_checked(form.get("working_days")), **values)
        with open_session() as db:
            deadlines.save_config(session=db, config=config)
            audit.record(
                session=db, action="pengaturan", actor_id=actor.id, detail=str(config), client_ip=self._client_ip()
            )
            db.commit()
        self.notice = messages.ACTION_DONE
        self._refresh()

    @admin_event
    def filter_audit(self, actor: User, form: dict):
        self._clear_feedback()
        self.audit_filters = {k: str(form.get(k, ""))[:60] for k in ("action", "report", "actor") if form.get(k)}
        self.audit_page = 1
        self._refresh()

    @admin_event
    def audit_go_to_page(self, actor: User, page: int):
        self._clear_feedback()
        if isinstance(page, int):
            self.audit_page = min(max(1, page), self.audit_page_count)
        self._refresh()


S = AdminState


def field(label: str, name: str, **props) -> rx.Component:
    return rx.box(
        rx.el.label(label, html_for=f"admin_{name}", class_name="field-label"),
        rx.input(id=f"admin_{name}", name=name, width="100%", **props),
        rx.cond(S.errors.contains(name), rx.text(S.errors[name], color_scheme="red", size="2", role="alert")),
        class_name="field",
    )


def users_section() -> rx.Component:
    return rx.card(
        rx.heading("Pengguna", as_="h2", size="5"),
        rx.cond(
            S.temporary_password != "",
            rx.callout(
                rx.text(
                    "Password sementara (tampil sekali, berikan secara langsung): ",
                    rx.code(S.temporary_password, id="temporary-password"),
                ),
                color_scheme="amber",
            ),
        ),
        rx.form(
            rx.grid(
                field("Username", "username", max_length=50),
                field("Email", "email", type="email", max_length=254),
                field("Nama Lengkap", "full_name", max_length=120),
                field("Password awal", "password", type="password", max_length=128),
                rx.box(
                    rx.el.label("Peran", html_for="admin_role", class_name="field-label"),
                    rx.el.select(
                        rx.el.option("Verifikator", value="verifier"),
                        rx.el.option("Administrator", value="admin"),
                        id="admin_role",
                        name="role",
                        class_name="native-select",
                    ),
                    class_name="field",
                ),
                rx.button("Buat Akun Petugas", type="submit", loading=S.busy),
                columns=rx.breakpoints(initial="1", sm="2", md="3"),
                spacing="3",
                align="end",
            ),
            on_submit=S.create_user,
            reset_on_submit=True,
            no_validate=True,
        ),
        rx.form(
            rx.flex(
                rx.input(name="search", placeholder="Cari nama, username, email", aria_label="Cari pengguna"),
                rx.button("Cari", type="submit", variant="outline"),
                spacing="2",
            ),
            on_submit=S.search_users,
            margin_y="1em",
        ),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in ["Username", "Nama", "Email", "Peran", "Status", "Tindakan"]
                        ]
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        S.user_rows,
                        lambda u: rx.table.row(
                            rx.table.cell(u["username"]),
                            rx.table.cell(u["name"]),
                            rx.table.cell(u["email"]),
                            rx.table.cell(u["role"]),
                            rx.table.cell(
                                rx.cond(
                                    u["active"] == "1",
                                    rx.badge("Aktif", color_scheme="green"),
                                    rx.badge("Nonaktif", color_scheme="gray"),
                                )
                            ),
                            rx.table.cell(
                                rx.flex(
                                    rx.cond(
                                        u["active"] == "1",
                                        rx.button(
                                            "Nonaktifkan",
                                            size="1",
                                            variant="outline",
                                            color_scheme="red",
                                            on_click=S.set_user_active(u["id"], False),
                                        ),
                                        rx.button(
                                            "Aktifkan",
                                            size="1",
                                            variant="outline",
                                            on_click=S.set_user_active(u["id"], True),
                                        ),
                                    ),
                                    rx.button(
                                        "Reset Password",
                                        size="1",
                                        variant="outline",
                                        on_click=S.reset_password(u["id"]),
                                    ),
                                    spacing="2",
                                )
                            ),
                            class_name="user-row",
                        ),
                    )
                ),
                size="1",
            ),
            overflow_x="auto",
        ),
        width="100%",
    )


def reference_section(title: str, kind: str, rows) -> rx.Component:
    return rx.card(
        rx.heading(title, as_="h2", size="5"),
        rx.form(
            rx.flex(
                rx.input(name="name", placeholder=f"{title} baru", aria_label=f"{title} baru", max_length=200),
                rx.button("Tambah", type="submit", variant="outline"),
                spacing="2",
            ),
            rx.cond(
                S.errors.contains(f"{kind}_name"),
                rx.text(S.errors[f"{kind}_name"], color_scheme="red", size="2", role="alert"),
            ),
            on_submit=lambda form: S.add_reference(kind, form),
            reset_on_submit=True,
            no_validate=True,
        ),
        rx.vstack(
            rx.foreach(
                rows,
                lambda r: rx.flex(
                    rx.input(
                        default_value=r["name"],
                        aria_label="Nama",
                        on_blur=lambda value: S.rename_reference(kind, r["id"], value),
                        flex="1",
                    ),
                    rx.cond(
                        r["active"] == "1",
                        rx.button(
                            "Nonaktifkan",
                            size="1",
                            variant="ghost",
                            color_scheme="red",
                            on_click=S.set_reference_active(kind, r["id"], False),
                        ),
                        rx.button(
                            "Aktifkan", size="1", variant="ghost", on_click=S.set_reference_active(kind, r["id"], True)
                        ),
                    ),
                    spacing="2",
                    align="center",
                    width="100%",
                    key=r["id"],
                ),
            ),
            spacing="1",
            margin_top="1em",
            width="100%",
        ),
        width="100%",
    )


def deadlines_section() -> rx.Component:
    return rx.card(
        rx.heading("Tenggat", as_="h2", size="5"),
        rx.form(
            rx.grid(
                field(
                    "Tanggapan awal (hari)",
                    "acknowledge_days",
                    type="number",
                    default_value=S.config["acknowledge_days"],
                    key=S.config["acknowledge_days"],
                ),
                field(
                    "Hasil (hari)",
                    "result_days",
                    type="number",
                    default_value=S.config["result_days"],
                    key=S.config["result_days"],
                ),
                field(
                    "Pengingat sebelum tenggat (hari)",
                    "remind_days_before",
                    type="number",
                    default_value=S.config["remind_days_before"],
                    key=S.config["remind_days_before"],
                ),
                rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        name="working_days",
                        id="working_days",
                        default_checked=S.config["working_days"] == "1",
                        key=S.config["working_days"],
                    ),
                    " Hitung hari kerja (tanpa akhir pekan dan hari libur nasional)",
                    html_for="working_days",
                    class_name="checkbox-label",
                ),
                rx.button("Simpan Tenggat", type="submit"),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                align="end",
            ),
            on_submit=S.save_deadlines,
            no_validate=True,
        ),
        width="100%",
    )


def audit_section() -> rx.Component:
    return rx.card(
        rx.heading("Log Audit", as_="h2", size="5"),
        rx.form(
            rx.flex(
                rx.el.select(
                    rx.el.option("Semua tindakan", value=""),
                    *[rx.el.option(label, value=key) for key, label in audit.ACTIONS.items()],
                    name="action",
                    aria_label="Tindakan",
                    class_name="native-select",
                ),
                rx.input(name="report", placeholder="Nomor Registrasi", aria_label="Nomor Registrasi"),
                rx.input(name="actor", placeholder="Username petugas", aria_label="Username petugas"),
                rx.button("Saring", type="submit", variant="outline"),
                spacing="2",
                wrap="wrap",
            ),
            on_submit=S.filter_audit,
        ),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in ["Waktu", "Petugas", "Tindakan", "Laporan", "Keterangan"]
                        ]
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        S.audit_rows,
                        lambda e: rx.table.row(
                            rx.table.cell(e["when"]),
                            rx.table.cell(e["actor"]),
                            rx.table.cell(e["action"]),
                            rx.table.cell(e["report"]),
                            rx.table.cell(e["detail"]),
                        ),
                    )
                ),
                size="1",
                class_name="audit-table",
            ),
            overflow_x="auto",
            margin_top="1em",
        ),
        rx.flex(
            rx.button(
                "Sebelumnya",
                size="1",
                variant="outline",
                on_click=S.audit_go_to_page(S.audit_page - 1),
                disabled=S.audit_page <= 1,
            ),
            rx.text("Halaman ", S.audit_page, " dari ", S.audit_page_count, size="2"),
            rx.button(
                "Berikutnya",
                size="1",
                variant="outline",
                on_click=S.audit_go_to_page(S.audit_page + 1),
                disabled=S.audit_page >= S.audit_page_count,
            ),
            spacing="3",
            align="center",
            margin_top="0.5em",
        ),
        width="100%",
    )


def admin_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Administrasi", as_="h1", size="7"),
        staff_nav(),
        form_alert(S.error),
        form_alert(S.notice, color="green"),
        users_section(),
        rx.grid(
            reference_section("Jenis Pelanggaran", "jenis", S.types),
            reference_section("Unit", "unit", S.units),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        deadlines_section(),
        audit_section(),
        spacing="4",
        width="100%",
    )


PAGE = Page(route=routes.STAFF_ADMIN, title="Administrasi", component=admin_page, on_load=(S.load,))
