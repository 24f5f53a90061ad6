"""OpenAPI: how each endpoint authenticates and which error codes it answers with."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from litestar import Controller
from litestar.handlers.http_handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Components, SecurityScheme

from .schemas import ErrorBody

__all__ = ["SECURITY_SCHEMES", "STAFF", "ADMIN", "VISITOR", "errors"]

SECURITY_SCHEMES = Components(
    security_schemes={
        "StaffToken": SecurityScheme(
            type="http",
            scheme="bearer",
            bearer_format="JWT",
            description="Access token from POST /api/v1/auth/login (15 minutes; refresh it).",
        ),
        "ApiKey": SecurityScheme(
            type="http",
            scheme="bearer",
            description="An integrator's API key (kefu_...), scoped; also accepted as X-API-Key.",
        ),
        "VisitorToken": SecurityScheme(
            type="http",
            scheme="bearer",
            bearer_format="JWT",
            description="The visitor token from starting a conversation (or ?token= on streams).",
        ),
    }
)
STAFF = [{"StaffToken": []}]
ADMIN = [{"StaffToken": []}, {"ApiKey": []}]
VISITOR = [{"VisitorToken": []}]

# The stable codes each status carries (docs/api.md lists them all with their meaning).
_CODES = {
    400: "invalid_json, invalid_body, invalid_parameter, tenant_required",
    401: "missing_token, invalid_token, token_expired, token_revoked, invalid_api_key, "
    "api_key_revoked, account_disabled, invalid_credentials",
    403: "not_an_admin, not_an_agent, insufficient_scope, owner_only, superadmin_only, "
    "tenant_disabled, wrong_conversation, origin_not_allowed, not_your_conversation",
    404: "not_found, conversation_not_found, document_not_found, user_not_found, "
    "tenant_not_found, api_key_not_found, webhook_not_found, unknown_widget_key",
    409: "conversation_closed, already_claimed, invalid_transition, email_taken, slug_taken, "
    "cannot_change_self",
    413: "payload_too_large, file_too_large",
    415: "unsupported_document",
    422: "empty_message, message_too_long, invalid_client_msg_id, invalid_role, invalid_email, "
    "weak_password, invalid_scope, invalid_event, invalid_url, url_not_allowed, "
    "unreadable_document, empty_document",
    424: "a plugin failed: timeout, http_error, not_found, bad_result, plugin_failed, "
    "not_configured, url_not_allowed",
    429: "rate_limited (see Retry-After)",
}

C = TypeVar("C", bound=type[Controller] | HTTPRouteHandler)


def errors(*statuses: int) -> Callable[[C], C]:
    """Document ``statuses`` (with their codes) on a handler or every handler of a controller."""

    def apply(controller: C) -> C:
        specs = {
            s: ResponseSpec(
                data_container=ErrorBody,
                description=f"Error; `code` is one of: {_CODES.get(s, 'see docs/api.md')}",
                generate_examples=False,
            )
            for s in (*statuses, 429)
        }
        handlers = (
            [controller] if isinstance(controller, HTTPRouteHandler) else vars(controller).values()
        )
        for value in handlers:
            if isinstance(value, HTTPRouteHandler):
                value.responses = {**specs, **(value.responses or {})}
        return controller

    return apply
