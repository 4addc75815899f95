"""A visitor as the browser is one: Reflex's socket.io protocol (engine.io v4, websocket only) on /_event, and its
upload route, spoken directly over aiohttp so that the load client itself stays cheap.

Wire format (reflex/app.py EventNamespace, .templates/web/utils/state.js): the namespace is "/_event"; the
browser sends `42/_event,["event",{"name": <state path>.<handler>, "payload": {...}, "router_data": {...}}]`
and receives `42/_event,["event",{"delta": {...}, "events": [...], "final": bool}]`; the server's engine.io ping
"2" is answered "3". The first event of a tab is `<root state>.hydrate_and_load`, which sends the whole state
and runs the page's on_load handlers.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable

import aiohttp

NAMESPACE = "/_event"
ROOT_STATE = "reflex___state____state"


class Visitor:
    """One browser tab: its token, its websocket, and the state deltas received so far (merged)."""

    def __init__(self, http: aiohttp.ClientSession, base_url: str, *, cookie: str = ""):
        self.http = http
        self.base_url = base_url
        self.cookie = cookie
        self.token = str(uuid.uuid4())
        self.state: dict[str, dict] = {}
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task | None = None
        self._changed = asyncio.Condition()
        self.updates = 0

    def _headers(self) -> dict[str, str]:
        headers = {"Origin": self.base_url}
        if self.cookie:
            headers["Cookie"] = self.cookie
        return headers

    async def connect(self, path: str) -> None:
        """Open the socket, join the namespace and hydrate the tab on `path` (its on_load handlers run)."""
        url = self.base_url.replace("http", "ws", 1) + f"{NAMESPACE}/?EIO=4&transport=websocket&token={self.token}"
        self.ws = await self.http.ws_connect(url, headers=self._headers(), max_msg_size=0, autoping=True,
                                           timeout=aiohttp.ClientWSTimeout(ws_close=2))
        opened = await self.ws.receive_str()
        if not opened.startswith("0"):
            raise ConnectionError(f"no engine.io open packet: {opened[:80]}")
        await self.ws.send_str(f"40{NAMESPACE},")
        while not (await self.ws.receive_str()).startswith(f"40{NAMESPACE}"):
            pass
        self._reader = asyncio.create_task(self._read())
        await self.send(f"{ROOT_STATE}.hydrate_and_load", {}, path=path)

    async def _read(self) -> None:
        assert self.ws is not None
        prefix = f"42{NAMESPACE},"
        async for message in self.ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            data = message.data
            if data == "2":
                await self.ws.send_str("3")
            elif data.startswith(prefix):
                name, *args = json.loads(data[len(prefix) :])
                if name == "event" and args:
                    self._merge(args[0].get("delta") or {})
        async with self._changed:
            self._changed.notify_all()

    def _merge(self, delta: dict) -> None:
        for state_name, values in delta.items():
            self.state.setdefault(state_name, {}).update(values)
        self.updates += 1
        asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def send(self, handler: str, payload: dict, *, path: str = "/") -> None:
        assert self.ws is not None
        event = {"name": handler, "payload": payload, "router_data": {"pathname": path, "asPath": path}}
        await self.ws.send_str(f"42{NAMESPACE}," + json.dumps(["event", event]))

    def var(self, state: str, name: str, default=None):
        """A var of a state (its full name), as the tab holds it now; computed vars end in `_rx_state_`."""
        values = self.state.get(state, {})
        for key in (f"{name}_rx_state_", name):
            if key in values:
                return values[key]
        return default

    def forget(self, state: str, name: str) -> None:
        """Drop a var from the tab's copy, so that waiting for a value waits for a delta that sets it."""
        for key in (f"{name}_rx_state_", name):
            self.state.get(state, {}).pop(key, None)

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 120) -> None:
        """Until `condition()` holds on the received state, or TimeoutError."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0 or (self._reader is not None and self._reader.done()):
                    raise TimeoutError("the expected state never arrived")
                try:
                    await asyncio.wait_for(self._changed.wait(), left)
                except TimeoutError:
                    continue

    async def upload(self, handler: str, files: list[tuple[str, bytes, str]]) -> int:
        """Reflex's upload route, as the browser's uploadFiles sends it; returns the HTTP status."""
        form = aiohttp.FormData()
        for name, data, content_type in files:
            form.add_field("files", data, filename=name, content_type=content_type)
        headers = {**self._headers(), "Reflex-Client-Token": self.token, "Reflex-Event-Handler": handler}
        async with self.http.post(self.base_url + "/_upload", data=form, headers=headers) as response:
            await response.read()
            return response.status

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
