"""A tiny OpenAI-compatible HTTP server for tests.

Runs a stdlib ``ThreadingHTTPServer`` on 127.0.0.1 (free port) in a daemon
thread so the *real* ``openai`` client (httpx based) can be exercised without
network access::

    with FakeOpenAI() as srv:
        srv.script(Reply("hello"), Status(429), Delay(5), BrokenStream(), Drop(),
                   Stall("The port", 60), Unfinished("The port handled"), EchoKey(401))
        client = OpenAI(base_url=srv.base_url, api_key="test", max_retries=0)
        ...
        srv.requests[0]["messages"]   # recorded request bodies

Each POST /v1/chat/completions consumes one scripted step (FIFO); when the
queue is empty ``default_reply`` (a str or ``callable(body) -> str``) is used.
Also served: GET /v1/models, GET /v1/models/<id>, GET /health.  Anything else
gets a 404 OpenAI-style error JSON.
"""

from __future__ import annotations

import http.server
import json
import re
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "FakeOpenAI",
    "Reply",
    "Status",
    "Delay",
    "BrokenStream",
    "Drop",
    "Stall",
    "Unfinished",
    "EchoKey",
    "Step",
    "split_text",
    "count_tokens",
]


# --------------------------------------------------------------------------- steps


@dataclass
class Reply:
    """A normal assistant answer (stream or non-stream).

    Token counts default to rough word counts (never 0).  ``chunk_delay`` is
    an optional pause between streamed SSE chunks.
    """

    text: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    chunk_delay: float = 0.0


@dataclass
class Status:
    """Respond with an HTTP error status and an OpenAI-style error body.

    ``body``: None -> generated error JSON; str -> used as the error message;
    dict -> sent verbatim as JSON.  ``retry_after`` sets a Retry-After header.
    """

    code: int
    body: None | str | dict = None
    retry_after: float | None = None


@dataclass
class Delay:
    """Sleep ``seconds`` (interruptible by ``FakeOpenAI.stop()``), then answer
    with ``then`` (any step; None -> default reply)."""

    seconds: float
    then: Step | None = None


@dataclass
class BrokenStream:
    """Stream: send ``after_chunks`` content chunks (together ``text_before``),
    then close the socket mid-body (no final chunk, no ``[DONE]``).
    Non-stream: send headers with a too large Content-Length and part of the
    body, then close."""

    text_before: str = "partial "
    after_chunks: int = 2


@dataclass
class Drop:
    """Read the request, then close the connection without any response."""


@dataclass
class Stall:
    """Stream: send ``text_before`` in a few chunks, then go silent for
    ``seconds`` (a stalled stream; interruptible by ``stop()``), then hang up.
    Non-stream: the same as ``Delay(seconds)`` followed by a dropped connection."""

    text_before: str = "The port"
    seconds: float = 60.0


@dataclass
class Unfinished:
    """Stream: send ``text`` and end the body cleanly, but with no chunk that
    carries a ``finish_reason`` and no ``[DONE]`` (a proxy that cut the
    upstream). Non-stream: a completion whose ``finish_reason`` is null."""

    text: str = "The port handled"


@dataclass
class EchoKey:
    """An error status (401 by default) whose body echoes the API key the
    client sent, as some providers and proxies do."""

    code: int = 401


Step = Reply | Status | Delay | BrokenStream | Drop | Stall | Unfinished | EchoKey | str | Callable[[dict], Any]
_STEP_TYPES = (Reply, Status, Delay, BrokenStream, Drop, Stall, Unfinished, EchoKey)


# --------------------------------------------------------------------------- helpers


def count_tokens(text: str) -> int:
    """Rough token count used for default usage numbers (>= 1)."""
    return max(1, len((text or "").split()))


def _message_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts
        out = []
        for part in content:
            if isinstance(part, dict):
                out.append(str(part.get("text") or ""))
            else:
                out.append(str(part))
        return " ".join(out)
    return "" if content is None else str(content)


def _prompt_tokens(body: dict) -> int:
    msgs = body.get("messages") or []
    text = " ".join(_message_text(m.get("content")) for m in msgs if isinstance(m, dict))
    return count_tokens(text)


