"""WBS benchmark: `./bench/run [options]` (not part of ./scripts/test).

It prepares a data folder as scripts/run does (migrations, setup), starts the production app with
`reflex run --env prod` in a subprocess on it, drives it as browsers do (Reflex's socket.io protocol on /_event
and its upload route, bench/client.py), and prints one Markdown table of figures with the machine's core count
and load average. Parts (`--parts`, comma-separated, default all):

- submissions (a): `--rounds` (3) times, `--reporters` (50) new visitors at once, each filling the four wizard
  steps, uploading a 1 MB photo and sending; the median round's throughput, whole-report and submit p50/p95,
  errors, every acknowledged number checked in the database with its evidence file, backend CPU seconds per
  submission (psutil over the server's process tree) and the load client's own.
- tracking (b): 8 clients looking up one number as the Reflex event, as GET /api/lacak/{nomor} and from a bare
  Starlette app (uvicorn, one worker) doing the same query on the same database, interleaved in 3 rounds of
  `--tracking-seconds` (5) each; medians, and their ratios to the bare app.
- caselist (c): `--reports` (100000) realistic sealed reports seeded once into `--data`
  (default /tmp/wbs-bench-<reports>, reused by later runs; bench/seed.py), then a verifier's clicks on the case
  list (no filter, status, searches, deep pages, each sort), `--repeat` times each, timed as the verifier sees
  them, while another visitor sends a cheap event in a loop: its delay is what everybody else feels. With
  `--database-url postgresql+psycopg://…` the seeded rows are copied into that PostgreSQL database once
  (bench/postgres.py; made if missing) and the app runs on it. `--cold` empties the OS file cache first (root).
- idle (d): `--visitors` (200) tabs connected to the home page; server RSS growth per tab.

The case list runs on its seeded folder, the other parts on a fresh temporary one (each folder its own server
and, when both are asked for, its own process). Rate limits meant for one client are lifted on the bench server
(every bench client is 127.0.0.1).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import seed
from bench.server import Server, note, prepare, use_data_dir, verifier_cookie
from bench.stats import machine, table

PARTS = ("submissions", "tracking", "caselist", "idle")


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="./bench/run", description=__doc__.split("\n")[0])
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated, of {', '.join(PARTS)}")
    parser.add_argument("--reporters", type=int, default=50, help="(a) concurrent reporters")
    parser.add_argument("--rounds", type=int, default=3, help="(a) rounds of --reporters new reporters")
    parser.add_argument("--reports", type=int, default=100_000, help="(c) reports in the database")
    parser.add_argument("--data", type=Path, help="(c) data folder of the seeded database (default /tmp/wbs-bench-N)")
    parser.add_argument("--database-url", default="",
                        help="(c) run the case list on this PostgreSQL database (the seeded rows are copied into it)")
    parser.add_argument("--cold", action="store_true",
                        help="(c) empty the operating system's file cache before the server starts (root, Linux)")
    parser.add_argument("--settle", type=float, default=3,
                        help="(c) seconds between the server's start and the verifier's first click")
    parser.add_argument("--repeat", type=int, default=7, help="(c) times each click is measured")
    parser.add_argument("--visitors", type=int, default=200, help="(d) idle visitors")
    parser.add_argument("--tracking-seconds", type=float, default=5, help="(b) seconds per variant and round")
    parser.add_argument("--rows-json", type=Path, help=argparse.SUPPRESS)  # a group run by main() in a subprocess
    parsed = parser.parse_args(argv)
    parsed.parts = [part.strip() for part in parsed.parts.split(",") if part.strip()]
    if unknown := set(parsed.parts) - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    return parsed


async def run_parts(server: Server, args: argparse.Namespace, parts: list[str]) -> list[tuple[str, str, str]]:
    from bench import parts_public, parts_staff

    rows: list[tuple[str, str, str]] = []
    for part in parts:
        if part == "submissions":
            rows += await parts_public.submissions(server, args.reporters, args.rounds)
        elif part == "tracking":
            rows += await parts_public.tracking(server, seconds=args.tracking_seconds)
        elif part == "caselist":
            rows += await parts_staff.case_list(
                server, args.reports, args.repeat, cookie=args.cookie, settle=args.settle
            )
        elif part == "idle":
            rows += await parts_staff.idle(server, args.visitors)
    return rows


def on_server(data_dir: Path, args: argparse.Namespace, parts: list[str], *, reports: int = 0) -> list:
    """Prepare `data_dir` (seeding `reports` if asked), run the app on it, measure `parts`."""
    note(f"data folder {data_dir}: migrations and setup ...")
    prepare(data_dir)
    server = Server(data_dir, database_url=args.database_url if reports else "")
    use_data_dir(data_dir, server.port)
    args.cookie = ""
    if reports:
        args.cookie = verifier_cookie()  # the verifier exists before seeding: reports get assigned to staff
        took = seed.seed(data_dir / "wbs.db", reports)
        if took:
            note(f"seeded {reports:,} reports in {took:.0f} s")
        if args.database_url:
            from bench import postgres

            note(f"copying the seeded rows into {args.database_url} ...")
            if took := postgres.copy_into(data_dir / "wbs.db", args.database_url, data_dir):
                note(f"copied in {took:.0f} s")
    if args.cold and reports:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")  # as after a reboot: the database is on disk only
        note("file cache emptied")
    note("starting reflex run --env prod ...")
    server.start()
    try:
        return asyncio.run(run_parts(server, args, parts))
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # a stopped bench stops its server too (finally blocks)
    began = time.monotonic()
    fresh_parts = [part for part in args.parts if part != "caselist"]
    groups = [["caselist"]] if "caselist" in args.parts else []
    groups += [fresh_parts] if fresh_parts else []
    if len(groups) > 1:
        # One process per data folder: the app's database engine is made once per process.
        rows = []
        for group in groups:
            with tempfile.NamedTemporaryFile(suffix=".json") as out:
                given = argv if argv is not None else sys.argv[1:]
                rest = [a for i, a in enumerate(given)
                        if not a.startswith("--parts") and given[i - 1 : i] != ["--parts"]]
                command = [sys.executable, "-m", "bench", *rest, "--parts", ",".join(group), "--rows-json", out.name]
                subprocess.run(command, check=True)
                rows += [tuple(row) for row in json.loads(Path(out.name).read_text())]
    elif groups == [["caselist"]]:
        rows = on_server(args.data or Path(f"/tmp/wbs-bench-{args.reports}"), args, ["caselist"], reports=args.reports)
    else:
        scratch = Path(tempfile.mkdtemp(prefix="wbs-bench-"))
        try:
            rows = on_server(scratch, args, fresh_parts)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    if args.rows_json:
        args.rows_json.write_text(json.dumps(rows))
        return 0
    took = time.monotonic() - began
    print(f"\nWBS benchmark, {time.strftime('%Y-%m-%d %H:%M %Z')}: {machine()}; took {took:.0f} s\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
