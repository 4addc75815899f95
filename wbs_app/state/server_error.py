"""What a visitor is told when an event handler fails unexpectedly (a bug, the database gone): a notice in the
page's language (components/notices.py) instead of Reflex's toast, "An error occurred. Contact the website
administrator." — which never showed here anyway: a toast sent from the server runs as an evaluated script, and
the Content-Security-Policy forbids that. The details go to the log only, scrubbed like every log line
(wbs_app/logs.py); nothing of them reaches the page."""

from __future__ import annotations

import logging
import traceback

import reflex as rx
from reflex.event import EventSpec

log = logging.getLogger("wbs.errors")


class ServerErrorState(rx.State):
    """Whether this tab is shown that a request of its own failed on the server. Either handler only shows or
    hides that notice in the calling tab, so any browser may call them."""

    failed: bool = False

    @rx.event
    def show(self):
        self.failed = True

    @rx.event
    def dismiss(self):
        self.failed = False


def explain_server_error(exception: Exception) -> EventSpec:
    """Reflex's backend_exception_handler: runs in the failed event's context, so it answers that tab."""
    log.error("an event handler failed\n%s", "".join(traceback.format_exception(exception)).rstrip())
    return ServerErrorState.show()
