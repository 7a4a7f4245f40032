"""A real OpenAI-compatible HTTP server for tests and benchmarks, on a free local port.

It checks every request the way a strict endpoint would — the model, a ``json_schema``
response format obeying strict-mode rules, exactly one low-detail JPEG data URL no larger
than allowed — and answers from a script: a valid result, invalid JSON, a schema
violation, a refusal, 429 with or without ``Retry-After``, 500, or an answer slower than
the client's timeout. Shape problems are recorded in ``violations`` and answered with 400.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from PIL import Image

VALID = "valid"
INVALID_JSON = "invalid_json"
SCHEMA_VIOLATION = "schema_violation"
REFUSAL = "refusal"
RATE_LIMIT = "rate_limit"  # 429 with Retry-After
RATE_LIMIT_BARE = "rate_limit_bare"  # 429 without Retry-After
SERVER_ERROR = "server_error"  # 500
SLOW = "slow"  # a valid answer, after ``slow_s``
NO_SCHEMA_SUPPORT = "no_schema_support"  # 400 for json_schema, valid answer in JSON mode
UNAUTHORISED = "unauthorised"  # 401 echoing the key back, as some servers do

DEFAULT_ANSWER = {
    "title": "Morning Light Over the Old Harbour",
    "description": (
        "Fishing boats rest in a quiet harbour as the first light warms the water. "
        "Gulls circle above the moorings."
    ),
    "tags": ["Harbour", "boats", "morning", "the", "sea!", "boats", "light", "gulls"],
}


@dataclass(frozen=True)
class SeenRequest:
    at: float  # time.monotonic() when it arrived
    reply: str
    response_format: str | None
    prompt: str
    authorization: str | None


class FakeOpenAI:
    """Start with :meth:`start`; point the client at :attr:`url`; script with :meth:`queue`."""

    def __init__(self, *, model: str = "test-vision", max_image_px: int = 512) -> None:
        self.model = model
        self.max_image_px = max_image_px
        self.latency_s = 0.0  # added to every answer (benchmarks)
        self.slow_s = 3.0
        self.retry_after = "0.2"
        self.answer: dict[str, Any] = dict(DEFAULT_ANSWER)
        self.default = VALID
        self.violations: list[str] = []
        self.seen: list[SeenRequest] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._script: deque[str] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def queue(self, *replies: str) -> None:
        """The next requests get these replies, in order; then ``default``."""
        with self._lock:
            self._script.extend(replies)

    @property
    def count(self) -> int:
        return len(self.seen)

    # called from handler threads

    def next_reply(self) -> str:
        with self._lock:
            return self._script.popleft() if self._script else self.default

    def record(self, request: SeenRequest) -> None:
        with self._lock:
            self.seen.append(request)

    def enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def check(self, body: dict[str, Any]) -> list[str]:
        """What is wrong with this request's shape (empty when it is well-formed)."""
        problems: list[str] = []
        if body.get("model") != self.model:
            problems.append(f"model {body.get('model')!r}, expected {self.model!r}")
        problems += _check_response_format(body.get("response_format"))
        images = [
            part
            for message in body.get("messages", [])
            if isinstance(message.get("content"), list)
            for part in message["content"]
            if part.get("type") == "image_url"
        ]
        if len(images) != 1:
            problems.append(f"{len(images)} image parts, expected exactly 1")
        else:
            problems += _check_image(images[0].get("image_url", {}), self.max_image_px)
        return problems


def _check_response_format(fmt: Any) -> list[str]:
    if not isinstance(fmt, dict):
        return ["no response_format"]
    if fmt.get("type") == "json_object":
        return []
    if fmt.get("type") != "json_schema":
        return [f"response_format type {fmt.get('type')!r}"]
    spec = fmt.get("json_schema", {})
    problems = [] if spec.get("strict") is True else ["json_schema is not strict"]
    if not spec.get("name"):
        problems.append("json_schema has no name")
    return problems + _strict_rules(spec.get("schema"), "schema")


def _strict_rules(schema: Any, where: str) -> list[str]:
    """Strict mode: objects list every property as required and forbid others."""
    if not isinstance(schema, dict):
        return [f"{where} is not an object"]
    problems: list[str] = []
    if schema.get("type") == "object":
        props = schema.get("properties", {})
        if schema.get("additionalProperties") is not False:
            problems.append(f"{where}: additionalProperties is not false")
        if set(schema.get("required", [])) != set(props):
            problems.append(f"{where}: not every property is required")
        for name, sub in props.items():
            problems += _strict_rules(sub, f"{where}.{name}")
    if schema.get("type") == "array":
        problems += _strict_rules(schema.get("items"), f"{where}[]")
    return problems


