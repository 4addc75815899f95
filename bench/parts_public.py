"""(a) reporters submitting full reports with evidence, (b) public tracking as an event, as the HTTP route and
beside a bare Starlette app doing the same query."""

from __future__ import annotations

import asyncio
import io
import random
import statistics
import subprocess
import sys
import time

import aiohttp

from bench.client import Visitor
from bench.server import ROOT, VENV_BIN, Server, app_env, free_port, note
from bench.stats import ms, percentile

DESCRIPTION = (
    "Pada bulan Maret lalu Kepala Bidang meminta uang kepada rekanan pengadaan alat tulis kantor sebesar sepuluh "
    "persen dari nilai kontrak; kwitansi dan percakapan terlampir sebagai bukti."
)


def evidence_photo(size: int = 1_000_000) -> bytes:
    """A phone photo of about `size` bytes (JPEG of noise, which compresses little)."""
    from PIL import Image

    side = 600
    while True:
        image = Image.frombytes("RGB", (side, side), random.Random(side).randbytes(side * side * 3))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        if buffer.tell() >= size:
            return buffer.getvalue()
        side += 50


def _wizard() -> str:
    from wbs_app.pages.report_wizard.state import ReportWizardState

    return ReportWizardState.get_full_name()


async def _one_report(http: aiohttp.ClientSession, base: str, photo: bytes, timings: dict) -> str:
    """A visitor's whole report, step by step as the wizard's forms send it; returns the number shown."""
    wizard = _wizard()
    path = "/lapor/pelanggaran"
    tab = Visitor(http, base)
    began = time.perf_counter()
    try:
        await tab.connect(path)
        await tab.wait_for(lambda: tab.var(wizard, "violation_type_options") and tab.var(wizard, "unit_options"))

        async def step(handler: str, form: dict, reached: int) -> None:
            await tab.send(f"{wizard}.{handler}", {"form": form}, path=path)
            await tab.wait_for(lambda: tab.var(wizard, "step") == reached or tab.var(wizard, "errors"))
            if tab.var(wizard, "errors"):
                raise RuntimeError(f"{handler}: {tab.var(wizard, 'errors')}")

        await step("save_reporter", {"reporter_name": "Pelapor Bench", "reporter_phone": "081234567890",
                                     "reporter_address": "Jl. Merdeka 1"}, 2)
        uid = tab.var(wizard, "draft")["accused"][0]["uid"]
        types, units = tab.var(wizard, "violation_type_options"), tab.var(wizard, "unit_options")
        await step("save_details", {"title": "Pungutan liar pengadaan ATK", "violation_type_id": types[0]["value"],
                                    "unit_id": units[0]["value"], "description": DESCRIPTION,
                                    f"accused_name_{uid}": "Budi Santoso", f"accused_position_{uid}": "Kepala Bidang",
                                    f"accused_classification_{uid}": "ASN"}, 3)
        status = await tab.upload(f"{wizard}.receive_uploads", [("kwitansi.jpg", photo, "image/jpeg")])
        if not 200 <= status < 300:
            raise RuntimeError(f"upload answered {status}")
        await tab.wait_for(lambda: len(tab.var(wizard, "uploaded", [])) == 1 or tab.var(wizard, "upload_refused"))
        if tab.var(wizard, "upload_refused"):
            raise RuntimeError(f"upload refused: {tab.var(wizard, 'upload_refused')}")
        file_id = tab.var(wizard, "uploaded")[0]["file_id"]
        await tab.send(f"{wizard}.choose_province", {"code": "31"}, path=path)
        await tab.wait_for(lambda: tab.var(wizard, "regency_options"))
        await step("save_location", {"incident_address": "Kantor Dinas", "regency_code":
                                     tab.var(wizard, "regency_options")[0]["value"],
                                     "incident_at": "2026-03-01T10:00", f"evidence_{file_id}": "Kwitansi"}, 4)
        sent = time.perf_counter()
        await tab.send(f"{wizard}.submit", {"form": {"confirm": "on"}}, path=path)
        await tab.wait_for(lambda: tab.var(wizard, "submitted_number") or tab.var(wizard, "form_error"))
        if not tab.var(wizard, "submitted_number"):
            raise RuntimeError(f"submit: {tab.var(wizard, 'form_error')}")
        timings["submit"].append(time.perf_counter() - sent)
        timings["report"].append(time.perf_counter() - began)
        timings["acknowledged"].append(time.perf_counter())
        return tab.var(wizard, "submitted_number")
    finally:
        await tab.close()


