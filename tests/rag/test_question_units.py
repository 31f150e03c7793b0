"""Expected answer types and years, on questions not about the seeds."""

import pytest

from rag.question import AnswerType, analyze_question


@pytest.mark.parametrize("question, language, kind", [
    ("How many bridges cross the river in Lyon?", "en", AnswerType.QUANTITY),
    ("Thành phố Huế có bao nhiêu cây cầu?", "vi", AnswerType.QUANTITY),
    ("Сколько мостов в Казани?", "ru", AnswerType.QUANTITY),
    ("When did the museum in Da Lat open?", "en", AnswerType.DATE),
    ("Bảo tàng Đà Lạt mở cửa khi nào?", "vi", AnswerType.DATE),
    ("В каком году открыли музей?", "ru", AnswerType.DATE),
    ("Who designed the opera house?", "en", AnswerType.PERSON),
    ("Ai là kiến trúc sư của nhà hát?", "vi", AnswerType.PERSON),
    ("Кто спроектировал театр?", "ru", AnswerType.PERSON),
    ("Where is the festival held?", "en", AnswerType.PLACE),
    ("Lễ hội diễn ra ở đâu?", "vi", AnswerType.PLACE),
    ("Почему закрыли мост?", "ru", AnswerType.REASON),
    ("Is the bridge open at night?", "en", AnswerType.YES_NO),
    ("Cây cầu có mở cửa ban đêm không?", "vi", AnswerType.YES_NO),
    ("Describe the new tram line.", "en", AnswerType.OTHER),
    # a noun that names a measure asks for a figure as "how much" does
    ("What was the port's cargo turnover in 2019?", "en", AnswerType.QUANTITY),
    ("What is the population of Hue?", "en", AnswerType.QUANTITY),
    ("Каков был бюджет фестиваля в 2019 году?", "ru", AnswerType.QUANTITY),
    ("Какой сегодня курс евро?", "ru", AnswerType.QUANTITY),
    ("What area was flooded?", "en", AnswerType.OTHER),
    ("Какие решения принял совет?", "ru", AnswerType.OTHER),
])
def test_answer_type__recognised_in_each_language(question, language, kind):
    assert analyze_question(question, language).answer_type is kind


def test_years__read_from_the_question_but_not_from_amounts():
    analysis = analyze_question("How much did the port earn in 2019 and 2021, above 1,500 tonnes?", "en")
    assert analysis.years == {2019, 2021}


def test_needs_span__only_for_factoid_types():
    assert analyze_question("How many?", "en").needs_span
    assert not analyze_question("Why did it close?", "en").needs_span
