"""Administrasi, tab Instansi: the institution's name, logo, contact details, offline channels and SP4N-LAPOR! page,
as the public pages, the footer, emails and receipts show them (services/institution)."""

from __future__ import annotations

import asyncio

import reflex as rx

from wbs_app import messages
from wbs_app.components.forms import error_attrs, field_error, form_alert, label, text_field
from wbs_app.components.links import backend_origin
from wbs_app.components.text import tr, tr_attr
from wbs_app.db import open_session
from wbs_app.i18n import N_, _
from wbs_app.models import User
from wbs_app.pages.staff.admin.tab_state import AdminTabState, feedback
from wbs_app.services import evidence, institution
from wbs_app.services.errors import Refused, ValidationFailed
from wbs_app.state.institution import InstitutionState
from wbs_app.state.staff import StaffState, admin_event

LOGO_UPLOAD_ID = "logo_instansi"
LOGO_SAVED = N_("Logo tersimpan.")


class InstitutionSettingsState(AdminTabState, StaffState):
    values: dict[str, str] = {}
    logo_url: str = ""
    logo_error: str = ""
    uploading: bool = False
    # Changed when the stored profile loaded differs from the one shown: the form is drawn anew. Loading the same
    # profile again (opening the tab) leaves what is being typed alone; so does a refused form.
    form_key: int = 0

    def _reload(self) -> None:
        with open_session() as db:
            profile = institution.load(session=db)
        stored = institution.form_values(profile)
        self.logo_url = profile.logo_url
        if stored != self.values:
            self.values = stored
            self.form_key += 1

    @admin_event
    def load(self, actor: User):
        self._clear_feedback()
        self.logo_error = ""
        self._reload()

    @admin_event
    def save_profile(self, actor: User, form: dict):
        self._clear_feedback()
        if not isinstance(form, dict):
            return
        if self._apply(
            lambda db: institution.save(session=db, actor=actor, form_values=dict(form), client_ip=self._client_ip())
        ):
            return InstitutionState.load  # this page's footer shows the new profile at once

    @admin_event
    def remove_logo(self, actor: User):
        self._clear_feedback()
        self.logo_error = ""
        if self._apply(lambda db: institution.remove_logo(session=db, actor=actor, client_ip=self._client_ip())):
            return InstitutionState.load

    @admin_event(background=True)
    async def upload_logo(self, actor: User, chunks: rx.UploadChunkIterator):
        """Received whole in memory up to the logo limit (counted here, not by the browser), then checked and
        re-encoded off the event loop."""
        async with self:
            if self.uploading:
                return
            self.uploading = True
            self._clear_feedback()
            self.logo_error = ""
            client_ip = self._client_ip()
        received, name, too_large = bytearray(), "logo", False
        limit = institution.LOGO_MAX_MB * evidence.MB
        try:
            async for chunk in chunks:
                name = chunk.filename or name
                if len(received) + len(chunk.data) > limit:
                    too_large = True  # the rest is read and dropped
                    continue
                received += chunk.data
        finally:
            async with self:
                self.uploading = False
        error = await asyncio.to_thread(_store_logo, actor, bytes(received), name, too_large, client_ip)
        async with self:
            if error:
                self.logo_error = error
                return
            await asyncio.to_thread(self._reload)
            self.notice = _(LOGO_SAVED)
        return InstitutionState.load


def _store_logo(actor: User, data: bytes, name: str, too_large: bool, client_ip: str) -> str:
    """Blocking (image decoding, database): "" when the logo is stored, else why not."""
    try:
        if too_large:
            raise ValidationFailed({"logo": ""})
        cleaned, content_type = institution.clean_logo(data, name)
        with open_session() as db:
            institution.set_logo(session=db, actor=actor, data=cleaned, content_type=content_type, client_ip=client_ip)
    except ValidationFailed:
        return messages.LOGO_INVALID.format(max_mb=institution.LOGO_MAX_MB, max_side=institution.LOGO_MAX_SIDE)
    except Refused as refused:
        return str(refused)
    return ""


S = InstitutionSettingsState


def long_field(
    text: rx.Component, name: str, *, max_length: int, hint: rx.Component | None = None, rows: str = "2"
) -> rx.Component:
    """A text area of the profile: what it holds is the institution's own wording, never translated."""
    return rx.box(
        label(text, f"inst_{name}", False),
        rx.text_area(
            id=f"inst_{name}",
            name=name,
            max_length=max_length,
            default_value=S.values[name],
            rows=rows,
            width="100%",
            custom_attrs={"translate": "no"},
            **error_attrs(S.errors, name, f"inst_{name}"),
        ),
        rx.text(hint, size="1", color_scheme="gray") if hint is not None else rx.fragment(),
        field_error(S.errors, name, element_id=f"inst_{name}"),
        class_name="field",
    )


