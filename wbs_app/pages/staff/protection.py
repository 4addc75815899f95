"""Perlindungan Pelapor (staff): protection cases opened by reporters who answered "yes" to "Apakah Anda mengalami
pembalasan?" after their report was closed, by due date; read one, close it with a follow-up for the reporter."""

from __future__ import annotations

import asyncio

import reflex as rx

from wbs_app import routes
from wbs_app.components.forms import error_attrs, field_error, form_alert
from wbs_app.components.layout import column, scrolling
from wbs_app.components.page import Page
from wbs_app.components.staff_nav import staff_nav
from wbs_app.components.text import tr
from wbs_app.db import open_session
from wbs_app.i18n import N_, _
from wbs_app.models import User
from wbs_app.services import retaliation
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.services.retaliation import ProtectionRow
from wbs_app.state.staff import StaffState, staff_event


def _lists(user: User) -> tuple[list[ProtectionRow], list[ProtectionRow]]:
    with open_session() as db:
        return retaliation.list_cases(session=db, user=user), retaliation.list_cases(session=db, user=user, closed=True)


def _detail(user: User, case_id: int) -> tuple[ProtectionRow | None, str]:
    with open_session() as db:
        try:
            return retaliation.case_detail(session=db, user=user, case_id=case_id), ""
        except Refused as refused:
            return None, str(refused)


def _close(user: User, case_id: int, note: str, client_ip: str) -> dict[str, str]:
    with open_session() as db:
        try:
            retaliation.close_case(session=db, user=user, case_id=case_id, note=note, client_ip=client_ip)
        except ValidationFailed as invalid:
            return invalid.errors
        except Refused as refused:
            return {"": str(refused)}
    return {}


class ProtectionState(StaffState):
    open_cases: list[ProtectionRow] = []
    closed_cases: list[ProtectionRow] = []
    selected: list[ProtectionRow] = []  # the case shown (zero or one)
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    _selected_id: int = 0  # server-side: the case a closing note is for

    async def _refresh(self, user: User) -> None:
        open_cases, closed_cases = await asyncio.to_thread(_lists, user)
        async with self:
            self.open_cases, self.closed_cases = open_cases, closed_cases

    @staff_event(background=True)
    async def load(self, user: User):
        async with self:
            self.selected, self.errors, self.error, self.notice, self._selected_id = [], {}, "", "", 0
        await self._refresh(user)

    @staff_event(background=True)
    async def show_case(self, user: User, case_id: int):
        if not isinstance(case_id, int):
            return
        detail, error = await asyncio.to_thread(_detail, user, case_id)
        async with self:
            self.errors, self.notice = {}, ""
            self.error = error
            self.selected = [detail] if detail else []
            self._selected_id = detail.case_id if detail else 0

    @staff_event(background=True)
    async def close_case(self, user: User, form: dict):
        if not isinstance(form, dict):
            return
        async with self:
            case_id, client_ip = self._selected_id, self._client_ip()
        errors = await asyncio.to_thread(_close, user, case_id, str(form.get("note", ""))[:6000], client_ip)
        async with self:
            self.error = errors.pop("", "")
            self.errors = errors
            if self.error or errors:
                return
            self.notice = _(
                "Kasus perlindungan diselesaikan; pelapor melihat tindak lanjut Anda di halaman laporannya."
            )
            self.selected, self._selected_id = [], 0
        await self._refresh(user)


S = ProtectionState


def case_table(rows) -> rx.Component:
    headings = [N_("Laporan"), N_("Diterima"), N_("Tenggat"), ""]
    return scrolling(
        rx.table.root(
            rx.table.header(
                rx.table.row(*[rx.table.column_header_cell(tr(text) if text else "") for text in headings])
            ),
            rx.table.body(
                rx.foreach(
                    rows,
                    lambda row: rx.table.row(
                        rx.table.row_header_cell(
                            rx.link(row.registration_number, href="/verifikator/laporan/" + row.registration_number)
                        ),
                        rx.table.cell(row.received),
                        rx.table.cell(
                            row.due_on,
                            rx.cond(row.overdue, rx.badge(tr("Terlambat"), color_scheme="red", margin_left="0.5em")),
                        ),
                        rx.table.cell(
                            rx.button(tr("Buka"), size="1", variant="outline", on_click=S.show_case(row.case_id))
                        ),
                    ),
                )
            ),
            size="1",
            variant="surface",
            class_name="protection-table",
        ),
    )


def case_panel(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.heading(tr("Kasus perlindungan laporan {number}", number=row.registration_number), as_="h2", size="5"),
        rx.text(
            tr("Diterima {received} · tenggat {due}", received=row.received, due=row.due_on),
            " · ",
            rx.cond(row.status == retaliation.OPEN, tr("Terbuka"), tr("Selesai")),
            size="2",
            color_scheme="gray",
        ),
        rx.text(tr("Keterangan pelapor:"), weight="medium", margin_top="0.75em"),
        rx.cond(
            row.description != "",
            rx.text(row.description, white_space="pre-wrap", custom_attrs={"translate": "no"}),
            rx.text(tr("(tidak ada keterangan)")),
        ),
        rx.cond(
            row.status == retaliation.OPEN,
            rx.form(
                column(
                    rx.el.label(
                        tr("Tindak lanjut untuk pelapor"), html_for="protection-note", class_name="field-label"
                    ),
                    rx.text_area(
                        id="protection-note",
                        name="note",
                        max_length=retaliation.NOTE_MAX,
                        rows="3",
                        width="100%",
                        **error_attrs(S.errors, "note", "protection-note"),
                    ),
                    field_error(S.errors, "note", element_id="protection-note"),
                    rx.button(tr("Selesaikan Kasus"), type="submit"),
                    spacing="2",
                ),
                on_submit=S.close_case,
                no_validate=True,
                margin_top="1em",
            ),
            rx.text(
                tr("Tindak lanjut:"),
                " ",
                rx.el.span(row.closing_note, custom_attrs={"translate": "no"}),
                margin_top="0.75em",
            ),
        ),
        width="100%",
        id="protection-case",
    )


def protection_page() -> rx.Component:
    return column(
        rx.heading(tr("Perlindungan Pelapor"), as_="h1", size="7"),
        staff_nav(),
        rx.text(
            tr(
                "Pelapor yang laporannya sudah selesai dapat menyampaikan bahwa mereka mengalami pembalasan. Setiap "
                "jawaban “ya” menjadi kasus perlindungan dengan tenggatnya sendiri."
            ),
            size="2",
        ),
        form_alert(S.error),
        form_alert(S.notice, color="green"),
        rx.foreach(S.selected, case_panel),
        rx.heading(tr("Kasus terbuka"), as_="h2", size="5"),
        rx.cond(S.open_cases.length() > 0, case_table(S.open_cases), rx.text(tr("Tidak ada."), size="2")),
        rx.heading(tr("Baru diselesaikan"), as_="h2", size="5"),
        rx.cond(S.closed_cases.length() > 0, case_table(S.closed_cases), rx.text(tr("Tidak ada."), size="2")),
    )


PAGE = Page(
    route=routes.STAFF_PROTECTION, title=N_("Perlindungan Pelapor"), component=protection_page, on_load=(S.load,)
)
