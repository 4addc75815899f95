"""Rate limits of the public forms: only a client's own attempts refuse it; crowds and targets slow down."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.builders import active_user
from wbs_app import messages
from wbs_app.services import passwords, ratelimit
from wbs_app.services.ratelimit import MAX_DELAY_SECONDS, RateLimiter, client_key
from wbs_app.settings import RateLimit, get_settings

# Each limiter, the prefix of its WBS_ variables, and its numbers when nothing is set.
LIMITERS = [
    ("tracking_limiter", "WBS_TRACKING_LOOKUPS", RateLimit(60, per_client=20, all_clients_slow_after=600)),
    ("upload_limiter", "WBS_UPLOAD_BATCHES", RateLimit(3600, per_client=60, all_clients_slow_after=2000)),
    ("login_limiter", "WBS_LOGIN_ATTEMPTS", RateLimit(600, per_client_slow_after=30)),
    (
        "access_limiter",
        "WBS_ACCESS_ATTEMPTS",
        RateLimit(600, per_client=10, per_target_slow_after=5, all_clients_slow_after=300),
    ),
    ("activation_resend_limiter", "WBS_ACTIVATION_RESENDS", RateLimit(600, per_client=5, all_clients_slow_after=200)),
    (
        "password_reset_limiter",
        "WBS_PASSWORD_RESET_REQUESTS",
        RateLimit(600, per_client=5, all_clients_slow_after=200),
    ),
    ("registration_limiter", "WBS_REGISTRATIONS", RateLimit(3600, per_client=10)),
]
SUFFIXES = {
    "per_client": "_PER_CLIENT",
    "per_client_slow_after": "_PER_CLIENT_SLOW_AFTER",
    "per_target_slow_after": "_PER_REPORT_SLOW_AFTER",
    "all_clients_slow_after": "_ALL_CLIENTS_SLOW_AFTER",
}


@pytest.fixture
def fresh_settings(monkeypatch):
    """Settings re-read from an environment without any of the limiters' WBS_ variables."""
    for _, prefix, _ in LIMITERS:
        for suffix in [*SUFFIXES.values(), "_WINDOW_SECONDS"]:
            monkeypatch.delenv(prefix + suffix, raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def fixed(window_seconds: int = 60, **numbers: int) -> RateLimiter:
    limit = RateLimit(window_seconds, **numbers)
    return RateLimiter(lambda: limit)


def test_one_client_over_its_limit_is_refused_while_another_is_not():
    limiter = fixed(60, per_client=2)
    assert limiter.check("a", now=0).allowed and limiter.check("a", now=1).allowed
    assert not limiter.check("a", now=2).allowed  # this client is over its limit
    assert limiter.check("b", now=3) == ratelimit.Verdict(allowed=True, delay=0.0)
    assert not limiter.check("a", now=60).allowed  # refusals are not counted, but the window still holds two
    assert limiter.check("a", now=62).allowed  # the window moved on


def test_the_threshold_for_everybody_delays_more_and_more_but_never_refuses():
    limiter = fixed(60, per_client=2, all_clients_slow_after=100)
    verdicts = [limiter.check(f"10.0.{n // 250}.{n % 250}", now=n / 100) for n in range(1000)]
    assert all(verdict.allowed for verdict in verdicts)
    delays = [verdict.delay for verdict in verdicts]
    assert delays[:100] == [0.0] * 100  # up to the threshold nobody waits
    assert 0 < delays[100] < delays[150] < delays[199] <= MAX_DELAY_SECONDS  # then ever longer ...
    assert max(delays) == MAX_DELAY_SECONDS  # ... but only up to a few seconds
    # A minute after the crowd is gone, nobody waits.
    assert limiter.check("10.9.9.9", now=80) == ratelimit.Verdict(allowed=True, delay=0.0)


def test_a_guess_on_one_report_number_from_many_addresses_slows_down_but_never_refuses_the_owner(fresh_settings):
    limiter = RateLimiter(lambda: ratelimit.access_limiter.limit)  # the real numbers, with counters of its own
    limit = limiter.limit
    # 40 addresses, each up to its own limit, all on the owner's number: 400 wrong codes.
    for n in range(40):
        for attempt in range(limit.per_client):
            assert limiter.check(f"10.1.0.{n}", target="WBS-0123456789", now=n + attempt / 100).allowed
        assert not limiter.check(f"10.1.0.{n}", target="WBS-0123456789", now=n + 0.5).allowed
    owner = limiter.check("10.2.0.1", target="WBS-0123456789", now=45)
    assert owner.allowed and 0 < owner.delay <= MAX_DELAY_SECONDS
    # Another report's owner waits only because so many attempts were made at all, never more.
    other = limiter.check("10.2.0.2", target="WBS-ABCDEFGHJK", now=45)
    assert other.allowed and other.delay <= owner.delay


def test_failed_logins_from_one_office_address_slow_it_down_and_lock_nobody_out(fresh_settings):
    logins = RateLimiter(lambda: ratelimit.login_limiter.limit)
    office = client_key("203.0.113.7")
    for second in range(logins.limit.per_client_slow_after):
        assert logins.delay(office, now=second) == 0.0
        logins.record(office, now=second)
    delays = []
    for second in range(30, 300):  # a flood of failures from behind the office's address
        delays.append(logins.delay(office, now=second))
        logins.record(office, now=second)
    assert 0 < delays[0] < delays[10] and max(delays) == MAX_DELAY_SECONDS
    # Every one of them may still try: the limiter has nothing that refuses, the per-account lock guards.
    assert logins.check(office, now=300).allowed
    assert logins.delay(client_key("203.0.113.8"), now=300) == 0.0


def test_clients_are_counted_by_address_and_ipv6_by_network():
    assert client_key("2001:db8:1:2::5") == client_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::5") != client_key("2001:db8:1:2::5")
    assert client_key("10.0.0.7") == "10.0.0.7" and client_key("") == "?" and client_key("token-abc") == "token-abc"


def test_clients_and_targets_seen_long_ago_are_forgotten():
    limiter = fixed(60, per_client=5, per_target_slow_after=5)
    for n in range(ratelimit._PRUNE_AT + 1):
        limiter.check(f"c{n}", target=f"t{n}", now=0)
    limiter.check("late", target="late", now=100)
    assert set(limiter._clients) == {"late"} and set(limiter._targets) == {"late"}


@pytest.mark.parametrize(("name", "prefix", "defaults"), LIMITERS)
def test_without_settings_every_limit_keeps_its_numbers(fresh_settings, name, prefix, defaults):
    assert getattr(ratelimit, name).limit == defaults


@pytest.mark.parametrize(("name", "prefix", "defaults"), LIMITERS)
def test_every_limit_is_read_from_its_settings(fresh_settings, name, prefix, defaults):
    fresh_settings.setenv(f"{prefix}_WINDOW_SECONDS", "30")
    for suffix in SUFFIXES.values():
        fresh_settings.setenv(prefix + suffix, "2")
    get_settings.cache_clear()
    shared = getattr(ratelimit, name)
    # Each number the limit has is read; one it does not have stays absent whatever is set.
    expected = {field: 2 if getattr(defaults, field) is not None else None for field in SUFFIXES}
    assert shared.limit == RateLimit(30, **expected)

    limiter = RateLimiter(lambda: shared.limit)  # the same settings, with counters of its own
    for second in (0, 1):
        assert limiter.check("10.0.0.1", target="WBS-0123456789", now=second) == ratelimit.Verdict(True, 0.0)
    third = limiter.check("10.0.0.1", target="WBS-0123456789", now=2)
    if defaults.per_client is not None:
        assert not third.allowed  # the third attempt within 30 seconds from one address is refused
    else:
        assert third.allowed and third.delay > 0
    assert limiter.check("10.0.0.2", now=2).allowed  # another address still gets through
    assert limiter.check("10.0.0.1", now=33) == ratelimit.Verdict(True, 0.0)  # the window moved on


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
