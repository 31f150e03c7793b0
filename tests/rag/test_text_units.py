"""Text utilities on text that is not from the seeds."""

import pytest

from rag.lang.text import analyze, count_tokens, fold_diacritics, split_sentences, splitter_sentences


@pytest.mark.parametrize("language, text, expected", [
    ("en", "Mr. Brown met Dr. Lee at No. 7 Elm St. on Friday. They signed at 3 p.m. It rained.",
     ["Mr. Brown met Dr. Lee at No. 7 Elm St. on Friday.", "They signed at 3 p.m.", "It rained."]),
    ("vi", "TP. Đà Nẵng đón 2 triệu khách. GS. TS. Lê Minh phát biểu tại hội thảo.",
     ["TP. Đà Nẵng đón 2 triệu khách.", "GS. TS. Lê Minh phát biểu tại hội thảo."]),
    ("ru", "В г. Казани на ул. Баумана открыли музей. Его посетил т. Петров.",
     ["В г. Казани на ул. Баумана открыли музей.", "Его посетил т. Петров."]),
])
def test_split_sentences__does_not_break_at_abbreviations(language, text, expected):
    assert split_sentences(text, language) == expected


def test_split_sentences__newline_always_ends_a_sentence():
    assert split_sentences("Headline without a stop\nBody text. More text.", "en") == [
        "Headline without a stop", "Body text.", "More text."]


def test_splitter_sentences__pieces_rejoin_to_the_original_text():
    text = "Sáng 5/3, TP. Huế tổ chức lễ hội.\n\nHàng nghìn người tham dự. Trời nắng đẹp."
    pieces = splitter_sentences(text, "vi")
    assert "".join(pieces) == text
    assert len(pieces) >= 3


def test_fold_diacritics__latin_folds_cyrillic_keeps_its_letters():
    assert fold_diacritics("Nguyễn Đồng Huế") == "nguyen dong hue"
    assert fold_diacritics("Йошкар-Ола") == "йошкар-ола"


def test_analyze__stems_russian_and_english_not_vietnamese():
    assert analyze("провинциями", "ru") == analyze("провинции", "ru")
    assert analyze("investments", "en") == analyze("investment", "en")
    assert analyze("Thành phố Huế", "vi") == ["thanh", "pho", "hue"]


def test_count_tokens__counts_cl100k_tokens_offline():
    assert count_tokens("hello world") == 2
