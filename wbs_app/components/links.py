"""Links to the backend's own routes (evidence downloads, login cookie), which may live on another port than the
pages."""

from __future__ import annotations

import reflex as rx
from reflex.constants import Dirs
from reflex.vars import FunctionStringVar, Var, VarData
from reflex.vars.base import ImportVar

from wbs_app.components.text import tr
from wbs_app.state.auth import AuthState

# The backend's origin as the browser must reach it (same logic Reflex uses for its upload endpoint).
backend_origin = Var(
    _js_expr="getBackendURL(env.UPLOAD).origin",
    _var_data=VarData(
        imports={
            f"$/{Dirs.STATE_PATH}": "getBackendURL",
            "$/env.json": ImportVar(tag="env", is_default=True),
        }
    ),
).to(str)


def backend_link(path: Var, *children, **props) -> rx.Component:
    return rx.el.a(*children, href=backend_origin + path, target="_blank", rel="noopener noreferrer", **props)


HANDOFF_ID = "wbs-handoff"
_FOLLOW_HANDOFF = FunctionStringVar.create(f"(() => document.getElementById('{HANDOFF_ID}').click())")


def session_handoff() -> rx.Component:
    """The full navigation a login or logout ends with (AuthState.handoff): to the server route that sets or
    clears the HttpOnly session cookie, leaving the app so the websocket reconnects with the new cookie.

    A plain link, followed at once: its Referer (this page's origin only) tells the route that a page of this
    app sent the browser (api.py); the pages' own policy (no-referrer) would send none. Shown, as "Mengalihkan…",
    for the moment it takes.
    """
    return rx.cond(
        AuthState.handoff != "",
        rx.el.a(
            tr("Mengalihkan…"),
            id=HANDOFF_ID,
            href=backend_origin + AuthState.handoff,
            referrer_policy="strict-origin",
            # Reflex renders a link as React Router's Link, which would stay in the page for a URL of the same origin
            # (pages and backend share one port in production): this one must reach the server.
            custom_attrs={"reloadDocument": True},
            on_mount=rx.call_function(_FOLLOW_HANDOFF),
        ),
    )


def link_button(text, href: str | Var, *, size: str = "2", variant: str = "solid", **props) -> rx.Component:
    """A link drawn as a button (assets/wbs.css .link-button): one element and one tab stop. A link wrapping a
    button is invalid HTML and takes two tab stops."""
    return rx.link(text, href=href, underline="none", class_name=f"link-button {variant} size-{size}", **props)
