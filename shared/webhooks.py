"""Outbound webhooks: a stored outbox, signed deliveries, retries with backoff.

An event (``message.created``, ``conversation.status_changed``, ``conversation.handoff``) is
written to ``webhook_delivery`` for every active webhook of the tenant that asked for it, then
a dispatcher in every process delivers due rows. A row is claimed with a compare-and-set on
``next_attempt_at`` (a lease), so replicas never send the same attempt twice; a receiver that
is down gets the delivery again later, with exponential backoff, until ``max_attempts``.

Each request carries::

    X-Kefu-Event: message.created
    X-Kefu-Delivery: <delivery id>           (the same on every retry: deduplicate on it)
    X-Kefu-Timestamp: <unix seconds>
    X-Kefu-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import random
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import msgspec

from .db.tables import Webhook, WebhookDelivery, json_value
from .errors import KefuError
from .metrics import WEBHOOK_DELIVERIES
from .tasks import cancel_and_wait
from .urls import check_outbound_url, is_public_url, outbound_transport

__all__ = ["EVENTS", "TEST_EVENT", "Webhooks", "WebhookOut", "DeliveryOut", "sign"]

log = logging.getLogger("kefu.webhooks")

EVENTS = ("message.created", "conversation.status_changed", "conversation.handoff")
#: Sent only on an owner's request ("send a test event"), to the one webhook named.
TEST_EVENT = "webhook.test"


class WebhookOut(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    url: str
    events: list[str]
    active: bool
    created_at: datetime


class DeliveryOut(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    webhook_id: str
    event: str
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str
    created_at: datetime
    delivered_at: datetime | None = None


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _webhook_out(row: dict) -> WebhookOut:
    return WebhookOut(
        id=str(row["id"]),
        url=row["url"],
        events=list(json_value(row["events"], [])),  # type: ignore[arg-type]
        active=row["active"],
        created_at=row["created_at"],
    )


def _delivery_out(row: dict) -> DeliveryOut:
    return DeliveryOut(
        id=str(row["id"]),
        webhook_id=str(row["webhook"]),
        event=row["event"],
        state=row["state"],
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        last_error=row["last_error"],
        created_at=row["created_at"],
        delivered_at=row["delivered_at"],
    )


class Webhooks:
    def __init__(
        self,
        *,
        timeout_s: float = 10.0,
        max_attempts: int = 12,
        backoff_s: float = 5.0,
        backoff_max_s: float = 3600.0,
        allow_private: bool = False,
        cache_s: float = 5.0,
    ) -> None:
        self.timeout_s = timeout_s
        self.max_attempts = max_attempts
        self.backoff_s = backoff_s
        self.backoff_max_s = backoff_max_s
        self.allow_private = allow_private
        self._cache_s = cache_s
        self._hooks: dict[str, tuple[float, list[tuple[uuid.UUID, list[str]]]]] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._client: httpx.AsyncClient | None = None

    # -- admin -----------------------------------------------------------------------------

    async def create(self, tenant_id: str, url: str, events: list[str]) -> tuple[WebhookOut, str]:
        await self.check_url(url)
        unknown = sorted(set(events) - set(EVENTS))
        if unknown or not events:
            raise KefuError(
                422, "invalid_event", f"events must be a non-empty subset of {', '.join(EVENTS)}"
            )
        secret = "whsec_" + secrets.token_urlsafe(32)
        row = Webhook(
            id=uuid.uuid4(),
            tenant=uuid.UUID(tenant_id),
            url=url,
            events=sorted(set(events)),
            secret=secret,
            active=True,
            created_at=datetime.now(UTC),
        )
        await Webhook.insert(row)
        self._hooks.pop(tenant_id, None)
        return await self.get(tenant_id, str(row.id)), secret  # type: ignore[return-value]

    async def check_url(self, url: str) -> None:
        await check_outbound_url(url, allow_private=self.allow_private)

    async def list(self, tenant_id: str) -> list[WebhookOut]:
        rows = await Webhook.select().where(Webhook.tenant == uuid.UUID(tenant_id))
        return [_webhook_out(r) for r in rows]

    async def get(self, tenant_id: str, webhook_id: str) -> WebhookOut | None:
        try:
            wid = uuid.UUID(webhook_id)
        except ValueError:
            return None
        row = (
            await Webhook.select()
            .where((Webhook.id == wid) & (Webhook.tenant == uuid.UUID(tenant_id)))
            .first()
        )
        return _webhook_out(row) if row else None

    async def delete(self, tenant_id: str, webhook_id: str) -> bool:
        if await self.get(tenant_id, webhook_id) is None:
            return False
        await Webhook.delete().where(Webhook.id == uuid.UUID(webhook_id))
        self._hooks.pop(tenant_id, None)
        return True

    async def deliveries(self, tenant_id: str, webhook_id: str, limit: int) -> list[DeliveryOut]:
        rows = (
            await WebhookDelivery.select()
            .where(
                (WebhookDelivery.webhook == uuid.UUID(webhook_id))
                & (WebhookDelivery.tenant == uuid.UUID(tenant_id))
            )
            .order_by(WebhookDelivery.created_at, ascending=False)
            .limit(limit)
        )
        return [_delivery_out(r) for r in rows]

    # -- outbox ----------------------------------------------------------------------------

    async def _subscribed(self, tenant_id: str, event: str) -> list[uuid.UUID]:
        hit = self._hooks.get(tenant_id)
        now = time.monotonic()
        if hit is None or now - hit[0] >= self._cache_s:
            rows = await Webhook.select(Webhook.id, Webhook.events).where(
                (Webhook.tenant == uuid.UUID(tenant_id)) & (Webhook.active == True)  # noqa: E712
            )
            hit = (now, [(r["id"], list(json_value(r["events"], []))) for r in rows])  # type: ignore[arg-type]
            self._hooks[tenant_id] = hit
        return [hook for hook, events in hit[1] if event in events]

    async def emit(self, tenant_id: str, event: str, data: dict) -> int:
        """Store one delivery per subscribed webhook; the dispatcher sends them."""
        try:
            hooks = await self._subscribed(tenant_id, event)
            if hooks:
                await self._enqueue(tenant_id, event, data, hooks)
        except Exception as exc:  # an outbox failure never fails the chat that caused it
            log.error("webhook outbox write for tenant %s failed: %s", tenant_id, exc)
            return 0
        return len(hooks)

    async def send_test(self, tenant_id: str, webhook_id: str) -> str | None:
        """Queue a ``webhook.test`` event for one webhook (whatever it subscribes to): the
        delivery's id, or None when there is no such webhook. Sent, retried and logged like
        any other delivery."""
        if await self.get(tenant_id, webhook_id) is None:
            return None
        data = {"message": "A test event from kefu: this endpoint receives its webhooks."}
        [delivery] = await self._enqueue(tenant_id, TEST_EVENT, data, [uuid.UUID(webhook_id)])
        return str(delivery)

    async def _enqueue(
        self, tenant_id: str, event: str, data: dict, hooks: list[uuid.UUID]
    ) -> list[uuid.UUID]:
        now = datetime.now(UTC)
        body = msgspec.json.encode(
            {"event": event, "tenant_id": tenant_id, "created_at": now, "data": data}
        ).decode()
        rows = [
            WebhookDelivery(
                id=uuid.uuid4(),
                webhook=hook,
                tenant=uuid.UUID(tenant_id),
                event=event,
                payload=body,
                state="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
            for hook in hooks
        ]
        await WebhookDelivery.insert(*rows)
        self._wake.set()
        return [row.id for row in rows]

    # -- dispatcher ------------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._client = httpx.AsyncClient(
                timeout=self.timeout_s,
                follow_redirects=False,
                transport=outbound_transport(allow_private=self.allow_private),
            )
            self._task = asyncio.create_task(self._run(), name="webhook-dispatcher")

    async def stop(self) -> None:
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _run(self) -> None:
        while True:
            try:
                sent = await self.dispatch_due()
            except Exception as exc:  # database away: try again shortly
                log.warning("webhook dispatch failed: %s", exc)
                sent = 0
            if sent:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(1.0):
                    await self._wake.wait()

    async def dispatch_due(self, limit: int = 20) -> int:
        """Claim and send due deliveries; returns how many were attempted."""
        now = datetime.now(UTC)
        due = (
            await WebhookDelivery.select(WebhookDelivery.id, WebhookDelivery.next_attempt_at)
            .where((WebhookDelivery.state == "pending") & (WebhookDelivery.next_attempt_at <= now))
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(limit)
        )
        lease = now + timedelta(seconds=self.timeout_s * 3)
        attempted = 0
        for row in due:
            claimed = (
                await WebhookDelivery.update({WebhookDelivery.next_attempt_at: lease})
                .where(
                    (WebhookDelivery.id == row["id"])
                    & (WebhookDelivery.state == "pending")
                    & (WebhookDelivery.next_attempt_at == row["next_attempt_at"])
                )
                .returning(WebhookDelivery.id)
            )
            if claimed:
                attempted += 1
                await self._deliver(row["id"])
        return attempted

    async def _deliver(self, delivery_id: uuid.UUID) -> None:
        row = (
            await WebhookDelivery.select(
                WebhookDelivery.event,
                WebhookDelivery.payload,
                WebhookDelivery.attempts,
                WebhookDelivery.webhook.url,
                WebhookDelivery.webhook.secret,
            )
            .where(WebhookDelivery.id == delivery_id)
            .first()
        )
        if row is None:
            return
        body = row["payload"].encode()
        timestamp = str(int(time.time()))
        error = ""
        url = row["webhook.url"]
        try:
            if not self.allow_private and not await is_public_url(url):
                raise RuntimeError("the URL no longer resolves to a public address")
            assert self._client is not None
            response = await self._client.post(
                url,
                content=body,
                headers={
                    "Content-Type": "application/json",
                    "User-Agent": "kefu-webhooks",
                    "X-Kefu-Event": row["event"],
                    "X-Kefu-Delivery": str(delivery_id),
                    "X-Kefu-Timestamp": timestamp,
                    "X-Kefu-Signature": sign(row["webhook.secret"], timestamp, body),
                },
            )
            if not 200 <= response.status_code < 300:
                error = f"HTTP {response.status_code}"
        except Exception as exc:  # any failure to deliver is a retry, never a crash
            error = f"{type(exc).__name__}: {exc}"[:500]
        attempts = row["attempts"] + 1
        now = datetime.now(UTC)
        if not error:
            WEBHOOK_DELIVERIES.labels("delivered").inc()
            changes = {
                WebhookDelivery.state: "delivered",
                WebhookDelivery.delivered_at: now,
                WebhookDelivery.last_error: "",
            }
        elif attempts >= self.max_attempts:
            WEBHOOK_DELIVERIES.labels("failed").inc()
            log.warning("webhook delivery %s gave up after %d attempts", delivery_id, attempts)
            changes = {WebhookDelivery.state: "failed", WebhookDelivery.last_error: error}
        else:
            WEBHOOK_DELIVERIES.labels("retry").inc()
            delay = min(self.backoff_max_s, self.backoff_s * 2 ** (attempts - 1))
            delay *= random.uniform(0.8, 1.2)
            changes = {
                WebhookDelivery.next_attempt_at: now + timedelta(seconds=delay),
                WebhookDelivery.last_error: error,
            }
        await WebhookDelivery.update({WebhookDelivery.attempts: attempts, **changes}).where(
            WebhookDelivery.id == delivery_id
        )
