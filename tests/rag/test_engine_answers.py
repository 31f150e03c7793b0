"""Issue-11 behaviour on the seeded index: the answer span first, in the
asker's language; not-found when the evidence holds no such span or covers
another year; scoped questions; offline follow-ups."""

import datetime as dt

import pytest

from rag.schema import Scope
from tests.support.golden import first_by_a_margin

pytestmark = pytest.mark.golden

EN_ONLY_004 = "004_9d8066d37870cffc.txt"


@pytest.mark.parametrize(("question", "lead"), [
    ("Kiều hối hằng năm về Nghệ An đạt khoảng bao nhiêu?", "khoảng 500 triệu USD"),
    ("Сколько ежегодно составляют денежные переводы в провинцию Нгеан?",
     "около 500 млн долларов США"),
    ("How much do annual remittances to Nghe An amount to?", "about 500 million USD"),
])
def test_remittances__answer_leads_with_the_figure_in_the_askers_language(engine, question, lead):
    answer = engine.answer(question)
    assert not answer.abstained
    if answer.confidence.level == "weak":  # no answer line on weak evidence; the figure is quoted
        assert not answer.text.startswith("**") and "500" in answer.text
    else:
        assert answer.text.startswith(f"**{lead}")  # the figure first, then what it counts
    assert answer.citations[0].file == EN_ONLY_004
    first_by_a_margin(answer, EN_ONLY_004)


@pytest.mark.parametrize(("question", "lead"), [
    ("Việt Nam đã ký bao nhiêu FTA?", "16"),  # the rare keyword, not the article's subject, decides
    ("How many countries does Vietnam have diplomatic relations with?", "195"),
])
def test_quantity_answer__the_sentence_about_what_is_asked_leads(engine, question, lead):
    assert engine.answer(question).text.startswith(f"**{lead}")


def test_date_answer__rendered_in_the_askers_language_with_the_articles_year(engine):
    answer = engine.answer("Когда Руководящий комитет по внешней информации Нгеана подвёл итоги 2024 года?")
    assert not answer.abstained
    assert answer.text.startswith("**15 января 2025 г.**")


def test_figure_for_another_year__says_which_period_the_articles_give(engine):
    answer = engine.answer("How much FDI did Nghe An attract in 2023?")
    assert answer.abstained
    assert answer.text.startswith("The articles give no figure for 2023; they report 2024")
    assert answer.citations and answer.citations[0].file == EN_ONLY_004
    assert answer.confidence.reason_code == "other_period"


def test_figure_for_another_year__an_undated_sentence_speaks_of_its_articles_year(engine):
    answer = engine.answer("How much were remittances to Nghe An in 2019?")
    assert answer.abstained and answer.confidence.reason_code == "other_period"
    assert answer.text.startswith("The articles give no figure for 2019; the closest one is from "
                                  "an article of 2025:")
    assert "remittances" in answer.text  # the sentence the verdict is about is the one quoted
    assert answer.citations and answer.citations[0].file == EN_ONLY_004


def test_a_day_named_in_the_question__only_articles_that_name_it_answer(engine):
    # "31 октября" is written "October 31" / "31/10" in the other versions
    answer = engine.answer("Кто выступил на учебной конференции 31 октября?")
    assert not answer.abstained
    assert {p.file for p in answer.retrieved} == {"001_e6db487facfdc269.txt"}
    answer = engine.answer("Who spoke at the conference on 12 March?")
    assert answer.abstained and answer.retrieved == []
    # the refusal says what no article mentions, in the asker's language
    assert answer.text == "No article mentions 12 March."
    assert answer.confidence.reason_code == "not_mentioned"
    answer = engine.answer("Ai phát biểu tại hội nghị ngày 12/3 ở Hà Tĩnh?")
    assert answer.text == "Không bài viết nào nhắc đến «Hà Tĩnh», 12/3."
    answer = engine.answer("Сколько гостей было на конференции 12 марта?")
    assert answer.text == "В статьях не упоминается: 12 марта."


def test_scope__a_date_range_without_articles_finds_nothing(engine):
    answer = engine.answer("How much FDI did Nghe An attract in 2024?",
                           scope=Scope(until=dt.date(2020, 1, 1)))
    assert answer.abstained and answer.retrieved == []


def test_scope__restricted_to_one_document(engine):
    answer = engine.answer("How many countries does Vietnam have diplomatic relations with?",
                           scope=Scope(doc_ids=[EN_ONLY_004]))
    assert {p.file for p in answer.retrieved} <= {EN_ONLY_004}


