"""What several app workers must count together, kept in Redis when REDIS_URL is set (scale-out mode).

Without Redis there is one app worker (Reflex runs several only with Redis), so process memory is shared by
everything; with it, rate-limit windows and each client's draft folders live here, where every worker sees them.
Keys never hold a visitor's address or a report number in clear: `name()` keys them with the server key
(HMAC-SHA256, data/secret.key, which every worker shares like the data folder), since Redis may write its memory
to disk. Every key expires on its own. Needs Redis 5 or newer (the window script reads Redis's clock with TIME).

Calls are short synchronous round trips (well under a millisecond to a local Redis, 2 s at most): the same
order as the in-memory lock they replace. When Redis is down, Reflex's own state is gone too, so an error is
raised rather than letting every attempt through.
"""

from __future__ import annotations

import functools
import hashlib
import hmac

from wbs_app.security import server_key
from wbs_app.settings import get_settings

PREFIX = "wbs"

# One sliding window per key (a sorted set scored by time), counted in Redis in one step.
# KEYS: client, target, everybody. ARGV: mode ("check" counts unless the client is over per_client; "peek" only
# counts what is there; "add" counts without a check), now ("" = Redis's own clock, one for every worker),
# window seconds, per_client (-1: none), a unique member, "1" when there is a target.
# Returns {allowed, client count, target count, everybody count}, the counts as they were before this attempt.
WINDOW_SCRIPT = """
local now = tonumber(ARGV[2])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local window = tonumber(ARGV[3])
local has_target = ARGV[6] == '1'
local oldest = '(' .. string.format('%.6f', now - window)
local function count(key)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', oldest)
  return redis.call('ZCARD', key)
end
local c = count(KEYS[1])
local t = 0
if has_target then t = count(KEYS[2]) end
local a = count(KEYS[3])
local mode = ARGV[1]
local per_client = tonumber(ARGV[4])
if mode == 'check' and per_client >= 0 and c >= per_client then
  return {0, c, t, a}
end
if mode ~= 'peek' then
  local score = string.format('%.6f', now)
  local ttl = math.ceil(window) + 1
  local keys = {KEYS[1], KEYS[3]}
  if has_target then keys[3] = KEYS[2] end
  for _, key in ipairs(keys) do
    redis.call('ZADD', key, score, ARGV[5])
    redis.call('EXPIRE', key, ttl)
  end
end
return {1, c, t, a}
"""


@functools.lru_cache(maxsize=4)
def _client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def client():
    """The Redis client of REDIS_URL, or None when it is not set (one worker: process memory is shared)."""
    url = get_settings().redis_url
    return _client(url) if url else None


@functools.lru_cache(maxsize=4)
def _window_script(url: str):
    return _client(url).register_script(WINDOW_SCRIPT)


def window_script():
    return _window_script(get_settings().redis_url)


def name(*parts: str) -> str:
    """A Redis key: `wbs:` + the fixed parts, the last one (an address, a number) keyed with the server key."""
    *fixed, secret = parts
    digest = hmac.new(server_key(), secret.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
    return ":".join([PREFIX, *fixed, digest])


def delete_prefix(*fixed: str) -> None:
    """Delete every key under `wbs:<fixed…>:`."""
    redis_client = client()
    if redis_client is None:
        return
    pattern = ":".join([PREFIX, *fixed]) + ":*"
    batch = []
    for key in redis_client.scan_iter(match=pattern, count=500):
        batch.append(key)
        if len(batch) >= 500:
            redis_client.delete(*batch)
            batch = []
    if batch:
        redis_client.delete(*batch)