def short_field(
    text: rx.Component, name: str, *, required: bool = False, hint: rx.Component | str = "", type: str = "text"
) -> rx.Component:
    return text_field(
        text,
        name,
        S.errors,
        required=required,
        hint=hint,
        type=type,
        max_length=institution.FIELDS[name][1],
        default_value=S.values[name],
        id_prefix="inst_",
    )


def logo_card() -> rx.Component:
    return rx.box(
        rx.heading(tr("Logo"), as_="h3", size="3"),
        rx.cond(
            S.logo_url != "",
            rx.flex(
                rx.image(
                    src=backend_origin + S.logo_url,
                    alt=tr_attr("Logo instansi saat ini"),
                    class_name="institution-logo",
                    height="64px",
                    width="auto",
                ),
                rx.button(
                    tr("Hapus logo"), type="button", variant="outline", color_scheme="red", on_click=S.remove_logo
                ),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            rx.text(tr("Belum ada logo."), size="2", color_scheme="gray"),
        ),
        rx.upload(
            rx.vstack(
                rx.text(tr("Seret & lepas logo ke sini, atau"), size="2"),
                rx.button(tr("Pilih Logo"), type="button", variant="outline", loading=S.uploading),
                rx.text(
                    tr(
                        "PNG atau JPEG, paling besar {max_mb} MB. Gambar diperiksa, metadatanya dihapus dan diperkecil "
                        "menjadi paling besar {box} piksel.",
                        max_mb=institution.LOGO_MAX_MB,
                        box=institution.LOGO_BOX,
                    ),
                    size="1",
                    color_scheme="gray",
                ),
                align="center",
                spacing="2",
            ),
            id=LOGO_UPLOAD_ID,
            multiple=False,
            accept={"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"]},
            on_drop=S.upload_logo(rx.upload_files_chunk(upload_id=LOGO_UPLOAD_ID)),
            class_name="upload-box",
            border="2px dashed var(--gray-7)",
            padding="1em",
            border_radius="8px",
            width="100%",
            margin_top="0.5em",
        ),
        form_alert(S.logo_error),
        width="100%",
    )


def profile_form() -> rx.Component:
    """Drawn once the profile is loaded, so nothing typed before it arrives is replaced by it."""
    return rx.form(
        rx.grid(
            short_field(tr("Nama instansi"), "name", required=True),
            short_field(
                tr("Nama singkat"), "short_name", hint=tr("Untuk pengirim email, misalnya “Inspektorat Mojokerto”.")
            ),
            long_field(tr("Alamat kantor"), "address", max_length=300),
            long_field(tr("Jam layanan"), "office_hours", max_length=200),
            short_field("Email", "email", type="email"),
            short_field(tr("Telepon"), "phone"),
            short_field(tr("Situs web"), "website", hint=tr("Lengkap dengan https://")),
            long_field(
                tr("Media sosial"),
                "socials",
                max_length=1500,
                rows="3",
                # The Indonesian text (this runs when the page is compiled): tr shows it in both languages.
                hint=tr(messages.SOCIALS_HINT),
            ),
            rx.heading(tr("Saluran luring"), as_="h3", size="3", grid_column="1 / -1", margin_top="0.5em"),
            long_field(
                tr("Alamat surat"), "letter_address", max_length=300, hint=tr("Ke mana laporan tertulis dikirim.")
            ),
            short_field(tr("Saluran telepon pengaduan"), "phone_line", hint=tr("Nomor dan jam layanannya.")),
            long_field(
                tr("Layanan tatap muka"), "walk_in_desk", max_length=300, hint=tr("Tempat melapor secara langsung.")
            ),
            short_field(
                tr("Halaman SP4N-LAPOR! instansi"),
                "lapor_url",
                # The address is a name, the same in every language.
                hint=rx.fragment(
                    tr("Untuk pengaduan pelayanan publik; bila kosong:"),
                    " ",
                    rx.el.span(institution.DEFAULT_LAPOR_URL, custom_attrs={"translate": "no"}),
                ),
            ),
            rx.button(tr("Simpan Profil Instansi"), type="submit", grid_column="1 / -1", justify_self="start"),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.save_profile,
        no_validate=True,
        key=S.form_key,
        width="100%",
    )


def institution_tab() -> rx.Component:
    return rx.card(
        rx.heading(tr("Profil Instansi"), as_="h2", size="5"),
        rx.text(
            tr("Ditampilkan di halaman Kontak, Beranda, kaki halaman, email dan Bukti Pelaporan."),
            size="2",
            color_scheme="gray",
        ),
        feedback(S),
        logo_card(),
        rx.divider(margin_y="1em"),
        rx.cond(S.form_key == 0, rx.text(tr("Memuat…"), size="2"), profile_form()),
        width="100%",
    )
