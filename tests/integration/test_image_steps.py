"""The image's build steps, run as the Dockerfile writes them (no Docker engine here), and the
app they install started by a non-root user: what `docker build` + `docker run` would do."""

from __future__ import annotations

import os
import pwd
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def build_stage() -> tuple[dict[str, str], list[tuple[str, list[str]]]]:
    """ENV and the COPY/RUN steps of the `build` stage, in order."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    stage = text.split("FROM python:3.11-slim AS build")[1].split("\nFROM ")[0]
    env: dict[str, str] = {}
    steps: list[tuple[str, list[str]]] = []
    for line in stage.splitlines():
        line = line.strip()
        if line.startswith("ENV "):
            env.update(dict(re.findall(r"(\w+)=(\S+)", line[4:])))
        elif line.startswith(("RUN ", "COPY ")):
            keyword, rest = line.split(" ", 1)
            steps.append((keyword, shlex.split(rest) if keyword == "COPY" else [rest]))
    return env, steps


def test_the_image_build_steps_install_kefu_and_a_non_root_user_serves_it():
    env, steps = build_stage()
    assert [k for k, _ in steps] == ["RUN", "COPY", "RUN", "COPY", "COPY", "RUN"]
    work = Path(tempfile.mkdtemp(prefix="kefu-image-"))
    os.chmod(work, 0o755)
    app = work / "app"
    app.mkdir()
    tools = work / "tools"  # stands in for the base image's Python (where `pip` installs uv)
    subprocess.run([sys.executable, "-m", "venv", str(tools)], check=True)
    shell_env = {
        **{
            k: v for k, v in os.environ.items() if not k.startswith(("KEFU_", "VIRTUAL_ENV", "UV_"))
        },
        **env,
        "PATH": f"{tools / 'bin'}:{os.environ['PATH']}",
    }
    if Path("/usr/bin/python3.11").exists():
        # The image has one interpreter, the base image's, readable by every user. Here the
        # default one may live in root's home (pyenv): use the system's, as the image would.
        shell_env["UV_PYTHON"] = "/usr/bin/python3.11"
    try:
        for keyword, args in steps:
            if keyword == "COPY":
                *sources, target = args
                for source in sources:
                    src = ROOT / source
                    dst = app / target if target not in ("./", ".") else app / src.name
                    if src.is_dir():
                        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
                    else:
                        shutil.copy2(src, app / src.name)
            else:
                done = subprocess.run(
                    ["bash", "-c", args[0]], cwd=app, env=shell_env, capture_output=True, text=True
                )
                assert done.returncode == 0, f"RUN {args[0]}\n{done.stdout}\n{done.stderr}"
        kefu = app / ".venv" / "bin" / "kefu"
        assert kefu.exists()
        # No source tree needed at run time: the package is installed, not linked.
        assert not (app / ".venv" / "lib" / "python3.11" / "site-packages" / "_kefu.pth").exists()
        for path in app.rglob("*"):
            path.chmod(path.stat().st_mode | 0o055)
        data = work / "data"
        data.mkdir()
        port = free_port()
        command = [str(kefu), "serve", "--port", str(port)]
        user = "nobody"
        as_user = {}
        if os.geteuid() == 0:  # as in the image: USER kefu (unprivileged)
            shutil.chown(data, user=user)
            as_user = {"user": user, "group": pwd.getpwnam(user).pw_gid, "extra_groups": []}
        run_env = {
            "PATH": f"{app / '.venv' / 'bin'}:/usr/bin:/bin",
            "KEFU_DATA_DIR": str(data),
            "KEFU_HOST": "127.0.0.1",
            "PYTHONUNBUFFERED": "1",
            "HOME": str(data),
        }
        server = subprocess.Popen(
            command,
            env=run_env,
            cwd=data,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            **as_user,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert server.poll() is None, server.stdout.read().decode()
                time.sleep(0.2)
            else:
                raise AssertionError("the installed app never became ready")
            started = httpx.post(
                f"http://127.0.0.1:{port}/api/v1/visitor/conversations", json={"widget_key": "demo"}
            )
            assert started.status_code == 201
            owners = {p.stat().st_uid for p in data.rglob("*")}
            if os.geteuid() == 0:
                assert owners == {pwd.getpwnam(user).pw_uid}  # it ran as the unprivileged user
        finally:
            server.terminate()
            server.wait(15)
    finally:
        shutil.rmtree(work, ignore_errors=True)
