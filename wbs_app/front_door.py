"""Public tracking (`GET /api/lacak/<nomor>`) answered in front of Reflex's own ASGI stack.

Portals and SP4N-LAPOR! integrations poll this route. Behind Reflex's top Starlette app (its error, CORS and
context middleware and its mount, which Reflex 0.10 puts in front of every `api_transformer`) each lookup cost
about twice the time of the same route alone (bench/, README "Performance"). So WbsApp (wbs_app.py) wraps
what Reflex builds in this door: tracking gets the same handler (api.track) behind the same SecurityHeaders;
everything else (pages, websocket, uploads, the other routes, lifespan) goes to Reflex as before.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Route

from wbs_app import api
from wbs_app.security_headers import ASGIApp, Message, Receive, SecurityHeaders, Send


class FrontDoor:
    def __init__(self, reflex_app: ASGIApp):
        self.reflex_app = reflex_app
        self.tracking = SecurityHeaders(Starlette(routes=[Route(api.TRACKING + "{nomor}", api.track, methods=["GET"])]))

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path", "").startswith(api.TRACKING):
            await self.tracking(scope, receive, send)
        else:
            await self.reflex_app(scope, receive, send)
