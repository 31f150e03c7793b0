"""Answer spans and their rendering in each language (babel, dateparser)."""

import datetime as dt

import pytest

from rag.answer.lead import lead_span, person_names, render_date, render_quantity
from rag.answer.spans import has_date, holds_answer, quantities
from rag.lang.dates import day_months
from rag.query.analysis import AnswerType, analyze_question


def test_quantities__scale_unit_and_approximation():
    [q] = quantities("Tourism revenue reached about 2.4 billion USD last year.")
    assert q.value == pytest.approx(2.4e9) and q.unit == "USD" and q.approx == "about"
    [q] = quantities("Doanh thu du lịch đạt khoảng 2,4 tỷ USD.")
    assert q.value == pytest.approx(2.4e9) and q.approx == "about"
    [q] = quantities("Выручка составила около 2,4 млрд долларов.")
    assert q.value == pytest.approx(2.4e9) and q.unit == "USD"


def test_quantities__a_bare_year_is_not_a_quantity():
    assert quantities("The bridge opened in 1998.") == []
    assert [q.value for q in quantities("In 1998 it carried 12,000 cars.")] == [12000]


@pytest.mark.parametrize("language, expected", [
    ("vi", "khoảng 2,4 tỷ USD"), ("en", "about 2.4 billion USD"), ("ru", "около 2,4 млрд долларов США"),
])
def test_render_quantity__in_the_users_language(language, expected):
    [q] = quantities("Revenue reached about 2.4 billion USD.")
    assert render_quantity(q, language) == expected


@pytest.mark.parametrize("language, expected", [
    ("vi", "05/03/2024"), ("en", "5 March 2024"), ("ru", "5 марта 2024 г."),
])
def test_render_date__in_the_users_language(language, expected):
    assert render_date(dt.date(2024, 3, 5), language) == expected


def test_has_date__month_names_and_numeric_dates_in_three_languages():
    assert has_date("The fair opens on 12 July.", "en")
    assert has_date("Hội chợ khai mạc ngày 12/7.", "vi")
    assert has_date("Ярмарка откроется 12 июля.", "ru")
    assert not has_date("The fair has 300 stalls.", "en")


def test_lead_span__date_takes_its_year_from_the_articles_date():
    analysis = analyze_question("When did the fair open?", "en")
    span = lead_span("On the morning of March 5, the fair opened in Hue.", "en", analysis,
                     "When did the fair open?", "ru", "2024-03-06")
    assert span == "5 марта 2024 г."


def test_lead_span__never_a_figure_the_question_itself_names():
    question = "How many stalls did the 2023 fair in 12 districts have?"
    analysis = analyze_question(question, "en")
    span = lead_span("The fair in 12 districts had 300 stalls.", "en", analysis, question, "en", None)
    assert span == "300 stalls"  # with what it counts


def test_person_names__titles_are_not_people():
    assert person_names("Mayor Tran Van Binh met Director General Olga Smirnova.") == [
        "Tran Van Binh", "Olga Smirnova"]
    assert person_names("Chủ tịch UBND tỉnh Lê Văn Hải phát biểu.") == ["Lê Văn Hải"]


def test_holds_answer__by_type():
    assert holds_answer("It has three lanes.", "en", AnswerType.QUANTITY)
    assert not holds_answer("It is long and wide.", "en", AnswerType.QUANTITY)
    assert holds_answer("It was designed by Anna Berg.", "en", AnswerType.PERSON)
    assert holds_answer("Anything at all.", "en", AnswerType.REASON)


def test_lead_span__the_answer_is_not_the_person_the_question_names_in_another_script():
    question = "Кого Анна Берг пригласила на ярмарку?"
    analysis = analyze_question(question, "ru")
    sentence = "Anna Berg invited Tran Van Binh and the city's artists to the fair."
    assert lead_span(sentence, "en", analysis, question, "ru", None) == "Tran Van Binh"


