"""Ingest progress that tells the truth: tokens/s, documents/s and an ETA,
moving inside one large document as its pieces are embedded.

The work is measured in cl100k tokens of the documents to embed (counted once
they are known to need it). Embedding reports the characters each piece
covered; a batch's characters convert to its share of the batch's tokens.
Batches overlap (one is embedded while the one before is committed), so each
is tracked on its own."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

ProgressCallback = Callable[[float, int, str], None]


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 5400:
        return f"{seconds // 60} min"
    return f"{seconds / 3600:.1f} h"


@dataclass
class _Batch:
    documents: int
    tokens: int
    characters: int
    label: str
    done_chars: int = 0

    @property
    def share(self) -> float:
        return min(1.0, self.done_chars / max(self.characters, 1))


class IngestProgress:
    """`callback(done, total, label)`: documents done (fractional while a batch
    is embedded) of `total`, and a label with the file, rates and ETA.
    `show_bar`: a tqdm bar in tokens on stderr (the CLI)."""

    def __init__(self, callback: ProgressCallback | None = None, show_bar: bool = False):
        self.callback = callback
        self.show_bar = show_bar
        self._bar = None
        self._fetch_bar = None
        self.total_docs = 0
        self.total_tokens = 1
        self.docs_done = 0
        self.tokens_done = 0.0
        self._started = 0.0
        self._open: dict[int, _Batch] = {}
        self._label = ""

    def reading(self, done: int, total: int, name: str) -> None:
        if self.callback and (done == total or done % 25 == 0):
            self.callback(0.0, max(total, 1), f"reading {done}/{total}: {name}")

    def fetching(self, done: int, total: int, failed: int, url: str, notify: bool = True) -> None:
        """Web articles (a feed's, a sitemap's): fetched so far, of `total`, and
        how many failed; the bar counts articles. `notify`: tell the callback too
        (in English; the UI says it itself)."""
        if self.show_bar and total and self._fetch_bar is None:
            from tqdm import tqdm

            self._fetch_bar = tqdm(total=total, desc="Fetching", unit="article",
                                   dynamic_ncols=True)
        if self._fetch_bar is not None:
            self._fetch_bar.n = done
            self._fetch_bar.set_postfix_str(f"{failed} failed", refresh=True)
            if done >= total:
                self._fetch_bar.close()
                self._fetch_bar = None
        if self.callback and notify:
            self.callback(float(done), max(total, 1),
                          f"fetched {done}/{total} · {failed} failed · {url}")

    def start(self, documents: int, tokens: int) -> None:
        self.total_docs, self.total_tokens = documents, max(tokens, 1)
        self._started = time.perf_counter()
        if self.show_bar and documents:
            from tqdm import tqdm

            self._bar = tqdm(total=self.total_tokens, desc="Embedding", unit="tok",
                             unit_scale=True, dynamic_ncols=True)

    def begin_batch(self, key: int, documents: int, tokens: int, characters: int,
                    label: str) -> None:
        self._open[key] = _Batch(documents, tokens, characters, label)
        self._label = label
        self._emit()

    def embedded(self, key: int, characters: int) -> None:
        """After each embedded piece of batch `key`, with the characters it covered."""
        batch = self._open[key]
        before = batch.share
        batch.done_chars += characters
        self._label = batch.label
        self._advance(batch.tokens * (batch.share - before))

    def end_batch(self, key: int) -> None:
        batch = self._open.pop(key)
        self._advance(batch.tokens * (1.0 - batch.share), emit=False)
        self.docs_done += batch.documents
        self._emit()

    def close(self) -> None:
        for bar in (self._bar, self._fetch_bar):
            if bar is not None:
                bar.close()
        self._bar = self._fetch_bar = None

    def _advance(self, tokens: float, emit: bool = True) -> None:
        self.tokens_done += tokens
        if self._bar is not None and tokens > 0:
            self._bar.update(tokens)
        if emit:
            self._emit()

    def rates(self) -> tuple[float, float, float | None]:
        """(tokens/s, documents/s, seconds left or None)."""
        elapsed = time.perf_counter() - self._started if self._started else 0.0
        if elapsed <= 0 or self.tokens_done <= 0:
            return 0.0, 0.0, None
        token_rate = self.tokens_done / elapsed
        left = max(0.0, self.total_tokens - self.tokens_done) / token_rate
        return token_rate, self.docs_done / elapsed, left

    def summary(self) -> str:
        token_rate, doc_rate, left = self.rates()
        eta = f"ETA {_duration(left)}" if left is not None else "ETA …"
        return f"{token_rate:,.0f} tok/s · {doc_rate:.1f} docs/s · {eta}"

    def _emit(self) -> None:
        if self._bar is not None:
            self._bar.set_postfix_str(f"{self.docs_done}/{self.total_docs} docs · "
                                      f"{self.rates()[1]:.1f} docs/s", refresh=False)
        if self.callback and self.total_docs:
            done = self.docs_done + sum(b.documents * b.share for b in self._open.values())
            self.callback(min(done, self.total_docs), self.total_docs,
                          f"{self._label} · {self.summary()}")
