"""(c) the verifiers' case list at many reports: each click's time as the verifier sees it, and meanwhile the delay
of another visitor's cheap event; (d) memory per idle connected visitor."""

from __future__ import annotations

import asyncio
import gc
import statistics
import time

import aiohttp

from bench.client import Visitor
from bench.server import Server, note, verifier_cookie
from bench.stats import ms, percentile

LIST_PATH = "/verifikator"


def clicks(number_prefix: str) -> list[tuple[str, str, dict]]:
    """(label, handler, payload) of the clicks measured; filters are reset by each apply_filters."""
    sorts = [("nomor", "Nomor"), ("tanggal", "Tanggal"), ("kanal", "Kanal"), ("jenis", "Jenis"), ("unit", "Unit"),
             ("status", "Status"), ("petugas", "Petugas")]
    return [
        ("no filter", "apply_filters", {"form": {}}),
        ("status filter", "apply_filters", {"form": {"status": "Proses Pemeriksaan"}}),
        ("search, common words", "apply_filters", {"form": {"search": "pungutan liar"}}),
        ("search, a name", "apply_filters", {"form": {"search": "Siregar"}}),
        ("search, number prefix (2 characters)", "apply_filters", {"form": {"search": number_prefix}}),
        ("search, number prefix (1 character)", "apply_filters", {"form": {"search": number_prefix[:5]}}),
        ("no filter again", "apply_filters", {"form": {}}),
        ("deep page (middle)", "go_to_page", {"page": -2}),
        ("deep page (last)", "go_to_page", {"page": -1}),
        *((f"sort {label}", "sort_by", {"key": key}) for key, label in sorts),
    ]


class Pinger:
    """Another visitor sending a cheap event (a malformed tracking number: no database) again and again."""

    def __init__(self, http: aiohttp.ClientSession, base_url: str):
        from wbs_app.components.tracking_widget import TrackingState

        self.tab = Visitor(http, base_url)
        self.handler = TrackingState.get_full_name() + ".track"
        self.samples: list[tuple[float, float]] = []  # (sent at, round trip)
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        await self.tab.connect("/lacak")
        await asyncio.sleep(0.5)
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            seen, sent = self.tab.updates, time.perf_counter()
            await self.tab.send(self.handler, {"form": {"registration_number": "x"}}, path="/lacak")
            await self.tab.wait_for(lambda seen=seen: self.tab.updates > seen)
            self.samples.append((sent, time.perf_counter() - sent))
            await asyncio.sleep(0.02)

    def between(self, start: float, end: float) -> list[float]:
        return [took for sent, took in self.samples if start <= sent <= end]

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.tab.close()


async def case_list(
    server: Server, reports: int, repeat: int, *, cookie: str = "", settle: float = 3
) -> list[tuple[str, str, str]]:
    from wbs_app.pages.staff.case_list import CaseListState

    state = CaseListState.get_full_name()
    async with aiohttp.ClientSession() as http:
        pinger = Pinger(http, server.base_url)
        await pinger.start()
        await asyncio.sleep(settle)
        quiet = [took for _, took in pinger.samples]
        verifier = Visitor(http, server.base_url, cookie=cookie or verifier_cookie())
        began = time.perf_counter()
        await verifier.connect(LIST_PATH)
        await verifier.wait_for(lambda: verifier.var(state, "counters") and verifier.var(state, "rows") is not None,
                                timeout=600)
        first_load = time.perf_counter() - began
        prefix = (verifier.var(state, "rows") or [{}])[0].get("registration_number", "WBS-0")[:6]
        note(f"(c) case list at {reports:,} reports: first load {first_load:.2f} s; {repeat} clicks of each kind ...")
        results: dict[str, list[float]] = {}
        during: list[float] = []
        for label, handler, payload in clicks(prefix):
            for _ in range(repeat):
                if handler == "go_to_page":
                    pages = verifier.var(state, "page_count", 1)
                    payload = {"page": pages if payload["page"] == -1 else max(1, pages // 2)}
                verifier.forget(state, "loading")  # the click's last delta sets it False
                sent = time.perf_counter()
                await verifier.send(f"{state}.{handler}", payload, path=LIST_PATH)
                await verifier.wait_for(lambda: verifier.var(state, "loading") is False, timeout=600)
                done = time.perf_counter()
                if label not in results and label.startswith("search"):
                    note(f"  {label}: {verifier.var(state, 'total', '?')} reports found")
                results.setdefault(label, []).append(done - sent)
                during += pinger.between(sent, done)
                await asyncio.sleep(0.05)
        await verifier.close()
        await pinger.stop()
    base = statistics.median(quiet) if quiet else 0.0
    database = "PostgreSQL" if server.database_url.startswith("postgresql") else "SQLite"
    label = f"(c) case list, {reports:,} reports, {database}"
    rows = [(label, "first load of /verifikator (list + counters)", f"{first_load * 1000:.0f} ms")]
    for name, times in results.items():
        rows.append((label, f"click: {name}, p50 / p95", f"{ms(percentile(times, 50))} / {ms(percentile(times, 95))}"))
    worst = max(percentile(times, 95) for times in results.values())
    rows.append((label, f"worst click p95 (target ≤ {200 if database == 'PostgreSQL' else 300} ms)", ms(worst)))
    rows.append((label, "other visitor's event, alone: p50 / p95", f"{ms(base)} / {ms(percentile(quiet, 95))}"))
    rows.append((label, f"other visitor's event during clicks ({len(during)} events): p50 / p95",
                 f"{ms(percentile(during, 50))} / {ms(percentile(during, 95))}"))
    rows.append((label, "delay seen by the other visitor, p95 minus alone p50 (target ≤ 50 ms)",
                 ms(percentile(during, 95) - base)))
    return rows


async def idle(server: Server, visitors: int) -> list[tuple[str, str, str]]:
    """Open `visitors` tabs on the home page (hydrated, on_load run), then the server's RSS growth per tab."""
    from wbs_app.pages.home import HomeState

    state = HomeState.get_full_name()
    note(f"(d) {visitors} idle visitors on / ...")
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        warm = [Visitor(http, server.base_url) for _ in range(20)]  # first tabs warm caches; not counted
        for tab in warm:
            await tab.connect("/")
        await asyncio.sleep(2)
        gc.collect()
        before = server.rss()
        tabs = [Visitor(http, server.base_url) for _ in range(visitors)]
        for start in range(0, visitors, 20):
            group = tabs[start : start + 20]
            await asyncio.gather(*(tab.connect("/") for tab in group))
            await asyncio.gather(*(tab.wait_for(lambda t=tab: t.var(state, "violation_types")) for tab in group))
        await asyncio.sleep(5)
        after = server.rss()
        await asyncio.gather(*(tab.close() for tab in [*tabs, *warm]))
    per = (after - before) / visitors
    return [(f"(d) idle visitors, {visitors} on /", "server RSS growth per connected visitor (target ≤ 150 KB)",
             f"{per / 1024:.0f} KB")]
