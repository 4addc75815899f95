"""/verifikator/laporan/<nomor>: one case for verifiers (state in .state, page sections in .views)."""

from wbs_app import routes
from wbs_app.components.page import Page
from wbs_app.i18n import N_
from wbs_app.pages.staff.case_page.state import CaseState
from wbs_app.pages.staff.case_page.views import case_page

PAGE = Page(route=routes.STAFF_CASE, title=N_("Laporan"), component=case_page, on_load=(CaseState.load,))
