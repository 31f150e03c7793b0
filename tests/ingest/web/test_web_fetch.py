"""Fetching: robots.txt, redirects, errors, time and size limits, content types,
private addresses, the user agent, the per-host pace and conditional requests.
Every failure is a WebError whose message names the URL."""

from __future__ import annotations

import time

import pytest

from ingest.web.fetch import Fetcher
from ingest.web.safety import check_public
from rag.errors import WebError
from rag.settings.web import WebSettings
from tests.ingest.web.conftest import WEB
from tests.ingest.web.site import EN, Page


def settings(**changes) -> WebSettings:
    values = {k.removeprefix("web__"): v for k, v in WEB.items()}
    return WebSettings(**{**values, **changes})


def fetch_error(site, path: str, kind: str = "page", **changes) -> WebError:
    with Fetcher(settings(**changes)) as fetcher, pytest.raises(WebError) as info:
        fetcher.get(site.url(path), kind=kind)
    assert site.url(path) in str(info.value) or path in str(info.value)
    return info.value


def test_fetch__a_page_names_the_app_and_asks_robots_txt_once_per_site(site):
    with Fetcher(settings()) as fetcher:
        first = fetcher.get(site.url(EN.path))
        fetcher.get(site.url("/ru/kultura/muzej-remesel-nghean"))
    assert first.status == 200 and first.content_type == "text/html"
    assert first.charset == "utf-8" and b"Cua Lo" in first.body and first.etag
    assert len(site.hits("/robots.txt")) == 1
    assert site.hits(EN.path)[0]["User-Agent"].startswith("newsrag/")


@pytest.mark.parametrize(("path", "code", "message"), [
    ("/private/memo.html", "web_robots", "robots.txt does not allow fetching it"),
    ("/no/such/page", "web_status", "not found (HTTP 404 NOT FOUND)"),
    ("/broken", "web_status", "the server answered (HTTP 500 INTERNAL SERVER ERROR)"),
    ("/slow", "web_timeout", "no answer within 1 s"),
    ("/huge", "web_too_big", "larger than the 1 MB limit (RAG_WEB__MAX_PAGE_MB)"),
    ("/report.pdf", "web_content_type", "application/pdf is not a web page (HTML)"),
    ("/loop/a", "web_redirects", "more than 5 redirects"),
])
def test_fetch__each_failure_is_an_error_naming_the_url(site, path, code, message):
    error = fetch_error(site, path)
    assert error.code == code
    assert message in str(error)
    assert str(error).startswith(site.url(path)) or str(error).startswith(site.url("/loop/"))


def test_fetch__a_disallowed_page_is_never_requested(site):
    fetch_error(site, "/private/memo.html")
    assert site.hits("/private/memo.html") == []


def test_fetch__a_slow_page_gives_up_near_the_timeout(site):
    started = time.monotonic()
    fetch_error(site, "/slow", timeout=0.5)
    assert time.monotonic() - started < 2.9  # the page answers after 3 s


def test_fetch__a_huge_page_without_content_length_is_cut_at_the_limit(site):
    def chunks():
        for _ in range(400):  # 2 MB in 5 kB pieces, sent chunked (no Content-Length)
            yield b"<p>" + b"x" * 5000 + b"</p>"

    site.add("/stream", Page(chunks, validators=False))
    error = fetch_error(site, "/stream")
    assert error.code == "web_too_big"


def test_fetch__redirects_are_followed_to_the_final_address(site):
    with Fetcher(settings()) as fetcher:
        fetched = fetcher.get(site.url("/old/cua-lo"))
    assert fetched.url == site.url("/old/cua-lo") and fetched.final_url == site.url(EN.path)
    assert b"Cua Lo" in fetched.body


def test_fetch__redirects_beyond_the_limit_are_refused(site):
    site.add("/hop/1", Page("", status=301, validators=False, headers={"Location": "/hop/2"}))
    site.add("/hop/2", Page("", status=301, validators=False, headers={"Location": EN.path}))
    error = fetch_error(site, "/hop/1", max_redirects=1)
    assert error.code == "web_redirects" and "more than 1 redirects" in str(error)


