"""Browser tests: the production build under reflex.testing.AppHarnessProd, driven by Playwright in Debian's chromium.

A real SMTP server (aiosmtpd) on 127.0.0.1 receives the app's emails.
"""

from __future__ import annotations

import contextlib
import contextvars
import email
import email.policy
import os
import re
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import ROOT, migrate

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Mailbox:
    """Collects what the SMTP server receives."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def wait_for(self, to: str, timeout: float = 15) -> email.message.EmailMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for message in reversed(self.messages):
                    if message["To"] == to:
                        return message
            time.sleep(0.1)
        raise AssertionError(f"no email to {to} arrived")

    def count_to(self, to: str) -> int:
        with self._lock:
            return sum(1 for m in self.messages if m["To"] == to)


def activation_link(message: email.message.EmailMessage) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"Aktifkan Akun: (\S+)", text)
    assert match, text
    return match.group(1)


def password_reset_link(message: email.message.EmailMessage) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"Atur Password: (\S+)", text)
    assert match, text
    return match.group(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def mailbox():
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    os.environ["WBS_SMTP_HOST"] = "127.0.0.1"
    os.environ["WBS_SMTP_PORT"] = str(port)
    os.environ["WBS_SMTP_STARTTLS"] = "false"
    yield box
    controller.stop()
    for name in ("WBS_SMTP_HOST", "WBS_SMTP_PORT", "WBS_SMTP_STARTTLS"):
        os.environ.pop(name, None)


def _harness_class(port: int):
    """One server, one port and one event loop for pages, websocket, uploads and WBS's own routes, as `reflex run
    --env prod` serves them. The port is known beforehand, so WBS_BASE_URL, and with it the one allowed origin, is
    right when the app starts; the pages are built to talk to it. The compiled pages are served behind the same
    PagePaths and SecurityHeaders layers the app itself has (its api_transformer)."""
    from reflex.testing import AppHarnessProd, _get_uvicorn
    from reflex.utils.exec import _frontend_prod_app
    from reflex_base.environment import environment

    from wbs_app.page_paths import PagePaths
    from wbs_app.security_headers import SecurityHeaders

    class Harness(AppHarnessProd):
        def _start_backend(self):
            environment.REFLEX_SKIP_COMPILE.set(True)
            uvicorn = _get_uvicorn()
            pages = _CompiledPages(self.app_path, _frontend_prod_app, lambda app: SecurityHeaders(PagePaths(app)))
            one_port = _OnePort(app=self.app_asgi, pages=pages)
            self.backend = uvicorn.Server(uvicorn.Config(app=one_port, host="127.0.0.1", port=port))
            self.backend.shutdown = self._get_backend_shutdown_handler()
            context = contextvars.copy_context()
            self.backend_thread = threading.Thread(target=lambda: context.run(self.backend.run))
            self.backend_thread.start()

        def _run_frontend(self):
            self.frontend_server = self.backend  # the same server: nothing more to start

    return Harness


class _CompiledPages:
    """The compiled pages, opened at the first request (they are built after the server starts)."""

    def __init__(self, app_path, make_app, wrap):
        self._app_path, self._make_app, self._wrap, self._app = app_path, make_app, wrap, None

    async def __call__(self, scope, receive, send):
        if self._app is None:
            with contextlib.chdir(self._app_path):
                self._app = self._wrap(self._make_app())
        await self._app(scope, receive, send)


class _OnePort:
    """The app for its lifespan, its own routes and its websocket; the compiled pages for everything else."""

    APP_PATHS = ("/_event", "/_upload", "/_wbs/", "/ping", "/_health", "/api/")

    def __init__(self, *, app, pages):
        self.app, self.pages = app, pages

    async def __call__(self, scope, receive, send):
        to_app = scope["type"] != "http" or scope.get("path", "").startswith(self.APP_PATHS)
        await (self.app if to_app else self.pages)(scope, receive, send)


# The two passes of the browser tests: the embedded deployment (SQLite, in-process state, one worker, the app in
# this process) and the scale-out one (PostgreSQL + Redis + 2 workers, tests/e2e/scaleout.py). Every browser test
# runs in the first; those marked `scaleout` (every limiter, login, upload, submission and case-workflow path) run
# in the second too, unless marked `embedded_only` (they change the app's code or clock in this process).
# WBS_E2E_SCALEOUT=0 leaves the second pass out.
PASSES = ("embedded", "scaleout")
_built_for_port: int | None = None  # the port the compiled pages talk to, once the first pass built them


def pytest_generate_tests(metafunc):
    if "app_harness" not in metafunc.fixturenames:
        return
    second = (
        metafunc.definition.get_closest_marker("scaleout") is not None
        and metafunc.definition.get_closest_marker("embedded_only") is None
        and os.environ.get("WBS_E2E_SCALEOUT", "1") != "0"
    )
    metafunc.parametrize("app_harness", PASSES if second else PASSES[:1], indirect=True, scope="session")


def pytest_configure(config):
    config.addinivalue_line("markers", "scaleout: also run against PostgreSQL + Redis + 2 workers (second pass)")
    config.addinivalue_line("markers", "embedded_only: needs the app in the test process (changes its code or clock)")


def _test_settings(port: int) -> None:
    # Small limits keep the "file too large" test quick; the real defaults are 20 MB and 100 MB.
    os.environ["WBS_MAX_FILE_MB"] = "2"
    os.environ["WBS_MAX_REPORT_MB"] = "10"
    # Refused staff calls become an audit row when their window ends: a second here, not a minute.
    os.environ["WBS_REFUSAL_AUDIT_SECONDS"] = "1"
    # News for one staff member within this long becomes one email: 3 s here, not a minute.
    os.environ["WBS_STAFF_NOTICE_SECONDS"] = "3"
    # Email links and the one allowed Origin must be the server under test.
    os.environ["WBS_BASE_URL"] = f"http://127.0.0.1:{port}"


def _use_database(url: str, redis_url: str = "") -> None:
    """Point this process (app_db(), the limiters' reset) at the database and Redis of the server under test."""
    from reflex_base.config import get_config

    from wbs_app.settings import get_settings

    os.environ["WBS_DATABASE_URL"] = url
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
    else:
        os.environ.pop("REDIS_URL", None)
    get_settings.cache_clear()
    get_config().db_url = url


@pytest.fixture(scope="session")
def app_harness(request, mailbox):
    if request.param == "scaleout":
        yield from _scaleout_pass()
        return
    with _embedded(_built_for_port or free_port()) as harness:
        yield harness


@contextlib.contextmanager
def _embedded(frontend_port: int):
    """The first pass's server: builds the pages for `frontend_port` and serves them with the app in this process."""
    from wbs_app.db import open_session
    from wbs_app.services import reference
    from wbs_app.settings import get_settings

    global _built_for_port
    _test_settings(frontend_port)
    get_settings.cache_clear()
    migrate(os.environ["WBS_DATABASE_URL"])
    with _harness_class(frontend_port).create(root=ROOT) as harness:
        _built_for_port = frontend_port
        assert harness.frontend_url.rstrip("/") == os.environ["WBS_BASE_URL"]
        with open_session() as db:
            reference.seed_reference_data(session=db)
        yield harness


def _scaleout_pass():
    from tests.e2e import scaleout
    from wbs_app.db import open_session
    from wbs_app.services import reference

    if reason := scaleout.unavailable():
        reason = f"second browser pass (PostgreSQL + Redis + {scaleout.WORKERS} workers) skipped: {reason}"
        print(reason)
        pytest.skip(reason)
    if _built_for_port is None:  # the first pass did not run: build the pages for a port of our own
        with _embedded(free_port()):
            pass
    _test_settings(_built_for_port)
    embedded_url = os.environ["WBS_DATABASE_URL"]
    server = scaleout.ScaleOutServer(_built_for_port)
    try:
        server.start()
        print(f"scale-out server: {server.workers()} workers, ready in {server.started_in:.1f} s")
        _use_database(server.database_url, scaleout.REDIS_URL)
        with open_session() as db:
            reference.seed_reference_data(session=db)
        yield server
    finally:
        server.stop()
        _use_database(embedded_url)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(params=[{"width": 1280, "height": 900}], ids=["desktop"])
def viewport(request):
    return request.param


@pytest.fixture
def page(browser, app_harness, viewport, request):
    """A fresh browser context per test; records every request it makes."""
    from wbs_app.services import ratelimit

    # Every test's browser comes from 127.0.0.1: a new visitor, not the sum of all earlier tests' attempts.
    for limiter in ratelimit.all_limiters():
        limiter.reset()
    context = browser.new_context(viewport=viewport, base_url=app_harness.frontend_url.rstrip("/"))
    context.set_default_timeout(15_000)
    new_page = context.new_page()
    new_page.requested_urls = []
    new_page.on("request", lambda req: new_page.requested_urls.append(req.url))
    yield new_page
    failed = request.node.rep_call.failed if hasattr(request.node, "rep_call") else False
    if failed:
        artifacts = ROOT / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        new_page.screenshot(path=str(artifacts / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def open_page(page, path: str) -> None:
    """Navigate and wait until the app has connected and run the page's on_load."""
    page.goto(path)
    page.wait_for_selector('main[data-ready="true"]')


def expect_path(page, path: str, prefix: bool = False) -> None:
    """Wait until the address bar shows `path` (client-side navigations fire no load event)."""
    from playwright.sync_api import expect

    pattern = re.escape(path) + ".+" if prefix else re.escape(path.rstrip("/")) + "/?$"
    expect(page).to_have_url(re.compile(r"^https?://[^/]+" + pattern), timeout=20_000)


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob") or parsed.hostname in ("127.0.0.1", "localhost", "::1")


def app_db():
    from wbs_app.db import open_session

    return open_session()


__all__ = ["Path", "activation_link", "app_db", "expect_path", "is_local", "open_page", "password_reset_link"]
