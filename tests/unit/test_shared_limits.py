"""Scale-out mode: with REDIS_URL set, limits count in Redis, so several app workers share one window.

Each RateLimiter instance below stands for the limiter of one worker process: two instances with one name are
two workers. Runs against the real Redis at WBS_TEST_REDIS_URL (127.0.0.1:6379), skipped with the reason without.
"""

from __future__ import annotations

import concurrent.futures
import subprocess
import sys
import uuid

import pytest

from tests.conftest import ROOT
from wbs_app.services import evidence, ratelimit, shared_store
from wbs_app.services.ratelimit import MAX_DELAY_SECONDS, RateLimiter, Verdict
from wbs_app.settings import RateLimit, get_settings


@pytest.fixture
def workers(shared_redis):
    """make(limit): a limiter as two workers have it, (worker_a, worker_b), under a name of this test's own."""
    names = []

    def make(limit: RateLimit) -> tuple[RateLimiter, RateLimiter]:
        name = f"test-{uuid.uuid4().hex[:12]}"
        names.append(name)
        return RateLimiter(lambda: limit, name=name), RateLimiter(lambda: limit, name=name)

    yield make
    for name in names:
        shared_store.delete_prefix("rl", name)


def keys_of(limiter: RateLimiter) -> list[bytes]:
    return list(shared_store.client().scan_iter(match=f"wbs:rl:{limiter.name}:*"))


def test_two_workers_share_one_client_count_and_its_window(workers):
    worker_a, worker_b = workers(RateLimit(60, per_client=2))
    assert worker_a.check("10.0.0.1", now=1000).allowed
    assert worker_b.check("10.0.0.1", now=1001).allowed
    # The third attempt is refused whichever worker gets it; per process each would still allow two.
    assert not worker_a.check("10.0.0.1", now=1002).allowed
    assert not worker_b.check("10.0.0.1", now=1002).allowed
    assert worker_b.is_refused("10.0.0.1", now=1002) and worker_a.is_refused("10.0.0.1", now=1002)
    assert worker_b.check("10.0.0.2", now=1002) == Verdict(allowed=True, delay=0.0)  # another client
    assert not worker_a.check("10.0.0.1", now=1060).allowed  # refusals are not counted; two still in the window
    assert worker_b.check("10.0.0.1", now=1062).allowed  # the window moved on, for both workers


def test_without_a_given_time_the_window_runs_on_redis_s_clock(workers):
    worker_a, worker_b = workers(RateLimit(60, per_client=3))
    assert [worker_a.check("10.0.0.9").allowed for _ in range(2)] == [True, True]
    assert worker_b.check("10.0.0.9").allowed
    assert not worker_a.check("10.0.0.9").allowed and not worker_b.check("10.0.0.9").allowed


def test_failures_recorded_on_one_worker_slow_down_the_other(workers):
    worker_a, worker_b = workers(RateLimit(600, per_client_slow_after=3))
    for second in range(3):
        assert worker_b.delay("203.0.113.7", now=second) == 0.0
        (worker_a if second % 2 else worker_b).record("203.0.113.7", now=second)
    assert worker_a.delay("203.0.113.7", now=4) == worker_b.delay("203.0.113.7", now=4) > 0
    assert worker_a.delay("203.0.113.8", now=4) == 0.0


def test_guesses_on_one_report_through_both_workers_slow_down_its_owner_and_never_refuse_them(workers):
    worker_a, worker_b = workers(RateLimit(600, per_client=10, per_target_slow_after=5, all_clients_slow_after=300))
    for n in range(8):  # 8 addresses, each up to its limit, half through each worker
        for attempt in range(10):
            worker = worker_a if attempt % 2 else worker_b
            assert worker.check(f"10.1.0.{n}", target="WBS-0123456789", now=n + attempt / 100).allowed
        assert not worker_a.check(f"10.1.0.{n}", target="WBS-0123456789", now=n + 0.5).allowed
    owner = worker_b.check("10.2.0.1", target="WBS-0123456789", now=9)
    assert owner.allowed and owner.delay == MAX_DELAY_SECONDS  # 80 attempts on one number, 5 allowed freely
    other = worker_a.check("10.2.0.2", target="WBS-ABCDEFGHJK", now=9)
    assert other == Verdict(allowed=True, delay=0.0)  # 81 attempts in all stay far below 300


