"""A merchant's API for plugin tests: a real HTTP server on loopback with scripted answers."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.servers import free_port

__all__ = ["MerchantApi"]


class MerchantApi:
    """``/orders/<id>`` answers from ``orders``; ``/slow`` hangs; ``/broken`` 500s; ``/garbage``
    sends HTML; every request is recorded (method, path, headers, body)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.orders = {"12345": {"status": "shipped", "eta": "Friday"}}
        self.requests: list[dict] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                api.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                    }
                )
                status, payload, kind = 200, b"", "application/json"
                if self.path.startswith("/orders/"):
                    order = api.orders.get(self.path.split("/")[-1].split("?")[0])
                    if order is None:
                        status, payload = 404, b'{"error": "no such order"}'
                    else:
                        payload = json.dumps(order).encode()
                elif self.path.startswith("/slow"):
                    time.sleep(10)
                    payload = b"{}"
                elif self.path.startswith("/broken"):
                    status, payload = 500, b'{"error": "boom"}'
                elif self.path.startswith("/garbage"):
                    payload, kind = b"<html>not json</html>", "text/html"
                elif self.path.startswith("/points"):
                    payload = json.dumps({"points": 420, "tier": "gold"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _answer  # noqa: N815 - http.server's naming
            do_POST = _answer  # noqa: N815

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
