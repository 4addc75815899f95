"""In-process sliding-window rate limits for the public forms; every limit's numbers live in settings.

Per process: with several app workers each keeps its own window, which still bounds guessing.
"""

from __future__ import annotations

import collections
import ipaddress
import threading
import time
from collections.abc import Callable

from wbs_app.settings import RateLimit, get_settings


def client_key(ip: str | None) -> str:
    """Whom a limit counts: an IPv4 address, or an IPv6 /64 (one host can use a whole /64)."""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return ip or "?"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class RateLimiter:
    def __init__(self, limit: Callable[[], RateLimit]):
        # Read at every check (settings are cached), so the numbers are never frozen at import time.
        self._limit = limit
        self._hits: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
        self._all: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def allow(self, client_key: str, now: float | None = None) -> bool:
        """Count one attempt for the client; False when it or everybody together is over the limit."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if self._over(client_key, now):
                return False
            self._count(client_key, now)
            return True

    def is_limited(self, client_key: str, now: float | None = None) -> bool:
        """Whether the client (or everybody) is over the limit, without counting an attempt."""
        with self._lock:
            return self._over(client_key, time.monotonic() if now is None else now)

    def record(self, client_key: str, now: float | None = None) -> None:
        """Count an attempt after the fact (e.g. only failed logins)."""
        with self._lock:
            self._count(client_key, time.monotonic() if now is None else now)

    @property
    def limit(self) -> RateLimit:
        return self._limit()

    def _over(self, client_key: str, now: float) -> bool:
        limit = self.limit
        self._expire(self._all, now, limit.window_seconds)
        hits = self._hits.get(client_key)
        if hits is not None:
            self._expire(hits, now, limit.window_seconds)
        client_over = hits is not None and len(hits) >= limit.per_client
        return client_over or (limit.all_clients is not None and len(self._all) >= limit.all_clients)

    def _count(self, client_key: str, now: float) -> None:
        self._hits[client_key].append(now)
        self._all.append(now)
        if len(self._hits) > 10_000:
            self._hits = collections.defaultdict(collections.deque, {k: v for k, v in self._hits.items() if v})

    @staticmethod
    def _expire(hits: collections.deque[float], now: float, window_seconds: float) -> None:
        while hits and now - hits[0] > window_seconds:
            hits.popleft()


# One limiter per public form; their numbers: the WBS_..._PER_CLIENT, _ALL_CLIENTS and _WINDOW_SECONDS settings.
tracking_limiter = RateLimiter(lambda: get_settings().tracking_limit)
# Upload batches; each batch is bounded by the report size limits.
upload_limiter = RateLimiter(lambda: get_settings().upload_limit)
# Failed logins only (besides the per-account lock); argon2 floods are bounded by the login page instead,
# which runs at most a few password checks at once.
login_limiter = RateLimiter(lambda: get_settings().login_limit)
access_limiter = RateLimiter(lambda: get_settings().access_limit)
activation_resend_limiter = RateLimiter(lambda: get_settings().activation_resend_limit)
# Per browser address; per account the reset emails are limited by services/users.
password_reset_limiter = RateLimiter(lambda: get_settings().password_reset_request_limit)
# Per browser address; per email address the notices to an existing account are limited like reset emails.
registration_limiter = RateLimiter(lambda: get_settings().registration_limit)
