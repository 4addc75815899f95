"""Public tracking is answered in front of Reflex's stack, with the security headers; the rest goes to Reflex."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.unit.test_tracking_api import report  # noqa: F401 (a fixture: one report, the lookup on its database)
from wbs_app.front_door import FrontDoor


async def reflex_stand_in(scope, receive, send):
    """What Reflex's app would answer: a marker, so the test sees who answered."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"x-answered-by", b"reflex")]})
    await send({"type": "http.response.body", "body": b"reflex"})


def test_tracking_is_answered_by_the_door_with_security_headers(report):  # noqa: F811 (the fixture imported above)
    with TestClient(FrontDoor(reflex_stand_in), base_url="http://127.0.0.1:3000") as client:
        answer = client.get(f"/api/lacak/{report}")
        assert answer.status_code == 200 and "x-answered-by" not in answer.headers
        assert answer.json()["nomor_registrasi"] == report
        assert client.get("/api/lacak/WBS-0000000000").status_code == 404
        assert answer.headers["content-security-policy"].startswith("default-src 'self'")
        assert answer.headers["cache-control"] == "no-store"
        # Other sites' pages may read it (a portal's widget), without credentials.
        assert (
            client.get("/api/lacak/x", headers={"Origin": "https://portal.example"}).headers[
                "access-control-allow-origin"
            ]
            == "*"
        )
        assert client.post("/api/lacak/WBS-0000000000").status_code == 405


def test_everything_else_goes_to_reflex():
    with TestClient(FrontDoor(reflex_stand_in)) as client:  # the lifespan passes through too
        for path in ["/", "/lacak", "/api/lacakx", "/_event", "/_upload", "/_wbs/logo/x.png"]:
            assert client.get(path).headers["x-answered-by"] == "reflex"
