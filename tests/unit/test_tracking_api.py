"""GET /api/lacak/<nomor>: a report's status and the day of its last update (in WIB), nothing else; the same
per-client limit as the /lacak page; readable by other sites' pages, and only this route."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import httpx
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from wbs_app import api, messages
from wbs_app.db import loop_reader
from wbs_app.models import Channel, Report, ReportStatus
from wbs_app.security_headers import NO_STORE, SecurityHeaders
from wbs_app.services import ratelimit, tracking
from wbs_app.settings import RateLimit, get_settings

BASE = "http://wbs.example"
NUMBER = "WBS-AB12CD34EF"
# 18:30 UTC on the 14th is 01:30 WIB on the 15th.
UPDATED = dt.datetime(2026, 3, 14, 18, 30, tzinfo=dt.UTC)
SECRETS = ["Pengadaan server", "Isi laporan rahasia", "Budi Santoso", "budi@contoh.go.id", "Kepala Bidang"]


def app():
    # A fresh app with the routes of wbs_app.api.api (starting that one would freeze its middleware stack),
    # behind the middleware every response passes in production.
    return SecurityHeaders(
        Starlette(routes=api.api.routes), base_url=lambda: BASE, backend_urls=lambda: (), script_hashes=lambda: ()
    )


def visitor(address: str = "203.0.113.5") -> TestClient:
    return TestClient(app(), base_url=BASE, client=(address, 50000))


async def ticking(work, *, every: float) -> tuple:
    """`work`'s result, and how many times meanwhile the event loop ran a task that wakes `every` seconds (a loop
    held up by the work would run it seldom)."""
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            await asyncio.sleep(every)
            ticks += 1

    beat = asyncio.create_task(ticker())
    try:
        return await work, ticks
    finally:
        beat.cancel()


def limit(monkeypatch, **numbers) -> None:
    """The tracking limiter with these numbers and counters of its own."""
    monkeypatch.setattr(tracking, "tracking_limiter", ratelimit.RateLimiter(lambda: RateLimit(60, **numbers)))


@pytest.fixture
def report(db, monkeypatch):
    db.add(
        Report(
            registration_number=NUMBER,
            channel=Channel.VIOLATION.value,
            title=SECRETS[0],
            description=SECRETS[1],
            reporter_name=SECRETS[2],
            reporter_email=SECRETS[3],
            status=ReportStatus.EXAMINATION.value,
            updated_at=UPDATED,
        )
    )
    db.commit()
    engine = db.get_bind()
    monkeypatch.setattr(tracking, "open_connection", engine.connect)
    monkeypatch.setattr(tracking, "loop_reader", lambda: loop_reader(engine.url.render_as_string()))
    limit(monkeypatch, per_client=20, all_clients_slow_after=600)
    return NUMBER


def test_a_known_number_shows_its_status_and_the_day_of_its_last_update_in_wib(report):
    response = visitor().get(f"/api/lacak/{report}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == NO_STORE
    assert response.json() == {
        "nomor_registrasi": NUMBER,
        "status": "Proses Pemeriksaan",
        "terakhir_diperbarui": "2026-03-15",
        "zona": "WIB",
    }
    # Typed as people type it: lower case, spaces, O for 0 and I/L for 1.
    assert visitor().get("/api/lacak/wbs-ab12cd34ef").json()["nomor_registrasi"] == NUMBER
    assert visitor().get("/api/lacak/ wbs-abI2cd34ef ").json()["nomor_registrasi"] == NUMBER


def test_the_answer_holds_nothing_beyond_the_status_and_the_date(report):
    body = visitor().get(f"/api/lacak/{report}").text
    for secret in SECRETS:
        assert secret not in body


def test_the_zone_is_the_configured_one(report, monkeypatch):
    monkeypatch.setenv("WBS_TIMEZONE", "Asia/Jayapura")
    get_settings.cache_clear()
    try:
        answer = visitor().get(f"/api/lacak/{report}").json()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert (answer["terakhir_diperbarui"], answer["zona"]) == ("2026-03-15", "WIT")


def test_an_unknown_number_is_a_404_with_the_page_s_message(report):
    response = visitor().get("/api/lacak/WBS-7K3M9Q2X4D")
    assert response.status_code == 404
    assert response.json() == {"pesan": messages.TRACK_NOT_FOUND}


@pytest.mark.parametrize("number", ["12345", "WBS-AB12CD34E", "WBS-AB12CD34EU", "WBS-AB12CD34EF0", "%00", "x" * 300])
def test_a_malformed_number_is_a_404_that_explains_the_format_and_costs_no_lookup(report, monkeypatch, number):
    limit(monkeypatch, per_client=1)
    client = visitor()
    response = client.get(f"/api/lacak/{number}")
    assert response.status_code == 404
    assert response.json() == {"pesan": messages.TRACK_FORMAT}
    assert client.get(f"/api/lacak/{report}").status_code == 200  # the one lookup this client may make


def test_one_client_over_its_limit_is_refused_and_another_is_not(report, monkeypatch):
    limit(monkeypatch, per_client=3)
    guesser, other = visitor("198.51.100.7"), visitor("198.51.100.8")
    for _ in range(3):
        assert guesser.get("/api/lacak/WBS-7K3M9Q2X4D").status_code == 404
    refused = guesser.get(f"/api/lacak/{report}")
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "60"
    assert refused.json() == {"pesan": messages.TRACK_RATE_LIMITED}
    assert other.get(f"/api/lacak/{report}").status_code == 200
    # The /lacak page's lookups count against the same limit: that address is refused there too.
    assert asyncio.run(tracking.look_up(report, client="198.51.100.7")).problem == tracking.REFUSED
    assert asyncio.run(tracking.look_up(report, client="198.51.100.9")).found is not None
    # One IPv6 host has a whole /64: it counts as one client.
    v6 = [visitor(f"2001:db8:1:2::{n}") for n in range(1, 5)]
    assert [c.get(f"/api/lacak/{report}").status_code for c in v6] == [200, 200, 200, 429]


def test_a_forged_forwarded_for_does_not_make_a_new_client(report, monkeypatch):
    limit(monkeypatch, per_client=2)
    client = visitor("198.51.100.20")
    codes = [
        client.get(f"/api/lacak/{report}", headers={"X-Forwarded-For": f"10.0.0.{n}"}).status_code for n in range(3)
    ]
    assert codes == [200, 200, 429]


def test_behind_a_trusted_proxy_each_visitor_counts_by_the_address_the_proxy_saw(report, monkeypatch):
    limit(monkeypatch, per_client=2)
    monkeypatch.setenv("WBS_TRUSTED_PROXY_HOPS", "1")
    get_settings.cache_clear()
    proxy = visitor("10.0.0.1")  # every request arrives from the proxy
    try:
        # The proxy appends the address it saw; what the client wrote before it is ignored.
        for forged in ["1.1.1.1", "2.2.2.2", "3.3.3.3"]:
            response = proxy.get(f"/api/lacak/{report}", headers={"X-Forwarded-For": f"{forged}, 192.0.2.1"})
        assert response.status_code == 429
        assert proxy.get(f"/api/lacak/{report}", headers={"X-Forwarded-For": "192.0.2.2"}).status_code == 200
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_a_slowed_down_lookup_waits_without_holding_up_the_server(report, monkeypatch):
    limit(monkeypatch, per_client=100, all_clients_slow_after=4)  # the 5th lookup waits 5 s * 1/4
    for n in range(4):
        assert visitor(f"192.0.2.{n + 10}").get(f"/api/lacak/{report}").status_code == 200

    async def lookup() -> tuple[httpx.Response, float]:
        transport = httpx.ASGITransport(app=app(), client=("192.0.2.99", 50000))
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            started = time.monotonic()
            response = await client.get(f"/api/lacak/{report}")
            return response, time.monotonic() - started

    (response, waited), ticks = asyncio.run(ticking(lookup(), every=0.05))
    assert response.status_code == 200
    assert waited >= 1.2
    assert ticks >= 18  # the loop went on serving while this lookup waited


def test_on_sqlite_a_lookup_is_read_on_the_loop_without_a_thread(report, monkeypatch):
    # One row by the unique index costs less than the hop to a worker thread; no thread is asked for.
    def no_thread(*_args):
        raise AssertionError("a worker thread was used")

    monkeypatch.setattr(tracking.asyncio, "to_thread", no_thread)
    assert asyncio.run(tracking.look_up(report, client="192.0.2.30")).found.status == "Proses Pemeriksaan"
    # That connection only reads and never waits for a lock on the loop.
    reader = tracking.loop_reader()
    assert reader.execute("PRAGMA query_only").fetchone() == (1,)
    assert reader.execute("PRAGMA busy_timeout").fetchone() == (0,)


def test_a_locked_database_is_waited_for_in_a_thread_while_the_loop_goes_on(report, db):
    # Another connection holding the database locked (as a checkpoint or a crash recovery may, briefly):
    # the lookup must not stall every visitor on the loop; it waits in a worker thread and then answers.
    import sqlite3

    db.close()
    db.get_bind().dispose()  # a connection left open would keep the exclusive lock from being taken
    holder = sqlite3.connect(db.get_bind().url.database, isolation_level=None, timeout=0)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE report SET updated_at = updated_at")

    async def release_later():
        await asyncio.sleep(0.5)
        holder.execute("COMMIT")
        holder.close()  # gives the exclusive lock up

    async def lookup_while_locked() -> tracking.Lookup:
        release = asyncio.create_task(release_later())
        lookup = await tracking.look_up(report, client="192.0.2.31")
        await release
        return lookup

    lookup, ticks = asyncio.run(ticking(lookup_while_locked(), every=0.02))
    assert lookup.found is not None and lookup.found.status == "Proses Pemeriksaan"
    assert ticks >= 15  # the loop kept serving for the half second the database was locked


def test_other_sites_may_read_it_without_credentials_and_nothing_else(report):
    client = visitor()
    portal = {"Origin": "https://portal.example.go.id"}
    response = client.get(f"/api/lacak/{report}", headers=portal)
    assert response.status_code == 200 and response.json()["status"] == "Proses Pemeriksaan"
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    assert client.get("/api/lacak/WBS-7K3M9Q2X4D", headers=portal).headers["access-control-allow-origin"] == "*"
    # Another method on it, and every other route, still refuse a foreign origin.
    assert client.post(f"/api/lacak/{report}", headers=portal).status_code == 403
    assert client.options(f"/api/lacak/{report}", headers=portal).status_code == 403
    assert client.get("/_wbs/bukti/x", headers=portal).status_code == 403
    assert client.get("/api/lacakx", headers=portal).status_code == 403


def test_english_is_added_when_asked_and_the_fields_stay_the_same(report):
    from wbs_app import language

    indonesian = visitor().get(f"/api/lacak/{report}")
    assert "status_label" not in indonesian.json()
    for asked in (
        {"params": {"lang": "en"}},
        {"headers": {"Accept-Language": "en-GB,en;q=0.9,id;q=0.5"}},
        {"headers": {"Cookie": f"{language.COOKIE}=en"}},
    ):
        response = visitor().get(f"/api/lacak/{report}", **asked)
        assert response.json() == {
            "nomor_registrasi": NUMBER,
            "status": "Proses Pemeriksaan",  # the machine field as always
            "terakhir_diperbarui": "2026-03-15",
            "zona": "WIB",
            "status_label": "Under Examination",
        }, asked
    # The browser's own choice (the cookie) wins over its Accept-Language; Indonesian first stays Indonesian.
    chosen = visitor().get(f"/api/lacak/{report}", headers={"Cookie": f"{language.COOKIE}=id", "Accept-Language": "en"})
    assert "status_label" not in chosen.json()
    assert (
        "status_label" not in visitor().get(f"/api/lacak/{report}", headers={"Accept-Language": "id,en;q=0.8"}).json()
    )
    # A refusal keeps its "pesan" and adds the English "message".
    unknown = visitor().get("/api/lacak/WBS-7K3M9Q2X4D", params={"lang": "en"})
    assert unknown.status_code == 404
    with language.use(language.ENGLISH):
        english = messages.TRACK_NOT_FOUND
    assert unknown.json() == {"pesan": messages.TRACK_NOT_FOUND, "message": english}
    assert "Registration Number" in english
