"""Sliding-window rate limits for the public forms; every limit's numbers live in settings.

Only one client's own attempts can refuse it (`per_client`). What many clients do together, or what they
do to one target (a report number), only slows each further attempt down: a refusal there would let a
few addresses lock everybody out, the real owner of a report included.

With REDIS_URL set (several app workers) each named limiter counts in Redis (services/shared_store: one sorted
set per client, per target and for everybody, counted and added in one Lua script on Redis's clock), so every
worker sees the same window. Without Redis there is one worker and the window is in its memory. A limiter made
without a name (a test's own) always counts in memory.
"""

from __future__ import annotations

import collections
import dataclasses
import ipaddress
import secrets
import threading
import time
from collections.abc import Callable

from wbs_app.services import shared_store
from wbs_app.settings import RateLimit, get_settings

# The longest an attempt is made to wait; reached at twice a slow-down threshold.
MAX_DELAY_SECONDS = 5.0
# Beyond this many clients (or targets) remembered, the ones with nothing left in the window are dropped.
_PRUNE_AT = 10_000


def client_key(ip: str | None) -> str:
    """Whom a limit counts: an IPv4 address, or an IPv6 /64 (one host can use a whole /64)."""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return ip or "?"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def client_of(router) -> str:
    """Whom a limit counts for this event: the browser's address (IPv6 by /64), as Reflex saw it through
    WBS_TRUSTED_PROXY_HOPS; without one, the tab."""
    return client_key(router.session.client_ip or router.session.client_token)


@dataclasses.dataclass(frozen=True)
class Verdict:
    """Whether an attempt may go ahead, and how many seconds it waits first (await asyncio.sleep(delay),
    outside the state lock)."""

    allowed: bool
    delay: float = 0.0


def slow_down(count: int, threshold: int | None) -> float:
    """The wait for one more attempt after `count` in the window: none up to the threshold, then growing
    with the excess, up to MAX_DELAY_SECONDS at twice the threshold."""
    if threshold is None or count < threshold:
        return 0.0
    excess = count - threshold + 1
    return min(MAX_DELAY_SECONDS, MAX_DELAY_SECONDS * excess / max(threshold, 1))


