"""What is derived from a report's sealed content, kept beside it so that nothing has to open every report:
its search tokens (services/search_index), its accused's name digests and the staff accounts they name
(services/conflicts). Written when the report is stored; `reindex` writes it again from the stored content."""

from __future__ import annotations

from sqlmodel import Session

from wbs_app.models import Report
from wbs_app.services import conflicts, reports, sealed, search_index


def reindex(*, session: Session, report: Report) -> None:
    """Recompute the report's derived rows from its stored content, in the caller's transaction."""
    opened = sealed.open_row(session=session, row=report)
    accused = reports.accused_rows(session=session, report_id=report.id)
    for stored, person in accused:
        stored.name_key = conflicts.name_key(session=session, name=person.name)
        session.add(stored)
    people = [person for _, person in accused]
    conflicts.link_report(
        session=session, report_id=report.id, accused=[(person.name, person.institution) for person in people]
    )
    search_index.index_report(
        session=session,
        report_id=report.id,
        texts=[opened.title, opened.description, *(person.name for person in people)],
    )