def _stored(numbers: list[str]) -> tuple[int, int]:
    """How many of these numbers are in the database with an evidence row whose file is in the store."""
    from sqlmodel import select

    from wbs_app.db import open_session
    from wbs_app.models import Evidence, Report
    from wbs_app.settings import get_settings

    store = get_settings().evidence_dir
    with open_session() as db:
        rows = db.exec(select(Report.registration_number, Evidence.stored_name).join(
            Evidence, Evidence.report_id == Report.id).where(Report.registration_number.in_(numbers))).all()
    present = {number for number, _ in rows}
    with_file = {number for number, name in rows if (store / name).is_file()}
    return len(present), len(with_file)


async def submissions(server: Server, reporters: int, rounds: int = 3) -> list[tuple[str, str, str]]:
    """`rounds` times, `reporters` new visitors sending at once; the median round's throughput (one burst of 50 is
    over in ~3 s, and one round alone varies by a fifth on this machine), the rest over every round."""
    photo = evidence_photo()
    _wizard()  # the app's state classes imported before the clock starts
    timings: dict[str, list[float]] = {"submit": [], "report": []}
    throughputs, numbers, errors = [], [], []
    cpu = client_cpu = 0.0
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=600)) as http:
        for round_number in range(1, rounds + 1):
            note(f"(a) round {round_number} of {rounds}: {reporters} reporters, evidence {len(photo):,} bytes each ...")
            timings["acknowledged"] = []
            cpu_before, client_before, began = server.cpu_seconds(), time.process_time(), time.perf_counter()
            results = await asyncio.gather(
                *(_one_report(http, server.base_url, photo, timings) for _ in range(reporters)), return_exceptions=True
            )
            cpu += server.cpu_seconds() - cpu_before
            client_cpu += time.process_time() - client_before
            # to the last number shown, not the tabs' closing
            wall = max(timings["acknowledged"], default=began + 1) - began
            done = [r for r in results if isinstance(r, str)]
            throughputs.append(len(done) / wall)
            numbers += done
            errors += [r for r in results if not isinstance(r, str)]
    for error in errors[:3]:
        note(f"  error: {error!r}")
    present, with_file = _stored(numbers)
    label = f"(a) submissions, {reporters} reporters × {rounds} rounds, {len(photo) / 1e6:.1f} MB photo"
    per_submission = max(len(numbers), 1)
    return [
        (label, "throughput (whole reports / s), median round (lowest – highest)",
         f"{statistics.median(throughputs):.1f} ({min(throughputs):.1f} – {max(throughputs):.1f})"),
        (label, "whole report (4 steps + upload + submit) p50 / p95",
         f"{ms(percentile(timings['report'], 50))} / {ms(percentile(timings['report'], 95))}"),
        (label, "Kirim Laporan → number shown p50 / p95",
         f"{ms(percentile(timings['submit'], 50))} / {ms(percentile(timings['submit'], 95))}"),
        (label, "errors", str(len(errors))),
        (label, "acknowledged numbers distinct / in the database / with their file",
         f"{len(set(numbers))} / {present} / {with_file} of {len(numbers)}"),
        (label, "backend CPU per submission", f"{cpu / per_submission:.3f} s"),
        # The load client runs on the same cores: what it uses is CPU the server could not have.
        (label, "load client CPU per submission (same cores)", f"{client_cpu / per_submission:.3f} s"),
    ]


# (b) Tracking -------------------------------------------------------------------------------------------------

