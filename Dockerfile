# One image for every kefu function (all, chat, admin, plugins), built from uv.lock.
#   docker build -t kefu .                      # CPU image (retrieval-only or a model server)
#   docker build --target gpu -t kefu:gpu .     # + MLC-LLM for mlc:// or `mlc_llm serve`
#   docker run -p 8000:8000 -e KEFU_DATABASE_URL=… -e KEFU_VALKEY_URL=… -e KEFU_SECRET_KEY=… kefu
#   (pick a function with `kefu serve --function chat` or KEFU_FUNCTIONS=chat)
# tests/integration/test_image.py builds it with a real Docker engine, runs it and runs compose.yaml.

FROM python:3.11-slim AS build
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
# Dependencies first: this layer is reused until uv.lock changes.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY shared ./shared
COPY functions ./functions
RUN uv sync --frozen --no-dev --no-editable

# MLC-LLM comes from MLC's own wheel index (PyPI's mlc-llm names are empty placeholders).
FROM build AS gpu-build
ARG MLC_WHEELS="mlc-llm-nightly-cu128 mlc-ai-nightly-cu128"
RUN uv pip install --python /app/.venv/bin/python --prerelease=allow \
      --find-links https://mlc.ai/wheels ${MLC_WHEELS} \
    && /app/.venv/bin/python -c "import mlc_llm; print('mlc_llm', mlc_llm.__version__)"

FROM python:3.11-slim AS runtime-base
RUN groupadd --gid 10001 kefu \
    && useradd --uid 10001 --gid 10001 --create-home --shell /usr/sbin/nologin kefu \
    && mkdir /data && chown kefu:kefu /data
ENV PATH=/app/.venv/bin:$PATH \
    KEFU_DATA_DIR=/data \
    KEFU_HOST=0.0.0.0 \
    KEFU_PORT=8000 \
    PYTHONUNBUFFERED=1
WORKDIR /data
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]

# The GPU variant: needs the NVIDIA container toolkit on the node (nvidia.com/gpu).
FROM runtime-base AS gpu
COPY --from=gpu-build /app/.venv /app/.venv
USER 10001:10001
CMD ["kefu", "serve"]

# The default image (last stage).
FROM runtime-base AS runtime
COPY --from=build /app/.venv /app/.venv
USER 10001:10001
CMD ["kefu", "serve"]
