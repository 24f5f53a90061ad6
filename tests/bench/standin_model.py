"""A stand-in OpenAI-compatible model server that answers at once (benchmarks only).

It isolates kefu's own overhead: whatever time a request spends beyond this server's is ours.
Speaks just enough HTTP/1.1: ``GET /v1/models``, ``POST /v1/chat/completions`` (SSE stream of a
fixed answer in pieces), ``POST /v1/embeddings`` -> 404. Run: ``python -m tests.bench.standin_model PORT``.
"""

from __future__ import annotations

import asyncio
import json
import sys

ANSWER = ["Standard shipping ", "is free on orders ", "over $49 [1]."]


def _chunk(content: str | None) -> bytes:
    delta = {"content": content} if content is not None else {}
    body = {
        "id": "x",
        "object": "chat.completion.chunk",
        "model": "standin",
        "choices": [{"index": 0, "delta": delta, "finish_reason": None if content else "stop"}],
    }
    return f"data: {json.dumps(body)}\n\n".encode()


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *header_lines = head.decode().split("\r\n")
            method, path, _ = request_line.split(" ", 2)
            headers = dict(line.split(": ", 1) for line in header_lines if ": " in line)
            length = int(headers.get("content-length") or headers.get("Content-Length") or 0)
            if length:
                await reader.readexactly(length)
            if path.endswith("/models"):
                body = json.dumps(
                    {"object": "list", "data": [{"id": "standin", "object": "model"}]}
                ).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
            elif path.endswith("/chat/completions"):
                stream = (
                    b"".join(_chunk(piece) for piece in ANSWER) + _chunk(None) + b"data: [DONE]\n\n"
                )
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                    + f"Content-Length: {len(stream)}\r\n\r\n".encode()
                    + stream
                )
            else:
                writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def serve(port: int) -> None:
    server = await asyncio.start_server(_handle, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
