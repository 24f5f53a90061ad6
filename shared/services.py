"""Build every shared service from settings, once per process, and tear it down again."""

from __future__ import annotations

import asyncio

import msgspec
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.stores.valkey import ValkeyStore
from piccolo.engine.base import Engine

from .analytics.overview import Analytics
from .analytics.unanswered import Unanswered
from .audit import Audit
from .auth.api_keys import ApiKeys
from .auth.keys import SigningKeys
from .auth.staff_tokens import StaffTokens
from .auth.users import Users
from .auth.visitor_tokens import VisitorTokens
from .bot import Bot
from .bus import Bus, open_bus
from .conversations.agent_tools import AgentTools
from .conversations.assignment import Assigner
from .conversations.events import Publisher
from .conversations.handoff import Handoff
from .conversations.ratings import AnswerRatings
from .conversations.rules import TenantRules
from .conversations.search import MessageSearch
from .conversations.service import ConversationService
from .conversations.store import ConversationStore, open_store
from .db.engine import close_engine, engine_from_url, fill_pool, open_engine
from .invalidation import SharedCaches
from .kb.checks import KbChecks
from .kb.embed import open_embedder
from .kb.retriever import Retriever
from .kb.sites import Sites
from .kb.store import KbStore
from .llm import ChatModel, open_model, settings_fingerprint
from .llm.gateway import ModelGateway
from .llm.tenants import TenantModels
from .mail import Mailer
from .plugins.base import load_entry_points
from .plugins.client import CircuitBreaker, RemotePlugins
from .plugins.runner import PluginRunner, Plugins
from .plugins.step import PluginStep
from .ratelimit import RateLimiter
from .settings import Settings
from .tasks import BackgroundTasks
from .turns import StrandedTurns, TurnLeases
from .webhooks import Webhooks

__all__ = ["Services", "open_services", "close_services"]


class InFlight:
    """HTTP requests being answered now (streams included until they end)."""

    def __init__(self) -> None:
        self.count = 0


class Services(msgspec.Struct, kw_only=True):
    """Handles a function's handlers need; injected as the ``services`` dependency."""

    settings: Settings
    engine: Engine
    bus: Bus
    model: ChatModel
    gateway: ModelGateway  # the deployment's model
    models: TenantModels  # the model each tenant answers with (an owner's own, or the above)
    store: ConversationStore
    kb: KbStore
    retriever: Retriever
    publisher: Publisher
    tasks: BackgroundTasks
    conversations: ConversationService
    handoffs: Handoff
    users: Users
    staff_tokens: StaffTokens
    api_keys: ApiKeys
    audit: Audit
    ratings: AnswerRatings
    unanswered: Unanswered  # what the bot could not answer, grouped for owners
    analytics: Analytics
    kb_checks: KbChecks  # owners' test questions, run after every knowledge-base change
    sites: Sites  # websites imported into knowledge bases
    agent_tools: AgentTools  # canned responses, notes, labels
    assigner: Assigner  # automatic assignment to online agents (when a tenant has it on)
    search: MessageSearch  # agents' full-text search over messages
    stranded: StrandedTurns  # answers questions whose replica stopped mid-turn
    mailer: Mailer  # agents' replies to visitors who left an email address
    webhooks: Webhooks
    limiter: RateLimiter
    rules: TenantRules
    keys: SigningKeys
    plugin_runner: PluginRunner  # executes plugin code (plugins function, all-in-one app)
    plugins: Plugins  # what the bot calls: the runner in process, or the plugins service
    caches: SharedCaches  # forget a change here and on every other replica
    # Set on SIGTERM: live streams tell their clients to reconnect elsewhere, then end; new
    # requests are refused with 503 while those in progress finish.
    draining: asyncio.Event = msgspec.field(default_factory=asyncio.Event)
    in_flight: InFlight = msgspec.field(default_factory=lambda: InFlight())


