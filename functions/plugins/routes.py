"""The plugins service API that chat calls (service token only): list a tenant's plugins, invoke one."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import Body
from msgspec import Meta

from shared.errors import KefuError
from shared.guard import bearer_token
from shared.openapi import errors
from shared.plugins.base import PluginError, PluginResult
from shared.plugins.runner import PluginInfo
from shared.schemas import Wire
from shared.services import Services

__all__ = ["PluginServiceController"]

_STATUS = {"unknown_plugin": 404, "invalid_arguments": 422, "invalid_schema": 422}


class TenantRequest(Wire):
    tenant_id: Annotated[str, Meta(max_length=64)]


class InvokeRequest(Wire):
    tenant_id: Annotated[str, Meta(max_length=64)]
    name: Annotated[str, Meta(max_length=64)]
    arguments: dict[str, Any] = {}
    conversation_id: Annotated[str, Meta(max_length=64)] = ""
    language: Annotated[str, Meta(max_length=8)] = "en"


async def _service_only(request: Request, services: Services) -> None:
    services.keys.verify_service_token(bearer_token(request))


def _tenant(tenant_id: str) -> str:
    try:
        return str(uuid.UUID(tenant_id))
    except ValueError:
        raise KefuError(404, "tenant_not_found", "no such tenant") from None


@errors(400, 401, 403, 404, 422, 424)
class PluginServiceController(Controller):
    path = "/api/v1/plugins"
    tags = ["plugins (service)"]

    @post("/available", status_code=200)
    async def available(
        self,
        request: Request,
        data: Annotated[TenantRequest, Body()],
        services: NamedDependency[Services],
    ) -> list[PluginInfo]:
        """The tenant's enabled plugins, with their schemas and triggers."""
        await _service_only(request, services)
        return await services.plugin_runner.available(_tenant(data.tenant_id))

    @post("/invoke", status_code=200)
    async def invoke(
        self,
        request: Request,
        data: Annotated[InvokeRequest, Body()],
        services: NamedDependency[Services],
    ) -> PluginResult:
        """Run a plugin: arguments validated against its schema, bounded by its timeout.
        A plugin's failure is ``424`` with its code (``timeout``, ``http_error``, ...)."""
        await _service_only(request, services)
        try:
            return await services.plugin_runner.invoke(
                _tenant(data.tenant_id),
                data.name,
                data.arguments,
                conversation_id=data.conversation_id,
                language=data.language,
            )
        except PluginError as exc:
            raise KefuError(_STATUS.get(exc.code, 424), exc.code, exc.detail or exc.code) from None
