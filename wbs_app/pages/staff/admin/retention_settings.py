"""Administrasi, tab Retensi: how long a closed report's content is kept per channel, what is due for deletion,
and legal holds. The daily job itself is services/retention.run_daily."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from wbs_app import messages
from wbs_app.components.forms import text_field
from wbs_app.components.layout import scrolling
from wbs_app.components.pager import pager
from wbs_app.components.text import tr, tr_attr
from wbs_app.db import open_session
from wbs_app.i18n import N_, term
from wbs_app.models import User
from wbs_app.pages.staff.admin.tab_state import AdminTabState, feedback, tr_names
from wbs_app.services import retention
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.state.staff import StaffState, admin_event

DUE_PAGE_SIZE = 20
HOLD, LIFT = "tahan", "lepas"


@dataclasses.dataclass(frozen=True)
class View:
    days: dict[str, str]
    rows: list[dict[str, str]]
    total: int


def _view(actor: User, page: int) -> View:
    """Run in a worker thread (the event's language comes along): the terms and one page of the due list."""
    with open_session() as db:
        days = retention.load_days(session=db)
        rows, total = retention.list_due(session=db, viewer=actor, page=page, page_size=DUE_PAGE_SIZE)
    return View(
        days={retention.SETTING_KEYS[channel]: str(value) for channel, value in days.items()},
        rows=[
            {
                "number": row.registration_number,
                "channel": term(row.channel),
                "closed": row.closed_on.strftime("%d-%m-%Y") if row.closed_on else "-",
                "purge": row.purge_on.strftime("%d-%m-%Y") if row.purge_on else "-",
                "held": "1" if row.legal_hold else "",
            }
            for row in rows
        ],
        total=total,
    )


def _change(work) -> tuple[dict[str, str], str]:
    """Run in a worker thread: one change; (field errors, refusal), both empty when it was made."""
    with open_session() as db:
        try:
            work(db)
        except ValidationFailed as invalid:
            return invalid.errors, ""
        except Refused as refused:
            return {}, str(refused)
    return {}, ""


class RetentionState(AdminTabState, StaffState):
    days: dict[str, str] = {}
    due_rows: list[dict[str, str]] = []
    due_total: int = 0
    due_page: int = 1
    # Changed when the stored terms shown change: the form is drawn anew. Loading the same terms again (opening
    # the tab) leaves what is being typed alone; so does a refused form.
    form_key: int = 0
    # The hold form, filled by a row's button ("Pilih") or typed; drawn anew (hold_form_key) when filled.
    hold_number: str = ""
    hold_action: str = HOLD
    hold_form_key: int = 0

    @rx.var
    def due_page_count(self) -> int:
        return max(1, -(-self.due_total // DUE_PAGE_SIZE))

    def _show(self, view: View, *, new_form: bool) -> None:
        self.due_rows, self.due_total = view.rows, view.total
        if new_form and view.days != self.days:
            self.days = view.days
            self.form_key += 1

    async def _run(self, actor: User, work=None, *, page: int | None = None) -> bool:
        """Run `work` (a change, or nothing) off the event loop, then show the terms and the due list again."""
        async with self:
            self._clear_feedback()
            if page is not None:
                self.due_page = max(1, page)
            page = self.due_page
        errors, refusal = await asyncio.to_thread(_change, work) if work else ({}, "")
        view = await asyncio.to_thread(_view, actor, page)
        done = bool(work) and not errors and not refusal
        async with self:
            self.errors, self.error = errors, refusal
            self.notice = messages.ACTION_DONE if done else ""
            self._show(view, new_form=not errors)
        return done

    @admin_event(background=True)
    async def load(self, actor: User):
        await self._run(actor)

    @admin_event(background=True)
    async def due_go_to_page(self, actor: User, page: int):
        await self._run(actor, page=page if isinstance(page, int) else 1)

    @admin_event(background=True)
    async def save_retention(self, actor: User, form: dict):
        async with self:
            client_ip = self._client_ip()
        values = {key: str(form.get(key, ""))[:10] for key in retention.SETTING_KEYS.values()}
        await self._run(
            actor,
            lambda db: retention.save_days(session=db, actor=actor, form_values=values, client_ip=client_ip),
        )

    @admin_event
    def pick(self, actor: User, number: str, held: bool):
        """A row's button: its number into the hold form, with the action it needs."""
        self._clear_feedback()
        self.hold_number = str(number)[:20]
        self.hold_action = LIFT if held else HOLD
        self.hold_form_key += 1

    @admin_event(background=True)
    async def save_hold(self, actor: User, form: dict):
        async with self:
            client_ip = self._client_ip()
        number, reason = str(form.get("number", ""))[:40], str(form.get("reason", ""))[:2000]
        hold = form.get("action") != LIFT
        done = await self._run(
            actor,
            lambda db: retention.set_legal_hold(
                session=db, actor=actor, registration_number=number, hold=hold, reason=reason, client_ip=client_ip
            ),
        )
        if done:
            async with self:
                self.hold_number, self.hold_action = "", HOLD
                self.hold_form_key += 1


S = RetentionState


def terms_form() -> rx.Component:
    return rx.form(
        rx.grid(
            *[
                text_field(
                    tr_names(N_("{channel} (hari setelah selesai)"), channel=channel),
                    key,
                    S.errors,
                    type="number",
                    input_mode="numeric",
                    max_length=5,
                    default_value=S.days[key],
                    id_prefix="admin_",
                )
                for channel, key in retention.SETTING_KEYS.items()
            ],
            rx.button(tr("Simpan Retensi"), type="submit"),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            align="end",
        ),
        on_submit=S.save_retention,
        no_validate=True,
        key=S.form_key,
    )


def hold_form() -> rx.Component:
    return rx.form(
        rx.grid(
            text_field(
                tr("Nomor Registrasi"),
                "number",
                S.errors,
                max_length=20,
                default_value=S.hold_number,
                id_prefix="hold_",
            ),
            rx.box(
                rx.el.label(tr("Tindakan"), html_for="hold_action", class_name="field-label"),
                rx.el.select(
                    rx.el.option(tr_attr("Tahan (legal hold)"), value=HOLD),
                    rx.el.option(tr_attr("Cabut penahanan"), value=LIFT),
                    id="hold_action",
                    name="action",
                    default_value=S.hold_action,
                    class_name="native-select",
                ),
                class_name="field",
            ),
            text_field(tr("Alasan"), "reason", S.errors, max_length=1000, id_prefix="hold_"),
            rx.button(tr("Simpan Penahanan"), type="submit", variant="outline"),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            align="end",
        ),
        on_submit=S.save_hold,
        no_validate=True,
        key=S.hold_form_key,
    )


def due_row(row) -> rx.Component:
    held = row["held"] == "1"
    return rx.table.row(
        rx.table.cell(row["number"], custom_attrs={"translate": "no"}),
        rx.table.cell(row["channel"]),
        rx.table.cell(row["closed"]),
        rx.table.cell(row["purge"]),
        rx.table.cell(
            rx.cond(
                held, rx.badge(tr("Ditahan"), color_scheme="amber"), rx.badge(tr("Jatuh tempo"), color_scheme="red")
            )
        ),
        rx.table.cell(rx.button(tr("Pilih"), size="1", variant="outline", on_click=S.pick(row["number"], held))),
        class_name="due-row",
    )


def retention_tab() -> rx.Component:
    return rx.card(
        rx.heading(tr("Retensi"), as_="h2", size="5"),
        feedback(S),
        rx.text(
            tr(
                "Isi laporan yang sudah selesai dihapus otomatis sekian hari setelah selesai (sekali sehari): kunci datanya "
                "dimusnahkan, bukti, pesan, terlapor dan catatan dihapus; yang dibutuhkan statistik tetap ada. "
                "Laporan yang ditahan (legal hold) tidak dihapus."
            ),
            size="2",
        ),
        rx.cond(S.form_key == 0, rx.text(tr("Memuat…"), size="2"), terms_form()),
        rx.heading(tr("Jatuh tempo dan ditahan"), as_="h3", size="4", margin_top="1em"),
        hold_form(),
        scrolling(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(tr("Nomor Registrasi")),
                        rx.table.column_header_cell(tr("Kanal")),
                        rx.table.column_header_cell(tr("Selesai")),
                        rx.table.column_header_cell(tr("Dihapus mulai")),
                        rx.table.column_header_cell(tr("Keadaan")),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(rx.foreach(S.due_rows, due_row)),
                size="1",
                class_name="due-table",
            ),
            margin_top="1em",
        ),
        rx.cond(S.due_total == 0, rx.text(tr("Tidak ada laporan yang jatuh tempo atau ditahan."), size="2")),
        pager(page=S.due_page, page_count=S.due_page_count, go_to_page=S.due_go_to_page, total=S.due_total, size="1"),
        width="100%",
    )