def test_concurrent_attempts_on_two_workers_are_counted_exactly(workers):
    worker_a, worker_b = workers(RateLimit(60, per_client=40))
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        verdicts = list(pool.map(lambda n: (worker_a, worker_b)[n % 2].check("10.3.0.1").allowed, range(100)))
    assert verdicts.count(True) == 40  # counted and checked in one step: never 41


def test_reset_clears_this_limiter_in_redis_and_no_other(workers):
    worker_a, worker_b = workers(RateLimit(60, per_client=1))
    other, _ = workers(RateLimit(60, per_client=1))
    assert worker_a.check("10.0.0.1", target="WBS-0123456789").allowed and other.check("10.0.0.1").allowed
    assert keys_of(worker_a) and keys_of(other)
    worker_b.reset()  # e.g. the browser tests before each test, from their own process
    assert keys_of(worker_a) == []
    assert worker_a.check("10.0.0.1").allowed
    assert not other.check("10.0.0.1").allowed


def test_keys_hold_no_address_or_report_number_and_expire(workers):
    worker_a, _ = workers(RateLimit(60, per_client=5, per_target_slow_after=5))
    worker_a.check("198.51.100.23", target="WBS-7K3M9Q2X4D")
    found = keys_of(worker_a)
    assert len(found) == 3  # client, target, everybody
    redis_client = shared_store.client()
    for key in found:
        assert b"198.51.100" not in key and b"7K3M9Q2X4D" not in key
        assert 0 < redis_client.ttl(key) <= 61
        assert all(b"198.51.100" not in member for member in redis_client.zrange(key, 0, -1))


def test_a_limiter_without_a_name_counts_in_its_own_process(shared_redis):
    limit = RateLimit(60, per_client=1)
    first, second = RateLimiter(lambda: limit), RateLimiter(lambda: limit)
    assert first.check("10.0.0.1").allowed and second.check("10.0.0.1").allowed
    assert not first.check("10.0.0.1").allowed


def test_every_limiter_of_the_app_has_a_name_of_its_own():
    names = [limiter.name for limiter in ratelimit.all_limiters()]
    assert all(names) and len(set(names)) == len(names) >= 9


ANOTHER_WORKER = """
from wbs_app.services import evidence
space = evidence.ClientDraftSpace("198.51.100.9", evidence.new_draft_folder())
print(space.take(400_000), evidence.client_draft_bytes("198.51.100.9"))
"""


def test_a_client_s_drafts_on_two_workers_share_one_quota(shared_redis, data_dir, monkeypatch):
    monkeypatch.setenv("WBS_MAX_DRAFT_MB_PER_CLIENT", "1")
    get_settings.cache_clear()
    client = "198.51.100.9"
    first = evidence.new_draft_folder()
    assert evidence.ClientDraftSpace(client, first).take(700_000)
    (first / "bagian1").write_bytes(b"x" * 700_000)
    assert client not in evidence._client_folders  # nothing of this client kept in this worker's memory
    # Another worker process, another tab of the same client: 400 KB more would pass 1 MB.
    answer = subprocess.run(
        [sys.executable, "-c", ANOTHER_WORKER], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    assert answer.stdout.split() == ["False", "700000"]
    # Its (empty) folder counts here too once it holds something; a discarded draft stops counting at once.
    [second] = [path for path in get_settings().upload_temp_dir.iterdir() if path != first]
    (second / "bagian2").write_bytes(b"x" * 100_000)
    assert evidence.client_draft_bytes(client) == 800_000
    evidence.discard_draft_folder(first)
    assert evidence.client_draft_bytes(client) == 100_000
    assert evidence.ClientDraftSpace("2001:db8::1", evidence.new_draft_folder()).take(900_000)  # another client
    keys = list(shared_store.client().scan_iter(match="wbs:draft-folders:*"))
    assert keys and not any(b"198.51.100" in key for key in keys)
    shared_store.client().delete(*(shared_store.name("draft-folders", c) for c in (client, "2001:db8::1")))
