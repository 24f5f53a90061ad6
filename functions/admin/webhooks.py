"""Webhooks: register an endpoint (the signing secret is shown once), list, delete, inspect."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import Body, FromPath, Parameter

from shared.auth.scopes import Principal
from shared.errors import KefuError
from shared.openapi import ADMIN, errors
from shared.services import Services
from shared.webhooks import DeliveryOut, WebhookOut

from .access import audit
from .schemas import WebhookCreated, WebhookIn, WebhookTestSent

__all__ = ["WebhookController"]


@errors(400, 401, 403, 404, 409, 422)
class WebhookController(Controller):
    path = "/api/v1/admin/webhooks"
    tags = ["admin: webhooks"]
    security = ADMIN

    @get("/")
    async def list_webhooks(
        self, principal: NamedDependency[Principal], services: NamedDependency[Services]
    ) -> list[WebhookOut]:
        """The tenant's webhooks (never their secrets)."""
        return await services.webhooks.list(principal.require("webhooks:read"))

    @post("/", status_code=201)
    async def create_webhook(
        self,
        request: Request,
        data: Annotated[WebhookIn, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> WebhookCreated:
        """Deliver ``events`` to ``url``, signed with the returned secret (HMAC-SHA256)."""
        tenant_id = principal.require("webhooks:write")
        out, secret = await services.webhooks.create(tenant_id, data.url, data.events)
        await audit(
            request,
            services,
            principal,
            "webhook.create",
            out.id,
            {"url": out.url, "events": out.events},
        )
        return WebhookCreated(id=out.id, url=out.url, events=out.events, secret=secret)

    @delete("/{webhook_id:str}", status_code=204)
    async def delete_webhook(
        self,
        request: Request,
        webhook_id: FromPath[str],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> None:
        """Stop deliveries to this endpoint (pending ones are dropped)."""
        tenant_id = principal.require("webhooks:write")
        if not await services.webhooks.delete(tenant_id, webhook_id):
            raise KefuError(404, "webhook_not_found", "no such webhook")
        await audit(request, services, principal, "webhook.delete", webhook_id)

    @post("/{webhook_id:str}/test", status_code=202)
    async def send_test(
        self,
        request: Request,
        webhook_id: FromPath[str],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> WebhookTestSent:
        """Send a ``webhook.test`` event to this endpoint now; it shows in the delivery log
        (state, attempts, last error) and is retried like any other delivery."""
        tenant_id = principal.require("webhooks:write")
        delivery = await services.webhooks.send_test(tenant_id, webhook_id)
        if delivery is None:
            raise KefuError(404, "webhook_not_found", "no such webhook")
        await audit(request, services, principal, "webhook.test", webhook_id)
        return WebhookTestSent(delivery_id=delivery)

    @get("/{webhook_id:str}/deliveries")
    async def deliveries(
        self,
        webhook_id: FromPath[str],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
        limit: Annotated[int, Parameter(ge=1, le=500)] = 50,
    ) -> list[DeliveryOut]:
        """Recent deliveries, newest first: state, attempts, next try, last error."""
        tenant_id = principal.require("webhooks:read")
        if await services.webhooks.get(tenant_id, webhook_id) is None:
            raise KefuError(404, "webhook_not_found", "no such webhook")
        return await services.webhooks.deliveries(tenant_id, webhook_id, limit)
