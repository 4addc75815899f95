"""Creates the app and registers the routes; no logic here."""

import asyncio
import gc

import reflex as rx

from wbs_app import i18n
from wbs_app.api import api
from wbs_app.components.layout import page_frame
from wbs_app.components.notices import connection_notice, error_boundary, toaster
from wbs_app.db import open_session, warm_up  # also sets the SQLite pragmas on every connection
from wbs_app.language import DEFAULT as DEFAULT_LANGUAGE
from wbs_app.models import utcnow
from wbs_app.page_paths import PagePaths
from wbs_app.pages import (
    about,
    access,
    account,
    activate,
    contact,
    faq,
    history,
    home,
    login,
    not_found,
    password_reset,
    public_statistics,
    register,
    report_entry,
    report_view,
    report_wizard,
    track,
    verify_receipt,
)
from wbs_app.pages.staff import admin as staff_admin
from wbs_app.pages.staff import case_list, case_page, protection
from wbs_app.pages.staff import statistics as staff_statistics
from wbs_app.security_headers import SecurityHeaders
from wbs_app.services import audit, evidence, evidence_store, export, job_claims, reminders, retention, staff_notices
from wbs_app.settings import get_settings
from wbs_app.state.auth import AuthState
from wbs_app.state.institution import InstitutionState
from wbs_app.state.server_error import ServerErrorState, explain_server_error
from wbs_app.state.staff import flush_refusals_at_shutdown
from wbs_app.upload_guard import UploadSizeGuard

PAGES = [
    home.PAGE,
    about.PAGE,
    report_entry.PAGE,
    *report_wizard.PAGES,
    access.PAGE,
    report_view.PAGE,
    history.PAGE,
    track.PAGE,
    track.NUMBER_PAGE,
    faq.PAGE,
    contact.PAGE,
    public_statistics.PAGE,
    verify_receipt.PAGE,
    login.PAGE,
    register.PAGE,
    activate.PAGE,
    activate.RESEND_PAGE,
    password_reset.REQUEST_PAGE,
    password_reset.PAGE,
    account.PAGE,
    case_list.PAGE,
    case_page.PAGE,
    staff_statistics.PAGE,
    staff_admin.PAGE,
    protection.PAGE,
]


SWEEP_KEY = "sweep_last_hour"


def _sweep_orphan_evidence() -> None:
    with open_session() as db:
        evidence_store.sweep_orphan_evidence(session=db)


def _claim_sweep() -> bool:
    with open_session() as db:
        return job_claims.claim(session=db, job=SWEEP_KEY, period=job_claims.hour_period(utcnow()))


async def sweep_temporary_files():
    """Hourly, by one app worker of all (the hour is claimed in the database): files of abandoned drafts, old
    exports, and evidence left by a submission that died mid-commit."""
    while True:
        if await asyncio.to_thread(_claim_sweep):
            await asyncio.to_thread(evidence.sweep_abandoned_drafts)
            await asyncio.to_thread(export.sweep_old_exports)
            await asyncio.to_thread(_sweep_orphan_evidence)
        await asyncio.sleep(3600)


async def freeze_startup_objects():
    """What the start made (modules, pages, compiled routes: ~220,000 objects) is kept out of the garbage
    collector's full passes, which otherwise walk it all (190 ms here, every visitor's events held meanwhile)."""
    gc.collect()
    gc.freeze()


async def warm_up_database():
    """The SQLite file read once into the OS cache after a start, in the background (db.warm_up)."""
    warm_up(get_settings().database_url)


app = rx.App(
    html_lang=DEFAULT_LANGUAGE,  # every page's <html lang>: its text is Bahasa Indonesia
    stylesheets=["/wbs.css"],
    head_components=[
        rx.el.link(rel="icon", href="/logo.svg", type="image/svg+xml"),
        rx.el.script(src="/wbs.js", defer=True),
    ],
    # The guard wraps everything (pages, websocket, uploads): it bounds POST /_upload before it is read.
    # PagePaths serves /masuk as /masuk/ (the page, not a redirect to it).
    # SecurityHeaders, last and so outermost, refuses a foreign Origin and adds the CSP etc. to every response.
    api_transformer=[api, UploadSizeGuard, PagePaths, SecurityHeaders],
    backend_exception_handler=explain_server_error,  # a failed handler explained in the page's language
    toaster=toaster(),
)
# A lost connection and a page that cannot be drawn explained in the page's language, in place of Reflex's
# English toast and icon and its fallback (which showed the error's stack and linked to reflex.dev).
app.app_wraps[(5, "Overlay")] = connection_notice
app.app_wraps[(55, "ErrorBoundary")] = error_boundary
app.register_lifespan_task(sweep_temporary_files)
app.register_lifespan_task(freeze_startup_objects)
app.register_lifespan_task(warm_up_database)
app.register_lifespan_task(reminders.run_daily)
app.register_lifespan_task(audit.run_daily)  # the audit chain's head to the log, and its check, once a day
app.register_lifespan_task(flush_refusals_at_shutdown)
app.register_lifespan_task(retention.run_daily)
app.register_lifespan_task(staff_notices.run_sender)  # new reports and reporters' messages, batched


def _framed(page):
    """The page in the shared frame. Named after the page's own module, so Reflex compiles the page's memoized
    components into a module of their own (.web/app_components/wbs_app/pages/…): each route loads its own code,
    not every page's (the staff pages' charts and upload box stay off the home page)."""

    def render() -> rx.Component:
        return page_frame(page.component())

    render.__module__ = page.component.__module__
    return render


def _titles(page) -> list[dict[str, str]]:
    """The page's title in each language, for wbs.js to show the chosen one (the <title> itself is compiled
    once, in Bahasa Indonesia)."""
    return [{"name": f"wbs-title-{lang}", "content": f"{text} — WBS"} for lang, text in i18n.both(page.title).items()]


for page in [*PAGES, not_found.PAGE]:  # the 404 page too: an unknown address in the same frame
    app.add_page(
        _framed(page),
        route=page.route,
        title=f"{page.title} — WBS",
        description=page.description,
        meta=_titles(page),
        # A notice of a failed request belongs to the page it happened on.
        on_load=[ServerErrorState.dismiss, AuthState.refresh_user, InstitutionState.load, *page.on_load],
    )
