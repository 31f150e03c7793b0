"""Talking to the chat model within a hard wall-clock budget.

Every request runs in a worker thread that the caller stops waiting for at the
deadline (`RAG_LLM__TIMEOUT`), so neither a sleeping server, a stalled stream,
a slow DNS lookup nor the client's construction can hold an answer longer.
Request timeouts are clipped to what is left of the budget; retries and
backoff happen inside it. 429/5xx, timeouts, dropped connections and streams
that end without a finish reason are retried; other 4xx (401, 403, 404, ...)
fail at once. Error text is redacted before it is logged or shown: provider
bodies can echo the API key."""

from __future__ import annotations

import contextvars
import functools
import logging
import queue
import re
import threading
import time
from collections.abc import Iterable, Iterator

from rag.settings import Settings

logger = logging.getLogger(__name__)

# Seconds to open a TCP connection to the model server (also clipped to the budget).
CONNECT_TIMEOUT_S = 5.0
# First pause between attempts; doubled after each failure.
BACKOFF_S = 0.5
# An attempt that would start with less time than this left is not made.
MIN_ATTEMPT_S = 0.2
# Statuses worth retrying (as the openai client itself does); other 4xx fail fast.
RETRYABLE_STATUS = {408, 409, 429}

_SECRET_PATTERNS = (
    (re.compile(r"\bsk-[A-Za-z0-9_\-]{6,}"), "sk-[redacted]"),
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=\-]{6,}"), "Bearer [redacted]"),
    (re.compile(r"(?i)(\b(?:api[_-]?key|authorization|access[_-]?token)[\"']?\s*[:=]\s*[\"']?)"
                r"(?!bearer\b)[^\s\"',;}]{6,}"), r"\1[redacted]"),
)


class LLMUnavailable(Exception):
    """No usable reply within the time budget. `kind` says why: timeout |
    unavailable | rejected (a non-retryable status) | incomplete (cut off)."""

    def __init__(self, detail: str, kind: str = "unavailable", status: int | None = None):
        super().__init__(detail)
        self.kind = kind
        self.status = status


class AttemptFailed(Exception):
    """One request failed; `retryable` and `retry_after` decide what comes next."""

    def __init__(self, detail: str, kind: str, *, status: int | None = None,
                 retryable: bool = True, retry_after: float | None = None):
        super().__init__(detail)
        self.kind = kind
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after


