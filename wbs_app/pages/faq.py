"""FAQ: questions from the manuals about anonymity, what to report, evidence and tracking."""

from __future__ import annotations

import reflex as rx

from wbs_app import content, routes
from wbs_app.components.layout import column, page_heading
from wbs_app.components.page import Page


def faq() -> rx.Component:
    return column(
        page_heading("Pertanyaan yang Sering Diajukan"),
        *[
            rx.el.details(
                rx.el.summary(question, class_name="faq-question"),
                rx.text(answer, class_name="faq-answer"),
                class_name="faq-item",
            )
            for question, answer in content.FAQ
        ],
        spacing="3",
        max_width="48em",
    )


PAGE = Page(route=routes.FAQ, title="FAQ", component=faq)
