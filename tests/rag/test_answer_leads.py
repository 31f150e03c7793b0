"""The bold answer line: what a count counts, who shares a role, ranks and
averages asked for, and Vietnamese typed without tone marks."""

from __future__ import annotations

import pytest

from rag.answer.lead import lead_span
from rag.answer.lead.render import counted_noun, render_count
from rag.answer.measures import holds_asked
from rag.answer.spans import quantities
from rag.query.analysis import Measure, analyze_question
from rag.query.tones import ToneRestorer, everyday_vietnamese


@pytest.mark.parametrize(("sentence", "figure", "language", "noun"), [
    ("In 2024 the province sent 19 working delegations led by its leaders abroad.", "19", "en",
     "working delegations"),
    ("Vietnam is a member of more than 70 regional and global organizations and forums.", "70",
     "en", "regional and global organizations"),
    ("It signed 16 Free Trade Agreements (FTAs) with other countries.", "16", "en",
     "Free Trade Agreements"),
    ("Năm 2024, tỉnh có 19 đoàn công tác do lãnh đạo tỉnh dẫn đầu.", "19", "vi", "đoàn công tác"),
    ("Năm 2024, tỉnh có 19 đoàn công tác, do lãnh đạo tỉnh dẫn đầu.", "19", "vi", "đoàn công tác"),
    ("Hội chợ có 320 gian hàng.", "320", "vi", "gian hàng"),
    ("Провинция направила 19 рабочих делегаций во главе с руководителями.", "19", "ru",
     "рабочих делегаций"),
    ("In 2012 the nation placed 139th out of 176 countries.", "139", "en", ""),  # a rank, not a count
])
def test_counted_noun__the_words_a_figure_counts(sentence, figure, language, noun):
    assert counted_noun(sentence, sentence.index(figure) + len(figure), language) == noun


def test_render_count__in_the_askers_language_or_quoting_the_source_words():
    sentence = "The fair had 320 stalls and 40 food trucks."
    [stalls, _] = quantities(sentence, "en")
    assert render_count(stalls, sentence, "en", "How many stalls?", "en") == "320 stalls"
    assert render_count(stalls, sentence, "en", "Hội chợ có bao nhiêu gian hàng?", "vi") == (
        "320 («320 stalls»)")
    [money] = quantities("Exports reached 3.7 billion USD.", "en")
    assert render_count(money, "Exports reached 3.7 billion USD.", "en", "How much?", "vi") == (
        "3,7 tỷ USD")  # a figure with its unit needs no noun


def test_who_question__names_that_share_the_role_lead_together():
    sentence = ("Comrades: Hoang Nghia Hieu - Standing Deputy Secretary of the Provincial Party "
                "Committee; Bui Dinh Long - Vice Chairman of the Provincial People's Committee; "
                "Nguyen Thi Hong Hoa - Head of the Propaganda Department chaired the conference.")
    for question, language, expected in (
            ("Who chaired the conference?", "en",
             "Hoang Nghia Hieu, Bui Dinh Long and Nguyen Thi Hong Hoa"),
            ("Ai chủ trì hội nghị?", "vi", "Hoang Nghia Hieu, Bui Dinh Long và Nguyen Thi Hong Hoa")):
        analysis = analyze_question(question, language)
        assert lead_span(sentence, "en", analysis, question, language, None, sentence) == expected


_TOP_TEN = "FDI reached 1.75 billion USD, ranking in the top 10 nationwide."
_PLACE = "In 2012, the nation placed 139th out of 176 countries."
_TOTAL = "The province's annual remittances reach about 500 million USD."
_PER_PERSON = "On average each household received 1,200 USD."


@pytest.mark.parametrize(("question", "language", "measure", "not_holding", "holding"), [
    # a rank is answered by a place, not by a top ten
    ("Năm 2024 Nghệ An xếp thứ mấy cả nước về thu hút FDI?", "vi", Measure.RANK, _TOP_TEN, _PLACE),
    ("What rank did the province hold nationwide in 2024?", "en", Measure.RANK, _TOP_TEN, _PLACE),
    ("Какое место занял Нгеан по привлечению инвестиций?", "ru", Measure.RANK, _TOP_TEN, _PLACE),
    # an average is answered by a figure per person, not by a total
    ("Bình quân mỗi kiều bào gửi về bao nhiêu tiền một năm?", "vi", Measure.AVERAGE, _TOTAL,
     _PER_PERSON),
    ("How much does each overseas Vietnamese send home on average?", "en", Measure.AVERAGE, _TOTAL,
     _PER_PERSON),
    ("Сколько в среднем отправляет домой один вьетнамец?", "ru", Measure.AVERAGE, _TOTAL,
     _PER_PERSON),
])
def test_a_rank_or_an_average_asked__needs_a_sentence_that_states_one(question, language, measure,
                                                                      not_holding, holding):
    analysis = analyze_question(question, language)
    assert analysis.measure is measure
    assert not holds_asked(not_holding, "en", analysis)
    assert holds_asked(holding, "en", analysis)


def test_tones__ordinary_vietnamese_is_restored_beyond_the_corpus():
    corpus = ["Nghệ An xuất khẩu 3,7 tỷ USD."]  # never says "kiều hối", "chủ trì", "hội nghị"
    with_lexicon = ToneRestorer(corpus, everyday_vietnamese())
    assert with_lexicon.restore("nghe an xuat khau bao nhieu") == "nghệ an xuất khẩu bao nhiêu"
    assert with_lexicon.restore("hoi nghi") == "hội nghị"
    assert ToneRestorer(corpus).restore("hoi nghi") == "hoi nghi"  # the corpus alone cannot


def test_nearness__aligned_words_keyed_in_a_sentence_with_a_gloss():
    """Words aligned across languages are relabelled on the same tokens the
    sentence is read with (its short glosses opened): "exports" stands by 3.7,
    and a word after the gloss is found, not an index past the end."""
    from rag.answer.lead.nearness import nearness

    sentence = "Foreign investment (FDI) reached 1.75 billion USD; total exports reached 3.7 billion USD"
    spans = [(sentence.index(f), sentence.index(f) + len(f)) for f in ("1.75", "3.7")]
    question = "Nghệ An xuất khẩu được bao nhiêu?"
    fdi, exports = nearness(sentence, spans, question, "vi", "en", "", {"exports": "xuất khẩu"})
    assert exports > fdi
    fdi, exports = nearness(sentence, spans, question, "vi", "en", "",
                            {"exports": "xuất khẩu", "usd": "usd"})
    assert exports > fdi
