"""Administrasi, tab Pengguna: staff accounts (create, search, deactivate, reset password, reset the second factor)."""

from __future__ import annotations

import asyncio

import reflex as rx

from wbs_app import language, messages
from wbs_app.components.forms import label, text_field
from wbs_app.components.layout import scrolling
from wbs_app.components.text import tr, tr_attr
from wbs_app.components.two_factor import code_field
from wbs_app.db import open_session
from wbs_app.i18n import N_, _
from wbs_app.models import Role, User
from wbs_app.pages.staff.admin.tab_state import AdminTabState, feedback
from wbs_app.security import in_password_pool
from wbs_app.services import admin, two_factor
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.state.staff import StaffState, admin_event


def _create_staff(actor: User, form: dict, client_ip: str, lang: str) -> dict[str, str]:
    """Run in a worker thread: hashing the password takes a while. The field errors (in `lang`, the page's language:
    the pool's threads do not carry the event's), or {} once created."""
    with language.use(lang), open_session() as db:
        try:
            admin.create_staff(
                session=db,
                actor=actor,
                username=str(form.get("username", ""))[:60].strip(),
                email=str(form.get("email", ""))[:260],
                full_name=str(form.get("full_name", ""))[:120],
                role=Role.ADMIN if form.get("role") == "admin" else Role.VERIFIER,
                password=str(form.get("password", ""))[:200],
                second_factor_code=two_factor.code_from(form),
                client_ip=client_ip,
            )
        except ValidationFailed as invalid:
            return invalid.errors
    return {}


TWO_FACTOR_RESET = N_(
    "Verifikasi dua langkah direset. Pengguna mendaftarkan aplikasi autentikator lagi saat masuk berikutnya."
)


def _reset_password(actor: User, user_id: int, client_ip: str, lang: str) -> tuple[str, str]:
    with language.use(lang), open_session() as db:
        user, temporary = admin.reset_password(session=db, actor=actor, user_id=user_id, client_ip=client_ip)
        return user.username, temporary


def _user_rows(search: str) -> list[dict[str, str]]:
    """Blocking (database): the accounts the tab lists, opened."""
    with open_session() as db:
        rows, _total = admin.list_users(session=db, search=search, page_size=200)
        with_factor = two_factor.enabled_among(session=db, user_ids=[u.id for u in rows])
    return [
        {
            "id": str(u.id),
            "username": u.username,
            "name": u.full_name,
            "email": u.email,
            "role": messages.ROLE_LABELS.get(u.role, u.role),
            "active": "1" if u.is_active else "",
            "two_factor": "1" if u.id in with_factor else "",
        }
        for u in rows
    ]


class StaffAccountsState(AdminTabState, StaffState):
    user_rows: list[dict[str, str]] = []
    user_search: str = ""
    temporary_password: str = ""
    busy: bool = False
    # Changed after an account is created: the form is drawn anew, empty. A refused form keeps what was typed.
    create_form_key: int = 0

    def _reload(self) -> None:
        self.user_rows = _user_rows(self.user_search)

    async def _reload_off_loop(self) -> None:
        async with self:
            search = self.user_search
        rows = await asyncio.to_thread(_user_rows, search)
        async with self:
            self.user_rows = rows

    def _clear_feedback(self) -> None:
        super()._clear_feedback()
        self.temporary_password = ""

    @admin_event(background=True)
    async def load(self, actor: User):
        async with self:
            self._clear_feedback()
        await self._reload_off_loop()

    @admin_event(background=True)
    async def search_users(self, actor: User, form: dict):
        if not isinstance(form, dict):
            return
        async with self:
            self._clear_feedback()
            self.user_search = str(form.get("search", ""))[:100]
        await self._reload_off_loop()

    @admin_event(background=True)
    async def create_user(self, actor: User, form: dict):
        async with self:
            self._clear_feedback()
            if self.busy:
                return
            self.busy = True
            client_ip = self._client_ip()
        errors, refusal = {}, ""
        try:
            errors = await in_password_pool(_create_staff, actor, dict(form), client_ip, language.current())
        except Refused as refused:
            refusal = str(refused)
        async with self:
            self.busy = False
            self.errors, self.error = errors, refusal
            if not errors and not refusal:
                self.notice = messages.STAFF_CREATED
                self.create_form_key += 1
        await self._reload_off_loop()

    @admin_event
    def set_user_active(self, actor: User, user_id: str, active: bool):
        self._clear_feedback()
        if str(user_id).isdigit():
            self._apply(
                lambda db: admin.set_active(
                    session=db, actor=actor, user_id=int(user_id), active=bool(active), client_ip=self._client_ip()
                )
            )

    @admin_event
    def reset_two_factor(self, actor: User, user_id: str):
        """For a lost phone: the user's authenticator and recovery codes go, their logins end (audited)."""
        self._clear_feedback()
        if str(user_id).isdigit() and self._apply(
            lambda db: two_factor.reset(session=db, actor=actor, user_id=int(user_id), client_ip=self._client_ip())
        ):
            self.notice = _(TWO_FACTOR_RESET)

    @admin_event(background=True)
    async def reset_password(self, actor: User, user_id: str):
        async with self:
            self._clear_feedback()
            if not str(user_id).isdigit():
                return
            client_ip = self._client_ip()
        try:
            username, temporary = await in_password_pool(
                _reset_password, actor, int(user_id), client_ip, language.current()
            )
        except Refused as refused:
            async with self:
                self.error = str(refused)
            return
        async with self:
            self.temporary_password = f"{username}: {temporary}"
        await self._reload_off_loop()