def test_person_names__bodies_and_offices_are_not_people():
    assert person_names("The Information Steering Committee met Olga Smirnova.") == ["Olga Smirnova"]


@pytest.mark.parametrize("text, expected", [
    ("On the morning of January 6, the ministry met.", {(1, 6)}),
    ("Sáng 31/10, tại Vinh; hội nghị ngày 15/1/2025", {(10, 31), (1, 15)}),
    ("31 октября в Казани, 31.10.2025", {(10, 31)}),
    ("ngày 6 tháng 1 năm 2025", {(1, 6)}),
    # numbers, shares and years are not days
    ("Exports rose 13.10 percent to 1.75 billion in 2024/25 and 8/2025.", set()),
])
def test_day_months__any_language_and_format(text, expected):
    assert day_months(text) == expected


def test_quantities__document_numbers_are_not_amounts():
    assert [q.value for q in quantities(
        "Under Conclusion No. 57-KL/TW of the Politburo, 12 projects started.")] == [12]
    assert [q.value for q in quantities("Theo Nghị quyết số 39-NQ/TW, tỉnh có 5 khu kinh tế.", "vi")] \
        == [5]
    assert [q.value for q in quantities("Приказ № 15 касается 40 школ.", "ru")] == [40]


def test_person_names__a_capitalised_title_the_passage_also_writes_in_lower_case_is_not_a_person():
    sentence = "Since May, Olga Smirnova heads the Committee for Cultural Heritage Work."
    passage = "The committee coordinates cultural heritage work in the region. " + sentence
    assert person_names(sentence, passage) == ["Olga Smirnova"]
    # a Vietnamese name stays a name though some of its syllables are common words
    assert person_names("Bà Nguyễn Thị Hồng Hoa phát biểu.", "thị trường hoa hồng") == [
        "Nguyễn Thị Hồng Hoa"]


def test_lead_span__a_place_the_question_writes_as_one_russian_word_is_not_the_answer():
    question = "Кто руководил пунктом связи в Биньдине?"
    analysis = analyze_question(question, "ru")
    sentence = "In Binh Dinh, the link was led by Tran Van Binh."
    assert lead_span(sentence, "en", analysis, question, "ru", None) == "Tran Van Binh"


def test_lead_span__a_duration_leads_with_a_figure_of_time_and_a_name_without_its_possessive():
    question = "How long did the festival last?"
    analysis = analyze_question(question, "en")
    assert lead_span("The festival drew 3,000 visitors and lasted 3 days.", "en", analysis,
                     question, "en", None) == "3 days"
    assert lead_span("The festival drew 3,000 visitors.", "en", analysis, question, "en", None) is None
    assert person_names("Yesterday Mayor Tran Van Binh's speech opened the fair.") == ["Tran Van Binh"]


def test_quantities__a_decimal_below_one_and_a_shares_range():
    from rag.answer.spans import quantities

    small = quantities("About 1 millimeter (0.039 in) long.", "en")
    assert [q.value for q in small] == [1.0, 0.039]
    assert [q.unit for q in quantities("КПД достигает 27-30 %.", "ru")] == ["%", "%"]
    # a sum's range may carry its scale on the second figure only: left alone
    assert quantities("It rose from 5 to 7 million USD.", "en")[0].unit is None


@pytest.mark.parametrize("sentence, language, counts", [
    ("Ctenophores range from 1 millimeter to 1.5 meters in size.", "en", False),
    ("The fossils are about 505 million years old.", "en", False),
    ("Двигатель потребляет около 4 кг пара.", "ru", False),
    ("Only 100 species have been validated.", "en", True),
    ("There were 19 in 2024.", "en", True),  # "in" is not inches
    ("About 1 millimeter (0.039 in) long.", "en", False),  # a count is whole
    ("Its 209-acre main campus lies in Allston.", "en", False),
    ("Это одноступенчатый 5-цилиндровый двигатель.", "ru", True),  # "5-cylinder" counts
])
def test_fits__a_figure_with_a_unit_measures_it_does_not_count(sentence, language, counts):
    from rag.answer.measures import fits
    from rag.query.analysis import Measure

    assert fits(sentence, language, Measure.COUNT) is counts


