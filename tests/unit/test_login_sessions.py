"""The session cookie out of JavaScript's reach: one-time login tickets, the routes that set and clear the
HttpOnly cookie, the cookie read back, and the account's list of logins."""

from __future__ import annotations

import datetime as dt
from http.cookies import SimpleCookie

import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tests.unit.builders import active_user, registration
from wbs_app import api, routes
from wbs_app.models import LoginSession, LoginTicket, User
from wbs_app.security import token_digest
from wbs_app.services import devices, login_tickets, sessions, users
from wbs_app.settings import get_settings

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"


def later(seconds: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)


# Tickets -------------------------------------------------------------------------------------------------------


def test_a_ticket_is_random_stored_only_as_its_digest_and_valid_one_minute(db):
    user = active_user(db)
    now = dt.datetime.now(dt.UTC)
    ticket = login_tickets.issue_ticket(session=db, user=user, user_agent=CHROME_WINDOWS, now=now)
    (row,) = db.exec(select(LoginTicket)).all()
    assert len(ticket) >= 43 and row.ticket_hash == token_digest(ticket)
    stored = " ".join(str(value) for value in row.model_dump().values())
    assert ticket not in stored and CHROME_WINDOWS not in stored
    assert row.agent_hash == token_digest(CHROME_WINDOWS) and row.device == "Chrome di Windows"
    assert row.expires_at.replace(tzinfo=dt.UTC) - now == dt.timedelta(seconds=60)
    assert login_tickets.issue_ticket(session=db, user=user, user_agent=CHROME_WINDOWS) != ticket


def test_a_ticket_opens_one_session_once(db):
    user = active_user(db)
    ticket = login_tickets.issue_ticket(session=db, user=user, user_agent=CHROME_WINDOWS)
    assert db.exec(select(LoginSession)).all() == []  # nothing is opened before the ticket is redeemed
    token = login_tickets.redeem_ticket(session=db, ticket=ticket, user_agent=CHROME_WINDOWS)
    assert sessions.resolve_session(session=db, token=token).id == user.id
    (login,) = db.exec(select(LoginSession)).all()
    assert login.device == "Chrome di Windows" and login.token_hash == token_digest(token)
    # Used up: the same ticket again opens nothing, and leaves no row behind.
    assert login_tickets.redeem_ticket(session=db, ticket=ticket, user_agent=CHROME_WINDOWS) is None
    assert db.exec(select(LoginTicket)).all() == []
    assert len(db.exec(select(LoginSession)).all()) == 1


def test_an_expired_ticket_opens_nothing_and_expired_ones_are_cleared(db):
    user = active_user(db)
    ticket = login_tickets.issue_ticket(session=db, user=user, user_agent=CHROME_WINDOWS)
    assert login_tickets.redeem_ticket(session=db, ticket=ticket, user_agent=CHROME_WINDOWS, now=later(61)) is None
    stale = login_tickets.issue_ticket(session=db, user=user, user_agent=CHROME_WINDOWS, now=later(-120))
    login_tickets.issue_ticket(session=db, user=user, user_agent=CHROME_WINDOWS)  # clears the stale one
    assert token_digest(stale) not in {row.ticket_hash for row in db.exec(select(LoginTicket))}
    assert db.exec(select(LoginSession)).all() == []


@pytest.mark.parametrize("ticket", ["", "tidak-ada", "x" * 5000, token_digest("x")])
def test_an_unknown_ticket_opens_nothing(db, ticket):
    active_user(db)
    assert login_tickets.redeem_ticket(session=db, ticket=ticket, user_agent=CHROME_WINDOWS) is None
    assert db.exec(select(LoginSession)).all() == []


def test_a_ticket_works_only_in_the_browser_it_was_made_for(db):
    """Taken to another browser (another User-Agent), it opens nothing, and is used up."""
    user = active_user(db)
    ticket = login_tickets.issue_ticket(session=db, user=user, user_agent=CHROME_WINDOWS)
    assert login_tickets.redeem_ticket(session=db, ticket=ticket, user_agent=FIREFOX_ANDROID) is None
    assert login_tickets.redeem_ticket(session=db, ticket=ticket, user_agent=CHROME_WINDOWS) is None
    assert db.exec(select(LoginSession)).all() == []


def test_a_ticket_of_an_account_deactivated_meanwhile_opens_nothing(db):
    user = active_user(db)
    ticket = login_tickets.issue_ticket(session=db, user=user, user_agent=CHROME_WINDOWS)
    user.is_active = False
    db.add(user)
    db.commit()
    assert login_tickets.redeem_ticket(session=db, ticket=ticket, user_agent=CHROME_WINDOWS) is None


# The routes ----------------------------------------------------------------------------------------------------


@pytest.fixture
def client(db, monkeypatch):
    engine = db.get_bind()
    monkeypatch.setattr(api, "open_session", lambda: Session(engine))
    # A fresh app with the same routes (starting wbs_app.api.api itself would freeze its middleware stack).
    return TestClient(
        Starlette(routes=api.api.routes),
        base_url=get_settings().base_url,
        headers={"user-agent": CHROME_WINDOWS, "referer": get_settings().base_url + "/masuk"},
        follow_redirects=False,
    )


