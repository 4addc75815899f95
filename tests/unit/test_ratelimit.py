"""Rate limits of the public forms: sliding windows per client and for everybody, numbers from settings."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.test_accounts_core import active_user
from wbs_app import messages
from wbs_app.services import passwords, ratelimit
from wbs_app.services.ratelimit import RateLimiter, client_key
from wbs_app.settings import RateLimit, get_settings

# Each limiter, the prefix of its WBS_ variables, and its numbers when nothing is set (per client, for
# everybody, window in seconds).
LIMITERS = [
    ("tracking_limiter", "WBS_TRACKING_LOOKUPS", (20, 600, 60)),
    ("upload_limiter", "WBS_UPLOAD_BATCHES", (60, 2000, 3600)),
    ("login_limiter", "WBS_LOGIN_ATTEMPTS", (30, None, 600)),
    ("access_limiter", "WBS_ACCESS_ATTEMPTS", (10, 300, 600)),
    ("activation_resend_limiter", "WBS_ACTIVATION_RESENDS", (5, 200, 600)),
    ("password_reset_limiter", "WBS_PASSWORD_RESET_REQUESTS", (5, 200, 600)),
    ("registration_limiter", "WBS_REGISTRATIONS", (10, None, 3600)),
]


@pytest.fixture
def fresh_settings(monkeypatch):
    """Settings re-read from an environment without any WBS_..._PER_CLIENT/_ALL_CLIENTS/_WINDOW_SECONDS."""
    for _, prefix, _ in LIMITERS:
        for suffix in ("_PER_CLIENT", "_ALL_CLIENTS", "_WINDOW_SECONDS"):
            monkeypatch.delenv(prefix + suffix, raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def fixed(per_client: int, all_clients: int | None, window_seconds: int) -> RateLimiter:
    limit = RateLimit(per_client=per_client, all_clients=all_clients, window_seconds=window_seconds)
    return RateLimiter(lambda: limit)


def test_rate_limiter_per_client_and_global_with_a_sliding_window():
    limiter = fixed(2, 3, 60)
    assert limiter.allow("a", now=0) and limiter.allow("a", now=1)
    assert not limiter.allow("a", now=2)  # this client is over its limit
    assert limiter.allow("b", now=3)
    assert not limiter.allow("c", now=4)  # everybody together is over the global limit
    assert limiter.allow("a", now=62)  # the window moved on


def test_limits_can_count_only_failures_and_key_ipv6_by_network():
    logins = fixed(2, None, 600)
    for _ in range(5):  # successful logins are never recorded
        assert not logins.is_limited("a", now=0)
    logins.record("a", now=1)
    logins.record("a", now=2)
    assert logins.is_limited("a", now=3) and not logins.is_limited("b", now=3)
    assert client_key("2001:db8:1:2::5") == client_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::5") != client_key("2001:db8:1:2::5")
    assert client_key("10.0.0.7") == "10.0.0.7" and client_key("") == "?" and client_key("token-abc") == "token-abc"


@pytest.mark.parametrize(("name", "prefix", "defaults"), LIMITERS)
def test_without_settings_every_limit_keeps_its_numbers(fresh_settings, name, prefix, defaults):
    limit = getattr(ratelimit, name).limit
    assert (limit.per_client, limit.all_clients, limit.window_seconds) == defaults


@pytest.mark.parametrize(("name", "prefix", "defaults"), LIMITERS)
def test_every_limit_is_read_from_its_settings(fresh_settings, name, prefix, defaults):
    fresh_settings.setenv(f"{prefix}_PER_CLIENT", "2")
    fresh_settings.setenv(f"{prefix}_WINDOW_SECONDS", "30")
    if defaults[1] is not None:
        fresh_settings.setenv(f"{prefix}_ALL_CLIENTS", "1000")
    get_settings.cache_clear()
    shared = getattr(ratelimit, name)
    limit = shared.limit
    assert (limit.per_client, limit.all_clients, limit.window_seconds) == (2, 1000 if defaults[1] else None, 30)

    # The third attempt within 30 seconds from one address is refused; another address still gets through.
    limiter = RateLimiter(lambda: shared.limit)  # the same settings, with counters of its own
    for second in (0, 1):
        limiter.record("10.0.0.1", now=second)
    assert limiter.is_limited("10.0.0.1", now=2) and not limiter.allow("10.0.0.1", now=2)
    assert limiter.allow("10.0.0.2", now=2)
    assert not limiter.is_limited("10.0.0.1", now=32)  # the window moved on


def test_a_cap_for_everybody_set_in_the_settings_refuses_new_clients(fresh_settings):
    fresh_settings.setenv("WBS_ACCESS_ATTEMPTS_ALL_CLIENTS", "3")
    get_settings.cache_clear()
    limiter = RateLimiter(lambda: ratelimit.access_limiter.limit)
    assert all(limiter.allow(f"10.0.0.{n}", now=0) for n in range(3))
    assert not limiter.allow("10.0.0.9", now=1)


# Per account (services/users, counted in the database) ------------------------------------------------


def test_the_per_account_login_lock_numbers_come_from_settings(db, fresh_settings):
    fresh_settings.setenv("WBS_LOGIN_FAILURE_WINDOW_MINUTES", "1")
    fresh_settings.setenv("WBS_LOGIN_MAX_LOCK_MINUTES", "1")
    fresh_settings.setenv("WBS_LOGIN_LOCK_SECONDS", "40")
    get_settings.cache_clear()
    settings = get_settings()
    active_user(db)
    now = dt.datetime.now(dt.UTC)

    def fail(at: dt.datetime) -> str:
        return passwords.authenticate(session=db, identifier="budi", password="salah-sekali-1", now=at).error

    for _ in range(settings.login_max_failures - 1):
        fail(now)
    # Two minutes later the earlier failures are forgotten: no lock yet.
    later = now + dt.timedelta(minutes=2)
    assert fail(later) == messages.LOGIN_FAILED
    for _ in range(settings.login_max_failures - 1):
        fail(later)
    # Locked for 40 s; the next failure would double that to 80 s, but a lock stops at one minute.
    assert fail(later + dt.timedelta(seconds=41)) == messages.LOGIN_LOCKED.format(seconds=60)


def test_the_reset_emails_per_account_come_from_settings(db, fresh_settings):
    fresh_settings.setenv("WBS_PASSWORD_RESET_EMAILS_PER_ACCOUNT", "1")
    fresh_settings.setenv("WBS_PASSWORD_RESET_EMAILS_WINDOW_MINUTES", "5")
    get_settings.cache_clear()
    active_user(db)
    now = dt.datetime.now(dt.UTC)
    assert passwords.request_password_reset(session=db, identifier="budi", now=now) is not None
    assert passwords.request_password_reset(session=db, identifier="budi", now=now) is None
    later = now + dt.timedelta(minutes=5, seconds=1)
    assert passwords.request_password_reset(session=db, identifier="budi", now=later) is not None