def test_fits__how_many_of_a_unit_asks_for_a_measurement():
    from rag.answer.measures import fits
    from rag.query.analysis import Measure

    analysis = analyze_question("How many pounds of steam does the engine use per hour?", "en")
    assert analysis.measure is Measure.MEASUREMENT
    assert fits("Двигатель потребляет около 4 кг пара.", "ru", analysis.measure)
    assert not fits("It has 5 cylinders.", "en", analysis.measure)
    assert analyze_question("Сколько километров длина реки?", "ru").measure is Measure.MEASUREMENT


def test_quantities__a_document_code_is_not_a_figure_but_a_compound_count_is():
    assert quantities("Conclusion No. 57-KL/TW and Resolution 39-NQ/TW.", "en") == []
    assert [q.value for q in quantities("a 5-cylinder engine", "en")] == [5.0]


@pytest.mark.parametrize("text, found", [
    ("Chivas left after the 2014 season; the team plans to return in 2018.", [(2018, None, None)]),
    ("Чивас выбыли после сезона 2014 года и вернутся в лигу в 2018 году.",
     [(2014, None, None), (2018, None, None)]),
    ("Nhà máy đóng cửa vào tháng 10 năm 2016, ngày 6 tháng 1 năm 2025 mở lại.",
     [(2016, 10, None), (2025, 1, 6)]),
    ("Заводы закроются в октябре 2016 года, а 31 октября 2025 г. откроются.",
     [(2016, 10, None), (2025, 10, 31)]),
    ("Dated June 15, 2023; held on 31/10 and 31.10.2025, not 1.75 or 2000 people.",
     [(2023, 6, 15), (None, 10, 31), (2025, 10, 31)]),
])
def test_named_dates__days_months_and_years_as_written_in_three_languages(text, found):
    from rag.lang.dates import named_dates

    assert [(d.year, d.month, d.day) for d in named_dates(text)] == found


def test_named_dates__decades():
    from rag.lang.dates import named_dates

    for text in ("interest grew since the 1990s", "từ những năm 1990", "с 1990-х годов"):
        [decade] = named_dates(text)
        assert decade.decade and decade.year == 1990


@pytest.mark.parametrize("language, expected", [("en", "2018"), ("vi", "năm 2018"), ("ru", "2018 г.")])
def test_lead_span__a_year_is_not_read_as_years_ago(language, expected):
    # dateparser's search had read "в 2018 году" as "2018 years ago" (the year 8)
    question = {"en": "When will the team return?", "vi": "Khi nào đội trở lại?",
                "ru": "Когда команда вернётся в лигу?"}[language]
    sentence = "Команда планирует вернуться в лигу в 2018 году."
    assert lead_span(sentence, "ru", analyze_question(question, language), question, language,
                     None) == expected


def test_lead_span__the_year_next_to_the_questions_words():
    question = "Когда выбывшая команда должна вернуться в лигу?"
    sentence = "Чивас выбыли из MLS после сезона 2014 года, так что команда вернётся в лигу в 2018 году."
    context = f"{sentence} Лига основана в 1993 году. Матчи идут летом. Клуб играл в Карсоне."
    assert lead_span(sentence, "ru", analyze_question(question, "ru"), question, "ru",
                     None, context) == "2018 г."


def test_lead_span__not_the_year_the_question_names_and_a_day_when_asked():
    question = "When did Polonia win the national championship before 2000?"
    sentence = "Polonia won the championship in 2000, and had won the national title in 1946."
    assert lead_span(sentence, "en", analyze_question(question, "en"), question, "en", None) == "1946"
    question = "On what date did the committee meet to review 2024?"
    sentence = "On January 15, the committee met to review the work in 2024 and plan for 2025."
    assert lead_span(sentence, "en", analyze_question(question, "en"), question, "en",
                     "2025-01-16") == "15 January 2025"
    question = "When did the movement against investing in South Africa start?"
    sentence = "The divestment movement began in the late 1980s, well before 1993."
    assert lead_span(sentence, "en", analyze_question(question, "en"), question, "ru",
                     None) == "1980-е годы"


