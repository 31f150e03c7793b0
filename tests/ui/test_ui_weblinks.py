""""Add by link" on the Documents page, and web sources in the answer panel:
links are fetched and indexed (private addresses refused unless
RAG_WEB__ALLOW_PRIVATE), every failure is said in the interface language, and
citations of a web article link to the original page."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from cli.ui_wiring import web_ingest
from tests.conftest import free_port, make_settings
from tests.ingest.helpers import fresh_data_dir, make_engine
from tests.ingest.web.conftest import WEB
from tests.ingest.web.site import EN
from tests.ui.helpers import ask, go_tab, open_app, pick_language, screenshot
from ui.i18n import t
from ui.render import web_link
from ui.weblinks import add_by_link, failure_message, links_in


class AuditLog:
    def __init__(self):
        self.events = []

    def record(self, actor, action, target="", **detail):
        self.events.append((actor, action, target, detail))


def _services(engine, settings):
    return SimpleNamespace(engine=engine, settings=settings, web_ingest=web_ingest,
                           audit=AuditLog())


def test_links_in__one_per_line_spaces_or_commas_without_repeats():
    text = " https://a.example/x\nhttps://b.example/y, https://a.example/x  https://c.example/z\n"
    assert links_in(text) == ["https://a.example/x", "https://b.example/y", "https://c.example/z"]
    assert links_in("") == [] and links_in(None) == []


def test_web_link__only_http_addresses_become_links_and_everything_is_escaped():
    link = web_link('https://news.example/a?x=1&y="2"', "Title <b>", "vi")
    assert link.startswith('<a class="src-link" href="https://news.example/a?x=1&amp;y=&quot;2&quot;"')
    assert 'target="_blank"' in link and "noopener" in link and "Title &lt;b&gt;" in link
    assert f'title="{t("open_original", "vi")}"' in link
    assert web_link("javascript:alert(1)", "x", "en") == "x"
    assert web_link("", "<x>", "en") == "&lt;x&gt;"


@pytest.mark.parametrize("lang", ["en", "vi", "ru"])
def test_failure_messages_are_localised_for_every_code(lang):
    from rag.schema import SkippedFile

    params = {"host": "h", "address": "10.0.0.1", "seconds": "20", "status": "404", "n": "5",
              "mb": "5", "content_type": "application/pdf"}
    codes = [k for k in ("web_bad_url", "web_private", "web_dns", "web_robots",
                         "web_robots_unavailable", "web_timeout", "web_unreachable", "web_status",
                         "web_redirects", "web_too_big", "web_content_type", "web_no_text")]
    messages = {failure_message(SkippedFile(path="http://x.test/a", reason="r", code=code,
                                            params=params), lang) for code in codes}
    assert len(messages) == len(codes) and all(m.startswith("http://x.test/a: ") for m in messages)
    other = failure_message(SkippedFile(path="http://x.test/a", reason="odd", code="document"),
                            lang)
    assert other == t("web_failed", lang, url="http://x.test/a", reason="odd")


@pytest.mark.parametrize("lang", ["en", "vi", "ru"])
def test_add_by_link__private_addresses_are_refused_unless_allowed(site, tmp_path, lang):
    settings = make_settings(fresh_data_dir(tmp_path / "data"), **WEB)
    engine = make_engine(settings)
    url = site.url(EN.path)
    status, left = add_by_link(_services(engine, settings), url, lang, lambda *a: None)
    expected = t("web_private", lang, url=url, address="127.0.0.1")
    assert expected.split(":")[-1].strip(" .") in status and url in status
    assert left == url  # stays in the box
    assert site.requests == [] and engine.documents() == []


def test_add_by_link__with_private_allowed_indexes_and_keeps_failed_links(site, tmp_path):
    settings = make_settings(fresh_data_dir(tmp_path / "data"), **WEB, web__allow_private=True)
    engine = make_engine(settings)
    steps = []
    services = _services(engine, settings)
    status, left = add_by_link(services, f"{site.url(EN.path)}\n{site.url('/broken')}", "ru",
                               lambda *step: steps.append(step), "editor-ann")
    [(actor, action, target, detail)] = services.audit.events  # who added what, in the audit log
    assert (actor, action, detail["new"], detail["failed"]) == ("editor-ann", "add_by_link", 1, 1)
    assert site.url(EN.path) in target
    assert t("link_ok", "ru", new=1, changed=0, unchanged=0, seconds="")[:20] in status
    assert t("web_status", "ru", url=site.url("/broken"), status="500") in status
    assert left == site.url("/broken")
    assert [d.url for d in engine.documents()] == [site.url(EN.path)]
    assert any("Загрузка 2 из 2 (ошибок: 1)" == desc for _, _, desc in steps)


def test_add_by_link__without_the_web_ingest_says_so():
    services = SimpleNamespace(web_ingest=None)
    status, _ = add_by_link(services, "https://a.example/x", "vi", lambda *a: None)
    assert t("link_unavailable", "vi") in status


# -- in the browser ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def link_app(tmp_path_factory):
    """The app in this process over an empty index, links to private addresses
    allowed (the test site is on 127.0.0.1)."""
    from ui.app import build_app, launch_kwargs

    data = fresh_data_dir(tmp_path_factory.mktemp("links") / "data")
    settings = make_settings(data, **WEB, web__allow_private=True)
    engine = make_engine(settings)
    demo = build_app(engine, settings, web_ingest=web_ingest)
    demo.queue(default_concurrency_limit=2)
    port = free_port()
    demo.launch(prevent_thread_lock=True, quiet=True, **launch_kwargs(settings, "127.0.0.1", port))
    yield SimpleNamespace(url=f"http://127.0.0.1:{port}", engine=engine)
    demo.close()


def _wait_text(page, selector: str, text: str) -> None:
    page.wait_for_function("([s, x]) => (document.querySelector(s) || {innerText: ''})"
                           ".innerText.includes(x)", arg=[selector, text], timeout=60_000)


@pytest.mark.browser
def test_add_by_link_in_the_browser_then_the_answer_links_to_the_page(link_app, site, page):
    url, missing = site.url(EN.path), site.url("/no/such/page")
    open_app(page, link_app.url)
    go_tab(page, "docs")
    page.fill("#link-box textarea", f"{url}\n{missing}")
    page.click("#link-btn")
    _wait_text(page, "#link-status", "Added from the web: 1 new")
    assert t("web_status", "en", url=missing, status="404") in page.inner_text("#link-status")
    assert page.input_value("#link-box textarea") == missing
    row_link = page.locator(f'#docs-table a.src-link[href="{url}"]')
    row_link.wait_for()
    assert row_link.get_attribute("target") == "_blank"
    screenshot(page, "documents-added-by-link")
    go_tab(page, "chat")
    ask(page, "How long is the berth of the new container terminal at Cua Lo?")
    card_link = page.locator(f'#sources .src-card .src-title a.src-link[href="{url}"]')
    card_link.wait_for()
    assert card_link.get_attribute("rel").startswith("noopener")
    assert page.locator(f'#sources .src-card .src-meta a[href="{url}"]').count() == 1
    screenshot(page, "answer-cites-web-page")


@pytest.mark.browser
def test_add_by_link_refuses_a_local_address_on_a_default_server(ui_server, site, page):
    url = site.url(EN.path)
    open_app(page, ui_server.url)
    pick_language(page, "vi")
    go_tab(page, "docs", "vi")
    page.fill("#link-box textarea", url)
    page.click("#link-btn")
    _wait_text(page, "#link-status", "không thể thêm địa chỉ thuộc mạng nội bộ")
    assert site.requests == []
    screenshot(page, "documents-link-refused-vi")
