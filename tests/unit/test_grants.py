"""Kode Akses grants (services/grants): a tab reads a report opened with its code only on the connection the code
was entered on, and only while it keeps using it; a tab token read from a log opens nothing."""

from __future__ import annotations

import pytest

from wbs_app.services import downloads, grants
from wbs_app.settings import get_settings

NUMBER = "WBS-ABCDEFGHJK"
OTHER = "WBS-MNPQRSTVWX"
T0 = 1_800_000_000.0
MINUTE = 60.0


@pytest.fixture
def idle_limit(monkeypatch):
    """Settings with WBS_ACCESS_GRANT_IDLE_MINUTES as given (15 is the default)."""

    def set_limit(minutes: int | None) -> None:
        if minutes is None:
            monkeypatch.delenv("WBS_ACCESS_GRANT_IDLE_MINUTES", raising=False)
        else:
            monkeypatch.setenv("WBS_ACCESS_GRANT_IDLE_MINUTES", str(minutes))
        get_settings.cache_clear()

    yield set_limit
    get_settings.cache_clear()


def opened_on(connection: str, *numbers: str) -> list[grants.AccessGrant]:
    held: list[grants.AccessGrant] = []
    for number in numbers:
        held = grants.opened(held, number, connection_id=connection, now=T0)
    return held


def test_the_connection_that_entered_the_code_reads_the_report(idle_limit):
    idle_limit(None)
    held = opened_on("sid-1", NUMBER)
    used = grants.use(held, NUMBER, connection_id="sid-1", now=T0 + 14 * MINUTE)
    assert used.readable == {NUMBER} and not used.ended
    assert grants.find(used.grants, NUMBER).last_activity == T0 + 14 * MINUTE  # using it is activity


def test_another_connection_with_the_same_tab_token_reads_nothing_and_ends_the_grant(idle_limit):
    """What someone who copied the tab token from a log (or the websocket URL) gets: the state, not the grant."""
    idle_limit(None)
    held = opened_on("sid-1", NUMBER, OTHER)
    assert grants.status(held[0], connection_id="sid-2", now=T0) is grants.GrantStatus.OTHER_CONNECTION
    stolen = grants.use(held, NUMBER, connection_id="sid-2", now=T0 + 1)
    assert stolen.readable == set() and stolen.ended
    assert grants.find(stolen.grants, NUMBER) is None
    # And it does not come back on the connection that made it.
    assert grants.use(stolen.grants, NUMBER, connection_id="sid-1", now=T0 + 2).readable == set()
    assert grants.use(held, NUMBER, connection_id="", now=T0).readable == set()


def test_a_grant_unused_for_the_idle_limit_ends(idle_limit):
    idle_limit(None)
    assert get_settings().access_grant_idle_minutes == 15
    held = opened_on("sid-1", NUMBER)
    assert grants.status(held[0], connection_id="sid-1", now=T0 + 15 * MINUTE - 1) is grants.GrantStatus.VALID
    assert grants.status(held[0], connection_id="sid-1", now=T0 + 15 * MINUTE) is grants.GrantStatus.IDLE
    expired = grants.use(held, NUMBER, connection_id="sid-1", now=T0 + 15 * MINUTE)
    assert expired.readable == set() and expired.ended and expired.grants == []


def test_activity_keeps_a_grant_alive_past_the_limit_counted_from_opening(idle_limit):
    idle_limit(None)
    held = opened_on("sid-1", NUMBER)
    for minutes in (10, 20, 30):  # 10 minutes between events: never idle for 15
        used = grants.use(held, NUMBER, connection_id="sid-1", now=T0 + minutes * MINUTE)
        assert used.readable == {NUMBER}
        held = used.grants
    assert grants.use(held, NUMBER, connection_id="sid-1", now=T0 + 46 * MINUTE).ended


def test_the_idle_limit_is_a_setting(idle_limit):
    idle_limit(2)
    held = opened_on("sid-1", NUMBER)
    assert grants.use(held, NUMBER, connection_id="sid-1", now=T0 + 1.5 * MINUTE).readable == {NUMBER}
    assert grants.use(held, NUMBER, connection_id="sid-1", now=T0 + 2 * MINUTE).ended


def test_a_grant_for_one_report_opens_no_other(idle_limit):
    idle_limit(None)
    held = opened_on("sid-1", NUMBER)
    used = grants.use(held, OTHER, connection_id="sid-1", now=T0)
    assert used.readable == set() and not used.ended and used.grants == held


def test_closing_a_report_ends_only_its_grant(idle_limit):
    idle_limit(None)
    held = grants.without(opened_on("sid-1", NUMBER, OTHER), NUMBER)
    assert grants.use(held, NUMBER, connection_id="sid-1", now=T0).readable == set()
    assert grants.use(held, OTHER, connection_id="sid-1", now=T0).readable == {OTHER}


def test_entering_the_code_again_rebinds_the_grant_and_a_tab_holds_a_bounded_number():
    held = opened_on("sid-1", NUMBER)
    again = grants.opened(held, NUMBER, connection_id="sid-2", now=T0 + 1)
    assert again == [grants.AccessGrant(NUMBER, "sid-2", T0 + 1)]
    many = opened_on("sid-1", *(f"WBS-{n:010d}" for n in range(grants.MAX_GRANTS + 5)))
    assert len(many) == grants.MAX_GRANTS and many[-1].registration_number == f"WBS-{grants.MAX_GRANTS + 4:010d}"
    with pytest.raises(ValueError):
        grants.opened([], NUMBER, connection_id="")


def test_a_code_holders_evidence_link_lives_no_longer_than_an_idle_grant(idle_limit):
    idle_limit(None)
    unbound = downloads.make_download_token(7, now=T0)
    assert downloads.read_download_token(unbound, now=T0 + 15 * MINUTE - 1).evidence_id == 7
    assert downloads.read_download_token(unbound, now=T0 + 15 * MINUTE + 1) is None
    # A link bound to a login keeps WBS_DOWNLOAD_LINK_MINUTES (30): the download route checks the login again.
    bound = downloads.make_download_token(7, session_token="login-session", now=T0)
    assert downloads.read_download_token(bound, now=T0 + 29 * MINUTE) is not None


def test_a_new_connection_on_the_tab_token_is_not_sent_the_last_report_shown():
    """Reflex sends a connecting tab its whole state before any handler runs; the report page forgets the
    report first when the connection is not the one that loaded it."""
    from reflex.state import State
    from reflex_base import constants

    import wbs_app.wbs_app  # noqa: F401 - registers every page state
    from wbs_app.pages.report_view import ReportViewState

    assert "dict" not in ReportViewState.event_handlers  # no browser may call it
    root = State(_reflex_internal_init=True)
    view = root.get_substate(ReportViewState.get_full_name().split("."))

    def connect(sid: str) -> None:
        data = {constants.RouteVar.SESSION_ID: sid, constants.RouteVar.CLIENT_TOKEN: "tab-token"}
        root._update_router_vars(data, root.router_data)
        root.router_data = data

    connect("sid-1")
    view.found, view.description, view._shown_on = True, "Uraian rahasia", "sid-1"
    assert "Uraian rahasia" in str(root.dict())  # the connection that loaded it keeps it
    connect("sid-2")
    assert "Uraian rahasia" not in str(root.dict())
    assert not view.found and view.description == ""
