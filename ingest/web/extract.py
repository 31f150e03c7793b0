"""An HTML page -> its article: the main text without navigation, related-article
boxes, comments, cookie banners or scripts (trafilatura), and its metadata:
title, publication date (htmldate, from the page's markup), author, site name
and the canonical URL the page declares.

The HTML file loader (ingest.loaders) uses the same extraction, so a saved page
and the same page fetched from the web keep the same text."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from ingest.encoding import decode_text
from rag.errors import DocumentError

logger = logging.getLogger(__name__)

# <meta charset="…"> or <meta http-equiv="Content-Type" content="…; charset=…">
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)
# Shortest text taken from trafilatura's fallback extractors (a short news brief
# is longer; a menu or a cookie notice they return instead is shorter).
FALLBACK_MIN_CHARS = 200


@dataclass
class ExtractedArticle:
    text: str  # the body, one paragraph per line, without the title
    title: str
    date: str | None  # YYYY-MM-DD, from the page's markup
    author: str
    canonical_url: str | None  # as the page declares it (<link rel=canonical>, og:url)
    sitename: str

    def full_text(self) -> str:
        """Title on the first line, then the body: the layout every loader gives."""
        return f"{self.title}\n{self.text}" if self.title else self.text


def decode_html(data: bytes, name: str, charset: str | None = None) -> str:
    """The page as text: the charset the server sent, else the page's own <meta>,
    else what the text loader detects (UTF-8, the legacy vi/ru encodings)."""
    for candidate in (charset, _meta_charset(data)):
        if not candidate:
            continue
        try:
            return data.decode(candidate, errors="replace")
        except LookupError:
            logger.info("%s: unknown charset %r", name, candidate)
    return decode_text(data, name)


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def extract_article(html: str, name: str, url: str | None = None) -> ExtractedArticle:
    """The article of one page; DocumentError naming `name` when it has none.

    trafilatura's own extractor runs first. Only when it finds nothing are its
    fallbacks (readability, jusText) asked, and their text is kept only from
    FALLBACK_MIN_CHARS up: on a page without an article they return its menu."""
    doc = _extract(html, name, url, fast=True)
    if doc is None or not (doc.text or "").strip():
        doc = _extract(html, name, url, fast=False)
        if doc is not None and len((doc.text or "").strip()) < FALLBACK_MIN_CHARS:
            doc = None
    text = (doc.text or "").strip() if doc is not None else ""
    if not text:
        raise DocumentError(f"{name}: no article text found on the page",
                            code="web_no_text", url=name)
    return ExtractedArticle(
        text=text,
        title=(doc.title or "").strip(),
        date=publication_date(html, url),
        author=(doc.author or "").strip(),
        canonical_url=(doc.url or "").strip() or None,
        sitename=(doc.sitename or "").strip(),
    )


def _extract(html: str, name: str, url: str | None, fast: bool):
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            html, url=url, fast=fast, with_metadata=True, include_comments=False,
            include_tables=True, include_images=False, include_links=False,
            favor_precision=True, deduplicate=False)
    except Exception as exc:  # lxml and trafilatura raise many kinds on broken markup
        raise DocumentError(f"{name}: the page could not be parsed ({exc})",
                            code="web_no_text", url=name) from exc


def publication_date(html: str, url: str | None = None) -> str | None:
    """The original publication date the page's markup gives (meta tags, <time>,
    JSON-LD, the URL), not a date guessed from its text: a comment's or the
    footer's year would be wrong. None when the markup has none."""
    import htmldate

    try:
        return htmldate.find_date(html, url=url, original_date=True, extensive_search=False,
                                  outputformat="%Y-%m-%d")
    except Exception as exc:  # htmldate is best effort: a date found in the text instead
        logger.debug("htmldate failed on %s: %s", url, exc)
        return None
