"""Drag-and-drop evidence upload with a progress bar and the server's verdict on each file."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar, Var

from wbs_app.components.layout import column
from wbs_app.components.text import tr, tr_attr
from wbs_app.services import evidence
from wbs_app.settings import get_settings


def accept_map() -> dict[str, list[str]]:
    """The browser's file picker offers only allowed types (the server checks the real content anyway)."""
    accepted: dict[str, list[str]] = {}
    for ext in get_settings().allowed_extensions:
        if ext in evidence.KIND_OF_EXTENSION:  # .jpg and .jpeg share one type: keep both
            accepted.setdefault(evidence.CONTENT_TYPES[evidence.KIND_OF_EXTENSION[ext]], []).append(f".{ext}")
    return accepted


def browser_limits(room_bytes: Var | int | None) -> dict:
    """What assets/wbs.js checks each chosen file against before anything is sent (the server checks again)."""
    settings = get_settings()
    return {
        "data-max-file-bytes": settings.max_file_mb * evidence.MB,
        "data-max-file-mb": settings.max_file_mb,
        "data-max-report-mb": settings.max_report_mb,
        "data-room-bytes": settings.max_report_mb * evidence.MB if room_bytes is None else room_bytes,
        "data-extensions": ",".join(ext for ext in settings.allowed_extensions if ext in evidence.KIND_OF_EXTENSION),
        # The refusals wbs.js writes, in the page's language; it fills the {names} itself.
        "data-refuse-type": tr_attr(
            "{name}: jenis berkas tidak diizinkan. Gunakan {allowed}. Berkas ini tidak dikirim."
        ),
        "data-refuse-size": tr_attr(
            "{name}: berkas terlalu besar (maksimal {max} MB). Berkas ini {size} dan tidak dikirim."
        ),
        "data-refuse-room": tr_attr(
            "{names}: bersama-sama {total}, melebihi sisa ruang bukti laporan ini ({room} dari {max} MB per "
            "laporan). Berkas ini tidak dikirim; pilih lebih sedikit atau lebih kecil."
        ),
    }


def refused_by_dropzone(rejected: Var) -> rx.event.EventSpec:
    """Only if wbs.js did not filter first (react-dropzone checks type and size by itself as well)."""
    settings = get_settings()
    names = rejected.to(ArrayVar).map(lambda record: record.to(ObjectVar)["file"].to(ObjectVar)["name"]).join(", ")
    return rx.toast.error(
        tr_attr(
            "Tidak dikirim: {names}. Gunakan {allowed}, maksimal {max} MB per berkas.",
            names=names,
            allowed=evidence.allowed_extensions_label(),
            max=settings.max_file_mb,
        )
    )


def upload_box(
    *,
    upload_id: str,
    on_drop,
    uploading: Var,
    progress: Var,
    refused: Var,
    label: rx.Component | str,
    room_bytes: Var | None = None,
) -> rx.Component:
    """`room_bytes`: what the draft may still receive (DraftUploads.upload_room_bytes); without it the browser
    checks against a whole report's limit."""
    settings = get_settings()
    return column(
        rx.upload(
            rx.vstack(
                rx.icon("cloud_upload", size=32),
                rx.text(label, weight="medium"),
                rx.text(tr("Seret & lepas berkas ke sini, atau"), size="2"),
                rx.button(tr("Pilih Berkas"), type="button", variant="outline"),
                rx.text(
                    tr(
                        "{allowed}. Maksimal {max_file} MB per berkas, {max_report} MB per laporan.",
                        allowed=evidence.allowed_extensions_label(),
                        max_file=settings.max_file_mb,
                        max_report=settings.max_report_mb,
                    ),
                    size="1",
                    color_scheme="gray",
                ),
                align="center",
                spacing="2",
            ),
            id=upload_id,
            multiple=True,
            accept=accept_map(),
            max_size=settings.max_file_mb * evidence.MB,
            on_drop=on_drop,
            on_drop_rejected=refused_by_dropzone,
            class_name="upload-box",
            border="2px dashed var(--gray-7)",
            padding="1.5em",
            border_radius="8px",
            width="100%",
        ),
        rx.cond(
            uploading,
            rx.box(
                rx.text(tr("Mengunggah… {progress}%", progress=progress), size="2"),
                rx.progress(value=progress, max=100, width="100%"),
                width="100%",
                role="status",
            ),
        ),
        # Filled by wbs.js with the files it refused before sending; React leaves this element's content alone.
        rx.el.div(class_name="upload-local-refusal"),
        rx.foreach(
            refused, lambda message: rx.callout(message, color_scheme="red", role="alert", size="1", width="100%")
        ),
        class_name="upload-area",
        custom_attrs=browser_limits(room_bytes),
        spacing="2",
    )


def cleaning_notes(entry: Var) -> rx.Component:
    """What the server removed from a received file (e.g. "lokasi GPS, model perangkat dihapus"), and the warning
    for archives, whose contents cannot be cleaned: the sender sees both before sending."""
    return rx.fragment(
        rx.cond(
            entry["removed"] != "",
            rx.text(rx.icon("shield_check", size=14), " ", entry["removed"], size="1", class_name="cleaned-note"),
        ),
        rx.cond(
            entry["warning"] != "",
            rx.callout(
                entry["warning"], icon="triangle_alert", color_scheme="amber", size="1", class_name="archive-warning"
            ),
        ),
    )


def draft_upload_box(state, *, upload_id: str, label: rx.Component | str) -> rx.Component:
    """The upload box wired to a page state that mixes in wbs_app.state.uploads.DraftUploads with this upload_id."""
    return upload_box(
        upload_id=upload_id,
        on_drop=state.receive_uploads(
            rx.upload_files_chunk(upload_id=upload_id, on_upload_progress=state.upload_progress_changed)
        ),
        uploading=state.uploading,
        progress=state.upload_progress,
        refused=state.upload_refused,
        room_bytes=state.upload_room_bytes,
        label=label,
    )
