"""Settings: the only module that reads the environment.

Every knob is a ``KEFU_*`` variable, read once per process into a frozen Struct; the
table in ``docs/operations.md`` lists them all. Everything else receives what it needs.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

import msgspec

__all__ = ["Settings", "get_settings", "load_settings", "ENV_PREFIX"]

ENV_PREFIX = "KEFU_"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Process configuration. Field ``foo_bar`` is read from ``KEFU_FOO_BAR``."""

    data_dir: str = "./kefu-data"
    database_url: str = ""  # empty: SQLite file in data_dir
    valkey_url: str = "memory://"  # memory:// | embedded:// | valkey://host:port/db
    valkey_max_connections: int = 64  # per process; callers wait for a free one past this
    llm_url: str = ""  # empty: retrieval-only; http(s)://…/v1 OpenAI-compatible; mlc://model
    llm_model: str = ""  # model name for an HTTP server (empty: the first one it lists)
    llm_api_key: str = ""
    llm_connect_timeout_s: float = 3.0
    llm_first_token_timeout_s: float = 15.0
    llm_total_timeout_s: float = 60.0
    llm_max_tokens: int = 512
    llm_temperature: float = 0.2
    llm_context_tokens: int = 3000
    llm_tools: str = "auto"  # auto | native | prompt | off: how the model calls plugins
    llm_max_concurrency: int = 8
    llm_server_streams: int = 1  # requests in flight to an OpenAI-compatible server at once
    llm_max_queue: int = 64
    llm_queue_timeout_s: float = 10.0
    # An owner's own model server for their tenant (docs/models.md#per-tenant): allowed at all,
    # allowed on private/loopback addresses, and the generations it may run and queue here.
    llm_tenant_endpoints: bool = True
    llm_tenant_allow_private: bool = False
    llm_tenant_max_concurrency: int = 2
    llm_tenant_max_queue: int = 16
    answer_cache_ttl_s: int = 3600
    bot_persona: str = ""
    secret_key: str = ""  # empty: generated once and kept in data_dir
    previous_secret_keys: str = ""  # comma-separated; still accepted for tokens (key rotation)
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    functions: str = "all"  # all | chat | admin | plugins
    # On SIGTERM: how long answers and requests in progress may take to finish before the
    # server stops (new requests meanwhile: 503 + Retry-After). Keep the platform's grace
    # period (terminationGracePeriodSeconds) above it.
    drain_s: float = 10.0
    migrate_on_start: bool = True  # false where a release Job migrates (Knative, Terraform)
    demo: str = "auto"  # auto (seed on embedded SQLite) | true | false
    max_message_chars: int = 4000
    max_body_bytes: int = 1_048_576
    visitor_token_ttl_s: int = 30 * 24 * 3600
    db_pool_size: int = 10
    # Longest a Postgres statement may take before the request answers 503 (a frozen database
    # must not hold visitors for long; readiness checks answer within 2 s regardless).
    db_statement_timeout_s: float = 10.0
    sse_heartbeat_s: float = 15.0
    history_page_size: int = 200
    kb_min_coverage: float = 0.2
    # Cosine similarity that also counts as grounded; None: the embedder's own (calibrated on
    # the labelled set for the built-in one, 0.75 for a model server's).
    kb_min_similarity: float | None = None
    # local: the built-in multilingual embedder | model: the model server's /v1/embeddings |
    # off: lexical retrieval only
    kb_embedder: str = "local"
    log_level: str = "info"
    log_format: str = "auto"  # json | text | auto (JSON unless writing to a terminal)
    # Abuse protection (docs/operations.md#rate-limits): COUNT/SECONDS, counted in Valkey.
    rate_limits: bool = True
    rate_ip: str = "1200/60"  # any API request, per client address
    rate_start: str = "20/60"  # conversations started, per client address
    rate_login: str = "10/300"  # staff logins, per address and email together
    rate_login_ip: str = "60/300"  # staff logins, per address (any email)
    login_slow_down_s: float = 0.5  # first delay after 5 wrong passwords for an email; doubles
    rate_visitor: str = "30/60"  # visitor messages, per conversation
    rate_tenant: str = "6000/60"  # visitor messages and new conversations, per tenant
    rate_api_key: str = "600/60"  # admin API calls, per API key
    rate_ws_frames: str = "20/10"  # frames a socket may send (burst 20, then 2 per second)
    trust_forwarded: bool = False  # behind an ingress: the client is the last X-Forwarded-For
    cors_origins: str = ""  # comma-separated origins for the agent/admin API (widget: any)
    hsts: bool = False  # send Strict-Transport-Security (only behind HTTPS)
    max_upload_bytes: int = 20 * 1_048_576  # knowledge-base file uploads
    metrics_token: str = ""  # set: /metrics answers only with "Authorization: Bearer <token>"
    kb_read_seconds: float = 60.0  # reading one uploaded file (extract + chunk), child process
    kb_read_memory_mb: int = 2048  # its address-space limit
    webhook_timeout_s: float = 10.0
    webhook_max_attempts: int = 12
    webhook_backoff_s: float = 5.0  # first retry; doubles per attempt
    webhook_backoff_max_s: float = 3600.0
    webhook_allow_private: bool = False  # allow webhook URLs on private/loopback addresses
    # Email for visitors who left their address (an agent's later reply): smtp://user:pass@host:587
    # or smtps://…:465; empty: no email (docs/operations.md).
    smtp_url: str = ""
    mail_from: str = "kefu <kefu@localhost>"
    kb_import_allow_private: bool = False  # allow website imports from private addresses
    kb_import_max_pages: int = 200  # pages one sitemap import fetches at most
    # Plugins (docs/plugins.md): empty URL runs them in this process (the all-in-one app).
    plugins_url: str = ""  # e.g. http://kefu-plugins.kefu.svc.cluster.local
    plugins_enabled: bool = True
    plugins_budget_s: float = 8.0  # longest a visitor waits for a plugin's answer
    plugins_max_concurrency: int = 32  # calls in flight to the plugins service, per process
    plugins_breaker_failures: int = 5  # failures in a row that open the circuit breaker
    plugins_breaker_cooldown_s: float = 30.0  # how long it stays open before a trial call
    plugins_allow_private: bool = False  # allow plugin endpoints on private/loopback addresses

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{Path(self.data_dir).resolve() / 'kefu.db'}"

    @property
    def is_embedded_db(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def listens_on_loopback(self) -> bool:
        host = self.host.strip("[]").lower()
        return host == "localhost" or host.startswith("127.") or host == "::1"

    @property
    def seed_demo(self) -> bool:
        """The demo shop (and its agent, whose password is public): on an embedded install that
        only this machine can reach; anywhere else only when asked for (``KEFU_DEMO=true``)."""
        if self.demo == "auto":
            return self.is_embedded_db and self.listens_on_loopback
        return self.demo.lower() in {"1", "true", "yes", "on"}

    @property
    def previous_keys(self) -> list[str]:
        return [k.strip() for k in self.previous_secret_keys.split(",") if k.strip()]

    @property
    def kb_budget(self):
        from .kb.worker import Budget

        return Budget(self.kb_read_seconds, self.kb_read_memory_mb * 1_048_576)

    def resolved_secret_key(self) -> str:
        """The signing secret: from the environment, else created once in the data dir."""
        if self.secret_key:
            return self.secret_key
        path = Path(self.data_dir) / "secret.key"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as fh:
            key = secrets.token_urlsafe(48)
            fh.write(key)
        return key


def load_settings(environ: dict[str, str] | None = None, **overrides: object) -> Settings:
    """Build settings from an environment mapping (default ``os.environ``) plus overrides."""
    env = os.environ if environ is None else environ
    raw: dict[str, object] = {}
    for field in msgspec.structs.fields(Settings):
        key = ENV_PREFIX + field.name.upper()
        if key in env:
            raw[field.name] = env[key]
    raw.update(overrides)
    return msgspec.convert(raw, Settings, strict=False)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
