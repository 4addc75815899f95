"""The shared page frame: header with navigation, main content, footer."""

from __future__ import annotations

import reflex as rx

from wbs_app import routes
from wbs_app.components.institution import footer_contact
from wbs_app.components.links import session_handoff
from wbs_app.components.notices import server_error_notice
from wbs_app.components.text import tr, tr_attr
from wbs_app.i18n import N_
from wbs_app.state.auth import AuthState

NAV_LINKS = [
    (N_("Beranda"), routes.HOME),
    (N_("Tentang WBS"), routes.ABOUT),
    (N_("Lapor Sekarang"), routes.REPORT),
    (N_("Lacak Laporan"), routes.TRACK),
    (N_("FAQ"), routes.FAQ),
    (N_("Kontak"), routes.CONTACT),
]


def brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.image(src="/logo.svg", alt="", width="36px", height="36px"),
            rx.vstack(
                rx.text("WBS", weight="bold", size="4", line_height="1"),
                rx.text("Whistleblowing System", size="1", line_height="1.2"),
                spacing="0",
            ),
            # Its name is the words it shows, then where it leads (WCAG 2.5.3: no aria-label that differs).
            rx.el.span(tr(" — Beranda"), class_name="sr-only"),
            align="center",
            spacing="2",
        ),
        href=routes.HOME,
        underline="none",
        color="white",
    )


def _account_links(direction: str) -> rx.Component:
    return rx.cond(
        AuthState.is_logged_in,
        rx.flex(
            rx.cond(
                ~AuthState.is_staff, rx.link(tr("Riwayat Laporan"), href=routes.HISTORY, color="white", weight="medium")
            ),
            rx.link(
                AuthState.user_display_name,
                href=routes.ACCOUNT,
                color="white",
                weight="medium",
                title=AuthState.user_display_name,
                class_name="nav-account",
                custom_attrs={"translate": "no"},  # a name, as typed
            ),
            rx.button(
                tr("Keluar"), on_click=AuthState.logout, variant="outline", color_scheme="gray", class_name="nav-button"
            ),
            direction=direction,
            spacing="3",
            align="center",
        ),
        rx.flex(
            rx.link(tr("Masuk"), href=routes.LOGIN, color="white", weight="medium"),
            rx.link(tr("Daftar"), href=routes.REGISTER, color="white", weight="medium"),
            direction=direction,
            spacing="3",
            align="center",
        ),
    )


def language_switch() -> rx.Component:
    """To the other language: each button names its language in that language (and says so to screen readers);
    CSS shows the one that leads away from the current language, wbs.js stores the choice and reloads."""
    return rx.fragment(
        rx.el.button(
            "English", lang="en", type="button", custom_attrs={"data-language": "en"}, class_name="language-switch t-id"
        ),
        rx.el.button(
            "Bahasa Indonesia",
            lang="id",
            type="button",
            custom_attrs={"data-language": "id"},
            class_name="language-switch t-en",
        ),
    )


def navbar() -> rx.Component:
    links = [rx.link(tr(label), href=href, color="white", class_name="nav-link") for label, href in NAV_LINKS]
    return rx.el.header(
        rx.flex(
            brand(),
            rx.el.nav(
                rx.flex(
                    *links, _account_links("row"), language_switch(), spacing="4", align="center", class_name="nav-row"
                ),
                aria_label=tr_attr("Navigasi utama"),
                class_name="nav-desktop",
            ),
            rx.el.details(
                rx.el.summary(tr("Menu"), class_name="nav-summary"),
                rx.el.nav(
                    rx.flex(
                        *links,
                        _account_links("column"),
                        language_switch(),
                        direction="column",
                        spacing="3",
                        align="start",
                    ),
                    aria_label=tr_attr("Navigasi utama (ponsel)"),
                ),
                class_name="nav-mobile",
            ),
            justify="between",
            align="center",
            wrap="wrap",
            spacing="3",
            class_name="container",
        ),
        class_name="site-header",
    )


def footer() -> rx.Component:
    return rx.el.footer(
        rx.flex(
            rx.vstack(
                footer_contact(),
                rx.text(
                    tr("Identitas pelapor dirahasiakan. Laporan ditangani oleh verifikator yang berwenang."),
                    size="2",
                ),
                spacing="1",
            ),
            rx.flex(
                rx.link(tr("Tentang WBS"), href=routes.ABOUT, color="white"),
                rx.link(tr("Statistik"), href=routes.PUBLIC_STATISTICS, color="white"),
                rx.link(tr("FAQ"), href=routes.FAQ, color="white"),
                rx.link(tr("Kontak"), href=routes.CONTACT, color="white"),
                spacing="4",
                wrap="wrap",
            ),
            justify="between",
            wrap="wrap",
            spacing="4",
            class_name="container",
        ),
        class_name="site-footer",
    )


def page_frame(*children: rx.Component) -> rx.Component:
    return rx.box(
        rx.el.a(tr("Langsung ke konten utama"), href="#konten", class_name="skip-link"),
        navbar(),
        session_handoff(),
        server_error_notice(),
        rx.el.main(
            rx.box(*children, class_name="container"),
            id="konten",
            tab_index=-1,  # the skip link moves focus here (and wbs.js makes sure it does)
            class_name="site-main",
            # Lets tests (and scripts) wait until the page's server data has arrived.
            custom_attrs={"data-ready": rx.State.is_hydrated.to_string()},
        ),
        footer(),
        class_name="site",
    )


def page_heading(title: str, subtitle: str = "") -> rx.Component:
    return rx.vstack(
        rx.heading(title, as_="h1", size="7"),
        rx.text(subtitle, color_scheme="gray") if subtitle else rx.fragment(),
        spacing="2",
        margin_bottom="1.5em",
    )


def column(*children, **props) -> rx.Component:
    """The page's usual vertical stack: full width, spacing 4 unless given."""
    return rx.vstack(*children, **{"spacing": "4", "width": "100%", **props})


def scrolling(*children, **props) -> rx.Component:
    """A full-width box that scrolls sideways when a table is wider than the screen (phones)."""
    return rx.box(*children, **{"overflow_x": "auto", "width": "100%", **props})
