"""Bytes a browser transfers to show a page: HTML, scripts, styles, fonts and images, compressed as served.

    .venv/bin/python scripts/page_weight.py                 # WBS's home page beside a blank Reflex app's
    .venv/bin/python scripts/page_weight.py --url URL ...   # pages of a running server

The comparison builds both (production mode, `reflex export --frontend-only`): WBS in this checkout, and the
blank template of the installed Reflex in a temporary folder; serves each build the way `reflex run --env prod`
serves it (Reflex's PrecompressedStaticFiles with the build's .gz sidecars) and opens the page in Chromium
(Playwright). The figure is the sum of the encoded response bodies of every HTTP response the page loads until
the network is idle (the websocket is not counted; without a backend neither page gets past connecting, and
neither loads anything more once connected). For bench/: `measure(url)`, `serve_build(folder)`, `build_wbs()`,
`build_blank_reflex(folder)` and `compare()`.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
BUILD = Path(".web") / "build" / "client"


@dataclasses.dataclass(frozen=True)
class PageWeight:
    url: str
    total: int  # encoded body bytes of every HTTP response
    files: tuple[tuple[str, str, int], ...]  # (path, resource type, bytes)

    def by_type(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for _, kind, size in self.files:
            totals[kind] = totals.get(kind, 0) + size
        return totals


def measure(url: str, *, chromium: str = CHROMIUM) -> PageWeight:
    """Open `url` in a fresh Chromium context (empty cache) and add up what it transferred."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            responses = []
            page.on("response", lambda response: responses.append(response))
            page.goto(url, wait_until="networkidle")
            files = []
            for response in responses:
                if response.request.resource_type in ("websocket", "eventsource"):
                    continue
                response.finished()
                # A repeat of a file already loaded comes from the memory cache (Chromium reports no real size).
                size = max(0, response.request.sizes()["responseBodySize"])
                files.append((urlsplit(response.url).path, response.request.resource_type, size))
        finally:
            browser.close()
    return PageWeight(url=url, total=sum(size for _, _, size in files), files=tuple(files))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve_build(client_dir: Path) -> Iterator[str]:
    """Serve a production build's client folder on 127.0.0.1 as Reflex's production mount does; yields its URL."""
    import uvicorn
    from reflex.utils.precompressed_staticfiles import PrecompressedStaticFiles
    from starlette.applications import Starlette
    from starlette.routing import Mount

    encodings = [
        name
        for name, suffix in (("gzip", ".gz"), ("brotli", ".br"), ("zstd", ".zst"))
        if any(client_dir.rglob("*" + suffix))
    ]
    files = PrecompressedStaticFiles(directory=client_dir, html=True, encodings=encodings)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(Starlette(routes=[Mount("/", app=files)]), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()


def _reflex(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    environment = {
        **os.environ,
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        **(env or {}),
    }
    bun = ROOT / ".tools" / "node_modules" / "bun" / "bin" / "bun"
    if bun.exists():
        environment.setdefault("REFLEX_BUN_PATH", str(bun))
    command = [str(Path(sys.executable).parent / "reflex"), *args]
    subprocess.run(command, cwd=cwd, env=environment, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - no shell


def build_wbs(data_dir: Path) -> Path:
    """A production build of this checkout's pages (its data folder, with an empty database, at `data_dir`)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {"WBS_DATA_DIR": str(data_dir), "WBS_DATABASE_URL": f"sqlite:///{data_dir / 'wbs.db'}"}
    _reflex(["export", "--frontend-only", "--no-zip", "--env", "prod"], ROOT, env)
    return ROOT / BUILD


def build_blank_reflex(folder: Path) -> Path:
    """`reflex init --template blank` in `folder` (an empty folder outside the repository), built for production."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "rxconfig.py").exists():
        _reflex(["init", "--template", "blank", "--name", "blank", "--no-agents"], folder)
    _reflex(["export", "--frontend-only", "--no-zip", "--env", "prod"], folder)
    return folder / BUILD


def compare(path: str = "/") -> tuple[PageWeight, PageWeight]:
    """(WBS, blank Reflex): the page at `path` of each, built and served as in production."""
    with tempfile.TemporaryDirectory(prefix="page-weight-") as scratch:
        blank_build = build_blank_reflex(Path(scratch) / "blank")
        wbs_build = build_wbs(Path(scratch) / "wbs-data")
        with serve_build(wbs_build) as wbs_url:
            wbs = measure(wbs_url + path)
        with serve_build(blank_build) as blank_url:
            blank = measure(blank_url + "/")
    return wbs, blank


def _report(weight: PageWeight, label: str) -> None:
    kinds = ", ".join(f"{kind} {size / 1024:.1f}" for kind, size in sorted(weight.by_type().items()))
    print(f"{label}: {weight.total / 1024:.1f} KiB in {len(weight.files)} responses ({kinds})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", nargs="*", help="measure these pages of a running server instead")
    parser.add_argument("--path", default="/", help="the WBS page to compare (default: the home page)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every response")
    args = parser.parse_args()
    if args.url:
        for url in args.url:
            _report(weight := measure(url), url)
            if args.verbose:
                for path, kind, size in weight.files:
                    print(f"  {size:>9} {kind:<10} {path}")
        return
    wbs, blank = compare(args.path)
    for weight, label in ((wbs, f"WBS {args.path}"), (blank, "blank Reflex /")):
        _report(weight, label)
        if args.verbose:
            for path, kind, size in weight.files:
                print(f"  {size:>9} {kind:<10} {path}")
    print(f"ratio: {wbs.total / blank.total:.2f}")


if __name__ == "__main__":
    main()
