"""Language identification on the short, name-heavy questions staff type."""

import pytest

from rag.errors import InvalidQuestionError
from rag.query.language import detect_language, normalize_language_choice


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Who is Bui Dinh Long?", "en"),  # Vietnamese names do not make it Vietnamese
        ("FDI in 2024?", "en"),
        ("Pham Minh Chinh said what?", "en"),
        ("What did Pham Ngoc Canh say?", "en"),
        ("Bui Dinh Long là ai?", "vi"),  # one accent + Vietnamese function words
        ("Ai chủ trì hội nghị?", "vi"),
        ("Kết luận 57-KL/TW là gì?", "vi"),
        ("Кто такой Буй Динь Лонг?", "ru"),
        ("Когда?", "ru"),
        ("Avec combien de pays le Vietnam a-t-il des relations diplomatiques ?", "fr"),
        ("Wie viele Länder haben diplomatische Beziehungen mit Vietnam?", "de"),
        ("越南与多少个国家建立了外交关系？", "zh"),
        # Vietnamese typed without tone marks is still Vietnamese
        ("viet nam co quan he ngoai giao voi bao nhieu nuoc", "vi"),
        ("ai la chu tich ubnd tinh nghe an", "vi"),
        ("Is the tea from Thai Nguyen good?", "en"),
        # a keyword query: a name with a Vietnamese letter and an acronym (lingua said Italian)
        ("FDI Nghệ An 2024", "vi"),
        ("What is the FDI of Nghệ An in 2024?", "en"),
    ],
)
def test_detect_language__short_questions(text, expected):
    assert detect_language(text) == expected


def test_detect_language__no_letters_gives_the_default():
    assert detect_language("2024 ???", default="vi") == "vi"


@pytest.mark.parametrize(("choice", "expected"), [("auto", None), (None, None), ("RU", "ru"), (" vi ", "vi")])
def test_language_choice__auto_or_supported(choice, expected):
    assert normalize_language_choice(choice) == expected


def test_language_choice__unknown_is_a_clear_error():
    with pytest.raises(InvalidQuestionError, match="unknown answer language 'de': choose auto, vi, en or ru"):
        normalize_language_choice("de")
