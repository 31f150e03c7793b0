"""Self-tests for tests/support: the fake OpenAI server (driven by the real
``openai`` client) and the network guard."""

from __future__ import annotations

import json
import socket
import time
import urllib.request

import httpx
import openai
import pytest
from openai import OpenAI

from tests.support import netguard
from tests.support.fake_openai import (
    BrokenStream,
    Delay,
    Drop,
    EchoKey,
    FakeOpenAI,
    Reply,
    Stall,
    Status,
    Unfinished,
)

MSGS = [{"role": "user", "content": "Bonjour, qui es-tu ?"}]


@pytest.fixture
def srv():
    with FakeOpenAI() as s:
        yield s


def client(srv, timeout=5.0, **kw):
    return OpenAI(base_url=srv.base_url, api_key="test", max_retries=0, timeout=timeout, **kw)


def _stream_text(stream):
    parts = []
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            parts.append(chunk.choices[0].delta.content)
    return "".join(parts)


# ----------------------------------------------------------------------------- basics


def test_base_url_and_get_endpoints(srv):
    assert srv.base_url.startswith("http://127.0.0.1:") and srv.base_url.endswith("/v1")
    models = client(srv).models.list()
    assert [m.id for m in models.data] == ["fake-model"]
    root = srv.base_url[: -len("/v1")]
    with urllib.request.urlopen(root + "/health", timeout=2) as r:
        assert r.status == 200 and json.loads(r.read())["status"] == "ok"
    r = httpx.get(srv.base_url + "/nope", timeout=2)
    assert r.status_code == 404 and "error" in r.json()


def test_non_stream_reply_and_usage(srv):
    srv.script(Reply("Je suis un assistant.", prompt_tokens=11, completion_tokens=4))
    resp = client(srv).chat.completions.create(model="fake-model", messages=MSGS)
    assert resp.choices[0].message.content == "Je suis un assistant."
    assert resp.choices[0].finish_reason == "stop"
    assert resp.usage.prompt_tokens == 11
    assert resp.usage.completion_tokens == 4
    assert resp.usage.total_tokens == 15


def test_default_usage_is_nonzero_and_default_reply(srv):
    srv.default_reply = lambda body: "echo: " + body["messages"][-1]["content"]
    resp = client(srv).chat.completions.create(model="m", messages=MSGS)
    assert resp.choices[0].message.content == "echo: Bonjour, qui es-tu ?"
    assert resp.usage.prompt_tokens > 0 and resp.usage.completion_tokens > 0
    assert resp.model == "m"
    srv.default_reply = "fixed"
    assert client(srv).chat.completions.create(model="m", messages=MSGS).choices[0].message.content == "fixed"


def test_script_is_fifo_then_default(srv):
    srv.default_reply = "default"
    srv.script(Reply("one"), "two")  # plain str is shorthand for Reply
    c = client(srv)
    got = [c.chat.completions.create(model="m", messages=MSGS).choices[0].message.content for _ in range(3)]
    assert got == ["one", "two", "default"]
    assert srv.pending == 0


# ----------------------------------------------------------------------------- streaming


def test_stream_reply_deltas_and_usage(srv):
    text = "Le chatbot répond en plusieurs langues, 多语言 aussi."
    srv.script(Reply(text, prompt_tokens=7, completion_tokens=9))
    stream = client(srv).chat.completions.create(
        model="fake-model", messages=MSGS, stream=True, stream_options={"include_usage": True}
    )
    chunks = list(stream)
    content = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert "".join(content) == text
    assert len(content) >= 3  # several small deltas
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == "stop"
    usage_chunks = [c for c in chunks if not c.choices]
    assert len(usage_chunks) == 1 and chunks[-1] is usage_chunks[0]
    assert usage_chunks[0].usage.prompt_tokens == 7
    assert usage_chunks[0].usage.completion_tokens == 9
    assert srv.requests[-1]["stream"] is True
    assert srv.requests[-1]["stream_options"] == {"include_usage": True}


