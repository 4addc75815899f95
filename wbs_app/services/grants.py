"""Kode Akses grants: what lets one browser tab read a report it opened with the Nomor Registrasi and Kode Akses.

Reflex keys a tab's state by the tab token in its sessionStorage, and that token leaks: it is in the websocket
URL and in some log lines, and the state (with its grants) outlives the tab. So a grant is bound to the
websocket connection it was made on — Reflex's socket id, `router.session.session_id`, which the server assigns
and no browser can choose — and ends after WBS_ACCESS_GRANT_IDLE_MINUTES without use. Whoever connects later
with the same tab token (a reload, a reconnect, or someone who read the token in a log) must enter the Kode
Akses again. The reporter also ends a grant with "Tutup Laporan".

Pure functions on immutable records; the tab's records live in AuthState._access_grants, server-side only.
"""

from __future__ import annotations

import dataclasses
import enum
import hmac
import time

from wbs_app.settings import get_settings

MAX_GRANTS = 20  # reports one tab may hold open at once; the oldest grant goes first


class GrantStatus(enum.Enum):
    VALID = "valid"
    IDLE = "idle"  # unused for WBS_ACCESS_GRANT_IDLE_MINUTES
    OTHER_CONNECTION = "other_connection"  # made on a connection this tab no longer uses


class GrantEnd(enum.StrEnum):
    """Why the browser was sent back to /akses: the `sesi` query value, which picks the notice shown there."""

    EXPIRED = "berakhir"  # idle too long, or the page was reloaded / reconnected
    CLOSED = "ditutup"  # the reporter pressed "Tutup Laporan"


@dataclasses.dataclass(frozen=True)
class AccessGrant:
    registration_number: str
    connection_id: str  # the websocket connection (socket id) the Kode Akses was entered on
    last_activity: float  # time.time() of the last event that used the grant


@dataclasses.dataclass(frozen=True)
class GrantUse:
    """The outcome of one event that reads a report through the tab's grant."""

    grants: list[AccessGrant]  # the tab's grants afterwards: this one refreshed, or removed if it ended
    readable: set[str]  # the numbers the event may read by Kode Akses: the report's own, or none
    ended: bool  # the tab held a grant for this report and it has just ended


def _now(now: float | None) -> float:
    return time.time() if now is None else now


def find(grants: list[AccessGrant], registration_number: str) -> AccessGrant | None:
    return next((grant for grant in grants if grant.registration_number == registration_number), None)


def without(grants: list[AccessGrant], registration_number: str) -> list[AccessGrant]:
    return [grant for grant in grants if grant.registration_number != registration_number]


def opened(
    grants: list[AccessGrant], registration_number: str, *, connection_id: str, now: float | None = None
) -> list[AccessGrant]:
    """The tab's grants after its Kode Akses was checked for `registration_number` on this connection."""
    if not connection_id:
        raise ValueError("a grant must be bound to a connection")
    kept = without(grants, registration_number)[-(MAX_GRANTS - 1) :]
    return [*kept, AccessGrant(registration_number, connection_id, _now(now))]


def status(
    grant: AccessGrant, *, connection_id: str, now: float | None = None, idle_minutes: int | None = None
) -> GrantStatus:
    """Whether `grant` still opens its report for an event that arrived on `connection_id`."""
    if not connection_id or not hmac.compare_digest(grant.connection_id, connection_id):
        return GrantStatus.OTHER_CONNECTION
    limit = (get_settings().access_grant_idle_minutes if idle_minutes is None else idle_minutes) * 60
    if _now(now) - grant.last_activity >= limit:
        return GrantStatus.IDLE
    return GrantStatus.VALID


def use(
    grants: list[AccessGrant], registration_number: str, *, connection_id: str, now: float | None = None
) -> GrantUse:
    """An event reading `registration_number` by Kode Akses: a valid grant counts this as activity; a grant made
    on another connection or idle too long is removed, so it cannot come back."""
    grant = find(grants, registration_number)
    if grant is None:
        return GrantUse(grants=grants, readable=set(), ended=False)
    if status(grant, connection_id=connection_id, now=now) is not GrantStatus.VALID:
        return GrantUse(grants=without(grants, registration_number), readable=set(), ended=True)
    refreshed = dataclasses.replace(grant, last_activity=_now(now))
    others = without(grants, registration_number)
    return GrantUse(grants=[*others, refreshed], readable={registration_number}, ended=False)
