"""Articles from the web into the index: by link, from feeds, from sitemaps.

A web article's identity (its document id) is its canonical URL: the one the
page declares when it is on the same site, else the address it was served
from. Its manifest row keeps how it was fetched (the URL asked for, ETag,
Last-Modified), so the next run asks conditionally: an unchanged article costs
one request and no download (HTTP 304), one whose text is unchanged is not
embedded again (content hash), a changed one replaces its old version (same id).

Fetched pages go through the same pipeline as files (ingest.pipeline.Ingestor
.commit): plan against the manifest, embed what is new or changed, commit. One
URL that fails is reported (a SkippedFile with the error's code and figures)
and the others go on."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from ingest.clean import clean_article
from ingest.manifest import Manifest
from ingest.prepare import TITLE_CHARS, PreparedDocument, content_hash
from ingest.progress import IngestProgress
from ingest.web.extract import decode_html, extract_article
from ingest.web.feeds import Entry, read_feed, read_sitemap
from ingest.web.fetch import Fetched, Fetcher
from ingest.web.safety import host_of, normalise_url
from rag.errors import RagError, WebError
from rag.schema import IngestReport, SkippedFile

logger = logging.getLogger(__name__)

FetchProgress = Callable[[int, int, int, str], None]  # (done, total, failed, url)


@dataclass(frozen=True)
class WebSource:
    """Where a web article came from: what PreparedDocument.source is for a file."""

    doc_id: str  # the canonical URL
    url: str  # the address it was fetched from
    served: str  # where that led, after redirects

    @property
    def path(self) -> str:
        return self.url

    @property
    def name(self) -> str:
        return self.url


@dataclass
class WebRun:
    """What a run did: the ingest report, plus what the web side counts."""

    report: IngestReport
    articles: int = 0  # article addresses tried
    not_modified: int = 0  # answered 304: nothing downloaded
    failed_sources: list[str] = field(default_factory=list)  # feeds and sitemaps not read
    failed_articles: int = 0

    @property
    def ok(self) -> bool:
        """False when a feed or sitemap could not be read, or every article failed."""
        return not self.failed_sources and not (self.articles and
                                                self.failed_articles == self.articles)


class WebIngest:
    """`run(urls, feeds, sitemaps)`: fetch, extract and ingest, with progress."""

    def __init__(self, ingestor, *, allow_private: bool = True,
                 progress: Callable[[float, int, str], None] | None = None,
                 fetch_progress: FetchProgress | None = None, show_progress: bool = False):
        self.ingestor = ingestor
        self.settings = ingestor.settings.web
        self.allow_private = allow_private
        self.progress, self.fetch_progress = progress, fetch_progress
        self.show_progress = show_progress

    def run(self, urls: Iterable[str] = (), feeds: Iterable[str] = (),
            sitemaps: Iterable[str] = ()) -> WebRun:
        started = time.perf_counter()
        meter = IngestProgress(self.progress, self.show_progress)
        failures: list[SkippedFile] = []
        run = WebRun(IngestReport())
        known = self._known_pages()
        try:
            with Fetcher(self.settings, allow_private=self.allow_private) as fetcher:
                entries = self._entries(fetcher, urls, feeds, sitemaps, failures, run)
                prepared = self._fetch_all(fetcher, entries, known, failures, meter, run)
        except BaseException:
            meter.close()
            raise
        run.report = self.ingestor.commit(prepared, failures, meter, started)
        run.report.unchanged += run.not_modified
        run.report.documents += run.not_modified
        return run

    def known_urls(self) -> list[str]:
        """The address every web article in the index was last fetched from."""
        return sorted({row.get("fetch_url") or row["url"] for row in self._known_pages().values()})

    # -- what to fetch -----------------------------------------------------------
    def _entries(self, fetcher: Fetcher, urls, feeds, sitemaps, failures: list[SkippedFile],
                 run: WebRun) -> list[Entry]:
        entries: list[Entry] = []
        for url in urls:
            try:
                entries.append(Entry(normalise_url(url)))
            except RagError as exc:
                failures.append(_skipped(url, exc))
        limit = self.settings.max_articles
        for reader, sources in ((read_feed, feeds), (read_sitemap, sitemaps)):
            for source in sources:
                try:
                    found = reader(fetcher, source, limit)
                except RagError as exc:
                    logger.warning("could not read %s: %s", source, exc)
                    failures.append(_skipped(source, exc))
                    run.failed_sources.append(source)
                    continue
                logger.info("%s lists %d article(s)", source, len(found))
                entries.extend(found)
        unique: dict[str, Entry] = {}
        for entry in entries:
            unique.setdefault(entry.url, entry)
        return list(unique.values())

    def _known_pages(self) -> dict[str, dict[str, Any]]:
        """Live web rows of the index, by the address they were fetched from and
        by their canonical URL (a deleted one is fetched afresh)."""
        cols = self.ingestor.store.collections()
        if cols is None:
            return {}
        known: dict[str, dict[str, Any]] = {}
        for row in Manifest.load(cols["documents"]).rows.values():
            if row.get("url") and not row.get("deleted_at"):
                known[row["url"]] = row
                known.setdefault(row.get("fetch_url") or row["url"], row)
        return known

    # -- fetching ----------------------------------------------------------------
    def _fetch_all(self, fetcher: Fetcher, entries: list[Entry], known: dict[str, dict],
                   failures: list[SkippedFile], meter: IngestProgress, run: WebRun
                   ) -> dict[str, PreparedDocument]:
        prepared: dict[str, PreparedDocument] = {}
        seen: set[str] = set()  # addresses already read in this run (after redirects)
        run.articles = len(entries)
        for i, entry in enumerate(entries):
            self._step(meter, i, len(entries), run.failed_articles, entry.url)
            if entry.url in seen:
                continue
            try:
                doc = self._fetch_one(fetcher, entry, known.get(entry.url))
            except Exception as exc:  # one page must not stop the run, whatever it holds
                if not isinstance(exc, RagError):
                    logger.exception("reading %s failed", entry.url)
                    exc = WebError(f"{entry.url}: could not be read ({type(exc).__name__}: "
                                   f"{exc})", code="web_error", url=entry.url)
                logger.warning("skipped %s: %s", entry.url, exc)
                failures.append(_skipped(entry.url, exc))
                run.failed_articles += 1
                continue
            if doc is None:
                run.not_modified += 1
            elif doc.doc_id in prepared:
                logger.info("%s is the same article as %s (%s)", entry.url,
                            prepared[doc.doc_id].source.url, doc.doc_id)
            else:
                prepared[doc.doc_id] = doc
            if doc is not None:
                seen.update((doc.doc_id, doc.source.url, doc.source.served))
        self._step(meter, len(entries), len(entries), run.failed_articles, "")
        return prepared

    def _step(self, meter: IngestProgress, done: int, total: int, failed: int, url: str) -> None:
        if self.fetch_progress is not None:
            self.fetch_progress(done, total, failed, url)
        meter.fetching(done, total, failed, url, notify=self.fetch_progress is None)

    def _fetch_one(self, fetcher: Fetcher, entry: Entry, row: dict | None
                   ) -> PreparedDocument | None:
        """The article at `entry`, or None when the server says it has not changed."""
        validators = None
        if row is not None:
            validators = {"etag": row.get("etag", ""), "last_modified": row.get("last_modified", "")}
        fetched = fetcher.get(entry.url, kind="page", validators=validators)
        if fetched.not_modified:
            return None
        return web_document(entry, fetched)


def web_document(entry: Entry, fetched: Fetched) -> PreparedDocument:
    """A fetched page as a document the pipeline plans, embeds and stores."""
    html = decode_html(fetched.body, entry.url, fetched.charset)
    article = extract_article(html, entry.url, url=fetched.final_url)
    canonical = canonical_url(article.canonical_url, fetched.final_url)
    cleaned = clean_article(article.full_text(), article.title or None)
    if not cleaned.text.strip():
        raise WebError(f"{entry.url}: no article text found on the page", code="web_no_text",
                       url=entry.url)
    digest = content_hash(cleaned.text)
    metadata = {
        "doc_id": canonical, "file": canonical, "path": "", "url": canonical,
        "title": cleaned.title[:TITLE_CHARS], "language": "",
        "date": article.date or entry.published or cleaned.date or "",
        "category": cleaned.category or "", "content_hash": digest,
        "author": article.author, "site": article.sitename,
        "fetch_url": entry.url, "etag": fetched.etag, "last_modified": fetched.last_modified,
    }
    return PreparedDocument(WebSource(canonical, entry.url, fetched.final_url), cleaned.text,
                            metadata, digest)


def canonical_url(declared: str | None, served: str) -> str:
    """The page's own canonical URL when it is an http(s) address on the site
    that served it (another site's would let a page replace that site's
    article), else the address it was served from."""
    if declared:
        try:
            candidate = normalise_url(urljoin(served, declared))
        except RagError:
            return served
        if _site(host_of(candidate)) == _site(host_of(served)):
            return candidate
        logger.info("%s declares its canonical URL on another site (%s): not taken",
                    served, declared)
    return served


def _site(host: str) -> str:
    return host.removeprefix("www.")


def _skipped(url: str, exc: RagError) -> SkippedFile:
    skipped = SkippedFile.from_error(url, exc)
    skipped.params.setdefault("url", url)
    return skipped
