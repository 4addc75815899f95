"""In-process sliding-window rate limits for public lookups (tracking, access codes).

Per process: with several app workers each keeps its own window, which still bounds guessing.
"""

from __future__ import annotations

import collections
import threading
import time


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
            self._expire(self._all, now)
            hits = self._hits[client_key]
            self._expire(hits, now)
            if len(hits) >= self.per_client or len(self._all) >= self.global_limit:
                return False
            hits.append(now)
            self._all.append(now)
            if len(self._hits) > 10_000:
                self._hits = collections.defaultdict(collections.deque, {k: v for k, v in self._hits.items() if v})
            return True

    def _expire(self, hits: collections.deque[float], now: float) -> None:
        while hits and now - hits[0] > self.window:
            hits.popleft()
