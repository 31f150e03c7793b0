"""The article addresses a feed (RSS or Atom, by feedparser) or a sitemap (a
urlset, a sitemap index of further sitemaps, gzipped or not, or a plain list)
lists, with the publication date each gives. At most
RAG_WEB__MAX_ARTICLES per source; a broken source is a WebError naming it."""

from __future__ import annotations

import io
import logging
import time
import zlib
from dataclasses import dataclass
from datetime import date

from ingest.web.fetch import Fetcher
from ingest.web.safety import normalise_url
from rag.errors import RagError, WebError

logger = logging.getLogger(__name__)

SITEMAP_DEPTH = 2  # a sitemap index of sitemap indexes, no deeper
MAX_CHILD_SITEMAPS = 100


@dataclass(frozen=True)
class Entry:
    url: str
    published: str | None = None  # YYYY-MM-DD, as the feed or sitemap says


def read_feed(fetcher: Fetcher, url: str, limit: int) -> list[Entry]:
    """The articles of an RSS or Atom feed, newest first as the feed lists them."""
    import feedparser

    fetched = fetcher.get(url, kind="feed")
    parsed = feedparser.parse(io.BytesIO(fetched.body),
                              response_headers={"content-location": fetched.final_url})
    if not parsed.entries and (parsed.bozo or not parsed.version):
        raise WebError(f"{url}: not an RSS or Atom feed", code="web_not_feed", url=url)
    entries = []
    for item in parsed.entries:
        link = item.get("link") or ""
        when = item.get("published_parsed") or item.get("updated_parsed")
        entry = _entry(link, time.strftime("%Y-%m-%d", when) if when else None)
        if entry is None:
            logger.info("%s: passing over an item without a web address (%r)", url, link)
            continue
        entries.append(entry)
    return _unique(entries)[:limit]


def read_sitemap(fetcher: Fetcher, url: str, limit: int) -> list[Entry]:
    """The pages of a sitemap; an index's sitemaps are read in turn."""
    entries: list[Entry] = []
    _read_sitemap(fetcher, url, limit, entries, depth=0)
    return _unique(entries)[:limit]


def _read_sitemap(fetcher: Fetcher, url: str, limit: int, out: list[Entry], depth: int) -> None:
    fetched = fetcher.get(url, kind="sitemap")
    data = _gunzip(fetched.body, url, fetcher.max_bytes)
    if fetched.content_type == "text/plain" or not data.lstrip().startswith(b"<"):
        for line in data.decode("utf-8", errors="replace").splitlines():
            entry = _entry(line.strip(), None)
            if entry is not None:
                out.append(entry)
        return
    root = _parse_xml(data, url)
    tag = root.tag.rsplit("}", 1)[-1]
    if tag == "sitemapindex":
        if depth >= SITEMAP_DEPTH:
            raise WebError(f"{url}: sitemap indexes nested too deep", code="web_not_sitemap",
                           url=url)
        for loc in _locs(root, "sitemap")[:MAX_CHILD_SITEMAPS]:
            if len(out) >= limit:
                break
            try:
                _read_sitemap(fetcher, loc, limit, out, depth + 1)
            except RagError as exc:  # one broken part: the others still count
                logger.warning("skipped part of sitemap %s: %s", url, exc)
        return
    if tag != "urlset":
        raise WebError(f"{url}: not a sitemap (its root element is <{tag}>)",
                       code="web_not_sitemap", url=url)
    for node in root:
        if node.tag.rsplit("}", 1)[-1] != "url":
            continue
        fields = {child.tag.rsplit("}", 1)[-1]: (child.text or "").strip() for child in node}
        entry = _entry(fields.get("loc", ""), fields.get("lastmod", "")[:10] or None)
        if entry is not None:
            out.append(entry)


def _parse_xml(data: bytes, url: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise WebError(f"{url}: not a sitemap ({exc})", code="web_not_sitemap", url=url) from exc


def _locs(root, kind: str) -> list[str]:
    out = []
    for node in root:
        if node.tag.rsplit("}", 1)[-1] == kind:
            for child in node:
                if child.tag.rsplit("}", 1)[-1] == "loc" and child.text:
                    out.append(child.text.strip())
    return out


def _gunzip(data: bytes, url: str, max_bytes: int) -> bytes:
    """A gzipped sitemap, unpacked no further than the size limit."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    try:
        out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise WebError(f"{url}: a broken gzip file ({exc})", code="web_not_sitemap",
                       url=url) from exc
    if len(out) > max_bytes:
        raise WebError(f"{url}: unpacks to more than the {max_bytes / 1e6:g} MB limit",
                       code="web_too_big", url=url, mb=f"{max_bytes / 1e6:g}")
    return out


def _entry(link: str, published: str | None) -> Entry | None:
    try:
        url = normalise_url(link)
    except WebError:
        return None
    if published:
        try:
            date.fromisoformat(published)
        except ValueError:
            published = None
    return Entry(url, published)


def _unique(entries: list[Entry]) -> list[Entry]:
    seen: dict[str, Entry] = {}
    for entry in entries:
        seen.setdefault(entry.url, entry)
    return list(seen.values())