def test_stream_without_include_usage_has_no_usage_chunk(srv):
    srv.script(Reply("a b c d"))
    chunks = list(client(srv).chat.completions.create(model="m", messages=MSGS, stream=True))
    assert all(c.choices for c in chunks)
    assert all(c.usage is None for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "a b c d"


def test_streams_sequentially_reuse_client(srv):
    srv.script(Reply("first answer"), Reply("second answer"))
    c = client(srv)
    assert _stream_text(c.chat.completions.create(model="m", messages=MSGS, stream=True)) == "first answer"
    assert _stream_text(c.chat.completions.create(model="m", messages=MSGS, stream=True)) == "second answer"


# ----------------------------------------------------------------------------- errors


def test_status_429_rate_limit(srv):
    srv.script(Status(429, retry_after=1))
    with pytest.raises(openai.RateLimitError) as ei:
        client(srv).chat.completions.create(model="m", messages=MSGS)
    assert ei.value.status_code == 429
    assert ei.value.response.headers["retry-after"] == "1"
    assert ei.value.code == "rate_limit_exceeded"


def test_status_500_and_503(srv):
    srv.script(Status(500), Status(503, body="overloaded"))
    c = client(srv)
    with pytest.raises(openai.InternalServerError) as ei:
        c.chat.completions.create(model="m", messages=MSGS)
    assert ei.value.status_code == 500
    with pytest.raises(openai.InternalServerError) as ei:
        c.chat.completions.create(model="m", messages=MSGS)
    assert ei.value.status_code == 503 and "overloaded" in str(ei.value)


def test_status_on_stream_request(srv):
    srv.script(Status(429))
    with pytest.raises(openai.RateLimitError):
        client(srv).chat.completions.create(model="m", messages=MSGS, stream=True)


def test_delay_triggers_client_timeout_and_stop_is_prompt():
    t0 = time.monotonic()
    s = FakeOpenAI().start()
    try:
        s.script(Delay(10, then=Reply("too late")))
        with pytest.raises(openai.APITimeoutError):
            client(s, timeout=0.5).chat.completions.create(model="m", messages=MSGS)
    finally:
        t_stop = time.monotonic()
        s.stop()
        assert time.monotonic() - t_stop < 5  # well under the scripted 10 s delay
    assert time.monotonic() - t0 < 8


def test_short_delay_then_reply(srv):
    srv.script(Delay(0.2, then=Reply("after delay")))
    t0 = time.monotonic()
    resp = client(srv).chat.completions.create(model="m", messages=MSGS)
    assert resp.choices[0].message.content == "after delay"
    assert time.monotonic() - t0 >= 0.2


def test_broken_stream_raises_after_partial_text(srv):
    srv.script(BrokenStream(text_before="partial answer ", after_chunks=2))
    stream = client(srv).chat.completions.create(model="m", messages=MSGS, stream=True)
    got = []
    with pytest.raises((openai.APIError, httpx.HTTPError)) as ei:
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                got.append(chunk.choices[0].delta.content)
    assert "".join(got) == "partial answer "
    assert len(got) == 2
    # document the concrete type the real client surfaces
    assert isinstance(ei.value, httpx.RemoteProtocolError), type(ei.value)


def test_broken_non_stream_raises_connection_error(srv):
    srv.script(BrokenStream())
    with pytest.raises(openai.APIConnectionError):
        client(srv).chat.completions.create(model="m", messages=MSGS)


def test_drop_raises_connection_error(srv):
    srv.script(Drop(), Reply("recovered"))
    c = client(srv)
    with pytest.raises(openai.APIConnectionError):
        c.chat.completions.create(model="m", messages=MSGS)
    assert c.chat.completions.create(model="m", messages=MSGS).choices[0].message.content == "recovered"


def test_retries_are_honoured_by_client(srv):
    srv.script(Status(500), Status(429, retry_after=0), Reply("third time lucky"))
    c = OpenAI(base_url=srv.base_url, api_key="test", max_retries=2, timeout=5)
    assert c.chat.completions.create(model="m", messages=MSGS).choices[0].message.content == "third time lucky"
    assert len(srv.requests) == 3


# ----------------------------------------------------------------------------- recording


def test_unfinished_stream_ends_cleanly_without_finish_reason(srv):
    srv.script(Unfinished("The port handled"))
    chunks = list(client(srv).chat.completions.create(model="m", messages=MSGS, stream=True))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "The port handled"  # no error raised: the client cannot tell by itself
    assert all(c.choices[0].finish_reason is None for c in chunks if c.choices)


def test_stalled_stream_sends_text_then_goes_silent(srv):
    srv.script(Stall("The port", seconds=30))
    stream = client(srv, timeout=1.0).chat.completions.create(model="m", messages=MSGS,
                                                              stream=True)
    got = []
    started = time.monotonic()
    with pytest.raises((openai.APIError, httpx.HTTPError)):
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                got.append(chunk.choices[0].delta.content)
    assert "".join(got) == "The port" and time.monotonic() - started < 5


def test_echo_key_status_echoes_the_clients_key(srv):
    srv.script(EchoKey(401))
    c = OpenAI(base_url=srv.base_url, api_key="sk-echo-me-123456", max_retries=0, timeout=5)
    with pytest.raises(openai.AuthenticationError) as ei:
        c.chat.completions.create(model="m", messages=MSGS)
    assert "sk-echo-me-123456" in str(ei.value)


def test_requests_are_recorded(srv):
    c = client(srv)
    c.chat.completions.create(
        model="fake-model",
        messages=[{"role": "system", "content": "Réponds en français."}] + MSGS,
        temperature=0.1,
    )
    assert len(srv.requests) == 1
    req = srv.requests[0]
    assert req["model"] == "fake-model"
    assert req["temperature"] == 0.1
    assert [m["role"] for m in req["messages"]] == ["system", "user"]
    assert req["messages"][1]["content"] == "Bonjour, qui es-tu ?"
    assert req["_headers"]["authorization"] == "Bearer test"
    assert req["_headers"]["content-type"].startswith("application/json")
    assert srv.last_request is req
    srv.reset()
    assert srv.requests == [] and srv.pending == 0


def test_concurrent_requests_recorded(srv):
    import concurrent.futures as cf

    c = client(srv)
    srv.default_reply = lambda b: b["messages"][0]["content"].upper()
    with cf.ThreadPoolExecutor(8) as ex:
        outs = list(
            ex.map(
                lambda i: c.chat.completions.create(
                    model="m", messages=[{"role": "user", "content": f"q{i}"}]
                ).choices[0].message.content,
                range(16),
            )
        )
    assert outs == [f"Q{i}" for i in range(16)]
    assert sorted(r["messages"][0]["content"] for r in srv.requests) == sorted(f"q{i}" for i in range(16))


# ----------------------------------------------------------------------------- netguard


@pytest.fixture
def guard():
    was = netguard.is_installed()
    netguard.install()
    netguard.install()  # idempotent
    try:
        yield netguard
    finally:
        if not was:
            netguard.uninstall()


def test_netguard_blocks_non_loopback_quickly(guard):
    t0 = time.monotonic()
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(RuntimeError, match=r"network access blocked in tests: 10\.255\.255\.1:80"):
            s.connect(("10.255.255.1", 80))
        with pytest.raises(RuntimeError):
            s.connect_ex(("10.255.255.1", 80))
    finally:
        s.close()
    with pytest.raises(RuntimeError):
        socket.create_connection(("10.255.255.1", 80), timeout=5)
    with pytest.raises(RuntimeError, match="api.openai.com"):
        socket.getaddrinfo("api.openai.com", 443)
    with pytest.raises(RuntimeError):
        socket.create_connection(("example.com", 443), timeout=5)
    assert time.monotonic() - t0 < 4.0  # under the 5 s connect timeouts: refused, not waited on


def test_netguard_real_clients_fail_fast(guard):
    t0 = time.monotonic()
    c = OpenAI(base_url="http://10.255.255.1/v1", api_key="x", max_retries=0, timeout=5)
    with pytest.raises(openai.APIConnectionError) as ei:
        c.chat.completions.create(model="m", messages=MSGS)
    assert "network access blocked" in repr(ei.value.__cause__) + str(ei.value.__cause__.__cause__ or "")
    with pytest.raises((httpx.ConnectError, RuntimeError)):
        httpx.get("https://api.openai.com/v1/models", timeout=5)
    assert time.monotonic() - t0 < 4.0  # under one 5 s timeout


def test_netguard_allows_loopback(guard, srv):
    srv.script(Reply("still works"))
    assert client(srv).chat.completions.create(model="m", messages=MSGS).choices[0].message.content == "still works"
    # localhost name, raw socket, AF_UNIX and binding a local server all keep working
    port = srv.port
    with socket.create_connection(("localhost", port), timeout=2):
        pass
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", port))
    finally:
        s.close()
    srv.script(Reply("via localhost"))
    c = OpenAI(base_url=f"http://localhost:{port}/v1", api_key="x", max_retries=0, timeout=5)
    assert c.chat.completions.create(model="m", messages=MSGS).choices[0].message.content == "via localhost"
    a, b = socket.socketpair()
    a.close(), b.close()
    srv2 = socket.socket()
    srv2.bind(("0.0.0.0", 0))
    srv2.close()
    socket.getaddrinfo(None, 80)
    socket.getaddrinfo("8.8.8.8", 53)  # IP literal: no DNS, resolution allowed


def test_netguard_uninstall_restores():
    was = netguard.is_installed()
    orig = socket.socket.connect, socket.create_connection, socket.getaddrinfo
    netguard.install()
    assert socket.socket.connect is not orig[0] or was
    netguard.uninstall()
    netguard.uninstall()  # idempotent
    assert not netguard.is_installed()
    if not was:
        assert (socket.socket.connect, socket.create_connection, socket.getaddrinfo) == orig
    else:
        netguard.install()
