"""The app under test: a data folder prepared as scripts/run prepares one (migrations, setup), a verifier with an
open login, and `reflex run --env prod` started in a subprocess on it, measured with psutil."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
VERIFIER = "bench-verifikator"
ADMIN_PASSWORD = "Wq7-" + secrets.token_urlsafe(18)  # never used to log in: the bench makes its own login
# The limits guard a real deployment against one client; every bench client shares 127.0.0.1, so they are lifted
# for the bench server only (what is measured is the work, not the refusal).
LIFTED_LIMITS = {
    f"WBS_{name}_{suffix}": "1000000000"
    for name in ("TRACKING_LOOKUPS", "UPLOAD_BATCHES", "PUBLIC_STATISTICS", "ACCESS_ATTEMPTS")
    for suffix in ("PER_CLIENT", "ALL_CLIENTS_SLOW_AFTER", "PER_REPORT_SLOW_AFTER")
} | {"WBS_MAX_DRAFT_MB_PER_CLIENT": "100000", "WBS_MAX_DRAFT_AREA_MB": "100000"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_env(data_dir: Path, port: int, database_url: str = "") -> dict[str, str]:
    """The environment of every command run on the bench's data folder (its SQLite database unless another
    `database_url` is given)."""
    return {
        **os.environ,
        **LIFTED_LIMITS,
        "WBS_DATA_DIR": str(data_dir),
        "WBS_DATABASE_URL": database_url or f"sqlite:///{data_dir / 'wbs.db'}",
        "WBS_MASTER_KEY_FILE": str(data_dir / "keys" / "master.key"),
        "WBS_BASE_URL": f"http://localhost:{port}",
        "WBS_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "PYTHONUNBUFFERED": "1",
    }


def use_data_dir(data_dir: Path, port: int) -> None:
    """Point this process's wbs_app (the seeder, the checks) at the bench's data folder."""
    os.environ.update({k: v for k, v in app_env(data_dir, port).items() if k.startswith(("WBS_", "REFLEX_"))})
    from wbs_app.settings import get_settings

    get_settings.cache_clear()


def prepare(data_dir: Path) -> None:
    """Migrate and set up a data folder (idempotent, as scripts/run does)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    env = app_env(data_dir, 0)
    subprocess.run([str(VENV_BIN / "reflex"), "db", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([str(VENV_BIN / "python"), "-m", "wbs_app.cli", "setup"], cwd=ROOT, env=env, check=True,
                   capture_output=True)


def verifier_cookie() -> str:
    """A verifier account (made once) and a fresh login of it, as the cookie its browser would carry."""
    from sqlmodel import select

    from wbs_app.db import open_session
    from wbs_app.models import Role, User
    from wbs_app.services import sessions, users

    with open_session() as db:
        user = db.exec(select(User).where(User.username == VERIFIER)).first()
        if user is None:
            user = users.create_staff_user(
                session=db, username=VERIFIER, email="bench@inspektorat.go.id", full_name="Verifikator Bench",
                role=Role.VERIFIER, password=secrets.token_urlsafe(16) + "aA1-", via="bench",
            )
        token = sessions.create_session(session=db, user=user, device="bench")
        db.commit()
    return f"{sessions.cookie_name()}={token}"


class Server:
    """`reflex run --env prod` on one port, its output in data_dir/server.log."""

    def __init__(self, data_dir: Path, *, backend_only: bool = False, database_url: str = ""):
        self.data_dir = data_dir
        self.database_url = database_url
        self.port = free_port()
        self.base_url = f"http://localhost:{self.port}"
        self.backend_only = backend_only
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 600) -> None:
        command = [str(VENV_BIN / "reflex"), "run", "--env", "prod", "--loglevel", "warning"]
        if self.backend_only:
            command += ["--backend-only", "--backend-port", str(self.port)]
        else:
            command += ["--single-port", "--frontend-port", str(self.port), "--backend-port", str(self.port)]
        log = (self.data_dir / "server.log").open("ab")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=app_env(self.data_dir, self.port, self.database_url), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: see {self.data_dir / 'server.log'}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.base_url + "/ping", timeout=2).status_code == 200:
                    return
            time.sleep(1)
        raise TimeoutError(f"the server did not answer in {timeout} s: see {self.data_dir / 'server.log'}")

    def processes(self) -> list[psutil.Process]:
        assert self.process is not None
        parent = psutil.Process(self.process.pid)
        return [parent, *parent.children(recursive=True)]

    def cpu_seconds(self) -> float:
        """User + system CPU of the whole server process tree so far."""
        total = 0.0
        for process in self.processes():
            with contextlib.suppress(psutil.Error):
                times = process.cpu_times()
                total += times.user + times.system
        return total

    def rss(self) -> int:
        """Resident bytes of the whole server process tree (the CLI and the worker serving the websocket)."""
        total = 0
        for process in self.processes():
            with contextlib.suppress(psutil.Error):
                total += process.memory_info().rss
        return total

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
