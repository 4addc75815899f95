"""A report's status as a badge: one colour per status, set here only."""

from __future__ import annotations

import reflex as rx

from wbs_app.components.text import tr_attr
from wbs_app.models import ReportStatus

STATUS_COLORS = {
    ReportStatus.VERIFICATION.value: "blue",
    ReportStatus.EXAMINATION.value: "orange",
    ReportStatus.PROVEN.value: "green",
    ReportStatus.NOT_PROVEN.value: "purple",
    ReportStatus.NOT_FOLLOWED_UP.value: "gray",
}


def status_badge(status: rx.Var, **props) -> rx.Component:
    """Text in the colour's step 12 on its soft background (assets/wbs.css .status-badge): AA contrast. The stored
    status is named in the page's language (the catalogues' terms; one text, as tests and screen readers read the
    badge); an unknown one as stored."""
    color = rx.match(status, *STATUS_COLORS.items(), "gray")
    name = rx.match(status, *[(value, tr_attr(value)) for value in STATUS_COLORS], status)
    return rx.badge(name, color_scheme=color, class_name="status-badge", **props)