SEVERAL_FIGURES = ("Foreign investment (FDI) of Nghe An in 2024 reached nearly 1.75 billion USD; "
                   "for the third year in the top 10 provinces; total export turnover is estimated "
                   "at 3.7 billion USD; import turnover is 2.2 billion USD.")
PASSAGE = (f"Nghe An held a conference. Nghe An reviewed 2024. {SEVERAL_FIGURES} "
           "The province of Nghe An set tasks for 2025.")


@pytest.mark.parametrize("question, language, expected", [
    ("What was Nghe An's import turnover in 2024?", "en", "2.2 billion USD"),
    ("What was Nghe An's export turnover in 2024?", "en", "3.7 billion USD"),
    ("How much FDI did Nghe An attract in 2024?", "en", "nearly 1.75 billion USD"),
    # across scripts the words meet by their Latin skeleton: импорт / import
    ("Каким был объём импорта провинции Нгеан в 2024 году?", "ru", "2,2 млрд долларов США"),
    ("Каков объём экспорта Нгеана в 2024 году?", "ru", "3,7 млрд долларов США"),
])
def test_lead_span__the_figure_next_to_the_questions_words(question, language, expected):
    analysis = analyze_question(question, language)
    assert lead_span(SEVERAL_FIGURES, "en", analysis, question, language, None, PASSAGE) == expected


def test_lead_span__the_share_next_to_its_noun_not_across_a_comma():
    sentence = "In 1901, 56.2% of the residents were Catholic, 2.8% Protestant and 36.9% Jewish."
    # in a passage, words in most of its sentences ("of", "the") tell nothing
    passage = (f"Warsaw grew fast in the 19th century. The city of Warsaw had many residents. "
               f"{sentence} The share of the poor was large in Warsaw.")
    for noun, expected in (("Protestant", "2.8%"), ("Jewish", "36.9%"), ("Catholic", "56.2%")):
        question = f"What share of Warsaw's residents was {noun} in 1901?"
        assert lead_span(sentence, "en", analyze_question(question, "en"), question, "en",
                         None, passage) == expected


def test_render_quantity__a_figure_written_in_full_stays_in_full():
    [q] = quantities("The Greater Los Angeles Area has 17,786,419 residents.")
    assert render_quantity(q, "en") == "17,786,419"
    assert render_quantity(q, "ru") == "17 786 419"
    [q] = quantities("Remittances reach about 500 million USD.")
    assert render_quantity(q, "vi") == "khoảng 500 triệu USD"


def test_quantities__a_rank_is_not_an_amount():
    assert quantities("Nghe An was in the top 10 provinces for FDI.") == []
    assert quantities("Нгеан вошла в топ-10 провинций.", "ru") == []
    assert [q.value for q in quantities("It ranked in the top 5 with 300 stalls.")] == [300]


def test_lead_span__a_name_only_when_surely_a_person():
    # "Who sets the requirements" is answered by a body; a bold "United States" would mislead
    question = "Who sets the requirements for teachers in the US?"
    analysis = analyze_question(question, "en")
    sentence = "In the United States, each state sets the requirements for teachers."
    assert lead_span(sentence, "en", analysis, question, "en", None) is None
    sentence = "The requirements were set by Dr. Olga Smirnova of the Royal Society."
    assert lead_span(sentence, "en", analysis, question, "en", None) == "Olga Smirnova"
    question = "Кто выступил на конференции?"
    sentence = "На конференции выступил товарищ Нгуен Донг Чунг."
    assert lead_span(sentence, "ru", analyze_question(question, "ru"), question, "ru",
                     None) == "Нгуен Донг Чунг"
