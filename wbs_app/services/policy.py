"""Who may do what: every permission rule of WBS, in one place.

Predicates (`is_staff`, `may_read_as_reporter`, …) answer a question; `require_*` functions raise `Refused`
(or `NotFound`) with the Indonesian message to show. Every service that changes something calls the
`require_*` rule for its action itself, so a page that forgets a check cannot misuse the service.
The state decorators in wbs_app.state.staff use the same predicates to refuse a whole handler early.
"""

from __future__ import annotations

from sqlmodel import Session, select

from wbs_app import messages
from wbs_app.models import CLOSED_STATUSES, Report, ReportStatus, Role, SecondFactor, User
from wbs_app.services import conflicts
from wbs_app.services.errors import NotFound, Refused

STAFF_ROLES = (Role.VERIFIER.value, Role.ADMIN.value)
# The workflow: from each open status, where a verifier may move a report.
TRANSITIONS = {
    ReportStatus.VERIFICATION.value: [ReportStatus.EXAMINATION.value, ReportStatus.NOT_FOLLOWED_UP.value],
    ReportStatus.EXAMINATION.value: [ReportStatus.PROVEN.value, ReportStatus.NOT_PROVEN.value],
}
# A closed report may be reopened to these, by an administrator only.
REOPEN_TO = [ReportStatus.VERIFICATION.value, ReportStatus.EXAMINATION.value]


# Roles ------------------------------------------------------------------------------------------------


def is_staff(user: User | None) -> bool:
    """An active verifier or administrator."""
    return user is not None and user.is_active and user.role in STAFF_ROLES


def is_admin(user: User | None) -> bool:
    return user is not None and user.is_active and user.role == Role.ADMIN.value


def require_staff(user: User | None) -> User:
    if not is_staff(user):
        raise Refused(messages.STAFF_ONLY)
    return user


def require_admin(user: User | None) -> User:
    if not is_admin(user):
        raise Refused(messages.ADMIN_ONLY)
    return user


def requires_second_factor(*, session: Session, user: User) -> bool:
    """Verifiers and administrators always log in with a second factor; a reporter once they turned it on."""
    if user.role in STAFF_ROLES:
        return True
    enabled = select(SecondFactor.id).where(SecondFactor.user_id == user.id, SecondFactor.enabled_at.is_not(None))
    return session.exec(enabled).first() is not None


# Cases ------------------------------------------------------------------------------------------------


def is_accused(*, session: Session, user: User, report: Report) -> bool:
    """Conflict of interest: the staff member is named among the report's accused."""
    return conflicts.conflict_of_interest(session=session, report=report, verifier=user)


def may_handle_case(*, session: Session, user: User | None, report: Report) -> bool:
    """Staff may see and handle a report, unless they are named among its accused."""
    return is_staff(user) and not is_accused(session=session, user=user, report=report)


def require_case(*, session: Session, user: User | None, report: Report) -> User:
    """For an accused staff member the answer is "not found", as for an unknown number: it does not tell
    them that a report about them exists. A report whose content was purged (retention) takes no more work."""
    require_staff(user)
    if is_accused(session=session, user=user, report=report):
        raise NotFound(messages.REPORT_NOT_FOUND)
    require_content(report)
    return user


def require_content(report: Report) -> None:
    """Nothing is added to a report whose content was deleted at the end of its retention term."""
    if report.purged_at is not None:
        raise Refused(messages.REPORT_PURGED)


def allowed_next_statuses(report: Report, user: User | None) -> list[str]:
    """The statuses this user may move the report to: the workflow for staff, reopening for administrators."""
    if not is_staff(user) or report.purged_at is not None:
        return []
    if report.status in CLOSED_STATUSES:
        return list(REOPEN_TO) if is_admin(user) else []
    return list(TRANSITIONS.get(report.status, []))


def require_transition(*, session: Session, user: User | None, report: Report, new_status: str) -> User:
    require_case(session=session, user=user, report=report)
    if new_status not in allowed_next_statuses(report, user):
        raise Refused(messages.STATUS_NOT_ALLOWED)
    return user


def require_assignable(*, session: Session, verifier: User | None, report: Report) -> User:
    """Who may be assigned a case: active staff not named among its accused."""
    if not is_staff(verifier):
        raise Refused(messages.ASSIGNEE_INVALID)
    if is_accused(session=session, user=verifier, report=report):
        raise Refused(messages.ASSIGNEE_CONFLICT.format(name=verifier.full_name))
    return verifier


def require_identity_reveal(*, session: Session, user: User | None, report: Report) -> User:
    """Any staff member handling the case may reveal the reporter's identity (with a reason, audited)."""
    return require_case(session=session, user=user, report=report)


def require_export(user: User | None, *, include_identity: bool) -> User:
    """Staff export the case list; only administrators may add the reporters' identities."""
    require_staff(user)
    if include_identity and not is_admin(user):
        raise Refused(messages.EXPORT_IDENTITY_ADMIN_ONLY)
    return user


# Reporters --------------------------------------------------------------------------------------------


def may_read_as_reporter(report: Report, *, user_id: int | None, granted: set[str]) -> bool:
    """The report's own page: its owner (logged in), or whoever opened it with its Kode Akses in this tab.

    `granted`: the numbers this tab's Kode Akses grants open for this event (services/grants.use: on the
    connection the code was entered on, and not idle).
    """
    if user_id is not None and report.reporter_id == user_id:
        return True
    return bool(report.access_code_hash) and report.registration_number in granted


def require_reporter_access(report: Report, *, user_id: int | None, granted: set[str]) -> None:
    """For the reporter's own actions on the report (messages): never on a purged report."""
    if not may_read_as_reporter(report, user_id=user_id, granted=granted):
        raise NotFound(messages.REPORT_NOT_FOUND)
    require_content(report)


def may_download_evidence(*, session: Session, user: User | None, report: Report) -> bool:
    """A logged-in user's evidence link: staff handling the case, or the report's owner; never a deactivated
    account, whoever resolved the login."""
    if user is None or not user.is_active:
        return False
    if is_staff(user):
        return not is_accused(session=session, user=user, report=report)
    return report.reporter_id == user.id


# Administration ---------------------------------------------------------------------------------------


def require_legal_hold(*, session: Session, user: User | None, report: Report) -> User:
    """Administrators put a case on legal hold or lift it; not one naming them among its accused (lifting the
    hold would let the report about them be purged). Its content must still exist."""
    require_admin(user)
    if is_accused(session=session, user=user, report=report):
        raise NotFound(messages.REPORT_NOT_FOUND)
    require_content(report)
    return user


def require_may_deactivate(actor: User | None, target: User) -> User:
    require_admin(actor)
    if target.id == actor.id:
        raise Refused(messages.CANNOT_DEACTIVATE_SELF)
    return actor


# Protection of reporters (ISO 37002) ------------------------------------------------------------------


def may_check_in(report: Report) -> bool:
    """ "Apakah Anda mengalami pembalasan?" is asked once the report is closed (and its content still exists)."""
    return report.status in CLOSED_STATUSES and report.purged_at is None


def require_check_in(report: Report, *, user_id: int | None, granted: set[str]) -> None:
    """The reporter's answer: its owner or this tab's Kode Akses holder, on a closed report only."""
    require_reporter_access(report, user_id=user_id, granted=granted)
    if not may_check_in(report):
        raise Refused(messages.RETALIATION_NOT_YET)


def require_protection_case(*, session: Session, user: User | None, report: Report) -> User:
    """A protection case is handled like its report: by staff not named among the report's accused (to them it
    does not exist), while the report's content exists."""
    return require_case(session=session, user=user, report=report)
