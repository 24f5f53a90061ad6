"""A small visitor client for tests and benchmarks (httpx + websockets)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import websockets


class Visitor:
    def __init__(self, base_url: str, conversation_id: str, token: str) -> None:
        self.base_url = base_url
        self.conversation_id = conversation_id
        self.token = token
        self.headers = {"Authorization": f"Bearer {token}"}

    @classmethod
    async def start(
        cls, http: httpx.AsyncClient, base_url: str, widget_key: str = "demo"
    ) -> Visitor:
        resp = await http.post(
            f"{base_url}/api/v1/visitor/conversations", json={"widget_key": widget_key}
        )
        resp.raise_for_status()
        body = resp.json()
        return cls(base_url, body["conversation_id"], body["visitor_token"])

    @property
    def api(self) -> str:
        return f"{self.base_url}/api/v1/conversations/{self.conversation_id}"

    def ws_url(self, after_seq: int = 0, base_url: str | None = None) -> str:
        base = (base_url or self.base_url).replace("http://", "ws://")
        return f"{base}/api/v1/conversations/{self.conversation_id}/ws?token={self.token}&after_seq={after_seq}"

    async def send(
        self, http: httpx.AsyncClient, content: str, client_msg_id: str | None = None
    ) -> dict:
        body: dict[str, Any] = {"content": content}
        if client_msg_id:
            body["client_msg_id"] = client_msg_id
        resp = await http.post(f"{self.api}/messages", json=body, headers=self.headers)
        resp.raise_for_status()
        return resp.json()

    async def messages(self, http: httpx.AsyncClient, after_seq: int = 0) -> list[dict]:
        resp = await http.get(
            f"{self.api}/messages", params={"after_seq": after_seq}, headers=self.headers
        )
        resp.raise_for_status()
        return resp.json()["messages"]

    async def handoff(self, http: httpx.AsyncClient) -> str:
        resp = await http.post(f"{self.api}/handoff", headers=self.headers)
        resp.raise_for_status()
        return resp.json()["status"]


async def next_event(
    ws: websockets.ClientConnection, kind: str | None = "message", wait: float = 30.0
) -> dict:
    """The next event of ``kind`` (any kind when None), skipping others. ``wait`` only guards
    against a hang (a fresh server's first bot turn waits for its warm-up, seconds on a busy
    host): a test that expects nothing passes a short one of its own."""
    async with asyncio.timeout(wait):
        while True:
            event = json.loads(await ws.recv())
            if kind is None or event["type"] == kind:
                return event


async def collect_messages(
    ws: websockets.ClientConnection, count: int, wait: float = 30.0
) -> list[dict]:
    return [(await next_event(ws, "message", wait))["message"] for _ in range(count)]
