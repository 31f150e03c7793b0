"""Polite, bounded fetching of pages, feeds and sitemaps.

Every request names the app (RAG_WEB__USER_AGENT), asks robots.txt first (once
per site and run), waits its turn per host (RAG_WEB__HOST_DELAY, or a longer
Crawl-delay), follows at most RAG_WEB__MAX_REDIRECTS redirects (each hop checked
again), gives up after RAG_WEB__TIMEOUT seconds, stops reading past
RAG_WEB__MAX_PAGE_MB and refuses content of the wrong type. A page fetched
before is asked for with its ETag / Last-Modified, so an unchanged one costs
one request and no download. Every failure is a WebError naming the URL."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin
from urllib.robotparser import RobotFileParser

from ingest.web.safety import check_public, host_of, normalise_url, origin_of
from rag.errors import WebError
from rag.settings.web import WebSettings

logger = logging.getLogger(__name__)

# What each kind of fetch accepts (media types, without parameters).
CONTENT_TYPES = {
    "page": ("text/html", "application/xhtml+xml"),
    "feed": ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
             "application/xml", "text/xml"),
    "sitemap": ("application/xml", "text/xml", "application/x-gzip", "application/gzip",
                "text/plain"),
    "robots": (),  # any: a robots.txt served with the wrong type is still read
}
REDIRECTS = (301, 302, 303, 307, 308)
ROBOTS_MAX_BYTES = 500_000  # what Google reads of a robots.txt


@dataclass
class Fetched:
    url: str  # as asked for
    final_url: str  # after redirects
    status: int  # 200, or 304 (not modified: no body)
    body: bytes = b""
    content_type: str = ""
    charset: str | None = None
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class HostThrottle:
    """At most one request per host every `delay` seconds (shared by threads)."""

    def __init__(self) -> None:
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, delay: float) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, 0.0))
            self._next[host] = start + delay
        if start > now:
            time.sleep(start - now)


class Fetcher:
    """One run's HTTP client: robots.txt, throttle and connections are shared
    by every request it makes. Use as a context manager."""

    def __init__(self, settings: WebSettings, *, allow_private: bool = True):
        import httpx

        self.settings = settings
        self.allow_private = allow_private
        self.max_bytes = int(settings.max_page_mb * 1_000_000)
        self._client = httpx.Client(
            headers={"User-Agent": settings.user_agent, "Accept-Language": "vi, en, ru;q=0.9"},
            timeout=httpx.Timeout(settings.timeout), follow_redirects=False)
        self._robots: dict[str, RobotFileParser | WebError] = {}
        self._throttle = HostThrottle()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self._client.close()

    # -- the public call -------------------------------------------------------
    def get(self, url: str, kind: str = "page", validators: dict[str, str] | None = None
            ) -> Fetched:
        """Fetch `url` (http/https) as `kind` (page, feed, sitemap); with
        `validators` ({"etag", "last_modified"}) a 304 comes back as not modified."""
        asked = normalise_url(url)
        current = asked
        for _ in range(self.settings.max_redirects + 1):
            self._check(current, kind)
            result = self._request(asked, current, kind, validators or {})
            if isinstance(result, Fetched):
                return result
            current = result  # a redirect's target
        raise WebError(f"{asked}: more than {self.settings.max_redirects} redirects",
                       code="web_redirects", url=asked, n=str(self.settings.max_redirects))

    # -- one hop -----------------------------------------------------------------
    def _check(self, url: str, kind: str) -> None:
        if not self.allow_private:
            check_public(url)
        if kind != "robots":
            self._check_robots(url)

    def _request(self, asked: str, url: str, kind: str, validators: dict[str, str]
                 ) -> Fetched | str:
        """The response as Fetched, or the URL a redirect points to."""
        import httpx

        headers = {}
        if validators.get("etag"):
            headers["If-None-Match"] = validators["etag"]
        if validators.get("last_modified"):
            headers["If-Modified-Since"] = validators["last_modified"]
        self._throttle.wait(host_of(url), self._delay(url))
        deadline = time.monotonic() + self.settings.timeout
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                return self._read(asked, url, kind, response, deadline, bool(headers))
        except httpx.TimeoutException as exc:
            raise WebError(f"{url}: no answer within {self.settings.timeout:g} s",
                           code="web_timeout", url=url,
                           seconds=f"{self.settings.timeout:g}") from exc
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
            raise WebError(f"{url}: could not be reached ({type(exc).__name__}: {exc})",
                           code="web_unreachable", url=url, reason=str(exc)) from exc

    def _read(self, asked: str, url: str, kind: str, response, deadline: float,
              conditional: bool) -> Fetched | str:
        status = response.status_code
        if status in REDIRECTS and response.headers.get("location"):
            target = urljoin(url, response.headers["location"])
            logger.debug("%s redirects to %s", url, target)
            return normalise_url(target)
        validators = {"etag": response.headers.get("etag", ""),
                      "last_modified": response.headers.get("last-modified", "")}
        if status == 304 and conditional:
            return Fetched(asked, url, 304, **validators)
        if not 200 <= status < 300:
            raise _status_error(url, status, response.reason_phrase)
        content_type, charset = _media_type(response)
        accepted = CONTENT_TYPES[kind]
        if content_type and accepted and content_type not in accepted:
            raise _type_error(url, kind, content_type)
        body = self._body(url, response, deadline)
        if not content_type and accepted and body.lstrip()[:1] != b"<":
            raise _type_error(url, kind, "(no content type)")
        return Fetched(asked, url, status, body, content_type, charset, **validators)

    def _body(self, url: str, response, deadline: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_big(url)
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise self._too_big(url)
            if time.monotonic() > deadline:
                raise WebError(f"{url}: not read within {self.settings.timeout:g} s",
                               code="web_timeout", url=url, seconds=f"{self.settings.timeout:g}")
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_big(self, url: str) -> WebError:
        mb = f"{self.settings.max_page_mb:g}"
        return WebError(f"{url}: larger than the {mb} MB limit (RAG_WEB__MAX_PAGE_MB)",
                        code="web_too_big", url=url, mb=mb)

    # -- robots.txt and pacing ---------------------------------------------------
    def _delay(self, url: str) -> float:
        robots = self._robots.get(origin_of(url))
        crawl_delay = None
        if isinstance(robots, RobotFileParser):
            crawl_delay = robots.crawl_delay(self.settings.user_agent)
        if crawl_delay:
            return max(self.settings.host_delay,
                       min(float(crawl_delay), self.settings.max_crawl_delay))
        return self.settings.host_delay

    def _check_robots(self, url: str) -> None:
        robots = self._robots_for(origin_of(url))
        if isinstance(robots, WebError):
            raise WebError(f"{url}: {robots}", code=robots.code, url=url, **robots.params)
        if not robots.can_fetch(self.settings.user_agent, url):
            raise WebError(f"{url}: the site's robots.txt does not allow fetching it",
                           code="web_robots", url=url)

    def _robots_for(self, origin: str) -> RobotFileParser | WebError:
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        return self._robots[origin]

    def _load_robots(self, origin: str) -> RobotFileParser | WebError:
        """RFC 9309: a missing robots.txt (4xx) allows everything; one that
        cannot be read (5xx, no answer) closes the site for this run."""
        parser = RobotFileParser(origin + "/robots.txt")
        try:
            fetched = self.get(origin + "/robots.txt", kind="robots")
        except WebError as exc:
            status = exc.params.get("status", "")
            if exc.code == "web_status" and str(status).startswith("4"):
                parser.allow_all = True
                return parser
            return WebError(f"its site's robots.txt could not be read ({exc}); try again later",
                            code="web_robots_unavailable", reason=str(exc))
        text = fetched.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        parser.modified()  # Crawl-delay is only read from a parser that knows when it read
        return parser


def _media_type(response) -> tuple[str, str | None]:
    raw = response.headers.get("content-type", "")
    media = raw.split(";", 1)[0].strip().lower()
    charset = None
    for param in raw.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"\'') or None
    return media, charset


def _status_error(url: str, status: int, reason: str) -> WebError:
    what = "not found" if status in (404, 410) else "the server answered"
    return WebError(f"{url}: {what} (HTTP {status} {reason})".rstrip(),
                    code="web_status", url=url, status=str(status), reason=reason or "")


def _type_error(url: str, kind: str, content_type: str) -> WebError:
    expected = {"page": "a web page (HTML)", "feed": "an RSS or Atom feed",
                "sitemap": "a sitemap (XML)", "robots": "text"}[kind]
    return WebError(f"{url}: {content_type} is not {expected}", code="web_content_type",
                    url=url, content_type=content_type, expected=kind)
