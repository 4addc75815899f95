"""Lapor Sekarang: choose the channel; each opens the same four-step wizard."""

from __future__ import annotations

import reflex as rx

from wbs_app import content, language, routes
from wbs_app.components.institution import outbound_link
from wbs_app.components.layout import column, page_heading
from wbs_app.components.links import link_button
from wbs_app.components.page import Page
from wbs_app.components.text import tr
from wbs_app.i18n import N_, translate
from wbs_app.state.institution import InstitutionState

FORM_OF_CHANNEL = {channel: route for route, channel in routes.REPORT_FORMS.items()}
# Each channel's button, a whole sentence per channel (the channel names are stored names, models.Channel).
REPORT_BUTTON = {
    "Pelanggaran (WBS)": N_("Lapor Pelanggaran (WBS)"),
    "Benturan Kepentingan": N_("Lapor Benturan Kepentingan"),
    "Gratifikasi": N_("Lapor Gratifikasi"),
}


def channel_card(name: str, text: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr(name), as_="h2", size="4"),
            rx.text(tr(text), size="2"),
            link_button(tr(REPORT_BUTTON[name]), FORM_OF_CHANNEL[name], width="100%"),
            spacing="3",
            height="100%",
            justify="between",
        ),
    )


def report_entry() -> rx.Component:
    return column(
        page_heading(tr("Lapor Sekarang"), tr("Pilih saluran pelaporan yang sesuai dengan dugaan pelanggaran.")),
        rx.grid(
            *[channel_card(name, text) for name, text in content.CHANNELS],
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
        ),
        rx.callout(
            tr(
                "Anda dapat melapor tanpa akun: setelah terkirim Anda menerima Nomor Registrasi dan Kode Akses "
                "rahasia. Dengan akun, laporan tersimpan di Riwayat Laporan Anda."
            ),
            icon="shield_check",
            color_scheme="green",
            width="100%",
        ),
        rx.heading(tr("Periksa laporan Anda (5W+1H)"), as_="h2", size="5"),
        # The English name of each criterion, with its Indonesian gloss on the Indonesian page only.
        rx.el.ul(
            *[
                rx.el.li(
                    rx.text(rx.text.strong(english, rx.el.span(f" ({indonesian})", class_name="t-id")), ": ", tr(text))
                )
                for english, indonesian, text in content.CRITERIA
            ],
            class_name="plain-list",
        ),
        rx.text(
            tr("Sudah pernah melapor tanpa akun? "),
            rx.link(tr("Buka laporan dengan Kode Akses"), href=routes.ACCESS),
            ".",
        ),
        scope_section(),
        max_width="60em",
    )


LAPOR = "SP4N-LAPOR!"  # the national complaint service: a name, the same in every language


def lapor_kept(msgid: str) -> rx.Component:
    """A catalogue text in both languages (as components/text.tr), with each "SP4N-LAPOR!" in it marked as a name
    not to translate."""

    def shown(text: str) -> list:
        pieces = text.split(LAPOR)
        kept = [rx.el.span(LAPOR, custom_attrs={"translate": "no"}) for _ in pieces[1:]]
        return [piece for pair in zip(pieces, [*kept, ""], strict=True) for piece in pair if piece != ""]

    return rx.fragment(
        *[rx.el.span(*shown(translate(msgid, lang)), class_name=f"t-{lang}") for lang in language.LANGUAGES]
    )


def bullets(items: list[str]) -> rx.Component:
    return rx.el.ul(
        *[rx.el.li(rx.text(tr(item), size="2")) for item in items],
        list_style_type="disc",
        padding_left="1.25em",
        margin_top="0.5em",
    )


def scope_section() -> rx.Component:
    """What belongs in WBS, and where service complaints go instead: the institution's SP4N-LAPOR! page, the one
    link to another site on this page (a new tab, no referrer; nothing is loaded from there)."""
    return rx.el.section(
        rx.heading(tr("Apa yang dilaporkan ke WBS?"), as_="h2", size="5", id="bukan-wbs-judul", margin_bottom="0.75em"),
        rx.grid(
            rx.card(
                rx.heading(tr("Laporkan melalui WBS"), as_="h3", size="4"),
                rx.text(tr("Dugaan pelanggaran oleh pegawai, antara lain:"), size="2"),
                bullets(content.WBS_MATTERS),
                class_name="scope-wbs",
            ),
            rx.card(
                rx.heading(tr("Bukan untuk WBS"), as_="h3", size="4"),
                rx.text(tr("Keluhan atas pelayanan publik biasa, misalnya:"), size="2"),
                bullets(content.NOT_WBS_MATTERS),
                class_name="scope-not-wbs",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        rx.text(lapor_kept(content.LAPOR_EXPLANATION), margin_top="1em"),
        rx.text(
            outbound_link(
                lapor_kept(N_("Sampaikan keluhan pelayanan di SP4N-LAPOR!")),
                InstitutionState.profile.lapor_url,
                id="lapor-link",
                class_name="lapor-link",
            ),
            lapor_kept(N_(" (membuka tab baru di situs SP4N-LAPOR!, di luar WBS)")),
            margin_top="0.5em",
        ),
        id="bukan-wbs",
        aria_labelledby="bukan-wbs-judul",
        class_name="section",
        width="100%",
    )


PAGE = Page(route=routes.REPORT, title=N_("Lapor Sekarang"), component=report_entry)
