"""Creates the app and registers the routes; no logic here."""

import reflex as rx

from wbs_app import db as _db  # noqa: F401 - SQLite pragmas on every connection
from wbs_app.components.layout import page_frame
from wbs_app.pages import about, account, activate, contact, faq, home, login, register, report_entry, track
from wbs_app.state.auth import AuthState

PAGES = [
    home.PAGE,
    about.PAGE,
    report_entry.PAGE,
    track.PAGE,
    faq.PAGE,
    contact.PAGE,
    login.PAGE,
    register.PAGE,
    activate.PAGE,
    activate.RESEND_PAGE,
    account.PAGE,
]

app = rx.App(
    stylesheets=["/wbs.css"],
    head_components=[rx.el.link(rel="icon", href="/logo.svg", type="image/svg+xml")],
)

for page in PAGES:
    app.add_page(
        lambda page=page: page_frame(page.component()),
        route=page.route,
        title=f"{page.title} — WBS",
        description=page.description,
        on_load=[AuthState.refresh_user, *page.on_load],
    )
