# One image for every kefu function (all, chat, admin, plugins), built from uv.lock.
#   docker build -t kefu .
#   docker run -p 8000:8000 -e KEFU_DATABASE_URL=… -e KEFU_VALKEY_URL=… -e KEFU_SECRET_KEY=… kefu

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

FROM python:3.11-slim
RUN useradd --uid 10001 --create-home --shell /usr/sbin/nologin kefu \
    && mkdir /data && chown kefu:kefu /data
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH \
    KEFU_DATA_DIR=/data \
    KEFU_HOST=0.0.0.0 \
    KEFU_PORT=8000 \
    PYTHONUNBUFFERED=1
USER kefu
WORKDIR /data
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
CMD ["kefu", "serve"]
