"""Every setting of WBS, read from the environment, with its default.

Read through get_settings(); tests that change the environment call get_settings.cache_clear().
"""

from __future__ import annotations

import dataclasses
import functools
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    return int(value) if value else default


@dataclasses.dataclass(frozen=True)
class RateLimit:
    """Attempts counted in a sliding window of `window_seconds`.

    Only `per_client` refuses (one address, an IPv6 /64). The *_slow_after thresholds never refuse: beyond
    them each further attempt waits a little longer, so nobody can lock other people out.
    """

    window_seconds: int
    per_client: int | None = None  # refused beyond this many from one client; None: never refused
    per_client_slow_after: int | None = None  # one client: slowed down beyond this many
    per_target_slow_after: int | None = None  # one target (a report number): slowed down beyond this many
    all_clients_slow_after: int | None = None  # everybody together: slowed down beyond this many


def _rate_limit(
    prefix: str,
    window_seconds: int,
    *,
    per_client: int | None = None,
    per_client_slow_after: int | None = None,
    per_report_slow_after: int | None = None,
    all_clients_slow_after: int | None = None,
) -> RateLimit:
    """A limit read from PREFIX_WINDOW_SECONDS and, for each number it has, PREFIX_PER_CLIENT,
    PREFIX_PER_CLIENT_SLOW_AFTER, PREFIX_PER_REPORT_SLOW_AFTER and PREFIX_ALL_CLIENTS_SLOW_AFTER."""

    def read(suffix: str, default: int | None) -> int | None:
        return None if default is None else _env_int(f"{prefix}_{suffix}", default)

    return RateLimit(
        window_seconds=_env_int(f"{prefix}_WINDOW_SECONDS", window_seconds),
        per_client=read("PER_CLIENT", per_client),
        per_client_slow_after=read("PER_CLIENT_SLOW_AFTER", per_client_slow_after),
        per_target_slow_after=read("PER_REPORT_SLOW_AFTER", per_report_slow_after),
        all_clients_slow_after=read("ALL_CLIENTS_SLOW_AFTER", all_clients_slow_after),
    )


