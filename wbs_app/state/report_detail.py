"""One report as the person reading it may see it: its reporter (owner or Kode Akses holder) or staff.

The one place that decides what each side sees. A reporter gets the public notes only, their own messages
labelled "Anda" and their own name (or "Tanpa identitas"); staff get the internal notes too and never the
reporter's name here (it is revealed, audited, elsewhere). Evidence links are signed and expire; they are
bound to the reader's login session, except for a Kode Akses holder, who has no login to bind them to.
Labels and the app's own words are in the language of the event that fills them (wbs_app/language.py).

Page states mix in ReportDetailState; the components in wbs_app.components.report_detail show its vars.
"""

from __future__ import annotations

import dataclasses
import logging

import reflex as rx
from sqlmodel import Session

from wbs_app import messages
from wbs_app.i18n import _, term
from wbs_app.localtime import format_local
from wbs_app.models import Evidence, Report, Unit, ViolationType
from wbs_app.services import audit, cases, downloads, evidence, keys, reports, retention, sealed, submission

logger = logging.getLogger("wbs.evidence")


@dataclasses.dataclass(frozen=True)
class Viewer:
    staff: bool
    link_session: str = ""  # the login session evidence links are bound to; "" leaves them unbound

    @classmethod
    def reporter(cls, *, session_token: str, by_access_code: bool) -> Viewer:
        return cls(staff=False, link_session="" if by_access_code else session_token)

    @classmethod
    def verifier(cls, *, session_token: str) -> Viewer:
        if not session_token:
            raise ValueError("staff evidence links must be bound to a login session")
        return cls(staff=True, link_session=session_token)


@dataclasses.dataclass(frozen=True)
class FieldRow:
    label: str
    value: str


# One accused person as a report page shows it.
AccusedRow = submission.AccusedPerson


@dataclasses.dataclass(frozen=True)
class EvidenceRow:
    name: str
    description: str
    size: str
    view: str  # signed link that shows it in the browser: an image as it is, a PDF's pages drawn as an image
    download: str  # the file itself, as an attachment
    previewable: bool  # it has such a view (image or PDF)
    preview: str  # "gambar", "pdf" or "": how a page may embed the view
    sha256: str  # recorded when it was received, checked on every download (chain of custody)


@dataclasses.dataclass(frozen=True)
class TimelineRow:
    status: str
    when: str
    public_note: str
    internal_note: str = ""  # always empty for a reporter


@dataclasses.dataclass(frozen=True)
class ThreadEntry:
    author: str
    body: str
    when: str
    mine: bool  # written by the side reading it
    unread: bool  # from the other side, not yet opened by this side
    files: list[EvidenceRow] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class ReportDetail:
    number: str
    status: str
    fields: list[FieldRow]
    description: str
    accused: list[AccusedRow]
    files: list[EvidenceRow]
    timeline: list[TimelineRow]
    thread: list[ThreadEntry]
    purged: str = ""  # for a report whose content was deleted (retention): the notice shown instead


def evidence_row(item: Evidence, viewer: Viewer) -> EvidenceRow:
    token = downloads.make_download_token(item.id, session_token=viewer.link_session)
    preview = "gambar" if item.kind in ("jpeg", "png") else ("pdf" if item.kind == "pdf" else "")
    return EvidenceRow(
        name=item.original_name,
        description=item.description,
        size=evidence.format_size(item.size),
        view=(downloads.PDF_PAGES if item.kind == "pdf" else downloads.EVIDENCE_FILE) + token,
        download=downloads.EVIDENCE_FILE + token + "?unduh=1",
        previewable=item.kind in evidence.PREVIEWABLE,
        preview=preview,
        sha256=item.sha256,
    )


def report_fields(*, session: Session, report: Report, viewer: Viewer) -> list[FieldRow]:
    violation = session.get(ViolationType, report.violation_type_id) if report.violation_type_id else None
    unit = session.get(Unit, report.unit_id) if report.unit_id else None
    if viewer.staff:
        # Who reported is opened only through the audited reveal.
        reporter = _("Dirahasiakan") if cases.has_identity(report) else _("Dikirim tanpa identitas")
        head = []
    else:
        reporter = _("Tanpa identitas") if report.hide_identity else (report.reporter_name or "-")
        head = [FieldRow(_("Nomor Registrasi"), report.registration_number)]
    return [
        *head,
        FieldRow(_("Tanggal"), format_local(report.created_at)),
        # Each side's own word for it: "Kanal" is the staff column name, "Saluran" the public one.
        FieldRow(_("Kanal") if viewer.staff else _("Saluran"), term(report.channel)),
        FieldRow(_("Judul"), report.title),
        FieldRow(_("Jenis Pelanggaran"), term(violation.name) if violation else "-"),
        FieldRow(_("Unit Kejadian"), unit.name if unit else "-"),
        FieldRow(_("Alamat Kejadian"), report.incident_address),
        FieldRow(_("Kabupaten/Kota"), f"{report.regency_name}, {report.province_name}"),
        FieldRow(_("Waktu Kejadian"), format_local(report.incident_at)),
        FieldRow(_("Pelapor"), reporter),
    ]


def accused_rows(*, session: Session, report_id: int) -> list[AccusedRow]:
    return [
        AccusedRow(**{field: getattr(person, field) for field in submission.ACCUSED_FIELDS})
        for person in reports.accused_of(session=session, report_id=report_id)
    ]


