"""kefu's own plugins, registered exactly as a third-party package would register its own."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .base import Plugin, PluginContext, PluginError, PluginResult, Triggers
from .http import HttpSpec, call_http

__all__ = ["BUILTINS", "HandoffPlugin", "BusinessHoursPlugin", "OrderStatusPlugin", "WeatherPlugin"]


class HandoffPlugin(Plugin):
    """Hand the conversation to a human (the bot performs it through the handoff state machine)."""

    name = "handoff"
    description = (
        "Transfer the conversation to a human agent when the visitor asks for a person, is upset, "
        "or needs something only staff can do."
    )
    parameters = {
        "type": "object",
        "properties": {"reason": {"type": "string", "maxLength": 200}},
        "additionalProperties": False,
    }
    default_enabled = True

    async def run(self, args: dict[str, Any], context: PluginContext) -> PluginResult:
        reason = str(args.get("reason") or "tool")
        return PluginResult(text="", data={"action": "handoff", "reason": reason}, source="handoff")


class BusinessHoursPlugin(Plugin):
    """When the tenant's agents are available, from the tenant's handoff settings."""

    name = "business_hours"
    description = "Tell the visitor the business's opening hours and whether it is open now."
    parameters = {"type": "object", "properties": {}, "additionalProperties": False}
    triggers = Triggers(
        keywords=[
            "opening hours",
            "business hours",
            "when are you open",
            "are you open",
            "what time do you open",
            "what time do you close",
            "营业时间",
            "几点开门",
            "几点关门",
            "上班时间",
            "客服时间",
        ]
    )
    default_enabled = True

    async def run(self, args: dict[str, Any], context: PluginContext) -> PluginResult:
        hours = getattr(getattr(context.settings, "handoff", None), "business_hours", None)
        if hours is None:
            # No hours set: the tenant's own knowledge base says what to say about them.
            raise PluginError("not_applicable", "the tenant has no business hours configured")
        open_now = hours.is_open(datetime.now())
        text = {
            "en": f"Our opening hours are {hours.describe('en')}. "
            + ("We are open now." if open_now else "We are closed right now."),
            "zh": f"我们的营业时间是 {hours.describe('zh')}。"
            + ("现在正在营业。" if open_now else "现在不在营业时间。"),
        }
        return PluginResult(
            text=text["zh" if context.language == "zh" else "en"],
            data={"open_now": open_now},
            source="Business hours",
        )


def _configured_spec(context: PluginContext, plugin: Plugin, template: str) -> HttpSpec:
    url = context.config.get("url")
    if not url:
        raise PluginError("not_configured", f"{plugin.name} has no endpoint URL configured")
    return HttpSpec(
        url=url,
        method=context.config.get("method", "GET"),
        parameters=plugin.parameters,
        response_template=context.config.get("response_template") or template,
        source=context.config.get("source") or getattr(plugin, "source_name", plugin.name),
        timeout_s=float(context.config.get("timeout_s", plugin.timeout_s - 0.5)),
    )


class _ConfiguredHttpPlugin(Plugin):
    template = ""

    async def run(self, args: dict[str, Any], context: PluginContext) -> PluginResult:
        return await call_http(
            _configured_spec(context, self, self.template),
            args,
            client=context.http,
            secret=context.config.get("secret", ""),
            headers=context.config.get("headers") or {},
            allow_private=context.allow_private_urls,
        )


class OrderStatusPlugin(_ConfiguredHttpPlugin):
    """An order's status from the merchant's order API (an HTTP template: configure its URL)."""

    name = "order_status"
    description = "Look up the status of an order by its order number."
    parameters = {
        "type": "object",
        "properties": {
            "order_id": {
                "type": "string",
                "pattern": "^[A-Za-z0-9-]{3,40}$",
                "description": "The order number the visitor gave",
            }
        },
        "required": ["order_id"],
        "additionalProperties": False,
    }
    triggers = Triggers(
        patterns=[
            r"(?i)\border\b\D{0,20}?(?P<order_id>[A-Za-z0-9-]*\d[A-Za-z0-9-]{2,39})",
            r"订单\D{0,10}?(?P<order_id>[A-Za-z0-9-]*\d[A-Za-z0-9-]{2,39})",
            r"(?P<order_id>[A-Za-z0-9-]*\d[A-Za-z0-9-]{2,39})\s*(?:号)?订单",
        ]
    )
    template = "Order {order_id}: {status}."
    source_name = "Order status"
    timeout_s = 5.5


class WeatherPlugin(_ConfiguredHttpPlugin):
    """An example of calling any HTTP endpoint: the weather for a city (configure its URL)."""

    name = "weather"
    description = "Get the current weather for a city."
    parameters = {
        "type": "object",
        "properties": {"city": {"type": "string", "minLength": 1, "maxLength": 80}},
        "required": ["city"],
        "additionalProperties": False,
    }
    triggers = Triggers(
        patterns=[
            r"(?i)weather\s+(?:in|for|at)\s+(?P<city>[A-Za-z][A-Za-z .'-]{0,60}?)\s*[?.!]*$",
            "(?P<city>[\u4e00-\u9fff]{2,6}?)(?:的|今天|明天)?天气",  # real CJK chars: RE2
        ]
    )
    template = "Weather in {city}: {summary}, {temperature}°C."
    source_name = "Weather service"


BUILTINS: tuple[type[Plugin], ...] = (
    HandoffPlugin,
    BusinessHoursPlugin,
    OrderStatusPlugin,
    WeatherPlugin,
)