def split_text(text: str, min_pieces: int = 3) -> list[str]:
    """Split ``text`` into small pieces whose concatenation is ``text``
    (word-ish pieces; short texts are split by characters)."""
    if not text:
        return []
    pieces = re.findall(r"\S+\s*|\s+", text)
    if len(pieces) < min_pieces and len(text) >= min_pieces:
        return _split_n(text, min_pieces)
    return pieces


def _split_n(text: str, n: int) -> list[str]:
    n = max(1, min(n, len(text))) if text else 1
    size, rem = divmod(len(text), n)
    out, i = [], 0
    for k in range(n):
        j = i + size + (1 if k < rem else 0)
        out.append(text[i:j])
        i = j
    return out


_ERROR_TYPES = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "unsupported_country_region_territory"),
    404: ("invalid_request_error", "model_not_found"),
    409: ("invalid_request_error", None),
    422: ("invalid_request_error", None),
    429: ("requests", "rate_limit_exceeded"),
    500: ("server_error", None),
    502: ("server_error", None),
    503: ("server_error", "service_unavailable"),
    504: ("server_error", None),
}


def _phrase(code: int) -> str:
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return "error"


def _error_body(code: int, message: str | None = None) -> dict:
    etype, ecode = _ERROR_TYPES.get(code, ("server_error" if code >= 500 else "invalid_request_error", None))
    return {
        "error": {
            "message": message or f"fake error {code} ({_phrase(code)})",
            "type": etype,
            "param": None,
            "code": ecode,
        }
    }