@dataclasses.dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    redis_url: str
    base_url: str
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str
    smtp_from: str
    smtp_starttls: bool
    org_name: str
    org_address: str
    org_email: str
    org_phone: str
    session_idle_minutes: int
    session_absolute_hours: int
    activation_hours: int
    password_reset_minutes: int
    login_max_failures: int
    login_lock_seconds: int
    max_file_mb: int
    max_report_mb: int
    allowed_extensions: tuple[str, ...]
    timezone: str
    download_link_minutes: int
    access_grant_idle_minutes: int
    draft_hours: int
    max_draft_mb_per_client: int
    max_draft_area_mb: int
    trusted_proxy_hops: int
    login_failure_window_minutes: int
    login_max_lock_minutes: int
    password_reset_emails_per_account: int
    password_reset_emails_window_minutes: int
    two_factor_login_minutes: int
    refusal_audit_seconds: int
    master_key_file: Path
    public_statistics_cache_minutes: int
    protection_case_days: int
    staff_notice_seconds: int
    # The limits of services/ratelimit, one per public form.
    tracking_limit: RateLimit
    upload_limit: RateLimit
    login_limit: RateLimit
    access_limit: RateLimit
    activation_resend_limit: RateLimit
    password_reset_request_limit: RateLimit
    registration_limit: RateLimit
    public_statistics_limit: RateLimit
    receipt_check_limit: RateLimit

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def evidence_dir(self) -> Path:
        """Permanent evidence store: random file names, outside every folder the web server publishes."""
        return self.data_dir / "evidence"

    @property
    def upload_temp_dir(self) -> Path:
        """Files of reports still being written; moved to evidence_dir only when the report is committed."""
        return self.data_dir / "upload-tmp"

    @property
    def secret_key_file(self) -> Path:
        return self.data_dir / "secret.key"

    @property
    def is_production_origin(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    data_dir = Path(_env("WBS_DATA_DIR", str(PROJECT_ROOT / "data"))).resolve()
    max_report_mb = _env_int("WBS_MAX_REPORT_MB", 100)
    return Settings(
        data_dir=data_dir,
        database_url=_env("WBS_DATABASE_URL", f"sqlite:///{data_dir / 'wbs.db'}"),
        redis_url=_env("REDIS_URL"),
        base_url=_env("WBS_BASE_URL", "http://localhost:3000").rstrip("/"),
        smtp_host=_env("WBS_SMTP_HOST"),
        smtp_port=_env_int("WBS_SMTP_PORT", 587),
        smtp_user=_env("WBS_SMTP_USER"),
        smtp_password=os.environ.get("WBS_SMTP_PASSWORD", ""),
        smtp_from=_env("WBS_SMTP_FROM", "WBS <no-reply@wbs.localhost>"),
        smtp_starttls=_env_bool("WBS_SMTP_STARTTLS", True),
        # Only the defaults of the institution profile an administrator edits (services/institution).
        org_name=_env("WBS_ORG_NAME", "Inspektorat"),
        org_address=_env("WBS_ORG_ADDRESS"),
        org_email=_env("WBS_ORG_EMAIL", ""),
        org_phone=_env("WBS_ORG_PHONE", ""),
        session_idle_minutes=_env_int("WBS_SESSION_IDLE_MINUTES", 60),
        session_absolute_hours=_env_int("WBS_SESSION_ABSOLUTE_HOURS", 12),
        activation_hours=_env_int("WBS_ACTIVATION_HOURS", 24),
        password_reset_minutes=_env_int("WBS_PASSWORD_RESET_MINUTES", 60),
        login_max_failures=_env_int("WBS_LOGIN_MAX_FAILURES", 5),
        login_lock_seconds=_env_int("WBS_LOGIN_LOCK_SECONDS", 60),
        max_file_mb=_env_int("WBS_MAX_FILE_MB", 20),
        max_report_mb=max_report_mb,
        allowed_extensions=tuple(
            ext.strip().lower().lstrip(".")
            for ext in _env("WBS_ALLOWED_EXTENSIONS", "jpg,jpeg,png,pdf,docx,xlsx,rar,zip,mp3,mp4").split(",")
            if ext.strip()
        ),
        timezone=_env("WBS_TIMEZONE", "Asia/Jakarta"),
        download_link_minutes=_env_int("WBS_DOWNLOAD_LINK_MINUTES", 30),
        access_grant_idle_minutes=_env_int("WBS_ACCESS_GRANT_IDLE_MINUTES", 15),
        draft_hours=_env_int("WBS_DRAFT_HOURS", 24),
        # Per client (an IPv6 /64): what one visitor's unsent drafts may hold, by default two full reports.
        max_draft_mb_per_client=_env_int("WBS_MAX_DRAFT_MB_PER_CLIENT", 2 * max_report_mb),
        # All drafts together: a disk-safety net, far above what one client may hold.
        max_draft_area_mb=_env_int("WBS_MAX_DRAFT_AREA_MB", 5000),
        trusted_proxy_hops=_env_int("WBS_TRUSTED_PROXY_HOPS", 0),
        login_failure_window_minutes=_env_int("WBS_LOGIN_FAILURE_WINDOW_MINUTES", 24 * 60),
        login_max_lock_minutes=_env_int("WBS_LOGIN_MAX_LOCK_MINUTES", 60),
        password_reset_emails_per_account=_env_int("WBS_PASSWORD_RESET_EMAILS_PER_ACCOUNT", 3),
        password_reset_emails_window_minutes=_env_int("WBS_PASSWORD_RESET_EMAILS_WINDOW_MINUTES", 60),
        two_factor_login_minutes=_env_int("WBS_TWO_FACTOR_LOGIN_MINUTES", 5),
        # Refused staff calls of one client, account and handler within this long make one audit row.
        refusal_audit_seconds=_env_int("WBS_REFUSAL_AUDIT_SECONDS", 60),
        # Keep it on another volume or in a secret store: a copy of the database without it reads as noise.
        master_key_file=Path(_env("WBS_MASTER_KEY_FILE", str(data_dir / "keys" / "master.key"))).resolve(),
        # /statistik is computed at most once per this many minutes per app process.
        public_statistics_cache_minutes=_env_int("WBS_PUBLIC_STATISTICS_CACHE_MINUTES", 10),
        # A reporter's "yes, I suffered retaliation" opens a protection case due within this many days.
        protection_case_days=_env_int("WBS_PROTECTION_CASE_DAYS", 7),
        # News for one staff member within this long (from the first) goes out as one email.
        staff_notice_seconds=max(1, _env_int("WBS_STAFF_NOTICE_SECONDS", 60)),
        tracking_limit=_rate_limit("WBS_TRACKING_LOOKUPS", 60, per_client=20, all_clients_slow_after=600),
        upload_limit=_rate_limit("WBS_UPLOAD_BATCHES", 3600, per_client=60, all_clients_slow_after=2000),
        # Only failures count, and they only slow down: one office behind one address must not lock itself
        # out. The per-account lock (WBS_LOGIN_MAX_FAILURES) is the guard against guessing.
        login_limit=_rate_limit("WBS_LOGIN_ATTEMPTS", 600, per_client_slow_after=30),
        # Per report number: a guess spread over many addresses slows down, the owner is never refused.
        access_limit=_rate_limit(
            "WBS_ACCESS_ATTEMPTS", 600, per_client=10, per_report_slow_after=5, all_clients_slow_after=300
        ),
        activation_resend_limit=_rate_limit("WBS_ACTIVATION_RESENDS", 600, per_client=5, all_clients_slow_after=200),
        password_reset_request_limit=_rate_limit(
            "WBS_PASSWORD_RESET_REQUESTS", 600, per_client=5, all_clients_slow_after=200
        ),
        # Per browser address only: registrations are rare, and each sends an email.
        registration_limit=_rate_limit("WBS_REGISTRATIONS", 3600, per_client=10),
        # Public statistics (cached) and receipt checks: per browser address, slowed down when everybody is busy.
        public_statistics_limit=_rate_limit("WBS_PUBLIC_STATISTICS", 60, per_client=30, all_clients_slow_after=3000),
        receipt_check_limit=_rate_limit("WBS_RECEIPT_CHECKS", 600, per_client=20, all_clients_slow_after=600),
    )
