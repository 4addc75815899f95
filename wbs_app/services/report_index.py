"""What is derived from a report's sealed content, kept beside it so that nothing has to open every report:
its search tokens (services/search_index), its accused's name digests and the staff accounts they name
(services/conflicts). `index_new` writes it for a report being submitted, from the content in clear; `reindex`
writes it again from the stored content."""

from __future__ import annotations

from sqlmodel import Session

from wbs_app.models import Report, ReportAccused
from wbs_app.services import conflicts, reports, sealed, search_index


def index_new(*, session: Session, report_id: int, title: str, description: str, accused: list[ReportAccused]) -> None:
    """The derived rows of a report that has none yet, in the caller's transaction. `accused`: its rows as just
    made, still in clear (a flush seals them: their values are read first)."""
    people = [(person.name, person.institution) for person in accused]
    for person, (name, _) in zip(accused, people, strict=True):
        person.name_key = conflicts.name_key(session=session, name=name)
    _write(session=session, report_id=report_id, texts=[title, description], people=people, replace=False)


def reindex(*, session: Session, report: Report) -> None:
    """Recompute the report's derived rows from its stored content, in the caller's transaction."""
    opened = sealed.open_row(session=session, row=report)
    accused = reports.accused_rows(session=session, report_id=report.id)
    for stored, person in accused:
        stored.name_key = conflicts.name_key(session=session, name=person.name)
        session.add(stored)
    people = [(person.name, person.institution) for _, person in accused]
    _write(session=session, report_id=report.id, texts=[opened.title, opened.description], people=people, replace=True)


def _write(*, session: Session, report_id: int, texts: list[str], people: list[tuple[str, str]], replace: bool):
    conflicts.link_report(session=session, report_id=report_id, accused=people, replace=replace)
    search_index.index_report(
        session=session, report_id=report_id, texts=[*texts, *(name for name, _ in people)], replace=replace
    )
