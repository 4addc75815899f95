"""Navigation between the verifier pages."""

from __future__ import annotations

import reflex as rx

from wbs_app import routes
from wbs_app.components.text import tr
from wbs_app.models import Role
from wbs_app.state.auth import AuthState


def staff_nav() -> rx.Component:
    return rx.flex(
        rx.link(tr("Daftar Laporan"), href=routes.STAFF_HOME),
        rx.link(tr("Statistik"), href=routes.STAFF_STATS),
        rx.link(tr("Perlindungan Pelapor"), href=routes.STAFF_PROTECTION),
        rx.cond(AuthState.user_role == Role.ADMIN.value, rx.link(tr("Administrasi"), href=routes.STAFF_ADMIN)),
        spacing="4",
        wrap="wrap",
        class_name="staff-nav",
        margin_bottom="1em",
    )
