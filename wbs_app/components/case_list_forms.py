"""The verifiers' case list's counters, filter form and export form (pages/staff/case_list.py), in both languages."""

from __future__ import annotations

import reflex as rx

from wbs_app.components.links import backend_link
from wbs_app.components.text import tr, tr_attr
from wbs_app.i18n import N_
from wbs_app.models import Channel, ReportStatus
from wbs_app.services import two_factor

COUNTER_LABELS = [
    ("baru", N_("Baru (belum ditugaskan)")),
    ("verifikasi", N_("Proses Verifikasi")),
    ("pemeriksaan", N_("Proses Pemeriksaan")),
    ("selesai", N_("Selesai")),
    ("terlambat", N_("Terlambat")),
    ("belum_dibaca", N_("Belum dibaca")),
]


def counter_cards(S) -> rx.Component:
    return rx.grid(
        *[
            rx.card(
                rx.text(tr(label), size="2", color_scheme="gray"),
                rx.text(S.counters[key].to_string(), size="7", weight="bold", class_name=f"counter-{key}"),
            )
            for key, label in COUNTER_LABELS
        ],
        columns=rx.breakpoints(initial="2", sm="3", lg="6"),
        spacing="3",
        width="100%",
    )


def select_filter(
    text: str, name: str, options: list[tuple[str, str]] | rx.Var, *, typed: bool = False
) -> rx.Component:
    """A filter list: `options` are (value, catalogued name) pairs, or a Var of {value, label} already in the
    language of the page. `typed`: names people typed (units), which are not translated."""
    choices = (
        [rx.el.option(tr_attr(label), value=value) for value, label in options]
        if isinstance(options, list)
        else [
            rx.foreach(
                options,
                lambda option: rx.el.option(
                    option["label"], value=option["value"], custom_attrs={"translate": "no"} if typed else {}
                ),
            )
        ]
    )
    return rx.box(
        rx.el.label(tr(text), html_for=f"filter_{name}", class_name="field-label"),
        rx.el.select(
            rx.el.option(tr_attr("Semua"), value=""),
            *choices,
            id=f"filter_{name}",
            name=name,
            class_name="native-select",
        ),
        class_name="field",
    )


def filter_form(S) -> rx.Component:
    return rx.form(
        rx.grid(
            rx.box(
                rx.el.label(
                    tr("Cari (judul, uraian, terlapor, nomor)"), html_for="filter_search", class_name="field-label"
                ),
                rx.input(id="filter_search", name="search", max_length=100, width="100%"),
                class_name="field",
                grid_column=rx.breakpoints(initial="span 1", md="span 2"),
            ),
            select_filter(N_("Status"), "status", [(s.value, s.value) for s in ReportStatus]),
            select_filter(N_("Kanal"), "channel", [(c.value, c.value) for c in Channel]),
            select_filter(N_("Jenis Pelanggaran"), "violation_type_id", S.type_options),
            select_filter(N_("Unit Kejadian"), "unit_id", S.unit_options, typed=True),
            rx.box(
                rx.el.label(tr("Dari tanggal"), html_for="filter_date_from", class_name="field-label"),
                rx.input(id="filter_date_from", name="date_from", type="date", width="100%"),
                class_name="field",
            ),
            rx.box(
                rx.el.label(tr("Sampai tanggal"), html_for="filter_date_to", class_name="field-label"),
                rx.input(id="filter_date_to", name="date_to", type="date", width="100%"),
                class_name="field",
            ),
            rx.el.label(
                rx.el.input(type="checkbox", name="assigned_to_me", id="filter_mine"),
                " ",
                tr("Ditugaskan ke saya"),
                html_for="filter_mine",
                class_name="checkbox-label",
            ),
            rx.el.label(
                rx.el.input(type="checkbox", name="overdue", id="filter_overdue"),
                " ",
                tr("Hanya yang terlambat"),
                html_for="filter_overdue",
                class_name="checkbox-label",
            ),
            rx.button(tr("Terapkan"), type="submit"),
            columns=rx.breakpoints(initial="1", sm="2", md="4"),
            spacing="3",
            align="end",
            width="100%",
        ),
        on_submit=S.apply_filters,
        no_validate=True,
        width="100%",
    )


def _identity_fields() -> rx.Component:
    return rx.flex(
        rx.el.label(
            rx.el.input(type="checkbox", name="include_identity", id="include_identity"),
            " ",
            tr("Sertakan identitas pelapor (tercatat di log audit)"),
            html_for="include_identity",
            class_name="checkbox-label",
        ),
        rx.el.label(tr("Alasan membuka identitas"), html_for="identity_reason"),
        rx.input(id="identity_reason", name="identity_reason", max_length=1000, min_width="16rem"),
        # A fresh second-factor code, asked only when the identities are included.
        rx.el.label(tr("Kode autentikator"), html_for="export_code"),
        rx.input(
            id="export_code",
            name=two_factor.CODE_FIELD,
            auto_complete="one-time-code",
            max_length=32,
            width="8rem",
        ),
        spacing="2",
        align="center",
        wrap="wrap",
    )


def export_form(S) -> rx.Component:
    return rx.form(
        rx.flex(
            rx.el.label(tr("Format ekspor"), html_for="export_format"),
            rx.el.select(
                rx.el.option("CSV", value="csv"),
                rx.el.option("Excel (XLSX)", value="xlsx"),
                id="export_format",
                name="format",
                class_name="native-select",
                style={"width": "auto"},
            ),
            rx.button(
                rx.icon("download", size=16), tr("Ekspor"), type="submit", variant="outline", loading=S.exporting
            ),
            rx.cond(S.is_admin, _identity_fields()),
            rx.cond(
                S.export_link != "",
                backend_link(S.export_link, S.export_label, class_name="file-link", id="export-link"),
            ),
            rx.cond(S.export_error != "", rx.text(S.export_error, color_scheme="red", role="alert", id="export-error")),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        on_submit=S.export_list,
    )
