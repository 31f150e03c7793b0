"""web: what following a site's feed costs. A local site (the test site's page
template, tests/ingest/web/site.py) serves N articles in vi/en/ru and an RSS
feed of them on 127.0.0.1; an empty index follows the feed.

Measured: the first run (every article fetched, extracted and embedded), a
re-sync with nothing changed (one conditional request per article, answered
304), a re-sync after one article changed, and extraction alone (trafilatura +
htmldate) per page. Pace per host 0 s (a real site's default is 1 s per request).

Run: python -m bench web"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from typing import Any

from bench import common
from bench.common import say

ARTICLES = 60  # 20 per language


def _articles(n: int) -> list:
    from tests.ingest.web.site import ARTICLES as TEMPLATES

    out = []
    for i in range(n):
        base = TEMPLATES[i % len(TEMPLATES)]
        paragraphs = [f"{p} ({i + 1})" if j == 0 else p for j, p in enumerate(base.paragraphs)]
        paragraphs[1] = paragraphs[1].replace("47", str(40 + i)).replace("420", str(400 + i)) \
            .replace("3200", str(3000 + i))
        out.append(replace(base, path=f"{base.path}-{i}", title=f"{base.title} ({i + 1})",
                           paragraphs=paragraphs))
    return out


def _site(server, articles):
    from tests.ingest.web.site import NewsSite, Page, article_html, rss_feed

    site = NewsSite(server)
    for a in articles:
        site.add(a.path, Page(article_html(a, site.base)))
    site.add("/rss.xml", Page(rss_feed(site.base, [(a, a.path) for a in articles]),
                              content_type="application/rss+xml"))
    return site


def _timed_run(web, site, label: str) -> dict[str, Any]:
    site.reset_log()
    started = time.perf_counter()
    run = web.run(feeds=[site.url("/rss.xml")])
    seconds = time.perf_counter() - started
    report = run.report
    out = {"seconds": seconds, "requests": len(site.requests), "not_modified": run.not_modified,
           "new": report.new, "changed": report.changed, "unchanged": report.unchanged,
           "chunks_embedded": report.chunks_embedded, "failed": len(report.skipped)}
    say(f"{label}: {seconds:.2f} s, {out['requests']} requests, {report.chunks_embedded} chunks "
        f"embedded, {run.not_modified} not modified")
    return out


def _extraction_ms(articles, base: str) -> list[float]:
    from ingest.web.extract import extract_article
    from tests.ingest.web.site import article_html

    times = []
    for a in articles:
        page = article_html(a, base)
        started = time.perf_counter()
        extract_article(page, a.path, url=base + a.path)
        times.append((time.perf_counter() - started) * 1000)
    return times


def run(argv: list[str], options: argparse.Namespace) -> dict[str, Any]:
    from pytest_httpserver import HTTPServer

    from ingest.pipeline import Ingestor
    from ingest.web.sync import WebIngest
    from rag.settings import make_settings
    from tests.ingest.helpers import make_engine
    from tests.ingest.web.site import Page, article_html

    result = common.Result("web", argv)
    articles = _articles(ARTICLES)
    work = common.scratch_dir("web-")
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    try:
        site = _site(server, articles)
        settings = make_settings(work / "data", work / "none", web__host_delay=0.0)
        engine = make_engine(settings)
        web = WebIngest(Ingestor(engine.store, engine.embed_model, settings))
        first = _timed_run(web, site, "first run")
        again = [_timed_run(web, site, f"re-sync {i + 1}") for i in range(options.reps)]
        changed = articles[0]
        site.add(changed.path, Page(article_html(changed, site.base, paragraphs=[
            *changed.paragraphs, "A closing paragraph was added by the editors later."])))
        one_changed = _timed_run(web, site, "one article changed")
        extraction = _extraction_ms(articles, site.base)
    finally:
        server.stop()
    resync = common.median(r["seconds"] for r in again)
    result["config"] = {"articles": ARTICLES, "host_delay_s": 0.0, "reps": options.reps}
    result["samples"] = {"first": first, "resync": again, "one_changed": one_changed,
                         "extraction_ms": extraction}
    result["medians"] = {"first_run_s": first["seconds"], "resync_s": resync,
                         "one_changed_s": one_changed["seconds"],
                         "extraction_ms_per_page": common.median(extraction),
                         "first_run_articles_per_s": ARTICLES / first["seconds"]}
    result["ratios"] = {"resync_vs_first_run": common.ratio(resync, first["seconds"]),
                        "one_changed_vs_first_run": common.ratio(one_changed["seconds"],
                                                                 first["seconds"])}
    result.note("A re-sync asks each article once with If-None-Match (HTTP 304) and embeds "
                "nothing; requests = articles + robots.txt + the feed.")
    path = result.write()
    say(f"results in {path}")
    return result.data