S = StaffAccountsState


def create_form() -> rx.Component:
    return rx.form(
        rx.grid(
            text_field("Username", "username", S.errors, max_length=50, id_prefix="admin_"),
            text_field("Email", "email", S.errors, type="email", max_length=254, id_prefix="admin_"),
            text_field(tr("Nama Lengkap"), "full_name", S.errors, max_length=120, id_prefix="admin_"),
            text_field(
                tr("Password awal"),
                "password",
                S.errors,
                type="password",
                autocomplete="new-password",
                max_length=128,
                id_prefix="admin_",
            ),
            rx.box(
                label(tr("Peran"), "admin_role", required=False),
                rx.el.select(
                    rx.el.option(tr_attr("Verifikator"), value="verifier"),
                    rx.el.option(tr_attr("Administrator"), value="admin"),
                    id="admin_role",
                    name="role",
                    class_name="native-select",
                ),
                class_name="field",
            ),
            code_field(S.errors, text=tr("Kode autentikator Anda"), id_prefix="admin_"),
            rx.button(tr("Buat Akun Petugas"), type="submit", loading=S.busy),
            columns=rx.breakpoints(initial="1", sm="2", md="3"),
            spacing="3",
            align="end",
        ),
        on_submit=S.create_user,
        no_validate=True,
        key=S.create_form_key,
    )


def user_row(u) -> rx.Component:
    return rx.table.row(
        rx.table.cell(u["username"], custom_attrs={"translate": "no"}),
        rx.table.cell(u["name"], custom_attrs={"translate": "no"}),
        rx.table.cell(u["email"], custom_attrs={"translate": "no"}),
        rx.table.cell(u["role"]),
        rx.table.cell(
            rx.cond(
                u["active"] == "1",
                rx.badge(tr("Aktif"), color_scheme="green"),
                rx.badge(tr("Nonaktif"), color_scheme="gray"),
            )
        ),
        rx.table.cell(
            rx.flex(
                rx.cond(
                    u["active"] == "1",
                    rx.button(
                        tr("Nonaktifkan"),
                        size="1",
                        variant="outline",
                        color_scheme="red",
                        on_click=S.set_user_active(u["id"], False),
                    ),
                    rx.button(tr("Aktifkan"), size="1", variant="outline", on_click=S.set_user_active(u["id"], True)),
                ),
                rx.button(tr("Reset Password"), size="1", variant="outline", on_click=S.reset_password(u["id"])),
                rx.cond(
                    u["two_factor"] == "1",
                    rx.button(tr("Reset 2FA"), size="1", variant="outline", on_click=S.reset_two_factor(u["id"])),
                ),
                spacing="2",
            )
        ),
        class_name="user-row",
    )


def accounts_tab() -> rx.Component:
    return rx.card(
        rx.heading(tr("Pengguna"), as_="h2", size="5"),
        feedback(S),
        rx.cond(
            S.temporary_password != "",
            rx.callout(
                rx.text(
                    tr("Password sementara (tampil sekali, berikan secara langsung):"),
                    " ",
                    rx.code(S.temporary_password, id="temporary-password", custom_attrs={"translate": "no"}),
                ),
                color_scheme="amber",
            ),
        ),
        create_form(),
        rx.form(
            rx.flex(
                rx.input(
                    name="search",
                    placeholder=tr_attr("Cari nama, username, email"),
                    aria_label=tr_attr("Cari pengguna"),
                ),
                rx.button(tr("Cari"), type="submit", variant="outline"),
                spacing="2",
            ),
            on_submit=S.search_users,
            margin_y="1em",
        ),
        scrolling(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(tr("Username")),
                        rx.table.column_header_cell(tr("Nama")),
                        rx.table.column_header_cell(tr("Email")),
                        rx.table.column_header_cell(tr("Peran")),
                        rx.table.column_header_cell(tr("Status")),
                        rx.table.column_header_cell(tr("Tindakan")),
                    )
                ),
                rx.table.body(rx.foreach(S.user_rows, user_row)),
                size="1",
            ),
        ),
        width="100%",
    )
