"""Notices of the page frame in the page's language, in place of Reflex's English ones.

- The connection is lost (a phone between cells, the server restarting): Reflex showed an English toast naming
  the websocket address ("Cannot connect to server … ws://…/_event") and a pulsing icon. The notice asks to wait
  rather than promising anything about the page's state: an event clicked meanwhile is sent once the connection
  is back, and a report counts only once its Nomor Registrasi is shown.
- A request failed on the server (state/server_error.py).
- The toaster's landmark (where a refused upload is told) is named in the page's language, not sonner's
  "Notifications alt+T".
- The page cannot be drawn (a bug in the page's code): Reflex's fallback was English, showed the error and its
  stack, and linked to reflex.dev. Ours says what to do; the error still reaches the server's log (Reflex's
  on_error handler), never the screen."""

from __future__ import annotations

import reflex as rx
from reflex.event import noop
from reflex.vars import FunctionStringVar
from reflex_base.components.memo import memo
from reflex_base.vars.base import Var
from reflex_components_core.base.error_boundary import ErrorBoundary
from reflex_components_core.core.banner import has_connection_errors

from wbs_app import routes
from wbs_app.components.text import tr, tr_attr
from wbs_app.state.server_error import ServerErrorState


def _notice() -> rx.Component:
    return rx.cond(
        has_connection_errors,  # Reflex's client-side list of failed connection attempts; empty once connected
        rx.el.div(
            rx.el.strong(tr("Koneksi ke server terputus.")),
            " ",
            tr(
                "Sambungan dicoba lagi secara otomatis; tunggu sampai pesan ini hilang sebelum melanjutkan. "
                "Laporan baru diterima setelah Nomor Registrasinya tampil."
            ),
            role="alert",
            class_name="connection-notice",
        ),
    )


def connection_notice(stateful: bool) -> rx.Component | None:
    """The app wrap in Reflex's overlay slot (App.app_wraps[(5, "Overlay")]); a page without state has no socket."""
    # A memo of its own, as Reflex's overlay is: the connection-error hook runs in that component.
    return rx.fragment(memo(_notice)()) if stateful else None


def server_error_notice() -> rx.Component:
    """Under the header, kept in view while the page scrolls, until closed or another page opens."""
    return rx.cond(
        ServerErrorState.failed,
        rx.el.div(
            rx.el.span(
                tr(
                    "Terjadi kesalahan di server. Coba lagi sebentar lagi; bila terus terjadi, hubungi pengelola "
                    "WBS (lihat halaman Kontak)."
                )
            ),
            rx.el.button(tr("Tutup"), type="button", on_click=ServerErrorState.dismiss),
            role="alert",
            class_name="server-error-notice",
        ),
    )


def toaster() -> rx.Component:
    """Reflex's toaster (App.toaster), its landmark named in the page's language."""
    return rx.toast.provider(custom_attrs={"customAriaLabel": tr_attr("Notifikasi")})


def _cannot_draw() -> rx.Component:
    return rx.el.div(
        rx.el.h1(tr("Halaman ini tidak dapat ditampilkan")),
        rx.el.p(
            tr(
                "Terjadi kesalahan saat menampilkan halaman. Muat ulang halaman, atau kembali ke Beranda. Laporan yang "
                "sudah dikirim tidak terpengaruh; Nomor Registrasi dan Kode Akses Anda tetap berlaku."
            )
        ),
        rx.el.div(
            rx.el.button(
                tr("Muat Ulang"),
                type="button",
                on_click=rx.call_function(FunctionStringVar.create("(() => window.location.reload())")),
            ),
            rx.el.a(tr("Kembali ke Beranda"), href=routes.HOME),
            class_name="page-error-actions",
        ),
        role="alert",
        class_name="page-error",
    )


def error_boundary(stateful: bool) -> rx.Component:
    """The app wrap in Reflex's error-boundary slot (App.app_wraps[(55, "ErrorBoundary")])."""
    reporting = {} if stateful else {"on_error": noop()}  # as Reflex's: a page without state has no server
    return ErrorBoundary.create(fallback_render=Var.create(_cannot_draw()), **reporting)