def test_fetch__an_unchanged_page_is_not_downloaded_again(site):
    with Fetcher(settings()) as fetcher:
        first = fetcher.get(site.url(EN.path))
        again = fetcher.get(site.url(EN.path), validators={"etag": first.etag,
                                                            "last_modified": first.last_modified})
    assert again.not_modified and again.body == b""
    assert site.hits(EN.path)[1]["If-None-Match"] == first.etag
    assert site.hits(EN.path)[1]["If-Modified-Since"] == first.last_modified


def test_fetch__requests_to_one_host_keep_their_distance(site):
    paths = [EN.path, "/ru/kultura/muzej-remesel-nghean", EN.path + "?utm_source=rss"]
    with Fetcher(settings(host_delay=0.3)) as fetcher:
        for path in paths:
            fetcher.get(site.url(path))
    times = [when for when, path, _ in site.requests if path != "/robots.txt"]
    assert len(times) == 3
    assert all(later - earlier >= 0.25 for earlier, later in zip(times, times[1:], strict=False))


def test_fetch__robots_crawl_delay_slows_the_pace(site):
    site.add("/robots.txt", Page("User-agent: newsrag\nCrawl-delay: 1\nDisallow: /private/\n",
                                 content_type="text/plain", validators=False))
    with Fetcher(settings(host_delay=0.0)) as fetcher:
        fetcher.get(site.url(EN.path))
        fetcher.get(site.url(EN.path + "?utm_source=rss"))
    times = [when for when, path, _ in site.requests if path != "/robots.txt"]
    assert times[1] - times[0] >= 0.9


def test_fetch__robots_rules_for_our_name_apply(site):
    site.add("/robots.txt", Page("User-agent: newsrag\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
                                 content_type="text/plain", validators=False))
    assert fetch_error(site, EN.path).code == "web_robots"


def test_fetch__a_robots_txt_that_fails_closes_the_site_a_missing_one_opens_it(site):
    site.add("/robots.txt", Page("down", status=503, validators=False))
    error = fetch_error(site, EN.path)
    assert error.code == "web_robots_unavailable" and "robots.txt could not be read" in str(error)
    assert site.hits(EN.path) == []
    del site.pages["/robots.txt"]  # now 404: no rules
    with Fetcher(settings()) as fetcher:
        assert fetcher.get(site.url(EN.path)).status == 200


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:{port}/en/x", "http://localhost:{port}/en/x", "http://10.1.2.3/a",
    "http://192.168.0.10/a", "http://169.254.169.254/latest/meta-data/", "http://[::1]:{port}/",
    "http://0.0.0.0:{port}/", "http://[::ffff:127.0.0.1]:{port}/", "http://100.64.0.1/",
])
def test_fetch__private_addresses_are_refused_when_not_allowed(site, url):
    url = url.format(port=site.server.port)
    with Fetcher(settings(), allow_private=False) as fetcher, pytest.raises(WebError) as info:
        fetcher.get(url)
    assert info.value.code == "web_private" and url in str(info.value)
    assert "RAG_WEB__ALLOW_PRIVATE" in str(info.value)
    assert site.requests == []


def test_fetch__a_redirect_to_a_private_address_is_refused_too(site, monkeypatch):
    """A page that redirects inward is caught at the hop. The test server (itself
    on loopback) is let through; the redirect's target is checked."""
    from ingest.web import fetch as fetch_module

    checked = []

    def test_server_passes(url):
        checked.append(url)
        if not url.startswith(site.base):
            check_public(url)

    site.add("/out", Page("", status=302, validators=False,
                          headers={"Location": "http://169.254.169.254/latest/meta-data/"}))
    monkeypatch.setattr(fetch_module, "check_public", test_server_passes)
    with Fetcher(settings(), allow_private=False) as fetcher, \
            pytest.raises(WebError, match="169.254.169.254") as info:
        fetcher.get(site.url("/out"))
    assert info.value.code == "web_private"
    assert checked[-1] == "http://169.254.169.254/latest/meta-data/"


@pytest.mark.parametrize("url", ["ftp://example.org/a", "file:///etc/passwd",
                                 "javascript:alert(1)", "news.example.org/a", "",
                                 "http://127.0.0.1:99999/a", "http://[::1/a"])
def test_fetch__only_http_and_https_addresses(url):
    with Fetcher(settings()) as fetcher, pytest.raises(WebError) as info:
        fetcher.get(url)
    assert info.value.code == "web_bad_url"
    assert str(info.value).startswith(url or "(empty)")
    assert "http:// or https://" in str(info.value) or "not a valid web address" in str(info.value)
