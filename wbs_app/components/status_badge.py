"""A report's status as a badge: one colour per status, set here only; the name in the page's language."""

from __future__ import annotations

import reflex as rx

from wbs_app.components.text import tr
from wbs_app.models import ReportStatus

STATUS_COLORS = {
    ReportStatus.VERIFICATION.value: "blue",
    ReportStatus.EXAMINATION.value: "orange",
    ReportStatus.PROVEN.value: "green",
    ReportStatus.NOT_PROVEN.value: "purple",
    ReportStatus.NOT_FOLLOWED_UP.value: "gray",
}


def status_badge(status: rx.Var, **props) -> rx.Component:
    """Text in the colour's step 12 on its soft background (assets/wbs.css .status-badge): AA contrast."""
    color = rx.match(status, *STATUS_COLORS.items(), "gray")
    # The stored name is the Indonesian one (models.ReportStatus, English in terms.po); anything else as stored.
    name = rx.match(status, *[(stored, tr(stored)) for stored in STATUS_COLORS], rx.fragment(status))
    return rx.badge(name, color_scheme=color, class_name="status-badge", **props)