@pytest.fixture
def https(monkeypatch):
    monkeypatch.setenv("WBS_BASE_URL", "https://wbs.inspektorat.go.id")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def set_cookies(response) -> dict[str, SimpleCookie]:
    found = {}
    for header in response.headers.get_list("set-cookie"):
        cookie = SimpleCookie()
        cookie.load(header)
        found.update({name: morsel for name, morsel in cookie.items()})
    return found


def sign_in(db, client, lanjut: str = "/akun", **headers):
    ticket = login_tickets.issue_ticket(session=db, user=active_user(db), user_agent=CHROME_WINDOWS)
    return client.get(f"{login_tickets.SIGN_IN}{ticket}", params={"lanjut": lanjut}, headers=headers)


def test_the_login_route_sets_an_http_only_strict_cookie_and_goes_on_to_the_page(db, client):
    response = sign_in(db, client, "/verifikator/laporan/WBS-ABCDE12345")
    assert response.status_code == 303
    assert response.headers["location"] == get_settings().base_url + "/verifikator/laporan/WBS-ABCDE12345"
    cookie = set_cookies(response)["wbs_sesi"]
    assert cookie["httponly"] is True and cookie["samesite"].lower() == "strict" and cookie["path"] == "/"
    assert not cookie["secure"]  # plain http base URL (a developer's machine)
    assert int(cookie["max-age"]) == get_settings().session_absolute_hours * 3600
    assert sessions.resolve_session(session=db, token=cookie.value).username_key == "budi"
    header = response.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=strict" in header


def test_over_https_the_cookie_is_secure_and_host_only(db, client, https):
    client.base_url = "https://wbs.inspektorat.go.id"
    response = sign_in(db, client, referer="https://wbs.inspektorat.go.id/")
    assert response.headers["location"] == "https://wbs.inspektorat.go.id/akun"
    cookies = set_cookies(response)
    assert set(cookies) == {"__Host-wbs_sesi"}
    cookie = cookies["__Host-wbs_sesi"]
    assert cookie["secure"] is True and cookie["httponly"] is True and cookie["path"] == "/"
    assert cookie["samesite"].lower() == "strict" and not cookie["domain"]


@pytest.mark.parametrize(
    "lanjut",
    [
        "https://evil.example/akun",
        "//evil.example/akun",
        "/\\evil.example",
        "/akun?x=https://evil.example",
        "/tidak-ada",
        "akun",
        "",
        "/verifikator/laporan/../../x",
    ],
)
def test_the_login_route_goes_only_to_pages_of_this_app(db, client, lanjut):
    response = sign_in(db, client, lanjut)
    assert response.status_code == 303
    assert response.headers["location"] == get_settings().base_url + routes.ACCOUNT
    assert "wbs_sesi" in set_cookies(response)


def test_a_used_expired_or_unknown_ticket_sets_nothing(db, client):
    user = active_user(db)
    used = login_tickets.issue_ticket(session=db, user=user, user_agent=CHROME_WINDOWS)
    assert "wbs_sesi" in set_cookies(client.get(login_tickets.SIGN_IN + used))
    expired = login_tickets.issue_ticket(session=db, user=user, user_agent=CHROME_WINDOWS, now=later(-61))
    for ticket in (used, expired, "tidak-ada"):
        response = client.get(login_tickets.SIGN_IN + ticket, params={"lanjut": "/riwayat"})
        assert response.status_code == 303
        assert response.headers["location"] == get_settings().base_url + "/masuk?masuk=gagal"
        assert "set-cookie" not in response.headers


@pytest.mark.parametrize(
    "headers",
    [
        {"referer": "https://evil.example/masuk"},  # a link on another site
        {"referer": "", "sec-fetch-site": "cross-site"},  # the same without a Referer
        {"referer": "", "sec-fetch-site": "same-site"},  # a sibling subdomain
        {"referer": "", "sec-fetch-site": "none"},  # typed or pasted into the address bar
    ],
)
def test_a_navigation_another_site_started_logs_nobody_in(db, client, headers):
    """Login CSRF: another site sending a visitor here with a ticket of the attacker's own account."""
    user = active_user(db)
    ticket = login_tickets.issue_ticket(session=db, user=user, user_agent=CHROME_WINDOWS)
    response = client.get(login_tickets.SIGN_IN + ticket, headers=headers)
    assert response.headers["location"].endswith("/masuk?masuk=gagal")
    assert "set-cookie" not in response.headers
    assert db.exec(select(LoginSession)).all() == []
    # Fetch Metadata saying same-origin is enough when no Referer came.
    response = client.get(login_tickets.SIGN_IN + ticket, headers={"referer": "", "sec-fetch-site": "same-origin"})
    assert "wbs_sesi" in set_cookies(response)


