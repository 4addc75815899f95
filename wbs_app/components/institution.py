"""The institution's profile on public pages: its logo, contact details and offline channels (InstitutionState).

Only what is filled in is shown. The profile is data the administrator typed: shown as typed in both languages,
in containers marked translate="no" (browser translators and the English-page check leave them alone). Links to other sites (website, social accounts) open in a new tab without
sending a referrer; the footer, which is on every page, has none.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from wbs_app.components.links import backend_origin
from wbs_app.components.text import tr
from wbs_app.i18n import N_
from wbs_app.services import institution
from wbs_app.state.institution import InstitutionState

P = InstitutionState.profile
AS_TYPED = {"translate": "no"}


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


def _item(text: str, value, shown: Var | None = None, translated: str = "") -> rx.Component:
    """A label (a text of the catalogues) and the profile's value as typed; nothing while the value is empty.
    `translated`: the app's own default for the value, shown in the page's language while it is kept."""
    typed = rx.data_list.value(value, custom_attrs=AS_TYPED)
    if translated:
        typed = rx.cond(value == translated, rx.data_list.value(tr(translated)), typed)
    return rx.cond(
        value != "" if shown is None else shown,
        rx.data_list.item(rx.data_list.label(tr(text)), typed),
    )


def contact_list() -> rx.Component:
    """Address, hours, email, phone, website and social accounts."""
    return rx.data_list.root(
        rx.data_list.item(
            rx.data_list.label(tr("Instansi")),
            rx.data_list.value(P.name, id="institution-name", custom_attrs=AS_TYPED),
        ),
        _item(N_("Alamat"), P.address),
        _item(N_("Jam layanan"), P.office_hours, translated=institution.DEFAULT_OFFICE_HOURS),
        _item(N_("Email"), text_link(P.email, "mailto:" + P.email), shown=P.email != ""),
        _item(N_("Telepon"), text_link(P.phone, "tel:" + P.phone), shown=P.phone != ""),
        _item(N_("Situs web"), outbound_link(P.website, P.website), shown=P.website != ""),
        rx.cond(
            P.socials.length() > 0,
            rx.data_list.item(
                rx.data_list.label(tr("Media sosial")),
                rx.data_list.value(
                    rx.flex(
                        rx.foreach(P.socials, lambda social: outbound_link(social.label, social.url)),
                        spacing="3",
                        wrap="wrap",
                    ),
                    custom_attrs=AS_TYPED,
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
            _item(N_("Surat"), P.letter_address),
            _item(N_("Telepon pengaduan"), P.phone_line),
            _item(N_("Datang langsung"), P.walk_in_desk),
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
        custom_attrs=AS_TYPED,
    )
