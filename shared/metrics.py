"""Prometheus metrics kefu exports on ``/metrics`` (names are part of the operator surface)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

__all__ = [
    "MODEL_REQUESTS",
    "MODEL_TTFT",
    "MODEL_DURATION",
    "MODEL_TOKENS",
    "MODEL_DECODE_RATE",
    "MODEL_QUEUE_DEPTH",
    "MODEL_IN_FLIGHT",
    "ANSWER_CACHE",
    "COALESCED",
    "BOT_ANSWERS",
    "WEBHOOK_DELIVERIES",
    "RATE_LIMITED",
    "PLUGIN_CALLS",
    "PLUGIN_SECONDS",
    "HANDOFFS",
    "CONVERSATIONS_STARTED",
]

_FAST = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30)

MODEL_REQUESTS = Counter(
    "kefu_model_requests_total", "Model generations by engine and outcome", ["engine", "outcome"]
)
MODEL_TTFT = Histogram(
    "kefu_model_time_to_first_token_seconds", "Time to the first token", ["engine"], buckets=_FAST
)
MODEL_DURATION = Histogram(
    "kefu_model_generation_seconds", "Whole generation time", ["engine"], buckets=_FAST
)
MODEL_TOKENS = Counter(
    "kefu_model_tokens_total", "Tokens reported by the engine", ["engine", "kind"]
)
MODEL_DECODE_RATE = Histogram(
    "kefu_model_decode_tokens_per_second",
    "Decode speed per generation, as the engine reports it",
    ["engine"],
    buckets=(5, 10, 20, 40, 80, 160, 320, 640),
)
MODEL_QUEUE_DEPTH = Gauge(
    "kefu_model_queue_depth", "Generations waiting for a model slot", multiprocess_mode="livesum"
)
MODEL_IN_FLIGHT = Gauge("kefu_model_in_flight", "Generations running", multiprocess_mode="livesum")
ANSWER_CACHE = Counter("kefu_answer_cache_total", "Answer cache lookups", ["result"])
COALESCED = Counter(
    "kefu_model_coalesced_total", "Requests served by joining an identical in-flight generation"
)
BOT_ANSWERS = Counter(
    "kefu_bot_answers_total", "Bot answers by kind", ["kind"]
)  # grounded | dont_know | failed | busy | cached | interrupted
WEBHOOK_DELIVERIES = Counter(
    "kefu_webhook_deliveries_total", "Webhook delivery attempts by outcome", ["outcome"]
)
RATE_LIMITED = Counter("kefu_rate_limited_total", "Requests refused by a rate limit", ["limit"])
PLUGIN_CALLS = Counter(
    "kefu_plugin_calls_total",
    "Plugin calls by plugin and outcome (ok or an error code)",
    ["plugin", "outcome"],
)
PLUGIN_SECONDS = Histogram("kefu_plugin_seconds", "Plugin call time", ["plugin"], buckets=_FAST)
HANDOFFS = Counter("kefu_handoffs_total", "Conversations handed to the human queue", ["reason"])
CONVERSATIONS_STARTED = Counter("kefu_conversations_started_total", "Conversations started")
