"""Previous/next buttons and "Halaman x dari y" under a list paged in the database."""

from __future__ import annotations

import reflex as rx

from wbs_app.components.text import tr


def pager(
    *, page: rx.Var, page_count: rx.Var, go_to_page, total: rx.Var | None = None, size: str = "2"
) -> rx.Component:
    """`go_to_page` is the state's handler taking the page number; `total`, when given, is shown as "(n laporan)"."""
    position = (
        tr("Halaman {page} dari {pages} ({total} laporan)", page=page, pages=page_count, total=total)
        if total is not None
        else tr("Halaman {page} dari {pages}", page=page, pages=page_count)
    )
    return rx.flex(
        rx.button(tr("Sebelumnya"), size=size, variant="outline", on_click=go_to_page(page - 1), disabled=page <= 1),
        rx.text(position, size="2"),
        rx.button(
            tr("Berikutnya"), size=size, variant="outline", on_click=go_to_page(page + 1), disabled=page >= page_count
        ),
        spacing="3",
        align="center",
        wrap="wrap",
        margin_top="0.5em",
        class_name="pager",
    )
