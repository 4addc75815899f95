"""Administrasi, tab Log Audit: who did what, filtered by action, report and staff member, a page at a time;
and the state of the log's hash chain, with a button that verifies it again (off the event loop)."""

from __future__ import annotations

import asyncio

import reflex as rx

from wbs_app.components.forms import form_alert
from wbs_app.components.layout import scrolling
from wbs_app.components.pager import pager
from wbs_app.components.text import tr, tr_attr
from wbs_app.db import open_session
from wbs_app.i18n import N_, _
from wbs_app.localtime import format_local
from wbs_app.models import User
from wbs_app.services import audit, audit_chain
from wbs_app.state.staff import StaffState, admin_event

AUDIT_PAGE_SIZE = 25
NO_TRANSLATE = {"translate": "no"}
CHECK_BUSY = N_("Pemeriksaan rantai lain sedang berjalan; lihat hasilnya sebentar lagi.")


def _audit_page(viewer: User, filters: dict[str, str], page: int) -> tuple[list[dict[str, str]], int]:
    with open_session() as db:
        entries, total = audit.list_entries(
            session=db,
            viewer=viewer,
            action=filters.get("action", ""),
            report_number=filters.get("report", ""),
            actor_username=filters.get("actor", ""),
            page=page,
            page_size=AUDIT_PAGE_SIZE,
        )
    rows = [
        {"when": format_local(e.when), "actor": e.actor, "action": e.action, "report": e.report, "detail": e.detail}
        for e in entries
    ]
    return rows, total


def _chain_state() -> dict[str, str]:
    """The last verification of the chain, as the tab shows it (in the current language: the stored summary is the
    Indonesian of the chain's row, read back in the viewer's language)."""
    with open_session() as db:
        last = audit.last_check(session=db)
    if last is None:
        return {}
    return {
        "when": format_local(last.when),
        "by": last.by,
        "summary": audit_chain.shown_summary(last.summary),
        "intact": "1" if last.intact else "",
    }


def _check_and_reload(viewer: User, client_ip: str, filters: dict[str, str], page: int):
    """Verify the whole chain (seconds at a million rows), then what the tab shows after it. The first value is
    False when another check was already running in this process."""
    with open_session() as db:
        done = audit.check_chain(session=db, actor_id=viewer.id, client_ip=client_ip) is not None
    return done, _chain_state(), _audit_page(viewer, filters, page)


class AuditLogState(StaffState):
    audit_rows: list[dict[str, str]] = []
    audit_total: int = 0
    audit_page: int = 1
    audit_filters: dict[str, str] = {}
    chain: dict[str, str] = {}
    chain_checking: bool = False
    chain_notice: str = ""

    @rx.var
    def audit_page_count(self) -> int:
        return max(1, -(-self.audit_total // AUDIT_PAGE_SIZE))

    async def _reload(self, viewer: User, *, with_chain: bool = False) -> None:
        """Off the event loop (a page of a log of millions of rows, counted)."""
        async with self:
            filters, page = dict(self.audit_filters), self.audit_page
        rows, total = await asyncio.to_thread(_audit_page, viewer, filters, page)
        chain = await asyncio.to_thread(_chain_state) if with_chain else None
        async with self:
            self.audit_rows, self.audit_total = rows, total
            if chain is not None:
                self.chain = chain

    @admin_event(background=True)
    async def load(self, actor: User):
        await self._reload(actor, with_chain=True)

    @admin_event(background=True)
    async def filter_audit(self, actor: User, form: dict):
        if not isinstance(form, dict):
            return
        async with self:
            self.audit_filters = {k: str(form.get(k, ""))[:60] for k in ("action", "report", "actor") if form.get(k)}
            self.audit_page = 1
        await self._reload(actor)

    @admin_event(background=True)
    async def audit_go_to_page(self, actor: User, page: int):
        async with self:
            if isinstance(page, int):
                self.audit_page = min(max(1, page), self.audit_page_count)
        await self._reload(actor)

    @admin_event(background=True)
    async def check_chain(self, actor: User):
        async with self:
            if self.chain_checking:
                return
            self.chain_checking, self.chain_notice = True, ""
            client_ip, filters, page = self._client_ip(), dict(self.audit_filters), self.audit_page
        result = None
        try:
            result = await asyncio.to_thread(_check_and_reload, actor, client_ip, filters, page)
        finally:
            async with self:
                self.chain_checking = False
                if result is not None:
                    done, self.chain, (self.audit_rows, self.audit_total) = result
                    self.chain_notice = "" if done else _(CHECK_BUSY)


S = AuditLogState


def filter_form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.el.select(
                rx.el.option(tr_attr("Semua tindakan"), value=""),
                *[rx.el.option(tr_attr(label), value=key) for key, label in audit.ACTIONS.items()],
                name="action",
                aria_label=tr_attr("Tindakan"),
                class_name="native-select",
            ),
            rx.input(name="report", placeholder=tr_attr("Nomor Registrasi"), aria_label=tr_attr("Nomor Registrasi")),
            rx.input(name="actor", placeholder=tr_attr("Username petugas"), aria_label=tr_attr("Username petugas")),
            rx.button(tr("Saring"), type="submit", variant="outline"),
            spacing="2",
            wrap="wrap",
        ),
        on_submit=S.filter_audit,
    )


def chain_section() -> rx.Component:
    """The last verification of the hash chain (when, by whom, rows, head hash) and the button to run one."""
    return rx.box(
        rx.heading(tr("Rantai log audit"), as_="h3", size="3"),
        rx.cond(
            S.chain.contains("summary"),
            rx.fragment(
                rx.text(
                    rx.badge(
                        rx.cond(S.chain["intact"] == "1", tr("Utuh"), tr("Putus")),
                        color_scheme=rx.cond(S.chain["intact"] == "1", "green", "red"),
                    ),
                    " ",
                    tr("Pemeriksaan terakhir {when} oleh {by}", when=S.chain["when"], by=S.chain["by"]),
                    size="2",
                ),
                rx.text(S.chain["summary"], id="chain-summary", size="2", class_name="chain-summary"),
            ),
            rx.text(tr("Rantai belum pernah diperiksa."), size="2"),
        ),
        form_alert(S.chain_notice, color="amber"),
        rx.button(tr("Periksa rantai"), on_click=S.check_chain, loading=S.chain_checking, variant="outline", size="2"),
        class_name="chain-state",
        margin_bottom="1em",
    )


def audit_tab() -> rx.Component:
    return rx.card(
        rx.heading(tr("Log Audit"), as_="h2", size="5"),
        chain_section(),
        filter_form(),
        scrolling(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(tr("Waktu")),
                        rx.table.column_header_cell(tr("Dilakukan oleh")),
                        rx.table.column_header_cell(tr("Tindakan")),
                        rx.table.column_header_cell(tr("Laporan")),
                        rx.table.column_header_cell(tr("Keterangan")),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        S.audit_rows,
                        lambda e: rx.table.row(
                            rx.table.cell(e["when"]),
                            rx.table.cell(e["actor"], custom_attrs=NO_TRANSLATE),
                            rx.table.cell(e["action"]),
                            rx.table.cell(e["report"], custom_attrs=NO_TRANSLATE),
                            # As recorded (and hashed): the words of the moment, names and reasons people typed.
                            rx.table.cell(e["detail"], custom_attrs=NO_TRANSLATE),
                        ),
                    )
                ),
                size="1",
                class_name="audit-table",
            ),
            margin_top="1em",
        ),
        pager(page=S.audit_page, page_count=S.audit_page_count, go_to_page=S.audit_go_to_page, size="1"),
        width="100%",
    )
