"""Reflex configuration. Every value comes from wbs_app.settings (the environment)."""

import os

import reflex as rx

from wbs_app.datadir import prepare_data_dir
from wbs_app.logs import install_redaction
from wbs_app.settings import get_settings

# No outbound connection: Reflex would otherwise ask PyPI for its latest version (scripts/common.sh sets it too,
# for the commands that run before this file is read).
os.environ.setdefault("REFLEX_CHECK_LATEST_VERSION", "false")
# gunicorn + uvicorn rather than granian unless asked for: 78 KB per idle visitor instead of 200 KB (README
# "Performance"); scale-out deployments may set REFLEX_USE_GRANIAN=true with GRANIAN_WORKERS.
os.environ.setdefault("REFLEX_USE_GRANIAN", "false")
settings = get_settings()
prepare_data_dir()  # files 0600, folders 0700, before anything writes there
install_redaction()  # no token, email address or Kode Akses in any log line

config = rx.Config(
    app_name="wbs_app",
    db_url=settings.database_url,
    redis_url=settings.redis_url or None,
    # Without Redis, state lives in this process only: nothing about a visitor is pickled to disk.
    state_manager_mode="redis" if settings.redis_url else "memory",
    # An unsent report draft lives in the visitor's state: keep it as long as its uploaded files are kept.
    redis_token_expiration=settings.draft_hours * 3600,
    telemetry_enabled=False,
    # Behind a reverse proxy every visitor would share the proxy's address (and its rate limits):
    # trust that many X-Forwarded-For hops, and only then.
    trusted_proxy_hops=settings.trusted_proxy_hops,
    show_built_with_reflex=False,
    # Only the configured origin, in every mode (wbs_app/security_headers.py refuses any other Origin too).
    cors_allowed_origins=[settings.base_url],
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="indigo", gray_color="slate", radius="medium", appearance="light")
        )
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