# --------------------------------------------------------------------------- server


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    fake: FakeOpenAI

    def handle_error(self, request, client_address):  # pragma: no cover - noise filter
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (OSError, ValueError)) or self.fake._stopping.is_set():
            return  # client went away / server stopping: expected in tests
        super().handle_error(request, client_address)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeOpenAI/1.0"
    sys_version = ""
    server: _Server

    # ---- plumbing
    def setup(self):
        super().setup()
        self.server.fake._track(self.connection, add=True)

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.fake._track(self.connection, add=False)

    def log_message(self, format, *args):  # silence
        pass

    def _send_json(self, code: int, obj: Any, extra_headers: dict | None = None):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-request-id", f"req_{uuid.uuid4().hex[:16]}")
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _abort(self):
        """Abruptly end the connection (FIN both ways)."""
        self.close_connection = True
        try:
            self.wfile.flush()
        except OSError:
            pass
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _path(self) -> str:
        return self.path.split("?", 1)[0].rstrip("/") or "/"

    # ---- routes
    def do_GET(self):
        path = self._path()
        fake = self.server.fake
        if path in ("/health", "/v1/health"):
            self._send_json(200, {"status": "ok"})
        elif path == "/v1/models":
            self._send_json(200, {"object": "list", "data": [fake._model_obj()]})
        elif path.startswith("/v1/models/"):
            mid = path[len("/v1/models/"):]
            if mid == fake.model:
                self._send_json(200, fake._model_obj())
            else:
                self._send_json(404, _error_body(404, f"The model '{mid}' does not exist"))
        else:
            self._send_json(404, _error_body(404, f"Unknown path {self.path}"))

    def do_POST(self):
        path = self._path()
        raw = self._read_body()
        if path != "/v1/chat/completions":
            self._send_json(404, _error_body(404, f"Unknown path {self.path}"))
            return
        try:
            body = json.loads(raw or b"null")
            if not isinstance(body, dict):
                raise ValueError("body is not a JSON object")
        except ValueError as e:
            self._send_json(400, _error_body(400, f"Invalid JSON body: {e}"))
            return
        fake = self.server.fake
        record = dict(body)
        record["_headers"] = {k.lower(): v for k, v in self.headers.items()}
        step = fake._next_step(record)
        self._run_step(step, record)

    def do_DELETE(self):
        self._read_body()
        self._send_json(404, _error_body(404, f"Unknown path {self.path}"))

    do_PUT = do_PATCH = do_DELETE

    # ---- steps
    def _run_step(self, step: Any, body: dict):
        fake = self.server.fake
        # resolve shorthands
        for _ in range(10):
            if isinstance(step, str):
                step = Reply(step)
            elif step is None:
                step = Reply(fake._default_text(body))
            elif callable(step) and not isinstance(step, _STEP_TYPES):
                step = step(body)
            else:
                break

        if isinstance(step, Delay):
            if fake._stopping.wait(step.seconds):
                self._abort()  # server stopping: don't answer
                return
            self._run_step(step.then, body)
        elif isinstance(step, Reply):
            if body.get("stream"):
                self._stream_reply(step, body)
            else:
                self._json_reply(step, body)
        elif isinstance(step, Status):
            headers = {}
            if step.retry_after is not None:
                ra = step.retry_after
                headers["Retry-After"] = str(int(ra)) if float(ra).is_integer() else str(ra)
                headers["retry-after-ms"] = str(int(float(ra) * 1000))
            if isinstance(step.body, dict):
                payload = step.body
            else:
                payload = _error_body(step.code, step.body)
            self._send_json(step.code, payload, headers)
        elif isinstance(step, BrokenStream):
            if body.get("stream"):
                self._broken_stream(step, body)
            else:
                self._broken_json(step, body)
        elif isinstance(step, Drop):
            self._abort()
        elif isinstance(step, Stall):
            if body.get("stream"):
                self._stalled_stream(step, body)
            else:
                fake._stopping.wait(step.seconds)
                self._abort()
        elif isinstance(step, Unfinished):
            if body.get("stream"):
                self._unfinished_stream(step, body)
            else:
                completion = self._completion(Reply(step.text), body)
                completion["choices"][0]["finish_reason"] = None
                self._send_json(200, completion)
        elif isinstance(step, EchoKey):
            key = body["_headers"].get("authorization", "").removeprefix("Bearer ").strip()
            message = (f"Incorrect API key provided: {key}. You can find your API key at "
                       f"https://platform.example/account/api-keys. (Authorization: Bearer {key})")
            self._send_json(step.code, _error_body(step.code, message))
        else:
            raise TypeError(f"unknown fake step: {step!r}")

    def _usage(self, step: Reply, body: dict) -> dict:
        pt = step.prompt_tokens if step.prompt_tokens is not None else _prompt_tokens(body)
        ct = step.completion_tokens if step.completion_tokens is not None else count_tokens(step.text)
        return {"prompt_tokens": pt, "completion_tokens": ct, "total_tokens": pt + ct}

    def _completion(self, step: Reply, body: dict) -> dict:
        fake = self.server.fake
        return {
            "id": fake._new_id(),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model") or fake.model,
            "system_fingerprint": "fp_fake",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": step.text, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": self._usage(step, body),
        }

    def _json_reply(self, step: Reply, body: dict):
        self._send_json(200, self._completion(step, body))

    # streaming (chunked transfer encoding + Connection: close)
    def _start_stream(self):
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.send_header("x-request-id", f"req_{uuid.uuid4().hex[:16]}")
        self.end_headers()
        self.wfile.flush()

    def _write_chunk(self, data: bytes):
        self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _sse(self, obj: Any):
        payload = obj if isinstance(obj, str) else json.dumps(obj)
        self._write_chunk(f"data: {payload}\n\n".encode())

    def _chunk_obj(self, cid: str, model: str, delta: dict, finish=None, with_usage=False) -> dict:
        obj = {
            "id": cid,
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": "fp_fake",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        if with_usage:
            obj["usage"] = None
        return obj

    def _stream_reply(self, step: Reply, body: dict):
        fake = self.server.fake
        cid, model = fake._new_id(), body.get("model") or fake.model
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        self._start_stream()
        self._sse(self._chunk_obj(cid, model, {"role": "assistant", "content": ""}, with_usage=include_usage))
        for piece in split_text(step.text):
            if step.chunk_delay and fake._stopping.wait(step.chunk_delay):
                self._abort()
                return
            self._sse(self._chunk_obj(cid, model, {"content": piece}, with_usage=include_usage))
        self._sse(self._chunk_obj(cid, model, {}, finish="stop", with_usage=include_usage))
        if include_usage:
            self._sse(
                {
                    "id": cid,
                    "object": "chat.completion.chunk",
                    "created": int(time.time()),
                    "model": model,
                    "system_fingerprint": "fp_fake",
                    "choices": [],
                    "usage": self._usage(step, body),
                }
            )
        self._sse("[DONE]")
        self._write_chunk(b"")  # terminating zero-length chunk

    def _broken_stream(self, step: BrokenStream, body: dict):
        fake = self.server.fake
        cid, model = fake._new_id(), body.get("model") or fake.model
        self._start_stream()
        pieces = _split_n(step.text_before, step.after_chunks) if step.text_before else []
        for i, piece in enumerate(pieces):
            delta = {"content": piece}
            if i == 0:
                delta = {"role": "assistant", "content": piece}
            self._sse(self._chunk_obj(cid, model, delta))
        # half of a chunk header+data, then hang up: an incomplete chunked body
        self.wfile.write(b"40\r\ndata: {\"id\"")
        self._abort()

    def _stalled_stream(self, step: Stall, body: dict):
        fake = self.server.fake
        cid, model = fake._new_id(), body.get("model") or fake.model
        self._start_stream()
        for i, piece in enumerate(split_text(step.text_before)):
            delta = {"role": "assistant", "content": piece} if i == 0 else {"content": piece}
            self._sse(self._chunk_obj(cid, model, delta))
        fake._stopping.wait(step.seconds)
        self._abort()

    def _unfinished_stream(self, step: Unfinished, body: dict):
        fake = self.server.fake
        cid, model = fake._new_id(), body.get("model") or fake.model
        self._start_stream()
        self._sse(self._chunk_obj(cid, model, {"role": "assistant", "content": ""}))
        for piece in split_text(step.text):
            self._sse(self._chunk_obj(cid, model, {"content": piece}))
        self._write_chunk(b"")  # a clean end of the body: no finish chunk, no [DONE]

    def _broken_json(self, step: BrokenStream, body: dict):
        data = json.dumps(self._completion(Reply(step.text_before), body)).encode()
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data) + 100))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self._abort()


