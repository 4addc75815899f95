"""The browser tests' second pass: the app as a scale-out deployment runs it.

PostgreSQL (a scratch database of its own) + Redis + 2 backend worker processes, started as `reflex run --env prod`
starts its backend: `reflex.utils.exec.run_backend_prod` (granian, GRANIAN_WORKERS=2, the compiled pages mounted on
the same port), in a subprocess. The pages are the ones the first pass built: they were built for the same port, so
the server takes that port over when the first pass's server has stopped (a new build would cost a minute or two).

The tests keep reading the database (app_db()) and receiving mail as in the first pass: this process switches its
database URL and REDIS_URL to the server's, so `limiter.reset()` clears the counts the workers share in Redis.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from tests.conftest import POSTGRES_URL, REDIS_URL, ROOT, migrate, redis_reason

WORKERS = 2

# What `reflex run --env prod` runs once the pages are built (reflex/reflex.py _run_prod): it marks the compile as
# done (the variable is `__REFLEX_SKIP_COMPILE`, an internal one), then exec.run_backend_prod. Without the mark every
# worker compiles the pages again at its start, two at once in the same .web folder (one deletes what the other is
# deleting: a worker dies with FileNotFoundError).
LAUNCH = """
import sys
from reflex.utils import exec
from reflex_base.constants import LogLevel
from reflex_base.environment import environment
environment.REFLEX_SKIP_COMPILE.set(True)
exec.run_backend_prod("127.0.0.1", int(sys.argv[1]), LogLevel.WARNING, True)
"""


def unavailable() -> str:
    """Why the pass cannot run here ("" when it can): PostgreSQL or Redis absent."""
    import sqlalchemy as sa

    engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
    except sa.exc.OperationalError as error:
        return f"PostgreSQL at {POSTGRES_URL} not reachable ({str(error.orig).strip().splitlines()[0]})"
    finally:
        engine.dispose()
    return redis_reason()


class ScaleOutServer:
    """Serves at `frontend_url` with the app's workers in a subprocess; `stop()` ends it and drops its database."""

    def __init__(self, port: int):
        import sqlalchemy as sa

        self.port = port
        self.frontend_url = f"http://127.0.0.1:{port}/"
        self.database = f"wbs_e2e_{uuid.uuid4().hex[:12]}"
        self._admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with self._admin.connect() as connection:
            connection.execute(sa.text(f'create database "{self.database}"'))
        self.database_url = sa.make_url(POSTGRES_URL).set(database=self.database).render_as_string(hide_password=False)
        self._process: subprocess.Popen | None = None
        self._log = Path(os.environ["WBS_DATA_DIR"]).parent / f"scaleout-{port}.log"
        self.started_in = 0.0

    def start(self) -> None:
        started = time.monotonic()
        migrate(self.database_url)  # as `reflex db migrate` does
        env = {
            **os.environ,
            "WBS_DATABASE_URL": self.database_url,
            "REDIS_URL": REDIS_URL,
            "REFLEX_USE_GRANIAN": "true",
            "GRANIAN_WORKERS": str(WORKERS),
            "REFLEX_FRONTEND_PORT": str(self.port),
            "REFLEX_BACKEND_PORT": str(self.port),
            "REFLEX_CHECK_LATEST_VERSION": "false",
        }
        with self._log.open("wb") as log:
            self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and launcher
                [sys.executable, "-c", LAUNCH, str(self.port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its workers in its own process group, stopped together
            )
        pages = ROOT / ".web" / "app" / "routes"
        built = pages.stat().st_mtime_ns
        self._wait_until_serving()
        # As under `reflex run --env prod`: the workers serve the pages the build left, they never compile them.
        assert pages.stat().st_mtime_ns == built, "a worker compiled the pages again (see LAUNCH)"
        self.started_in = time.monotonic() - started

    def _wait_until_serving(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the scale-out server exited:\n{self.log_tail()}")
            try:
                if httpx.get(self.frontend_url + "ping", timeout=2).status_code == 200 and self.workers() >= WORKERS:
                    if httpx.get(self.frontend_url, timeout=5).status_code == 200:
                        return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the scale-out server did not answer within {timeout} s:\n{self.log_tail()}")

    def workers(self) -> int:
        """Worker processes under the server (granian's children)."""
        found = 0
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if f"\nPPid:\t{self._process.pid}\n" in text:
                found += 1
        return found

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self._log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        import sqlalchemy as sa

        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)  # the server started above and its own workers
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()
        with self._admin.connect() as connection:
            connection.execute(sa.text(f'drop database if exists "{self.database}" with (force)'))
        self._admin.dispose()
