"""In-process sliding-window rate limits for public lookups (tracking, access codes).

Per process: with several app workers each keeps its own window, which still bounds guessing.
"""

from __future__ import annotations

import collections
import ipaddress
import threading
import time


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
    def __init__(self, *, per_client: int, global_limit: int, window_seconds: float):
        self.per_client = per_client
        self.global_limit = global_limit
        self.window = window_seconds
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

    def _over(self, client_key: str, now: float) -> bool:
        self._expire(self._all, now)
        hits = self._hits.get(client_key)
        if hits is not None:
            self._expire(hits, now)
        return (hits is not None and len(hits) >= self.per_client) or len(self._all) >= self.global_limit

    def _count(self, client_key: str, now: float) -> None:
        self._hits[client_key].append(now)
        self._all.append(now)
        if len(self._hits) > 10_000:
            self._hits = collections.defaultdict(collections.deque, {k: v for k, v in self._hits.items() if v})

    def _expire(self, hits: collections.deque[float], now: float) -> None:
        while hits and now - hits[0] > self.window:
            hits.popleft()