def test_follow_up__offline_keeps_the_topic_and_takes_the_new_year(engine):
    history = [{"role": "user", "content": "How much FDI did Nghe An attract in 2024?"},
               {"role": "assistant", "content": "nearly 1.75 billion USD [1]"}]
    answer = engine.answer("and in 2023?", history=history)
    assert answer.standalone_question.startswith("How much FDI did Nghe An attract in 2023?")
    assert answer.abstained and "2023" in answer.text


def test_an_office_the_articles_name_only_for_a_deputy__is_not_answered_with_the_deputy(engine):
    answer = engine.answer("Ai là Cục trưởng Cục Ngoại vụ và Ngoại giao văn hóa, Bộ Ngoại giao?")
    assert answer.abstained and answer.confidence.reason_code == "only_deputy"
    assert answer.text.startswith("Các bài viết chỉ nêu cấp phó, không nêu «Cục trưởng» được hỏi.")
    assert answer.citations  # the closest passage, for the reader to check
    # the deputy, asked for, is not refused
    answer = engine.answer("Ai là Phó Cục trưởng Cục Ngoại vụ và Ngoại giao văn hóa, Bộ Ngoại giao?")
    assert not answer.abstained


@pytest.mark.parametrize("question", [
    "How long did the October 31 foreign affairs training conference in Nghe An last?",
    "Сколько часов длилась учебная конференция 31 октября?",
])
def test_a_duration_asked_for__a_count_of_something_else_does_not_answer(engine, question):
    answer = engine.answer(question)
    assert answer.abstained and answer.confidence.reason_code == "no_span"


def test_a_figure_missing_from_the_best_ranked_article__is_taken_from_the_next_one(engine):
    # the English-only article ranks first, the overseas-community figure is in the
    # 3-language article ranked after it (which scores higher on its own)
    answer = engine.answer("How many people live abroad as overseas Vietnamese?")
    assert not answer.abstained
    assert answer.text.startswith("**nearly 6 million ")


@pytest.mark.parametrize("question", [
    "How many countries have diplomatic ties with Vietnam, and how many multilateral "
    "organisations is it a member of?",
    "Сколько стран имеют с Вьетнамом дипломатические отношения и во скольких многосторонних "
    "организациях он состоит?",
])
def test_two_facts_of_one_paragraph__are_both_quoted(engine, question):
    # e5 puts the two sentences at 0.93: they are not one fact said twice
    answer = engine.answer(question)
    assert answer.text.startswith("**195 ")
    assert "70" in answer.text


@pytest.mark.parametrize("question", [
    "For how many consecutive years has Nghe An been among the top 10 provinces for FDI?",
    "Nghệ An lọt top 10 thu hút FDI mấy năm liên tiếp?",
])
def test_a_run_of_years_asked_for__the_sentence_that_counts_it_answers(engine, question):
    answer = engine.answer(question)
    assert not answer.abstained
    assert "third consecutive year" in answer.text
    assert not answer.text.startswith("**")  # no figure of the sentence is the run's length


# "Bui Dinh Long - … Vice Chairman …; Tran Khanh Thuc - Director of the Department …"
@pytest.mark.parametrize("question, holder", [
    ("Ai là Phó Chủ tịch UBND tỉnh Nghệ An được nhắc đến trong bài?", "Bui Dinh Long"),
    ("Кто является заместителем председателя провинциального народного комитета Нгеана?",
     "Bui Dinh Long"),
    # heading a department, said with a verb, asks for its director
    ("Кто возглавлял департамент иностранных дел провинции Нгеан?", "Tran Khanh Thuc"),
    ("Who heads the Department of Foreign Affairs of Nghe An?", "Tran Khanh Thuc"),
    ("Ai đứng đầu Sở Ngoại vụ Nghệ An?", "Tran Khanh Thuc"),
])
def test_who_holds_an_office__the_name_beside_that_office_leads(engine, question, holder):
    answer = engine.answer(question)
    assert not answer.abstained
    assert answer.text.startswith(f"**{holder}**")


@pytest.mark.parametrize("question", [
    "Who is Nguyen Thi Hong Hoa?", "Nguyễn Thị Hồng Hoa là ai?", "Кто такая Нгуен Тхи Хонг Хоа?",
])
def test_who_is_a_named_person__no_other_name_leads_the_quote_gives_the_role(engine, question):
    # the sentence lists Hoang Nghia Hieu first; he is not who she is
    answer = engine.answer(question)
    assert not answer.abstained and not answer.text.startswith("**")
    assert "Nguyen Thi Hong Hoa - Member of the Provincial Party Committee" in answer.text


