"""Extraction: a news page's article body without its furniture, and its
metadata; the HTML file loader keeps the same text."""

from __future__ import annotations

import pytest

from ingest.web.extract import decode_html, extract_article
from rag.errors import DocumentError
from tests.ingest.web.site import ARTICLES, article_html, boilerplate

BASE = "http://news.example.test"


@pytest.mark.parametrize("article", ARTICLES, ids=[a.lang for a in ARTICLES])
def test_extract__keeps_the_body_and_drops_navigation_related_comments_and_banners(article):
    page = article_html(article, BASE)
    extracted = extract_article(page, article.path, url=BASE + article.path)
    for paragraph in article.paragraphs:
        assert paragraph in extracted.text
    left = [piece for piece in boilerplate(article.lang) if piece in extracted.full_text()]
    assert left == []
    assert extracted.title == article.title
    assert extracted.full_text().splitlines()[0] == article.title
    assert extracted.date == article.published
    assert extracted.author == article.author
    assert extracted.canonical_url == BASE + article.path


def test_extract__date_comes_from_the_markup_not_from_a_comment_or_the_footer():
    article = ARTICLES[1]
    page = article_html(article, BASE).replace(f'content="{article.published}T07:30:00+07:00"',
                                               'content=""')
    page = page.replace(f'"datePublished": "{article.published}T07:30:00+07:00"',
                        '"datePublished": ""')
    page = page.replace(f'<time datetime="{article.published}T07:30:00+07:00">'
                        f'{article.published}</time>', "")
    # Only the footer's year and the modification date remain: neither is the publication date.
    assert extract_article(page, "x", url=BASE + "/x").date != article.published


def test_extract__a_page_without_article_text_is_an_error_naming_it():
    with pytest.raises(DocumentError, match="empty.html: no article text") as info:
        extract_article("<html><body><nav><a href='/'>Home</a></nav></body></html>", "empty.html")
    assert info.value.code == "web_no_text"


def test_decode__server_charset_then_meta_then_detection():
    text = "Tin tức Nghệ An — Новости"
    assert decode_html(text.encode("utf-8"), "x", "utf-8") == text
    page = f'<html><head><meta charset="windows-1251"></head><body>{"Новости"}</body></html>'
    assert "Новости" in decode_html(page.encode("cp1251"), "x")
    assert decode_html("Новости дня. ".encode("cp1251") * 30, "x").startswith("Новости")


def test_html_file_loader_keeps_what_the_web_ingest_keeps(tmp_path):
    from ingest.loaders import load_file

    article = ARTICLES[0]
    page = article_html(article, BASE)
    path = tmp_path / "saved.html"
    path.write_text(page, encoding="utf-8")
    raw = load_file(path, 10_000_000)
    assert raw.text == extract_article(page, "saved.html").full_text()
    assert raw.title_hint == article.title and raw.date_hint == article.published
    assert raw.author == article.author
    assert not [piece for piece in boilerplate(article.lang) if piece in raw.text]
