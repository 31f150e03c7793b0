"""The `web` section of the settings (RAG_WEB__*): which feeds and sitemaps
`rag sync` follows, and the rules every fetch obeys. The one Settings class
(rag.settings) holds it as `settings.web`."""

from __future__ import annotations

import json
from typing import Annotated

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import NoDecode

UrlList = Annotated[list[str], NoDecode]


def split_urls(value: object) -> object:
    """A JSON list, or addresses separated by commas, spaces or new lines."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            return json.loads(text)
        return [part for part in text.replace(",", " ").split() if part]
    return value


class WebSettings(BaseModel):
    """Articles from the web: feeds and sitemaps `rag sync` follows, and the fetching rules."""
    feeds: UrlList = Field(
        default_factory=list,
        description="RSS or Atom feeds `rag sync` reads (comma separated); every article they "
        "list is ingested when new or changed.",
    )
    sitemaps: UrlList = Field(
        default_factory=list,
        description="Sitemaps (or sitemap indexes) `rag sync` reads (comma separated).",
    )
    allow_private: bool = Field(
        False,
        description="Let the UI's 'Add by link' fetch addresses that resolve to loopback, private "
        "or link-local networks (an intranet site). The CLI may always; the UI refuses them "
        "otherwise, so an editor cannot make the server read internal services.",
    )
    user_agent: str = Field(
        "newsrag/0.1 (newsroom Q&A archive; honours robots.txt)",
        description="User-Agent of every request; its first word is the name robots.txt rules "
        "are matched against.",
    )
    timeout: float = Field(
        20.0, gt=0,
        description="Seconds one request may take in all: connecting, waiting and reading the page.",
    )
    max_page_mb: float = Field(
        5.0, gt=0, description="Pages, feeds and sitemaps larger than this are refused."
    )
    max_redirects: int = Field(5, ge=0, le=20, description="Redirects followed per request.")
    host_delay: float = Field(
        1.0, ge=0,
        description="Seconds between two requests to the same host (a longer robots.txt "
        "Crawl-delay wins, up to max_crawl_delay).",
    )
    max_crawl_delay: float = Field(
        30.0, ge=0, description="Longest robots.txt Crawl-delay honoured, in seconds."
    )
    max_articles: int = Field(
        1000, ge=1, description="Most articles taken from one feed or sitemap in a run."
    )

    @field_validator("feeds", "sitemaps", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        return split_urls(value)