# --------------------------------------------------------------------------- public


class FakeOpenAI:
    """OpenAI-compatible fake server; see module docstring."""

    def __init__(self, model: str = "fake-model"):
        self.model = model
        self.default_reply: str | Callable[[dict], str] = "This is a fake reply."
        self.requests: list[dict] = []
        self.base_url: str = ""
        self.host = "127.0.0.1"
        self.port: int = 0
        self._queue: deque = deque()
        self._lock = threading.Lock()
        self._conns: set = set()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._ids = 0

    # ---- lifecycle
    def start(self) -> FakeOpenAI:
        if self._server is not None:
            return self
        self._stopping.clear()
        server = _Server((self.host, 0), _Handler)
        server.fake = self
        self._server = server
        self.port = server.server_address[1]
        self.base_url = f"http://{self.host}:{self.port}/v1"
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"FakeOpenAI:{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()  # wakes Delay sleepers
        server.shutdown()
        server.server_close()
        with self._lock:
            conns = list(self._conns)
        for c in conns:  # unblock keep-alive handlers waiting for a next request
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ---- scripting
    def script(self, *steps: Step) -> None:
        """Append steps to the FIFO queue (one consumed per chat request)."""
        with self._lock:
            self._queue.extend(steps)

    def reset(self) -> None:
        """Clear the step queue and the recorded requests."""
        with self._lock:
            self._queue.clear()
            self.requests.clear()

    @property
    def pending(self) -> int:
        """Number of scripted steps not yet consumed."""
        with self._lock:
            return len(self._queue)

    @property
    def last_request(self) -> dict | None:
        with self._lock:
            return self.requests[-1] if self.requests else None

    # ---- internals
    def _next_step(self, record: dict) -> Any:
        with self._lock:
            self.requests.append(record)
            return self._queue.popleft() if self._queue else None

    def _default_text(self, body: dict) -> str:
        dr = self.default_reply
        return str(dr(body)) if callable(dr) else str(dr)

    def _new_id(self) -> str:
        with self._lock:
            self._ids += 1
            return f"chatcmpl-fake{self._ids:06d}"

    def _model_obj(self) -> dict:
        return {"id": self.model, "object": "model", "created": 1700000000, "owned_by": "fake"}

    def _track(self, conn, add: bool) -> None:
        with self._lock:
            if add:
                self._conns.add(conn)
            else:
                self._conns.discard(conn)

    def __repr__(self) -> str:
        return f"FakeOpenAI(model={self.model!r}, base_url={self.base_url!r})"
