"""Administrasi (role admin): six tabs — staff accounts, reference data, deadlines, retention, the institution's
profile and the audit log.

Each tab has its own state and loads only its own data: when the page opens on it, when it is chosen,
and after a change made in it.
"""

from __future__ import annotations

import reflex as rx

from wbs_app import routes
from wbs_app.components.layout import column
from wbs_app.components.page import Page
from wbs_app.components.staff_nav import staff_nav
from wbs_app.components.text import tr, tr_attr
from wbs_app.i18n import N_
from wbs_app.models import User
from wbs_app.pages.staff.admin.accounts import StaffAccountsState, accounts_tab
from wbs_app.pages.staff.admin.audit_log import AuditLogState, audit_tab
from wbs_app.pages.staff.admin.deadline_settings import DeadlineSettingsState, deadlines_tab
from wbs_app.pages.staff.admin.institution_settings import InstitutionSettingsState, institution_tab
from wbs_app.pages.staff.admin.reference_data import ReferenceDataState, reference_tab
from wbs_app.pages.staff.admin.retention_settings import RetentionState, retention_tab
from wbs_app.state.staff import StaffState, admin_event

# value: (the tab's label, the load of its state, its content)
TABS = {
    "pengguna": (N_("Pengguna"), StaffAccountsState.load, accounts_tab),
    "referensi": (N_("Jenis Pelanggaran & Unit"), ReferenceDataState.load, reference_tab),
    "tenggat": (N_("Tenggat"), DeadlineSettingsState.load, deadlines_tab),
    "retensi": (N_("Retensi"), RetentionState.load, retention_tab),
    "instansi": (N_("Instansi"), InstitutionSettingsState.load, institution_tab),
    "audit": (N_("Log Audit"), AuditLogState.load, audit_tab),
}
FIRST_TAB = "pengguna"


class AdminState(StaffState):
    """Which tab is shown; opening the page, or another tab, loads the data of the tab shown."""

    tab: str = FIRST_TAB

    @admin_event
    def load(self, actor: User):
        return TABS[self.tab][1]

    @admin_event
    def show_tab(self, actor: User, tab: str):
        if isinstance(tab, str) and tab in TABS:
            self.tab = tab
        return TABS[self.tab][1]


def admin_page() -> rx.Component:
    return column(
        rx.heading(tr("Administrasi"), as_="h1", size="7"),
        staff_nav(),
        rx.tabs.root(
            rx.tabs.list(
                *[rx.tabs.trigger(tr(label), value=value) for value, (label, _, _) in TABS.items()],
                aria_label=tr_attr("Bagian Administrasi"),
                wrap="wrap",
            ),
            *[rx.tabs.content(content(), value=value, padding_top="1em") for value, (_, _, content) in TABS.items()],
            value=AdminState.tab,
            on_change=AdminState.show_tab,
            width="100%",
        ),
    )


PAGE = Page(route=routes.STAFF_ADMIN, title=N_("Administrasi"), component=admin_page, on_load=(AdminState.load,))
