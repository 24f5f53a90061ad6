"""Declarative HTTP plugins: a merchant's API called with the visitor's arguments, no code.

A spec names the URL (``{param}`` placeholders are filled URL-encoded), the method, the
parameters' JSON Schema, headers, a timeout, and a ``response_template`` that turns the JSON
reply into the sentence the bot answers from (``"Order {order_id} is {status}."``; dotted names
reach into nested objects). With a secret, every request is signed::

    X-Kefu-Timestamp: <unix seconds>
    X-Kefu-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<METHOD>.<url>.<body>")>
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from typing import Annotated, Any, Literal
from urllib.parse import quote

import httpx
import msgspec
from msgspec import Meta

from ..urls import is_public_url
from .base import Plugin, PluginContext, PluginError, PluginResult, Triggers

__all__ = ["HttpSpec", "HttpPlugin", "call_http", "render", "sign_request"]

_FIELD = re.compile(r"\{([A-Za-z0-9_.]+)\}")


class HttpSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    url: Annotated[str, Meta(min_length=8, max_length=2000)]
    method: Literal["GET", "POST"] = "GET"
    parameters: dict[str, Any] = msgspec.field(
        default_factory=lambda: {"type": "object", "properties": {}}
    )
    response_template: Annotated[str, Meta(max_length=2000)] = ""
    source: Annotated[str, Meta(max_length=200)] = ""
    timeout_s: Annotated[float, Meta(gt=0, le=30)] = 5.0
    triggers: Triggers = msgspec.field(default_factory=Triggers)


def render(template: str, data: dict[str, Any]) -> str:
    """``{name}`` and ``{a.b}`` filled from ``data``; nothing else is evaluated."""

    def value(match: re.Match[str]) -> str:
        current: Any = data
        for part in match.group(1).split("."):
            current = current.get(part, "") if isinstance(current, dict) else ""
        return "" if current is None else str(current)

    return _FIELD.sub(value, template)


def sign_request(secret: str, timestamp: str, method: str, url: str, body: bytes) -> str:
    message = f"{timestamp}.{method}.{url}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


async def call_http(
    spec: HttpSpec,
    args: dict[str, Any],
    *,
    client: httpx.AsyncClient,
    secret: str = "",
    headers: dict[str, str] | None = None,
    allow_private: bool = False,
) -> PluginResult:
    """Call the endpoint and turn its JSON into a result; every failure is a PluginError."""
    used = set(_FIELD.findall(spec.url))
    url = _FIELD.sub(lambda m: quote(str(args.get(m.group(1), "")), safe=""), spec.url)
    rest = {k: v for k, v in args.items() if k not in used}
    body = b""
    params = None
    if spec.method == "POST":
        body = msgspec.json.encode(rest)
    elif rest:
        params = {k: str(v) for k, v in rest.items()}
        url = str(httpx.URL(url, params=params))
    if not allow_private and not await is_public_url(url):
        raise PluginError("url_not_allowed", "the plugin URL must resolve to a public address")
    sent = {"Accept": "application/json", "User-Agent": "kefu-plugins", **(headers or {})}
    if spec.method == "POST":
        sent["Content-Type"] = "application/json"
    if secret:
        timestamp = str(int(time.time()))
        sent["X-Kefu-Timestamp"] = timestamp
        sent["X-Kefu-Signature"] = sign_request(secret, timestamp, spec.method, url, body)
    try:
        response = await client.request(
            spec.method, url, content=body or None, headers=sent, timeout=spec.timeout_s
        )
    except httpx.TimeoutException:
        raise PluginError("timeout", f"no answer from the endpoint in {spec.timeout_s}s") from None
    except httpx.HTTPError as exc:
        raise PluginError("unreachable", str(exc)) from None
    if response.status_code == 404:
        raise PluginError("not_found", "the endpoint found nothing for these arguments")
    if not 200 <= response.status_code < 300:
        raise PluginError("http_error", f"the endpoint answered {response.status_code}")
    try:
        data = msgspec.json.decode(response.content)
    except msgspec.DecodeError:
        raise PluginError("bad_result", "the endpoint did not answer with JSON") from None
    if not isinstance(data, dict):
        raise PluginError("bad_result", "the endpoint's JSON is not an object")
    merged = {**args, **data}
    text = render(spec.response_template, merged) if spec.response_template else _plain(data)
    return PluginResult(text=text.strip(), data=data, source=spec.source)


def _plain(data: dict[str, Any]) -> str:
    return "; ".join(f"{k}: {v}" for k, v in data.items() if not isinstance(v, dict | list))


class HttpPlugin(Plugin):
    """A tenant's declarative plugin: built from its stored spec on demand."""

    def __init__(
        self,
        name: str,
        description: str,
        spec: HttpSpec,
        *,
        client: httpx.AsyncClient,
        secret: str = "",
        headers: dict[str, str] | None = None,
        allow_private: bool = False,
    ) -> None:
        super().__init__(
            name=name,
            description=description,
            parameters=spec.parameters,
            triggers=spec.triggers,
            timeout_s=spec.timeout_s + 0.5,
        )
        self.spec = spec
        self._client = client
        self._secret = secret
        self._headers = headers
        self._allow_private = allow_private

    async def run(self, args: dict[str, Any], context: PluginContext) -> PluginResult:
        return await call_http(
            self.spec,
            args,
            client=self._client,
            secret=self._secret,
            headers=self._headers,
            allow_private=self._allow_private,
        )
