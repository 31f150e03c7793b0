"""Greetings and thanks get a line about the chat, not quotes of the nearest passages."""

import pytest

from rag.query.smalltalk import small_talk


@pytest.mark.parametrize(("message", "kind"), [
    ("Hello", "greeting"), ("hi there!", "greeting"), ("Good morning", "greeting"),
    ("Xin chào", "greeting"), ("chào bạn", "greeting"), ("Привет", "greeting"),
    ("Здравствуйте!", "greeting"),
    ("Thanks!", "thanks"), ("thank you so much", "thanks"), ("Cảm ơn nhiều", "thanks"),
    ("cam on ban", "thanks"), ("Спасибо большое 🙂", "thanks"),
])
def test_small_talk__a_whole_greeting_or_thanks(message, kind):
    assert small_talk(message) == kind


@pytest.mark.parametrize("message", [
    "Hello, how much FDI did Nghe An attract?", "Who said hello at the conference?",
    "Chào mừng năm mới 2025 được tổ chức ở đâu?", "Спасибо кому сказал премьер-министр?",
])
def test_small_talk__a_question_that_holds_one_is_a_question(message):
    assert small_talk(message) is None
