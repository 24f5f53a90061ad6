"""A scripted stand-in for an OpenAI-compatible model server (fake: it does not generate).

It speaks the real wire protocol over HTTP: ``/v1/models``, streamed ``/v1/chat/completions``
with ``content`` deltas or ``tool_calls`` fragments. Each request takes the next scripted reply
and is recorded, so a test can check what kefu sent.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.servers import free_port

__all__ = ["FakeToolModelServer"]


class FakeToolModelServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.replies: list[dict] = []  # {"text": "..."} or {"call": (name, json_args_string)}
        self.default_text = "..."
        self.authorizations: list[str] = []  # the Authorization header of each request
        self.hold: threading.Event | None = None  # set: answers wait until it is set
        self.delay_s = 0.0  # > 0: stream each piece after this pause, as a slow model would
        self.requests: list[dict] = []
        self.in_flight = 0
        self.most_in_flight = 0  # the most requests it was serving at once
        self._count = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            _counted = False  # this request is in the server's in-flight count

            def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self._served()
                self.wfile.write(body)

            def _served(self) -> None:
                """The request leaves the count before its last bytes go out: a client that has
                read them (and sends its next request) can never see it still counted."""
                if self._counted:
                    self._counted = False
                    with server._count:
                        server.in_flight -= 1

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                if self.path.endswith("/models"):
                    self._send(200, b'{"data": [{"id": "fake-tool-model"}]}')
                else:
                    self._send(404, b'{"error": "no"}')

            def do_POST(self) -> None:  # noqa: N802
                with server._count:
                    server.in_flight += 1
                    server.most_in_flight = max(server.most_in_flight, server.in_flight)
                self._counted = True
                try:
                    self._post()
                finally:
                    self._served()

            def _post(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if not self.path.endswith("/chat/completions"):
                    self._send(404, b'{"error": {"message": "not here"}}')
                    return
                server.requests.append(body)
                server.authorizations.append(self.headers.get("Authorization", ""))
                if server.hold is not None:
                    server.hold.wait(60)
                reply = server.replies.pop(0) if server.replies else {"text": server.default_text}
                events = []
                if "call" in reply:
                    name, args = reply["call"]
                    half = len(args) // 2
                    for i, piece in enumerate((args[:half], args[half:])):
                        function = {"arguments": piece, **({"name": name} if i == 0 else {})}
                        delta = {"tool_calls": [{"index": 0, "function": function}]}
                        events.append({"choices": [{"delta": delta}]})
                else:
                    for word in reply["text"].split(" "):
                        events.append({"choices": [{"delta": {"content": word + " "}}]})
                chunks = [f"data: {json.dumps(e)}\n\n" for e in events] + ["data: [DONE]\n\n"]
                if server.delay_s <= 0:
                    self._send(200, "".join(chunks).encode(), "text/event-stream")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                try:
                    for i, chunk in enumerate(chunks):
                        time.sleep(server.delay_s)
                        if i == len(chunks) - 1:
                            self._served()
                        self.wfile.write(chunk.encode())
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client went away (a killed replica)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
