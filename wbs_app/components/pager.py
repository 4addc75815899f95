"""Previous/next buttons and "Halaman x dari y" under a list paged in the database."""

from __future__ import annotations

import reflex as rx


def pager(
    *, page: rx.Var, page_count: rx.Var, go_to_page, total: rx.Var | None = None, size: str = "2"
) -> rx.Component:
    """`go_to_page` is the state's handler taking the page number; `total`, when given, is shown as "(n laporan)"."""
    count = (" (", total, " laporan)") if total is not None else ()
    return rx.flex(
        rx.button("Sebelumnya", size=size, variant="outline", on_click=go_to_page(page - 1), disabled=page <= 1),
        rx.text("Halaman ", page, " dari ", page_count, *count, size="2"),
        rx.button(
            "Berikutnya", size=size, variant="outline", on_click=go_to_page(page + 1), disabled=page >= page_count
        ),
        spacing="3",
        align="center",
        wrap="wrap",
        margin_top="0.5em",
        class_name="pager",
    )
