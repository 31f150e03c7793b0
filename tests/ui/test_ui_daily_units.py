"""Issue 30 without a browser: dates as staff type them, search without accents, the
review table and export, skip reasons, one card per cited article, the limit of a
scoped answer in its download."""

from __future__ import annotations

import datetime as dt

import pytest

from rag.schema import Answer, Citation, Confidence, Scope
from ui import render
from ui.i18n import t


@pytest.mark.parametrize(("lang", "typed", "day"), [
    ("vi", "31/10/2025", dt.date(2025, 10, 31)), ("vi", "31 tháng 10 năm 2025", dt.date(2025, 10, 31)),
    ("vi", "ngày 5/1/2025", dt.date(2025, 1, 5)), ("vi", "10/11/2025", dt.date(2025, 11, 10)),
    ("ru", "31.10.2025", dt.date(2025, 10, 31)), ("ru", "31 октября 2025", dt.date(2025, 10, 31)),
    ("ru", "10.11.2025", dt.date(2025, 11, 10)), ("en", "Oct 31, 2025", dt.date(2025, 10, 31)),
    ("en", "10/11/2025", dt.date(2025, 10, 11)), ("en", "2025-10-31", dt.date(2025, 10, 31)),
    ("en", "31/10/2025", dt.date(2025, 10, 31)),  # no 31st month: the day comes first
])
def test_dates_as_staff_type_them_in_each_language(lang, typed, day):
    from ui.dates import parse_date

    assert parse_date(typed, lang) == day


def test_a_month_or_a_year_is_its_first_day_from_and_its_last_day_until():
    from ui.dates import parse_date

    assert parse_date("10/2025", "vi") == dt.date(2025, 10, 1)
    assert parse_date("октябрь 2025", "ru", end=True) == dt.date(2025, 10, 31)
    assert parse_date("2025", "en") == dt.date(2025, 1, 1)
    assert parse_date("2025", "en", end=True) == dt.date(2025, 12, 31)
    assert parse_date("  ", "en") is None


@pytest.mark.parametrize("lang", ["vi", "en", "ru"])
@pytest.mark.parametrize("typed", ["31/13/2025", "12 July", "soon"])
def test_a_date_that_cannot_be_read_is_refused_in_the_interface_language(lang, typed):
    from ui.chat import parse_scope
    from ui.dates import DateRefused, parse_date

    with pytest.raises(DateRefused) as refused:
        parse_date(typed, lang)
    assert refused.value.message == t("date_refused", lang, value=typed)
    assert parse_scope([], typed, "", lang) == (None, t("date_refused", lang, value=typed))


def test_the_limit_in_words_in_every_language():
    scope = Scope(doc_ids=["a", "b"], since=dt.date(2025, 10, 1))
    assert render.scope_words(scope, "en") == "2 documents, from October 1, 2025"
    assert render.scope_words(scope, "vi") == "2 tài liệu, từ 1 tháng 10, 2025"
    assert render.scope_words(scope.model_dump(), "ru").startswith("2 документа, с 1 октября 2025")
    assert render.scope_words(None, "en") == "" and render.scope_words(Scope(), "en") == ""


@pytest.mark.parametrize(("query", "found"), [
    ("nghe an", True), ("NGHỆ AN", True), ("an nghe", True), ("kiem tra", True),
    ("Kiểm tra FDI", True), ("елка", True), ("nghe bac", False)])
def test_search_ignores_case_accents_and_word_order(query, found):
    from rag.lang.search import matches

    assert matches(query, "Kiểm tra FDI ở Nghệ An", "ёлка.txt") is found
    assert matches("", "anything") and matches(None, "")


