"""Feeds and sitemaps: the article addresses (and dates) they list."""

from __future__ import annotations

import gzip

import pytest

from ingest.web.feeds import read_feed, read_sitemap
from ingest.web.fetch import Fetcher
from rag.errors import WebError
from tests.ingest.web.site import ARTICLES, Page, rss_feed
from tests.ingest.web.test_web_fetch import settings


def _urls(site) -> list[str]:
    return [site.url(a.path) for a in ARTICLES]


@pytest.mark.parametrize("path", ["/rss.xml", "/atom.xml"])
def test_feed__lists_every_article_with_its_date(site, path):
    with Fetcher(settings()) as fetcher:
        entries = read_feed(fetcher, site.url(path), limit=100)
    assert [e.url for e in entries] == _urls(site)
    assert [e.published for e in entries] == [a.published for a in ARTICLES]


def test_feed__relative_links_resolve_and_the_limit_holds(site):
    items = [(a, a.path) for a in ARTICLES]
    body = rss_feed("", items)  # links like "/en/economy/…"
    site.add("/relative.rss", Page(body, content_type="application/rss+xml"))
    with Fetcher(settings()) as fetcher:
        entries = read_feed(fetcher, site.url("/relative.rss"), limit=2)
    assert [e.url for e in entries] == _urls(site)[:2]


def test_sitemap__urlset_index_and_gzip(site):
    site.add("/sitemap.xml.gz", Page(gzip.compress(site.pages["/sitemap.xml"].body.encode()),
                                     content_type="application/x-gzip"))
    with Fetcher(settings()) as fetcher:
        plain = read_sitemap(fetcher, site.url("/sitemap.xml"), limit=100)
        index = read_sitemap(fetcher, site.url("/sitemap-index.xml"), limit=100)
        packed = read_sitemap(fetcher, site.url("/sitemap.xml.gz"), limit=100)
    assert [e.url for e in plain] == _urls(site)
    assert {e.published for e in plain} == {"2025-06-01"}
    assert [e.url for e in index] == _urls(site)  # its second sitemap is a 404: passed over
    assert [e.url for e in packed] == _urls(site)


@pytest.mark.parametrize(("path", "reader", "code", "message"), [
    ("/no-feed.xml", read_feed, "web_status", "not found (HTTP 404"),
    (ARTICLES[1].path, read_feed, "web_content_type", "text/html is not an RSS or Atom feed"),
    ("/fake.rss", read_feed, "web_not_feed", "not an RSS or Atom feed"),
    ("/fake.rss", read_sitemap, "web_not_sitemap", "not a sitemap"),
    ("/rss.xml", read_sitemap, "web_content_type", "application/rss+xml is not a sitemap"),
])
def test_feed_and_sitemap__a_broken_source_is_an_error_naming_it(site, path, reader, code,
                                                                  message):
    site.add("/fake.rss", Page("<?xml version='1.0'?><html><p>no</p></html>",
                               content_type="application/xml"))
    with Fetcher(settings()) as fetcher, pytest.raises(WebError) as info:
        reader(fetcher, site.url(path), limit=100)
    assert info.value.code == code
    assert message in str(info.value) and site.url(path) in str(info.value)


def test_sitemap__entities_are_not_expanded(site):
    evil = ('<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
            f'{site.url("/a")}&x;</loc></url></urlset>')
    site.add("/evil.xml", Page(evil, content_type="application/xml"))
    with Fetcher(settings()) as fetcher:
        entries = read_sitemap(fetcher, site.url("/evil.xml"), limit=10)
    assert all("\n" not in e.url and len(e.url) < 80 for e in entries)