BARE_APP = '''
import asyncio, os
from sqlalchemy import create_engine, text
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
engine = create_engine(os.environ["WBS_DATABASE_URL"])
QUERY = text("SELECT registration_number, status, updated_at FROM report WHERE registration_number = :n")
def find(number):
    with engine.connect() as connection:
        return connection.execute(QUERY, {"n": number}).first()
async def track(request):
    row = await asyncio.to_thread(find, request.path_params["nomor"].upper())
    if row is None:
        return JSONResponse({"pesan": "tidak ditemukan"}, status_code=404)
    return JSONResponse({"nomor_registrasi": row[0], "status": row[1], "terakhir_diperbarui": str(row[2])[:10]})
app = Starlette(routes=[Route("/api/lacak/{nomor}", track)])
'''


async def _rate(worker, clients: int, seconds: float) -> float:
    """Lookups per second of `clients` loops of `worker()` during `seconds`."""
    done, stop = [0], time.perf_counter() + seconds

    async def loop() -> None:
        while time.perf_counter() < stop:
            await worker()
            done[0] += 1

    began = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(clients)))
    return done[0] / (time.perf_counter() - began)


def _some_number() -> str:
    from sqlmodel import select

    from wbs_app.db import open_session
    from wbs_app.models import Report

    with open_session() as db:
        return db.exec(select(Report.registration_number).order_by(Report.id.desc())).first()


async def tracking(server: Server, clients: int = 8, seconds: float = 5, rounds: int = 3) -> list[tuple[str, str, str]]:
    from wbs_app.components.tracking_widget import TrackingState

    number = _some_number()
    if number is None:
        return [("(b) tracking", "skipped", "no report in the database")]
    port = free_port()
    (server.data_dir / "bare_tracking.py").write_text(BARE_APP)
    bare = subprocess.Popen(  # one worker, as the app runs
        [str(VENV_BIN / "python"), "-m", "uvicorn", "bare_tracking:app", "--port", str(port), "--log-level",
         "warning", "--app-dir", str(server.data_dir)], cwd=ROOT, env=app_env(server.data_dir, server.port))
    state = TrackingState.get_full_name()
    rows = []
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            for _ in range(100):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/api/lacak/{number}") as response:
                        await response.read()
                    break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.2)

            async def bare_lookup() -> None:
                async with http.get(f"http://127.0.0.1:{port}/api/lacak/{number}") as response:
                    assert response.status == 200
                    await response.read()

            async def route_lookup() -> None:
                async with http.get(f"{server.base_url}/api/lacak/{number}") as response:
                    assert response.status == 200, await response.text()
                    await response.read()

            tabs = [Visitor(http, server.base_url) for _ in range(clients)]
            await asyncio.gather(*(tab.connect("/lacak") for tab in tabs))
            free = list(tabs)

            async def event_lookup() -> None:
                tab = free.pop()
                try:
                    seen = tab.updates
                    await tab.send(f"{state}.track", {"form": {"registration_number": number}}, path="/lacak")
                    await tab.wait_for(lambda: tab.updates > seen)
                    assert tab.var(state, "result_number") == number, tab.var(state, "message")
                finally:
                    free.append(tab)

            note(f"(b) tracking {number}: {clients} clients, {rounds} rounds of {seconds:.0f} s per variant ...")
            figures: dict[str, list[float]] = {"bare": [], "route": [], "event": []}
            for _ in range(rounds):  # interleaved: the other agents' load falls on all three alike
                figures["bare"].append(await _rate(bare_lookup, clients, seconds))
                figures["route"].append(await _rate(route_lookup, clients, seconds))
                figures["event"].append(await _rate(event_lookup, clients, seconds))
            await asyncio.gather(*(tab.close() for tab in tabs))
    finally:
        bare.terminate()
        bare.wait()
    figures = {name: statistics.median(rates) for name, rates in figures.items()}
    label = f"(b) tracking, {clients} clients, median of {rounds} rounds"
    rows.append((label, "bare Starlette, same query (lookups / s)", f"{figures['bare']:.0f}"))
    rows.append((label, "GET /api/lacak/{nomor} (lookups / s, × bare)",
                 f"{figures['route']:.0f} ({figures['route'] / figures['bare']:.2f}×, target ≥ 0.9×)"))
    rows.append((label, "Reflex event track (lookups / s, × bare)",
                 f"{figures['event']:.0f} ({figures['event'] / figures['bare']:.2f}×, target ≥ 0.4×)"))
    return rows


if __name__ == "__main__":
    sys.exit("run ./bench/run")