@pytest.mark.parametrize("question, code, start", [
    ("Dân số tỉnh Nghệ An hiện nay là bao nhiêu người?", "no_span",
     "Các bài viết không nêu con số được hỏi."),
    ("How many people attended the October 31 training conference in Nghe An?", "no_span",
     "The articles do not give the figure asked for."),
    ("Что сказал министр иностранных дел Буй Тхань Шон на конференции 6 января?", "not_said",
     "В статьях не приводятся слова «Буй Тхань Шон»."),
    ("Đại hội XIV của Đảng đã thông qua những nghị quyết gì?", "only_upcoming",
     "Các bài viết chỉ nhắc đến «XIV» như một sự kiện sắp diễn ra"),
    ("Who chaired the Nghe An foreign information conference in 2027?", "after_articles",
     "The articles were published in 2025, so they cannot report on 2027."),
    # a rate is a share: the sums of money the articles give do not answer it
    ("What is the unemployment rate in Nghe An?", "no_span",
     "The articles do not give the figure asked for."),
    ("Какой был рост ВВП Вьетнама в 2024 году?", "no_span", "В статьях не указано"),
])
def test_questions_the_articles_cannot_answer__say_why_in_the_askers_language(engine, question,
                                                                              code, start):
    answer = engine.answer(question)
    assert answer.abstained and answer.confidence.reason_code == code
    assert answer.text.startswith(start)
    assert answer.citations  # the closest passage, for the reader to check


@pytest.mark.parametrize("question, expected", [
    ("Сколько вьетнамцев проживает за рубежом?", "почти 6 млн"),  # people, not a population
    ("What did Hoang Nghia Hieu say at the conference?", "Hoang Nghia Hieu"),  # he speaks
    # "PM" is written out ("Prime Minister"): not an unknown name
    ("What growth target must foreign affairs serve according to the PM?", "8%"),
])
def test_neighbours_of_those_questions__are_still_answered(engine, question, expected):
    answer = engine.answer(question)
    assert not answer.abstained and expected in answer.text


def test_a_capital_standing_for_its_country__passes_the_key_term_guard(engine):
    answer = engine.answer("With how many nations has Hanoi set up formal ties?")
    assert not answer.abstained and answer.text.startswith("**195 ")
    # in Russian too, in any case ("у Ханоя"): the Russian translation says "Вьетнам"
    answer = engine.answer("Со сколькими государствами у Ханоя налажены дипломатические отношения?")
    assert not answer.abstained and answer.text.startswith("**195 ")
    assert answer.citations[0].file == "001_e6db487facfdc269.txt"
    # a paraphrase that shares no word with the sentence: the aligned words pick 38, not 195
    answer = engine.answer("Скольким государствам Ханой присвоил два высших уровня "
                           "двустороннего сотрудничества?")
    assert answer.text.startswith("**38 ")
    # a capital used as a place is the city
    answer = engine.answer("How many foreign delegations visited Hanoi last year?")
    assert answer.abstained and answer.confidence.reason_code == "not_mentioned"
    # a capital whose country no article names is still unknown
    answer = engine.answer("How many trade deals has Paris signed this year?")
    assert answer.abstained and answer.confidence.reason_code == "not_mentioned"
    # in Vietnamese "Hà Nội" is the city, not the state
    answer = engine.answer("Dự báo thời tiết Hà Nội cuối tuần này thế nào?")
    assert answer.abstained and answer.confidence.reason_code == "not_mentioned"


@pytest.mark.parametrize("question", [
    "Which countries did Nghe An's working delegations visit in 2024?",
    "Các đoàn công tác của tỉnh Nghệ An năm 2024 đã đến những nước nào?",
    "В какие страны ездили рабочие делегации провинции Нгеан в 2024 году?",
])
def test_which_countries__refused_when_the_passages_name_none(engine, question):
    # the article says only that 19 delegations went to "foreign countries"
    answer = engine.answer(question)
    assert answer.abstained and answer.confidence.reason_code == "no_country"
    assert "delegations" in answer.text  # the closest passage is quoted, to be checked


def test_which_countries__answered_when_the_passages_name_them(engine):
    answer = engine.answer("With which countries did Nghe An ask the Foreign Ministry to help it connect?")
    assert not answer.abstained and "India" in answer.text


@pytest.mark.parametrize(("question", "note"), [
    ("В какие страны ездили рабочие делегации провинции Нгеан в 2024 году?",
     "(цитата на английском)"),
    ("Các đoàn công tác của tỉnh Nghệ An năm 2024 đã đến những nước nào?",
     "(trích nguyên văn tiếng Anh)"),
])
def test_not_found__the_closest_passage_in_another_language_is_marked_as_a_quote(engine, question,
                                                                                  note):
    """Issue 30: the closest passage quoted under a "not found" says which language it
    is quoted in, as the quotes of an answer do."""
    answer = engine.answer(question)
    assert answer.abstained and answer.citations
    quoted = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert quoted and all((note in line) == (c.language == "en")
                          for line, c in zip(quoted, answer.citations, strict=False))
    assert any(c.language == "en" for c in answer.citations)