def configured_secrets(settings: Settings, llm=None) -> list[str]:
    """The keys this process may send: the configured ones and the model client's."""
    keys = [settings.openai_api_key, settings.embedding.api_key]
    values = [k.get_secret_value() for k in keys if k is not None]
    values.append(str(getattr(llm, "api_key", "") or ""))
    return [v for v in values if len(v) >= 6]


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` without the configured keys, `sk-…` keys and bearer tokens."""
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def describe(exc: BaseException | None, secrets: Iterable[str] = ()) -> str:
    if exc is None:
        return "unknown error"
    status = getattr(exc, "status_code", None)
    return redact(f"{type(exc).__name__}{f' {status}' if status else ''}: {str(exc)[:300]}",
                  secrets)


def classify(exc: BaseException, secrets: list[str]) -> AttemptFailed:
    """An exception of the openai/httpx stack as a (redacted) failed attempt."""
    import httpx
    import openai

    detail = describe(exc, secrets)
    if isinstance(exc, AttemptFailed):
        return exc
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        retryable = status in RETRYABLE_STATUS or status >= 500
        return AttemptFailed(detail, "unavailable" if retryable else "rejected", status=status,
                             retryable=retryable, retry_after=_retry_after(exc.response))
    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException | TimeoutError):
        return AttemptFailed(detail, "timeout")
    return AttemptFailed(detail, "unavailable")


def _retry_after(response) -> float | None:
    headers = getattr(response, "headers", None) or {}
    try:
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000
        if headers.get("retry-after"):
            return float(headers["retry-after"])
    except ValueError:  # an HTTP date: not worth parsing for a bounded wait
        return None
    return None


def finish_reason(chunk) -> str | None:
    choices = getattr(getattr(chunk, "raw", None), "choices", None) or []
    return getattr(choices[0], "finish_reason", None) if choices else None


def check_finish(reason: str | None) -> None:
    """A reply is complete only when the server says it stopped."""
    if reason == "stop":
        return
    if reason is None:  # closed without finish_reason or [DONE]: a cut connection
        raise AttemptFailed("the reply stream ended without a finish reason", "incomplete")
    # length (max tokens), content_filter, tool calls: asking again gives the same
    raise AttemptFailed(f"the reply ended with finish_reason={reason!r}", "incomplete",
                        retryable=False)


def _pump(call, out: queue.Queue, stop: threading.Event) -> None:
    """Worker thread: run one streamed request, hand deltas to the caller."""
    try:
        reason = None
        for chunk in call():
            if stop.is_set():
                return  # the caller gave up; closing the generator closes the response
            reason = finish_reason(chunk) or reason
            if chunk.delta:
                out.put(("delta", chunk.delta))
        out.put(("end", reason))
    except BaseException as exc:  # handed to the caller
        out.put(("error", exc))


class LLMClient:
    def __init__(self, llm, settings: Settings):
        self.llm = llm
        self.settings = settings

    @property
    def secrets(self) -> list[str]:
        return configured_secrets(self.settings, self.llm)

    def stream(self, messages: list, deadline: float) -> Iterator[str]:
        """Yield text deltas; retry transient faults with backoff until `deadline`.

        Raises LLMUnavailable when no attempt succeeds in time. If an attempt
        breaks after streaming some text, the caller receives a "" sentinel
        before the retry's text, meaning: discard what was streamed."""
        attempt = 0
        while True:
            streamed = False
            try:
                for delta in self._attempt(messages, deadline):
                    streamed = True
                    yield delta
                return
            except AttemptFailed as failure:
                attempt += 1
                logger.warning("LLM attempt %d failed: %s", attempt, failure)
                if streamed:
                    yield ""  # tell the caller to drop the partial text
                pause = self._pause(failure, attempt, deadline)
                if pause is None:
                    raise LLMUnavailable(str(failure), failure.kind, failure.status) from None
                time.sleep(pause)

    def complete(self, text: str, deadline: float) -> str:
        """One user prompt, the whole reply (retried like `stream`)."""
        from llama_index.core.llms import ChatMessage

        return self.complete_messages([ChatMessage(role="user", content=text)], deadline)

    def complete_messages(self, messages: list, deadline: float) -> str:
        parts: list[str] = []
        for delta in self.stream(messages, deadline):
            if delta == "":
                parts.clear()
            parts.append(delta)
        return "".join(parts).strip()

    def _attempt(self, messages: list, deadline: float) -> Iterator[str]:
        """One streamed request in a worker thread, abandoned at the deadline."""
        import httpx

        left = deadline - time.monotonic()
        if left < MIN_ATTEMPT_S:
            raise AttemptFailed("no time left for a request", "timeout", retryable=False)
        timeout = httpx.Timeout(min(self.settings.llm.request_timeout, left),
                                connect=min(CONNECT_TIMEOUT_S, left))
        out: queue.Queue = queue.Queue()
        stop = threading.Event()
        call = functools.partial(self.llm.stream_chat, messages, timeout=timeout)
        worker = threading.Thread(target=contextvars.copy_context().run,
                                  args=(_pump, call, out, stop), name="llm-request", daemon=True)
        worker.start()
        try:
            while True:
                try:
                    kind, value = out.get(timeout=max(deadline - time.monotonic(), 0.0))
                except queue.Empty:
                    raise AttemptFailed(
                        f"no complete reply within {self.settings.llm.timeout:g} s "
                        "(RAG_LLM__TIMEOUT)", "timeout", retryable=False) from None
                if kind == "delta":
                    yield value
                elif kind == "end":
                    check_finish(value)
                    return
                else:
                    raise classify(value, self.secrets) from None
        finally:
            stop.set()

    def _pause(self, failure: AttemptFailed, attempt: int, deadline: float) -> float | None:
        """Seconds to wait before the next attempt, or None to give up now."""
        if not failure.retryable or attempt > self.settings.llm.max_retries:
            return None
        pause = max(BACKOFF_S * 2 ** (attempt - 1), failure.retry_after or 0.0)
        if deadline - time.monotonic() - pause < MIN_ATTEMPT_S:
            return None  # waiting would use up the budget: fall back now
        return pause
