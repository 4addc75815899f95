"""Every page answers at its own path with 200, not with a redirect.

The production build holds each pre-rendered page as `<route>/index.html`, served by Starlette's StaticFiles,
which answers `/masuk` with `307 → /masuk/`: a round trip more before anything shows, on every link from
outside and every reload. This layer hands a GET or HEAD for `/masuk` on as `/masuk/` when the build has that
page, so the page itself is the answer and the address stays as it was. Every other request passes unchanged:
dynamic routes (/laporan/WBS-…, /aktivasi/<token>, …) keep Reflex's fallback page with 200, unknown paths
their 404, and the app's own routes are never pages.

One layer for both ways the pages are served on one port: `reflex run --env prod` (in the app's api_transformer,
wbs_app/wbs_app.py) and the browser tests' server (tests/e2e/conftest.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from wbs_app.security_headers import ASGIApp, Message, Receive, Send, built_pages_dir

# A path made of plain segments only: no dots, so nothing outside the build folder and no file names.
_PAGE_PATH = re.compile(r"(?:/[A-Za-z0-9_-]+)+")
# The app's own routes (GET /api/lacak/…, /_wbs/…, /_event, /_upload) are never pages: no stat for them.
_APP_ROUTES = ("/api/", "/_")


class PagePaths:
    def __init__(self, app: ASGIApp, *, pages_dir: Callable[[], Path] = built_pages_dir):
        self.app = app
        self.pages_dir = pages_dir

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
            path = scope.get("path", "")
            # One stat() of a file that is there or not: no cache to go stale when the pages are rebuilt.
            if (
                not path.startswith(_APP_ROUTES)
                and _PAGE_PATH.fullmatch(path)
                and (self.pages_dir() / path[1:] / "index.html").is_file()
            ):
                scope = {**scope, "path": path + "/", "raw_path": path.encode() + b"/"}
        await self.app(scope, receive, send)