def evidence_rows(*, session: Session, report_id: int, viewer: Viewer) -> list[EvidenceRow]:
    """The files sent with the report (not those attached to messages)."""
    return [evidence_row(item, viewer) for item in reports.evidence_of(session=session, report_id=report_id)]


def timeline_rows(*, session: Session, report_id: int, viewer: Viewer) -> list[TimelineRow]:
    if not viewer.staff:
        return [
            TimelineRow(status=status, when=format_local(when), public_note=note)
            for status, when, note in reports.public_timeline(session=session, report_id=report_id)
        ]
    return [
        TimelineRow(
            status=change.status,
            when=format_local(change.created_at),
            public_note=change.public_note,
            internal_note=change.internal_note,
        )
        for change in cases.status_changes_of(session=session, report_id=report_id)
    ]


def thread_entries(*, session: Session, report_id: int, viewer: Viewer) -> list[ThreadEntry]:
    """The conversation as one side sees it: the other side's messages are marked while this side has not read them."""
    entries = []
    for message in reports.messages_of(session=session, report_id=report_id):
        mine = message.from_reporter != viewer.staff
        read_at = message.read_by_staff_at if viewer.staff else message.read_by_reporter_at
        if mine and not viewer.staff:
            author = _("Anda")
        else:
            author = _("Pelapor") if message.from_reporter else _("Verifikator")
        attachments = reports.evidence_of(session=session, report_id=report_id, message_id=message.id)
        entries.append(
            ThreadEntry(
                author=author,
                body=message.body,
                when=format_local(message.created_at),
                mine=mine,
                unread=not mine and read_at is None,
                files=[evidence_row(item, viewer) for item in attachments],
            )
        )
    return entries


def report_detail(*, session: Session, report: Report, viewer: Viewer) -> ReportDetail:
    """Everything the report page shows, for a reader whose right to see this report is already checked.

    Of a purged report (retention) only what was kept: its number, dates, channel, type, unit and statuses. Of a
    report whose encrypted content no longer opens (a byte changed in the database) the same, with a notice: never
    altered text. The damage is audited.
    """
    if report.purged_at is not None:
        return kept_only_detail(session=session, report=report, viewer=viewer, notice=retention.purged_notice(report))
    try:
        opened = sealed.open_row(session=session, row=report)
        return ReportDetail(
            number=opened.registration_number,
            status=opened.status,
            fields=report_fields(session=session, report=opened, viewer=viewer),
            description=opened.description,
            accused=accused_rows(session=session, report_id=report.id),
            files=evidence_rows(session=session, report_id=report.id, viewer=viewer),
            timeline=timeline_rows(session=session, report_id=report.id, viewer=viewer),
            thread=thread_entries(session=session, report_id=report.id, viewer=viewer),
        )
    except keys.IntegrityError as damage:
        session.rollback()
        audit.record(
            session=session,
            action="integritas",
            report_id=report.id,
            detail=f"Isi laporan tidak dapat dibuka (data terenkripsi berubah): {damage}",
        )
        session.commit()
        logger.error("report %s: sealed content does not open: %s", report.id, damage)
        return kept_only_detail(session=session, report=report, viewer=viewer, notice=messages.REPORT_DAMAGED)


def kept_only_detail(*, session: Session, report: Report, viewer: Viewer, notice: str) -> ReportDetail:
    """A report shown without its sealed content (purged by retention, or damaged): the notice, and only the
    columns that are never sealed."""
    violation = session.get(ViolationType, report.violation_type_id) if report.violation_type_id else None
    unit = session.get(Unit, report.unit_id) if report.unit_id else None
    head = [] if viewer.staff else [FieldRow(_("Nomor Registrasi"), report.registration_number)]
    return ReportDetail(
        number=report.registration_number,
        status=report.status,
        fields=[
            *head,
            FieldRow(_("Tanggal"), format_local(report.created_at)),
            FieldRow(_("Kanal") if viewer.staff else _("Saluran"), term(report.channel)),
            FieldRow(_("Jenis Pelanggaran"), term(violation.name) if violation else "-"),
            FieldRow(_("Unit Kejadian"), unit.name if unit else "-"),
        ],
        description="",
        accused=[],
        files=[],
        timeline=[
            TimelineRow(status=status, when=format_local(when), public_note="")
            for status, when in retention.kept_timeline(session=session, report_id=report.id)
        ],
        thread=[],
        purged=notice,
    )


class ReportDetailState(rx.State, mixin=True):
    """The vars of a page that shows one report; `_show_report` fills them after the page's own access check."""

    checked: bool = False  # the access check has run
    found: bool = False  # and this reader may see the report
    number: str = ""
    status: str = ""
    fields: list[FieldRow] = []
    description: str = ""
    accused: list[AccusedRow] = []
    files: list[EvidenceRow] = []
    timeline: list[TimelineRow] = []
    thread: list[ThreadEntry] = []
    purged: str = ""

    def _show_report(self, *, session: Session, report: Report, viewer: Viewer) -> None:
        detail = report_detail(session=session, report=report, viewer=viewer)
        self.found = True
        self.number = detail.number
        self.status = detail.status
        self.fields = detail.fields
        self.description = detail.description
        self.accused = detail.accused
        self.files = detail.files
        self.timeline = detail.timeline
        self.thread = detail.thread
        self.purged = detail.purged