def _check_image(image_url: dict[str, Any], max_px: int) -> list[str]:
    url = image_url.get("url", "")
    prefix = "data:image/jpeg;base64,"
    if not url.startswith(prefix):
        return ["image is not a JPEG data URL"]
    problems = [] if image_url.get("detail") == "low" else ["image detail is not low"]
    try:
        data = base64.b64decode(url[len(prefix) :], validate=True)
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "JPEG":
                problems.append(f"image is {image.format}, not JPEG")
            if max(image.size) > max_px:
                problems.append(f"image is {image.size}, larger than {max_px} px")
    except (ValueError, OSError) as exc:
        problems.append(f"image does not decode: {exc}")
    return problems


def _make_handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            """``/stats``: what a server in another process has seen (benchmarks)."""
            stats = {"count": fake.count, "violations": fake.violations}
            self._send(200 if self.path == "/stats" else 404, stats)

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            fake.enter()
            try:
                self._answer(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout): nothing to answer
            finally:
                fake.leave()

        def _answer(self, body: dict[str, Any]) -> None:
            fmt = (body.get("response_format") or {}).get("type")
            reply = fake.next_reply()
            fake.record(
                SeenRequest(
                    time.monotonic(),
                    reply,
                    fmt,
                    _prompt_text(body),
                    self.headers.get("Authorization"),
                )
            )
            if self.path.rstrip("/") != "/v1/chat/completions":
                return self._send(404, _error(f"no route {self.path}"))
            if problems := fake.check(body):
                fake.violations.extend(problems)
                return self._send(400, _error("; ".join(problems)))
            if fake.latency_s:
                time.sleep(fake.latency_s)
            self._reply(reply, fmt, body)

        def _reply(self, reply: str, fmt: str | None, body: dict[str, Any]) -> None:
            if reply == RATE_LIMIT:
                return self._send(429, _error("slow down"), {"Retry-After": fake.retry_after})
            if reply == RATE_LIMIT_BARE:
                return self._send(429, _error("slow down"))
            if reply == SERVER_ERROR:
                return self._send(500, _error("the model fell over"))
            if reply == UNAUTHORISED:
                key = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                return self._send(401, _error(f"Incorrect API key provided: {key}"))
            if reply == NO_SCHEMA_SUPPORT and fmt == "json_schema":
                msg = "response_format json_schema is not supported by this server"
                return self._send(400, _error(msg, param="response_format"))
            if reply == SLOW:
                time.sleep(fake.slow_s)
            self._send(200, _completion(body.get("model"), reply, fake.answer))

        def _send(self, status: int, payload: dict[str, Any], headers: dict | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _prompt_text(body: dict[str, Any]) -> str:
    texts = [
        part.get("text", "")
        for message in body.get("messages", [])
        if isinstance(message.get("content"), list)
        for part in message["content"]
        if part.get("type") == "text"
    ]
    return "\n".join(texts)


def _error(message: str, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "param": param}}


def _completion(model: str | None, reply: str, answer: dict[str, Any]) -> dict[str, Any]:
    content: str | None = json.dumps(answer)
    refusal = None
    if reply == INVALID_JSON:
        content = '{"title": "Morning light", "description": "Boats'
    elif reply == SCHEMA_VIOLATION:
        content = json.dumps({"title": "Morning light", "tags": "boats, sea"})
    elif reply == REFUSAL:
        content, refusal = None, "I'm sorry, I can't help with describing this image."
    message = {"role": "assistant", "content": content, "refusal": refusal}
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
    }


def main() -> None:
    """Serve in a process of its own, so a benchmark's client does not share its GIL."""
    parser = argparse.ArgumentParser(description="A local OpenAI-compatible test server.")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--port-file", required=True, help="where to write the port")
    args = parser.parse_args()
    server = FakeOpenAI()
    server.latency_s = args.latency_ms / 1000
    pending = f"{args.port_file}.tmp"
    with open(pending, "w") as out:
        out.write(str(server.port))
    os.replace(pending, args.port_file)  # readers never see a half-written port
    server._server.serve_forever(poll_interval=0.05)


if __name__ == "__main__":
    main()