async def open_services(settings: Settings) -> Services:
    engine = engine_from_url(settings.resolved_database_url, settings.db_statement_timeout_s)
    await open_engine(engine, pool_size=settings.db_pool_size)
    bus = open_bus(settings.valkey_url, max_connections=settings.valkey_max_connections)
    await bus.start()
    model = open_model(settings)
    await model.start()
    answers = kv_store(bus, "answers") if settings.answer_cache_ttl_s > 0 else None
    gateway = ModelGateway(
        model,
        answers,
        max_concurrency=settings.llm_max_concurrency,
        max_queue=settings.llm_max_queue,
        queue_timeout_s=settings.llm_queue_timeout_s,
        cache_ttl_s=settings.answer_cache_ttl_s,
        settings_fingerprint=settings_fingerprint(settings),
    )
    models = TenantModels(gateway, settings, answers)
    store = open_store(engine)
    kb = KbStore(engine)
    embedder, similarity = open_embedder(
        settings.kb_embedder, model.embed, settings.kb_min_similarity
    )
    retriever = Retriever(kb, embedder=embedder)
    webhooks = Webhooks(
        timeout_s=settings.webhook_timeout_s,
        max_attempts=settings.webhook_max_attempts,
        backoff_s=settings.webhook_backoff_s,
        backoff_max_s=settings.webhook_backoff_max_s,
        allow_private=settings.webhook_allow_private,
    )
    webhooks.start()
    search = MessageSearch(engine)
    search.start()
    publisher = Publisher(bus, webhooks)
    tasks = BackgroundTasks()
    tasks.spawn(fill_pool(engine), name="fill-db-pool")
    rules = TenantRules()
    handoffs = Handoff(store, publisher, bus, rules)
    limiter = RateLimiter(
        bus,
        {
            "ip": settings.rate_ip,
            "start": settings.rate_start,
            "login": settings.rate_login,
            "login_ip": settings.rate_login_ip,
            "visitor": settings.rate_visitor,
            "tenant": settings.rate_tenant,
            "api_key": settings.rate_api_key,
            "ws_frames": settings.rate_ws_frames,
        },
        enabled=settings.rate_limits,
        slow_down_s=settings.login_slow_down_s,
    )
    keys = SigningKeys(settings.resolved_secret_key(), settings.previous_keys)
    load_entry_points()
    plugin_runner = PluginRunner(rules, allow_private=settings.plugins_allow_private)
    plugins: Plugins = plugin_runner
    if settings.plugins_url:
        plugins = RemotePlugins(
            settings.plugins_url,
            keys,
            timeout_s=settings.plugins_budget_s,
            max_concurrency=settings.plugins_max_concurrency,
            breaker=CircuitBreaker(
                settings.plugins_breaker_failures, settings.plugins_breaker_cooldown_s
            ),
        )
    unanswered = Unanswered(engine, retriever.named_question_vector)
    bot = Bot(
        store,
        publisher,
        retriever,
        gateway,
        bus,
        handoffs=handoffs,
        turns=TurnLeases(bus),
        unanswered=unanswered,
        models=models,
        plugins=PluginStep(plugins, budget_s=settings.plugins_budget_s)
        if settings.plugins_enabled
        else None,
        min_coverage=settings.kb_min_coverage,
        similarity=similarity,
        persona=settings.bot_persona,
    )
    stranded = StrandedTurns(bus, store, bot.recover_stranded, tasks)
    stranded.start()
    tokens = VisitorTokens(keys, settings.visitor_token_ttl_s)
    staff_tokens = StaffTokens(keys, kv_store(bus, "auth"))
    conversations = ConversationService(
        store,
        publisher,
        tokens,
        bot,
        handoffs,
        tasks,
        limiter,
        max_message_chars=settings.max_message_chars,
        page_size=settings.history_page_size,
    )
    users = Users()
    assigner = Assigner(store, handoffs, bus, rules, users)
    handoffs.after_queued = assigner.run
    api_keys = ApiKeys()
    caches = SharedCaches(bus)
    caches.register("api_keys", api_keys.forget)
    caches.register("rules", rules.forget)
    caches.register("kb", retriever.forget)
    caches.register("plugins", plugin_runner.forget)
    caches.register("model", models.forget)
    caches.start()
    holder: list[Services] = []

    async def changed(tenant_id: str) -> None:
        await kb_changed(holder[0], tenant_id)

    sites = Sites(
        kb,
        tasks,
        changed,
        budget=settings.kb_budget,
        max_bytes=settings.max_upload_bytes,
        max_pages=settings.kb_import_max_pages,
        allow_private=settings.kb_import_allow_private,
    )
    services = Services(
        sites=sites,
        agent_tools=AgentTools(engine),
        assigner=assigner,
        search=search,
        stranded=stranded,
        mailer=Mailer(settings.smtp_url, settings.mail_from),
        settings=settings,
        engine=engine,
        bus=bus,
        model=model,
        gateway=gateway,
        models=models,
        store=store,
        kb=kb,
        retriever=retriever,
        publisher=publisher,
        tasks=tasks,
        conversations=conversations,
        handoffs=handoffs,
        users=users,
        staff_tokens=staff_tokens,
        api_keys=api_keys,
        audit=Audit(),
        ratings=AnswerRatings(engine),
        unanswered=unanswered,
        analytics=Analytics(engine),
        kb_checks=KbChecks(engine, conversations.bot.answer_sources),
        webhooks=webhooks,
        limiter=limiter,
        rules=rules,
        keys=keys,
        plugin_runner=plugin_runner,
        plugins=plugins,
        caches=caches,
    )
    holder.append(services)
    return services


async def kb_changed(services: Services, tenant_id: str) -> None:
    """A tenant's knowledge base changed: every replica forgets what it knew of it, and the
    owner's test questions run against the new version."""
    await services.caches.forget("kb", tenant_id)
    services.kb_checks.after_change(tenant_id, services.tasks.spawn)


def kv_store(bus: Bus, namespace: str) -> Store:
    """Shared key/value state lives where the bus lives: Valkey for replicas, else in-process."""
    from .bus.valkey import ValkeyBus

    if isinstance(bus, ValkeyBus):
        return ValkeyStore(bus.client, namespace=f"kefu:{namespace}")
    return MemoryStore()


async def close_services(services: Services, *, grace_s: float = 10.0) -> None:
    await services.stranded.stop()  # no new recoveries while the running ones finish
    await services.tasks.drain(grace_s)
    await services.webhooks.stop()
    await services.search.stop()
    await services.plugin_runner.close()
    if isinstance(services.plugins, RemotePlugins):
        await services.plugins.close()
    await services.models.stop()
    await services.model.stop()
    await services.caches.stop()
    await services.bus.stop()
    await close_engine(services.engine)