def test_document_filter_search_and_typed_dates():
    from ui.dates import DateRefused
    from ui.doclist import filter_docs

    class Doc:
        def __init__(self, title, date):
            self.title, self.file, self.language, self.date = title, f"{title[:3]}.txt", "en", date

    docs = [Doc("Standing Deputy Secretary of Nghe An", "2025-01-15"),
            Doc("Đổi mới tư duy ở Nghệ An", "2025-10-31"), Doc("Other", "2025-01-06")]
    assert len(filter_docs(docs, "nghệ an")) == 2 and len(filter_docs(docs, "doi moi")) == 1
    assert len(filter_docs(docs, since="15 января 2025", lang="ru")) == 2
    assert len(filter_docs(docs, until="Jan 2025", lang="en")) == 2
    with pytest.raises(DateRefused):
        filter_docs(docs, since="31/10", lang="vi")


def test_review_table_and_export_are_honest():
    from ui import review

    down = {"id": "a1", "kinds": ["down"], "reason": "incomplete", "question": "Q1?",
            "answer": "**19** [2]\n\nTheo các bài viết:\n- «…» [2]", "language": "vi"}
    not_found = {"id": "a2", "kinds": ["abstained"], "reason": None, "question": "Q2?",
                 "answer": "Không tìm thấy.", "language": "vi"}
    disputed = {**not_found, "id": "a3", "kinds": ["down", "abstained"], "reason": "wrong"}
    told = {**down, "id": "a4", "reason": "should_abstain"}
    assert [review.answerable(i) for i in (down, not_found, disputed, told)] == \
        [True, False, True, False]
    html = review.table_html([down, not_found], "en")
    assert "<strong>19</strong> [2]" in html and "**" not in html and "2 items" in html
    assert "Theo các bài viết: · «…» [2]" in html
    assert t("review_count", "ru", n=2) in review.table_html([down, not_found], "ru")
    path = review.export([down, not_found], ["a1", "a2"], "vi")
    assert path.name.startswith("cau-hoi-can-kiem-tra-") and path.read_text("utf-8").count("\n") == 2


def test_skipped_file_reasons_in_the_interface_language():
    from rag.schema import SkippedFile
    from ui.doclist import skip_reason

    binary = SkippedFile(path="x.txt", reason="x.txt: looks like a binary file, not text",
                         code="binary")
    assert skip_reason(binary, "ru") == t("skip_binary", "ru") and "binary" not in \
        skip_reason(binary, "vi")
    assert skip_reason(SkippedFile(path="y", reason="?"), "vi") == t("skip_document", "vi")
    page = SkippedFile(path="z.html", reason="z.html: no article text found on the page",
                       code="web_no_text", params={"url": "z.html"})  # a saved web page
    assert skip_reason(page, "vi") == t("skip_no_text", "vi")


def _cite(n, chunk, text, doc="d1", file="a.txt"):
    return Citation(n=n, doc_id=doc, chunk_id=chunk, file=file, title="Title A", language="en",
                    date="2025-01-15", text=text, passage=f"Intro. {text} Outro.")


def test_one_card_per_cited_article_and_one_quote_per_passage():
    answer = Answer(question="q", language="en", text="x [1] [2] [3] [4]", mode="extractive",
                    citations=[_cite(1, "c1", "First fact here."), _cite(2, "c2", "Second fact here."),
                               _cite(3, "c1", "First fact here."),
                               _cite(4, "c9", "Other article.", doc="d2", file="b.txt")])
    html = render.sources_html(answer, "vi", lambda _: "Intro. First fact here. Outro.", 0)
    assert html.count('class="src-card"') == 2 and html.count('class="src-quote"') == 3
    for n in (1, 2, 3, 4):
        assert f'id="src-{n}"' in html
    assert html.count('data-file="a.txt"') == 1 and t("sources", "vi") in html


def test_download_says_the_limit_and_the_badge_is_in_the_interface_language():
    answer = Answer(question="How much?", language="en", text="**19** [1]", mode="extractive",
                    citations=[_cite(1, "c1", "Nineteen.")],
                    confidence=Confidence(level="strong", reason_code="span_in_quote",
                                          reason="the quote holds it", score=0.9))
    limit = render.scope_words(Scope(since=dt.date(2025, 10, 1)), "ru")
    text = render.export_text(answer, "ru", limit)
    assert t("scope_applied", "ru", what=limit) in text and "## Вопрос" in text
    assert t("conf_strong", "ru") in text and "the quote holds it" not in text