def test_the_logout_route_ends_the_session_and_clears_the_cookie(db, client):
    token = sessions.create_session(session=db, user=active_user(db))
    client.cookies.set("wbs_sesi", token)
    response = client.get(login_tickets.SIGN_OUT)
    assert response.status_code == 303 and response.headers["location"] == get_settings().base_url + "/masuk"
    cleared = set_cookies(response)["wbs_sesi"]
    assert cleared.value == "" and int(cleared["max-age"]) == 0 and cleared["httponly"] is True
    assert sessions.resolve_session(session=db, token=token) is None


def test_another_site_cannot_log_a_visitor_out(db, client):
    token = sessions.create_session(session=db, user=active_user(db))
    client.cookies.set("wbs_sesi", token)
    response = client.get(login_tickets.SIGN_OUT, headers={"referer": "https://evil.example/"})
    assert "set-cookie" not in response.headers
    assert sessions.resolve_session(session=db, token=token).username_key == "budi"


# Reading the cookie back ---------------------------------------------------------------------------------------


def test_the_session_id_is_read_from_the_cookie_header_and_a_planted_second_one_is_not_chosen():
    assert sessions.token_from_cookies("wbs_sesi=abc") == "abc"
    assert sessions.token_from_cookies("theme=dark; wbs_sesi=abc ; lang=id") == "abc"
    assert sessions.token_from_cookies("") == sessions.token_from_cookies("wbs_sesix=abc") == ""
    # A script (or a sibling subdomain) planting another wbs_sesi beside the real one gets neither chosen.
    assert sessions.token_from_cookies("wbs_sesi=planted; wbs_sesi=abc") == ""


def test_over_https_only_the_host_prefixed_cookie_counts(https):
    assert sessions.token_from_cookies("wbs_sesi=abc") == ""
    assert sessions.token_from_cookies("__Host-wbs_sesi=abc") == "abc"


# The account's logins ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agent", "label"),
    [
        (CHROME_WINDOWS, "Chrome di Windows"),
        (FIREFOX_ANDROID, "Firefox di Android"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari di iOS",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge di macOS",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 "
            "Safari/537.36",
            "Chrome di Linux",
        ),
        ("curl/8.5.0", "Peramban lain di sistem lain"),
        ("", "Peramban lain di sistem lain"),
    ],
)
def test_a_user_agent_becomes_a_short_label(agent, label):
    assert devices.device_label(agent) == label


def test_the_list_shows_the_open_logins_and_marks_this_one(db):
    user = active_user(db)
    here = sessions.create_session(session=db, user=user, device="Chrome di Windows")
    sessions.create_session(session=db, user=user, device="Firefox di Android")
    ended = sessions.create_session(session=db, user=user)
    sessions.revoke_session(session=db, token=ended)
    expired = sessions.create_session(session=db, user=user, now=later(-13 * 3600))
    idle = sessions.create_session(session=db, user=user, device="Safari di iOS", now=later(-61 * 60))
    other, other_token = users.register_user(
        session=db, data=registration(db, username="siti", email="siti@mail.co.id")
    )
    users.activate_account(session=db, token=other_token)
    sessions.create_session(session=db, user=other, device="Opera di Windows")

    listed = sessions.active_logins(session=db, user_id=user.id, current_token=here)
    assert sorted((login.device, login.current) for login in listed) == [
        ("Chrome di Windows", True),
        ("Firefox di Android", False),
    ]
    assert expired and idle and all(login.created_at.tzinfo is not None for login in listed)


def test_signing_out_one_device_ends_only_that_login_of_the_same_user(db):
    user = active_user(db)
    here = sessions.create_session(session=db, user=user)
    there = sessions.create_session(session=db, user=user)
    other, other_token = users.register_user(
        session=db, data=registration(db, username="siti", email="siti@mail.co.id")
    )
    users.activate_account(session=db, token=other_token)
    foreign = sessions.create_session(session=db, user=other)
    login_id = {row.token_hash: row.id for row in db.exec(select(LoginSession))}

    # Another user's login is not theirs to end, whatever id the browser sends.
    assert (
        sessions.revoke_own_login(
            session=db, user_id=user.id, login_id=login_id[token_digest(foreign)], current_token=here
        )
        is None
    )
    assert sessions.resolve_session(session=db, token=foreign).id == other.id
    assert sessions.revoke_own_login(session=db, user_id=user.id, login_id=10**9, current_token=here) is None

    assert (
        sessions.revoke_own_login(
            session=db, user_id=user.id, login_id=login_id[token_digest(there)], current_token=here
        )
        is False
    )
    assert sessions.resolve_session(session=db, token=there) is None
    assert sessions.resolve_session(session=db, token=here).id == user.id
    # This browser's own login: ended too, and the caller is told so (it logs out).
    assert (
        sessions.revoke_own_login(
            session=db, user_id=user.id, login_id=login_id[token_digest(here)], current_token=here
        )
        is True
    )
    assert sessions.resolve_session(session=db, token=here) is None
    assert db.get(User, user.id).is_active
