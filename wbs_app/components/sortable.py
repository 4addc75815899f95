"""Table headers that sort the list when clicked; a second click reverses the order.

Column labels are texts of the catalogues: the callers mark them (N_), these show them in the page's language.
"""

from __future__ import annotations

import reflex as rx

from wbs_app import language
from wbs_app.components.text import LanguageState, tr, tr_attr
from wbs_app.i18n import N_, translate

SORT_BY = N_("Urutkan menurut {label}")


def _shown(label):
    """A label as a page shows it: a marked text in both languages (a component a caller built is kept)."""
    return tr(label) if isinstance(label, str) else label


def _sort_title(label: str) -> rx.Var:
    """ "Urutkan menurut <label>" in the page's language, the label translated too."""
    english = translate(SORT_BY, language.ENGLISH).format(label=translate(label, language.ENGLISH))
    return rx.cond(LanguageState.english, english, SORT_BY.format(label=label))


def sortable_header(label: str, key: str, *, current: rx.Var, descending: rx.Var, on_sort) -> rx.Component:
    """A column header with a button; `aria-sort` tells screen readers which column orders the table."""
    active = current == key
    return rx.table.column_header_cell(
        rx.el.button(
            _shown(label),
            rx.cond(
                active,
                rx.cond(descending, rx.icon("arrow-down", size=14), rx.icon("arrow-up", size=14)),
                rx.icon("arrow-up-down", size=14, opacity="0.4"),
            ),
            type="button",
            on_click=on_sort(key),
            class_name="sort-button",
            title=_sort_title(label),
        ),
        aria_sort=rx.cond(active, rx.cond(descending, "descending", "ascending"), "none"),
    )


def sortable_header_row(columns: list[tuple], *, current: rx.Var, descending: rx.Var, on_sort) -> rx.Component:
    """The header of a sortable table; `columns` holds (label, sort key or None, first click descending)."""
    return rx.table.header(
        rx.table.row(
            *[
                sortable_header(label, key, current=current, descending=descending, on_sort=on_sort)
                if key
                else rx.table.column_header_cell(_shown(label))
                for label, key, *_ in columns
            ]
        )
    )


def labelled_row(columns: list[tuple], *cells: rx.Component, **props) -> rx.Component:
    """A table row whose cells carry their column's header as data-label: on a phone the table is a list of
    cards, each cell with its header beside it (assets/wbs.css .card-table)."""
    if len(cells) != len(columns):
        raise ValueError(f"{len(cells)} cells for {len(columns)} columns")
    for cell, (label, *_) in zip(cells, columns, strict=True):
        cell.custom_attrs["data-label"] = tr_attr(label) if isinstance(label, str) else label
    return rx.table.row(*cells, **props)


def next_sort(current: str, descending: bool, key: str, columns: dict[str, bool]) -> tuple[str, bool]:
    """Clicking the sorted column flips its direction; another column starts in its natural direction."""
    if not isinstance(key, str) or key not in columns:
        return current, descending
    if key == current:
        return key, not descending
    return key, columns[key]
