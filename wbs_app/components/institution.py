"""The institution's profile on public pages: its logo, contact details and offline channels (InstitutionState).

Only what is filled in is shown. Links to other sites (website, social accounts) open in a new tab without
sending a referrer; the footer, which is on every page, has none.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from wbs_app.components.links import backend_origin
from wbs_app.state.institution import InstitutionState

P = InstitutionState.profile


# Links in running text look like links (accent colour, underlined).
LINK_STYLE = {"color": "var(--accent-11)", "text_decoration": "underline"}


def text_link(text, href: Var | str, **props) -> rx.Component:
    """A plain <a> (mailto:, tel:), not a page of this app."""
    return rx.el.a(text, href=href, **{**LINK_STYLE, **props})


def outbound_link(text, href: Var | str, **props) -> rx.Component:
    """A link to another site: a new tab, no referrer, no access to this page (rel=noopener noreferrer)."""
    return text_link(text, href, target="_blank", rel="noopener noreferrer", **props)


def logo(class_name: str = "institution-logo", alt: Var | str = "", height: str = "64px") -> rx.Component:
    """The logo when there is one (decorative by default: the name is always written beside it), at most
    `height` high and the width of its box."""
    return rx.cond(
        P.logo_url != "",
        rx.image(
            src=backend_origin + P.logo_url,
            alt=alt,
            class_name=class_name,
            height=height,
            width="auto",
            max_width="100%",
            object_fit="contain",
        ),
    )


def _item(text: str, value: Var, shown: Var | None = None) -> rx.Component:
    return rx.cond(
        value != "" if shown is None else shown,
        rx.data_list.item(rx.data_list.label(text), rx.data_list.value(value)),
    )


def contact_list() -> rx.Component:
    """Address, hours, email, phone, website and social accounts."""
    return rx.data_list.root(
        rx.data_list.item(rx.data_list.label("Instansi"), rx.data_list.value(P.name, id="institution-name")),
        _item("Alamat", P.address),
        _item("Jam layanan", P.office_hours),
        rx.cond(
            P.email != "",
            rx.data_list.item(rx.data_list.label("Email"), rx.data_list.value(text_link(P.email, "mailto:" + P.email))),
        ),
        rx.cond(
            P.phone != "",
            rx.data_list.item(rx.data_list.label("Telepon"), rx.data_list.value(text_link(P.phone, "tel:" + P.phone))),
        ),
        rx.cond(
            P.website != "",
            rx.data_list.item(rx.data_list.label("Situs web"), rx.data_list.value(outbound_link(P.website, P.website))),
        ),
        rx.cond(
            P.socials.length() > 0,
            rx.data_list.item(
                rx.data_list.label("Media sosial"),
                rx.data_list.value(
                    rx.flex(
                        rx.foreach(P.socials, lambda social: outbound_link(social.label, social.url)),
                        spacing="3",
                        wrap="wrap",
                    )
                ),
            ),
        ),
        orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
        class_name="institution-contact",
    )


def offline_channels() -> rx.Component:
    """Letter, phone line and walk-in desk, as set by the administrator; nothing when none is."""
    return rx.cond(
        InstitutionState.has_offline_channels,
        rx.data_list.root(
            _item("Surat", P.letter_address),
            _item("Telepon pengaduan", P.phone_line),
            _item("Datang langsung", P.walk_in_desk),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            class_name="offline-channels",
        ),
    )


def footer_contact() -> rx.Component:
    """The footer's lines: name, address, phone and email as text (no link to another site on any page)."""
    return rx.vstack(
        rx.flex(
            logo("footer-logo", height="32px"),
            rx.text("WBS — ", P.name, weight="bold", id="footer-institution"),
            spacing="2",
            align="center",
        ),
        rx.cond(P.address != "", rx.text(P.address, size="2")),
        rx.cond(
            (P.phone != "") | (P.email != ""),
            rx.text(
                P.phone,
                rx.cond((P.phone != "") & (P.email != ""), " · ", ""),
                P.email,
                size="2",
            ),
        ),
        spacing="1",
    )