class RateLimiter:
    def __init__(self, limit: Callable[[], RateLimit], *, name: str = ""):
        # Read at every check (settings are cached), so the numbers are never frozen at import time.
        self._limit = limit
        # The key prefix in Redis (wbs:rl:<name>:…): unique per limiter; without one, counted in memory only.
        self.name = name
        self._clients: dict[str, collections.deque[float]] = {}
        self._targets: dict[str, collections.deque[float]] = {}
        self._all: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    @property
    def limit(self) -> RateLimit:
        return self._limit()

    def check(self, client_key: str, *, target: str | None = None, now: float | None = None) -> Verdict:
        """Count one attempt. Refused only when this client is over its own limit (the refusal is not
        counted); otherwise allowed, after a delay when the client, the target or everybody is busy."""
        if (shared := self._shared("check", client_key, target, now)) is not None:
            allowed, client, in_target, everybody = shared
            if not allowed:
                return Verdict(allowed=False)
            in_target = None if target is None else in_target
            return Verdict(allowed=True, delay=self._delay_of(self.limit, client, in_target, everybody))
        now = time.monotonic() if now is None else now
        with self._lock:
            limit = self.limit
            over = (
                limit.per_client is not None
                and self._in_window(self._clients, client_key, now, limit) >= limit.per_client
            )
            if over:
                return Verdict(allowed=False)
            delay = self._delay(limit, client_key, target, now)
            self._count(limit, client_key, target, now)
            return Verdict(allowed=True, delay=delay)

    def is_refused(self, client_key: str, *, now: float | None = None) -> bool:
        """Whether this client is over its own limit, without counting an attempt (for limits that count only
        what went through, e.g. registrations)."""
        if (shared := self._shared("peek", client_key, None, now)) is not None:
            per_client = self.limit.per_client
            return per_client is not None and shared[1] >= per_client
        now = time.monotonic() if now is None else now
        with self._lock:
            limit = self.limit
            return (
                limit.per_client is not None
                and self._in_window(self._clients, client_key, now, limit) >= limit.per_client
            )

    def delay(self, client_key: str, *, target: str | None = None, now: float | None = None) -> float:
        """How long the next attempt waits, without counting it (for limits that count only failures)."""
        if (shared := self._shared("peek", client_key, target, now)) is not None:
            _, client, in_target, everybody = shared
            return self._delay_of(self.limit, client, None if target is None else in_target, everybody)
        now = time.monotonic() if now is None else now
        with self._lock:
            return self._delay(self.limit, client_key, target, now)

    def record(self, client_key: str, *, target: str | None = None, now: float | None = None) -> None:
        """Count an attempt after the fact (e.g. only failed logins)."""
        if self._shared("add", client_key, target, now) is not None:
            return
        with self._lock:
            self._count(self.limit, client_key, target, time.monotonic() if now is None else now)

    def reset(self) -> None:
        """Forget every count (a test's fresh visitor must not inherit an earlier test's attempts), in Redis too."""
        if self.name and shared_store.client() is not None:
            shared_store.delete_prefix("rl", self.name)
        with self._lock:
            self._clients.clear()
            self._targets.clear()
            self._all.clear()

    def _shared(self, mode: str, client_key: str, target: str | None, now: float | None) -> list[int] | None:
        """Counted in Redis (when set and this limiter has a name): [allowed, client, target, everybody], the
        counts before this attempt; None when this process counts itself."""
        if not self.name or shared_store.client() is None:
            return None
        limit = self.limit
        keys = [
            shared_store.name("rl", self.name, "c", client_key),
            shared_store.name("rl", self.name, "t", target or ""),
            f"{shared_store.PREFIX}:rl:{self.name}:all",
        ]
        per_client = -1 if limit.per_client is None else limit.per_client
        args = [mode, "" if now is None else repr(now), limit.window_seconds, per_client, secrets.token_hex(8)]
        result = shared_store.window_script()(keys=keys, args=[*args, "1" if target is not None else "0"])
        return [int(value) for value in result]

    @staticmethod
    def _delay_of(limit: RateLimit, client: int, in_target: int | None, everybody: int) -> float:
        delays = [slow_down(client, limit.per_client_slow_after), slow_down(everybody, limit.all_clients_slow_after)]
        if in_target is not None:
            delays.append(slow_down(in_target, limit.per_target_slow_after))
        return max(delays)

    def _delay(self, limit: RateLimit, client_key: str, target: str | None, now: float) -> float:
        self._expire(self._all, now, limit.window_seconds)
        in_target = None if target is None else self._in_window(self._targets, target, now, limit)
        return self._delay_of(limit, self._in_window(self._clients, client_key, now, limit), in_target, len(self._all))

    def _in_window(self, counts: dict[str, collections.deque[float]], key: str, now: float, limit: RateLimit) -> int:
        hits = counts.get(key)
        if hits is None:
            return 0
        self._expire(hits, now, limit.window_seconds)
        return len(hits)

    def _count(self, limit: RateLimit, client_key: str, target: str | None, now: float) -> None:
        self._all.append(now)
        for counts, key in ((self._clients, client_key), (self._targets, target)):
            if key is None:
                continue
            counts.setdefault(key, collections.deque()).append(now)
            if len(counts) > _PRUNE_AT:
                for stale in [k for k, hits in counts.items() if not hits or now - hits[-1] > limit.window_seconds]:
                    del counts[stale]

    @staticmethod
    def _expire(hits: collections.deque[float], now: float, window_seconds: float) -> None:
        while hits and now - hits[0] > window_seconds:
            hits.popleft()


# One limiter per public form; their numbers: the WBS_... settings named in settings.get_settings().
tracking_limiter = RateLimiter(lambda: get_settings().tracking_limit, name="tracking")
# Upload batches; each batch is bounded by the report size limits, and every client's drafts by its quota
# (services/evidence.ClientDraftSpace).
upload_limiter = RateLimiter(lambda: get_settings().upload_limit, name="upload")
# Failed logins only, and they only slow down (many people may share one office address); the per-account
# lock guards each account. argon2 floods are bounded by the login page, which runs few checks at once.
login_limiter = RateLimiter(lambda: get_settings().login_limit, name="login")
# Kode Akses attempts, per client and per report number (the target).
access_limiter = RateLimiter(lambda: get_settings().access_limit, name="access")
activation_resend_limiter = RateLimiter(lambda: get_settings().activation_resend_limit, name="activation-resend")
# Per browser address; per account the reset emails are limited by services/passwords.
password_reset_limiter = RateLimiter(lambda: get_settings().password_reset_request_limit, name="password-reset")
# Per browser address; per email address the notices to an existing account are limited like reset emails.
registration_limiter = RateLimiter(lambda: get_settings().registration_limit, name="registration")
# Per browser address: the public statistics page (served from a cache) and receipt checks (/verifikasi-bukti).
public_statistics_limiter = RateLimiter(lambda: get_settings().public_statistics_limit, name="public-statistics")
receipt_check_limiter = RateLimiter(lambda: get_settings().receipt_check_limit, name="receipt-check")


def all_limiters() -> list[RateLimiter]:
    return [value for value in globals().values() if isinstance(value, RateLimiter)]
