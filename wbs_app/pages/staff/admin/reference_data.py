"""Administrasi, tab Jenis Pelanggaran & Unit: the reference lists reporters choose from."""

from __future__ import annotations

import reflex as rx

from wbs_app.components.forms import error_attrs, field_error
from wbs_app.components.layout import column
from wbs_app.components.text import tr, tr_attr
from wbs_app.db import open_session
from wbs_app.i18n import N_
from wbs_app.models import User
from wbs_app.pages.staff.admin.tab_state import AdminTabState, feedback
from wbs_app.services import admin
from wbs_app.state.staff import StaffState, admin_event


def _rows(kind: str) -> list[dict[str, str]]:
    with open_session() as db:
        return [
            {"id": str(r.id), "name": r.name, "active": "1" if r.is_active else ""}
            for r in admin.reference_rows(session=db, kind=kind)
        ]


class ReferenceDataState(AdminTabState, StaffState):
    types: list[dict[str, str]] = []
    units: list[dict[str, str]] = []
    # Changed after a name is added: the "baru" fields are drawn anew, empty. A refused name stays typed.
    add_form_key: int = 0

    def _reload(self) -> None:
        self.types = _rows("jenis")
        self.units = _rows("unit")

    @admin_event
    def load(self, actor: User):
        self._clear_feedback()
        self._reload()

    @admin_event
    def add_reference(self, actor: User, kind: str, form: dict):
        self._clear_feedback()
        name = str(form.get("name", ""))
        added = self._apply(
            lambda db: admin.add_reference(
                session=db, actor=actor, kind=str(kind), name=name, client_ip=self._client_ip()
            )
        )
        if added:
            self.add_form_key += 1

    @admin_event
    def rename_reference(self, actor: User, kind: str, row_id: str, name: str):
        self._clear_feedback()
        if str(row_id).isdigit():
            self._apply(
                lambda db: admin.rename_reference(
                    session=db,
                    actor=actor,
                    kind=str(kind),
                    row_id=int(row_id),
                    name=str(name),
                    client_ip=self._client_ip(),
                ),
                field_errors=False,
            )

    @admin_event
    def set_reference_active(self, actor: User, kind: str, row_id: str, active: bool):
        self._clear_feedback()
        if str(row_id).isdigit():
            self._apply(
                lambda db: admin.set_reference_active(
                    session=db,
                    actor=actor,
                    kind=str(kind),
                    row_id=int(row_id),
                    active=bool(active),
                    client_ip=self._client_ip(),
                )
            )


S = ReferenceDataState


def reference_row(kind: str, r) -> rx.Component:
    return rx.flex(
        rx.input(
            default_value=r["name"],
            aria_label=tr_attr("Nama"),
            # A name as an administrator typed it (reporters choose it): data, never translated.
            custom_attrs={"translate": "no"},
            on_blur=lambda value: S.rename_reference(kind, r["id"], value),
            flex="1",
        ),
        rx.cond(
            r["active"] == "1",
            rx.button(
                tr("Nonaktifkan"),
                size="1",
                variant="ghost",
                color_scheme="red",
                on_click=S.set_reference_active(kind, r["id"], False),
            ),
            rx.button(tr("Aktifkan"), size="1", variant="ghost", on_click=S.set_reference_active(kind, r["id"], True)),
        ),
        spacing="2",
        align="center",
        width="100%",
        key=r["id"],
    )


def reference_list(title: str, new: str, kind: str, rows) -> rx.Component:
    """`title`: the list's heading; `new`: the placeholder and label of the field that adds a name."""
    error_key = f"{kind}_name"
    return rx.card(
        rx.heading(tr(title), as_="h2", size="5"),
        rx.form(
            rx.flex(
                rx.input(
                    name="name",
                    id=error_key,
                    placeholder=tr_attr(new),
                    aria_label=tr_attr(new),
                    **error_attrs(S.errors, error_key),
                    max_length=200,
                ),
                rx.button(tr("Tambah"), type="submit", variant="outline"),
                spacing="2",
            ),
            field_error(S.errors, error_key),
            on_submit=lambda form: S.add_reference(kind, form),
            no_validate=True,
            key=S.add_form_key,
        ),
        column(
            rx.foreach(rows, lambda r: reference_row(kind, r)),
            spacing="1",
            margin_top="1em",
        ),
        width="100%",
    )


def reference_tab() -> rx.Component:
    return column(
        feedback(S),
        rx.grid(
            reference_list(N_("Jenis Pelanggaran"), N_("Jenis Pelanggaran baru"), "jenis", S.types),
            reference_list(N_("Unit"), N_("Unit baru"), "unit", S.units),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        spacing="2",
    )
