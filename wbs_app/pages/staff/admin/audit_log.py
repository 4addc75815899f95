"""Administrasi, tab Log Audit: who did what, filtered by action, report and staff member, a page at a time."""

from __future__ import annotations

import reflex as rx

from wbs_app.components.layout import scrolling
from wbs_app.components.pager import pager
from wbs_app.db import open_session
from wbs_app.localtime import format_local
from wbs_app.models import User
from wbs_app.services import audit
from wbs_app.state.staff import StaffState, admin_event

AUDIT_PAGE_SIZE = 25


class AuditLogState(StaffState):
    audit_rows: list[dict[str, str]] = []
    audit_total: int = 0
    audit_page: int = 1
    audit_filters: dict[str, str] = {}

    @rx.var
    def audit_page_count(self) -> int:
        return max(1, -(-self.audit_total // AUDIT_PAGE_SIZE))

    def _reload(self, viewer: User) -> None:
        with open_session() as db:
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

    @admin_event
    def load(self, actor: User):
        self._reload(actor)

    @admin_event
    def filter_audit(self, actor: User, form: dict):
        self.audit_filters = {k: str(form.get(k, ""))[:60] for k in ("action", "report", "actor") if form.get(k)}
        self.audit_page = 1
        self._reload(actor)

    @admin_event
    def audit_go_to_page(self, actor: User, page: int):
        if isinstance(page, int):
            self.audit_page = min(max(1, page), self.audit_page_count)
        self._reload(actor)


S = AuditLogState


def filter_form() -> rx.Component:
    return rx.form(
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
    )


def audit_tab() -> rx.Component:
    return rx.card(
        rx.heading("Log Audit", as_="h2", size="5"),
        filter_form(),
        scrolling(
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
            margin_top="1em",
        ),
        pager(page=S.audit_page, page_count=S.audit_page_count, go_to_page=S.audit_go_to_page, size="1"),
        width="100%",
    )
