"""Beranda: what WBS is, the 5W+1H criteria, confidentiality, the flow, violation types and tracking."""

from __future__ import annotations

import reflex as rx

from wbs_app import content, routes
from wbs_app.components.institution import logo, offline_channels
from wbs_app.components.layout import column
from wbs_app.components.links import link_button
from wbs_app.components.page import Page
from wbs_app.components.text import tr
from wbs_app.components.tracking_widget import tracking_widget
from wbs_app.db import open_session
from wbs_app.i18n import N_, term
from wbs_app.services import reference
from wbs_app.state.institution import InstitutionState
from wbs_app.state.off_loop import in_thread


class HomeState(rx.State):
    violation_types: list[str] = []

    @rx.event
    @in_thread
    def load(self):
        """The active types, in the browser's language (seeded names have English; others are shown as typed)."""
        with open_session() as db:
            self.violation_types = [term(t.name) for t in reference.active_violation_types(session=db)]


def hero() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.flex(
                logo("institution-logo hero-logo", height="40px"),
                rx.text(
                    InstitutionState.profile.name,
                    size="3",
                    weight="medium",
                    id="hero-institution",
                    custom_attrs={"translate": "no"},
                ),
                spacing="2",
                align="center",
            ),
            rx.heading("Whistleblowing System", as_="h1", size="8"),
            rx.text(
                tr(
                    "Laporkan dugaan korupsi, gratifikasi, benturan kepentingan dan pelanggaran lain oleh pegawai. "
                    "Identitas Anda dirahasiakan."
                ),
                size="4",
            ),
            rx.flex(
                link_button(tr("Lapor Sekarang"), routes.REPORT, size="4"),
                link_button(tr("Pelajari WBS"), routes.ABOUT, size="4", variant="outline"),
                spacing="3",
                wrap="wrap",
            ),
            spacing="4",
            flex="3",
            min_width="260px",
        ),
        rx.box(tracking_widget(), flex="2", min_width="260px"),
        spacing="6",
        wrap="wrap",
        align="center",
        class_name="hero",
    )


def section(title: rx.Component, *children: rx.Component, id: str) -> rx.Component:
    return rx.el.section(
        rx.heading(title, as_="h2", size="6", margin_bottom="0.75em", id=f"{id}-judul"),
        *children,
        aria_labelledby=f"{id}-judul",
        class_name="section",
    )


def criteria_cards() -> rx.Component:
    return rx.grid(
        *[
            rx.card(
                rx.heading(english, as_="h3", size="4"),
                # The Indonesian word under the English heading, on the Indonesian page only.
                rx.text(indonesian, size="2", color_scheme="gray", class_name="t-id"),
                rx.text(tr(text), size="2", margin_top="0.5em"),
                class_name="criteria-card",
            )
            for english, indonesian, text in content.CRITERIA
        ],
        columns=rx.breakpoints(initial="1", xs="2", md="3"),
        spacing="4",
    )


def flow_steps() -> rx.Component:
    return rx.el.ol(
        *[
            rx.el.li(
                rx.card(
                    rx.badge(tr("Langkah {number}", number=number), size="2"),
                    rx.heading(tr(title), as_="h3", size="4", margin_top="0.5em"),
                    rx.text(tr(text), size="2"),
                ),
            )
            for number, (title, text) in enumerate(content.STEPS, start=1)
        ],
        class_name="flow-steps",
    )


def other_channels() -> rx.Component:
    """Offline channels (when the institution has any), public statistics, and where service complaints go."""
    return rx.grid(
        rx.card(
            rx.heading(tr("Melapor secara luring"), as_="h3", size="4"),
            rx.cond(
                InstitutionState.has_offline_channels,
                offline_channels(),
                rx.text(tr("Laporan diterima melalui formulir daring, 24 jam."), size="2"),
            ),
            rx.link(tr("Kontak dan jam layanan"), href=routes.CONTACT, size="2"),
        ),
        rx.card(
            rx.heading(tr("Statistik publik"), as_="h3", size="4"),
            rx.text(tr("Jumlah laporan yang diterima dan diselesaikan setiap bulan, tanpa rincian pelapor."), size="2"),
            rx.link(tr("Lihat statistik"), href=routes.PUBLIC_STATISTICS, size="2"),
        ),
        rx.card(
            rx.heading(tr("Keluhan pelayanan publik?"), as_="h3", size="4"),
            rx.text(tr("Keluhan pelayanan biasa disampaikan melalui SP4N-LAPOR!, bukan WBS."), size="2"),
            rx.link(tr("Apa yang dilaporkan ke WBS"), href=routes.REPORT + "#bukan-wbs", size="2"),
        ),
        columns=rx.breakpoints(initial="1", md="3"),
        spacing="4",
        width="100%",
    )


def home() -> rx.Component:
    return column(
        hero(),
        section(
            tr("Gambaran Umum"),
            rx.text(tr(content.OVERVIEW)),
            rx.text(tr(content.DEFINITION), margin_top="0.75em", weight="medium"),
            rx.text(tr("Jenis pengaduan masyarakat antara lain:"), margin_top="0.75em"),
            rx.el.ul(*[rx.el.li(tr(item)) for item in content.COMPLAINT_EXAMPLES], class_name="plain-list"),
            id="gambaran",
        ),
        section(
            tr("Kriteria Pengaduan (5W + 1H)"),
            rx.text(tr("Laporan Anda akan mudah ditindaklanjuti apabila memenuhi unsur berikut:"), margin_bottom="1em"),
            criteria_cards(),
            id="kriteria",
        ),
        section(
            tr("Kerahasiaan Pelapor"),
            rx.callout(tr(content.CONFIDENTIALITY), icon="shield_check", color_scheme="green", size="2"),
            id="kerahasiaan",
        ),
        section(tr("Alur Pengaduan"), flow_steps(), id="alur"),
        section(
            tr("Jenis Pelanggaran yang Dapat Dilaporkan"),
            rx.flex(
                rx.foreach(HomeState.violation_types, lambda name: rx.badge(name, size="3", variant="soft")),
                spacing="2",
                wrap="wrap",
                class_name="violation-types",
            ),
            id="jenis",
        ),
        section(tr("Saluran Lain dan Statistik"), other_channels(), id="saluran"),
        rx.card(
            rx.flex(
                rx.vstack(
                    rx.heading(tr("Siap melapor?"), as_="h2", size="5"),
                    rx.text(tr("Siapkan informasi 5W+1H dan bukti pendukung, lalu isi formulir pelaporan.")),
                    spacing="1",
                ),
                link_button(tr("Lapor Sekarang"), routes.REPORT, size="3"),
                justify="between",
                align="center",
                wrap="wrap",
                spacing="3",
            ),
            width="100%",
            class_name="cta",
        ),
        spacing="6",
    )


PAGE = Page(route=routes.HOME, title=N_("Beranda"), component=home, on_load=(HomeState.load,))
