"""Expected answer types and years, on questions not about the seeds."""

import pytest

from rag.answer.measures import fits, holds_asked
from rag.query.analysis import AnswerType, Measure, analyze_question, asks_who_someone_is


@pytest.mark.parametrize("question, language, kind", [
    ("How many bridges cross the river in Lyon?", "en", AnswerType.QUANTITY),
    ("Thành phố Huế có bao nhiêu cây cầu?", "vi", AnswerType.QUANTITY),
    ("Сколько мостов в Казани?", "ru", AnswerType.QUANTITY),
    ("What were the values of goods the province exported and imported?", "en", AnswerType.QUANTITY),
    ("Который год подряд город входит в десятку?", "ru", AnswerType.QUANTITY),
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
    ("Каким был объём грузов порта в 2019 году?", "ru", AnswerType.QUANTITY),
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


@pytest.mark.parametrize("question, language, measure", [
    ("How many hotels opened in Hue last year?", "en", Measure.COUNT),
    ("How much did the bridge cost?", "en", Measure.MONEY),
    ("How much rice did the province harvest?", "en", None),  # "how much" alone: unsaid
    ("What was the price of rice in March?", "en", Measure.MONEY),
    ("What percentage of visitors came from abroad?", "en", Measure.PERCENT),
    ("How long did the festival last?", "en", Measure.DURATION),
    ("How many times did the river flood?", "en", Measure.COUNT),
    ("Có bao nhiêu du khách đến Huế năm ngoái?", "vi", Measure.PEOPLE),
    ("Có bao nhiêu dự án được cấp phép?", "vi", Measure.COUNT),
    ("How many people visited the fair?", "en", Measure.PEOPLE),
    ("Какова численность населения Казани?", "ru", Measure.POPULATION),
    ("Dân số tỉnh Quảng Trị hiện nay là bao nhiêu người?", "vi", Measure.POPULATION),
    ("What was the city's population in 1901?", "en", Measure.POPULATION),
    ("Какова численность делегации?", "ru", Measure.PEOPLE),
    ("Какой сегодня курс доллара к донгу?", "ru", Measure.EXCHANGE_RATE),
    ("How many people attended the training conference?", "en", Measure.ATTENDANCE),
    ("Có bao nhiêu đại biểu tham dự hội nghị?", "vi", Measure.ATTENDANCE),
    ("Сколько человек присутствовало на конференции?", "ru", Measure.ATTENDANCE),
    # living somewhere is not a population: "how many people live abroad"
    ("How many people live abroad as overseas Vietnamese?", "en", Measure.PEOPLE),
    ("Tỷ giá USD hôm nay là bao nhiêu?", "vi", Measure.EXCHANGE_RATE),
    ("Tỉnh được bố trí bao nhiêu tỷ đồng kinh phí?", "vi", Measure.MONEY),
    ("Lễ hội kéo dài bao lâu?", "vi", Measure.DURATION),
    ("Đánh giá năm 2020 cho thấy bao nhiêu?", "vi", None),  # "đánh giá" is not a price
    ("Сколько часов длилась конференция?", "ru", Measure.DURATION),
    ("Какой процент туристов приехал из-за рубежа?", "ru", Measure.PERCENT),
    ("Сколько инвестиций привлекла провинция?", "ru", None),  # a mass noun: money or not
    # a rate or a growth is a share, not a sum of money
    ("What is the unemployment rate in Nghe An?", "en", Measure.PERCENT),
    ("What was the GDP growth in 2024?", "en", Measure.PERCENT),
    ("What was the exchange rate of the dollar?", "en", Measure.EXCHANGE_RATE),
    ("Tốc độ tăng trưởng GDP của tỉnh năm 2024 là bao nhiêu?", "vi", Measure.PERCENT),
    ("Какой был рост ВВП Вьетнама в 2024 году?", "ru", Measure.PERCENT),
    ("Каков уровень безработицы в провинции?", "ru", Measure.PERCENT),
    # a run of years or times: "for the third consecutive year" answers, "19 delegations" does not
    ("How many times in a row has the city topped the ranking?", "en", Measure.STREAK),
    ("For how many consecutive years has the province grown?", "en", Measure.STREAK),
    ("Tỉnh đã mấy lần liên tiếp lọt top 10?", "vi", Measure.STREAK),
    ("Который раз подряд город входит в десятку?", "ru", Measure.STREAK),
    ("Сколько лет подряд растёт экспорт?", "ru", Measure.STREAK),
    # the counted people named before the question word
    ("Số kiều bào sinh sống khắp thế giới là bao nhiêu?", "vi", Measure.PEOPLE),
    ("What is the number of visitors to Hue?", "en", Measure.PEOPLE),
    ("Каково число туристов, посетивших Хюэ?", "ru", Measure.PEOPLE),
    ("Một số người hỏi giá vé là bao nhiêu?", "vi", Measure.MONEY),  # "một số": some
])
def test_asked_measure__the_kind_of_figure_a_quantity_question_asks_for(question, language,
                                                                         measure):
    assert analyze_question(question, language).measure == measure


@pytest.mark.parametrize("sentence, language, measure, fits_it", [
    ("Tourism revenue reached about 2.4 billion USD.", "en", Measure.MONEY, True),
    ("The city opened 19 new hotels.", "en", Measure.MONEY, False),
    ("The city opened 19 new hotels.", "en", Measure.COUNT, True),
    ("Revenue reached 2.4 billion USD, up 8%.", "en", Measure.COUNT, False),
    ("The festival lasted three days.", "en", Measure.DURATION, True),
    ("The festival drew more than 70 groups.", "en", Measure.DURATION, False),
    ("The theatre operated from 1870 to 1939.", "en", Measure.DURATION, True),
    ("Work began in 2005 and the bridge opened in 2010.", "en", Measure.DURATION, True),
    ("The province ranked in the top 10 for the third consecutive year.", "en", Measure.STREAK, True),
    ("In 2024 the province sent 19 delegations abroad.", "en", Measure.STREAK, False),
    ("Năm 2024 là năm thứ ba liên tiếp tỉnh lọt top 10.", "vi", Measure.STREAK, True),
    ("Провинция третий год подряд входит в десятку лучших.", "ru", Measure.STREAK, True),
    ("Cơn bão làm 1.200 hộ bị ảnh hưởng.", "vi", Measure.PEOPLE, True),
    ("Cơn bão gây thiệt hại 300 tỷ đồng.", "vi", Measure.PEOPLE, False),
    ("Lễ hội kéo dài 3 ngày.", "vi", Measure.DURATION, True),
    # a population is answered by a sentence about residents, not by any headcount
    ("Hiện có gần 6 triệu kiều bào sinh sống ở nước ngoài.", "vi", Measure.POPULATION, False),
    ("Hiện có gần 6 triệu kiều bào sinh sống ở nước ngoài.", "vi", Measure.PEOPLE, True),
    ("Dân số của tỉnh đạt 3,4 triệu người.", "vi", Measure.POPULATION, True),
    ("The city had 711,988 inhabitants in 1901.", "en", Measure.POPULATION, True),
    ("About 130 delegates attended the conference.", "en", Measure.POPULATION, False),
    ("Население города составляет 1,2 млн человек.", "ru", Measure.POPULATION, True),
    # an attendance is counted by those who came, not by any headcount
    ("Nearly 6 million Vietnamese live abroad.", "en", Measure.ATTENDANCE, False),
    ("The conference was attended by over 70 delegates.", "en", Measure.ATTENDANCE, True),
    ("Hội nghị có gần 130 đại biểu tham dự.", "vi", Measure.ATTENDANCE, True),
    # an exchange rate is not any sum of money
    ("FDI reached nearly 1.75 billion USD.", "en", Measure.EXCHANGE_RATE, False),
    ("The exchange rate stood at 25,400 dong per dollar.", "en", Measure.EXCHANGE_RATE, True),
    ("Строительство составляет от шести до девяти процентов ВВП.", "ru", Measure.PERCENT, True),
])
def test_fits__a_figure_of_the_kind_asked_for(sentence, language, measure, fits_it):
    assert fits(sentence, language, measure) is fits_it


@pytest.mark.parametrize("question, language, part", [
    ("In what year did the bridge open?", "en", "year"),
    ("Cây cầu khánh thành năm nào?", "vi", "year"),
    ("В каком году открыли мост?", "ru", "year"),
    ("On what date did the fair open?", "en", "day"),
    ("Hội chợ khai mạc ngày nào?", "vi", "day"),
    ("Какого числа открылась ярмарка?", "ru", "day"),
    ("When did the fair open?", "en", None),
])
def test_asked_date_part__a_year_or_a_day(question, language, part):
    from rag.query.analysis import asked_date_part

    assert asked_date_part(question, language) == part


@pytest.mark.parametrize("question, language, asks", [
    ("Which countries did the delegations visit?", "en", True),
    ("Các đoàn đã đến những nước nào?", "vi", True),
    ("В какие страны ездили делегации?", "ru", True),
    ("Какая страна подписала договор?", "ru", True),
    ("How many countries does Vietnam trade with?", "en", False),
])
def test_asks_country__which_country_in_three_languages(question, language, asks):
    from rag.lang.countries import asks_country

    assert asks_country(question, language) is asks


def test_countries_named__cldr_names_in_the_texts_language_and_english_russian_in_any_case():
    from rag.lang.countries import countries_named

    assert countries_named("partners in the United States, India and the European Union", "en") \
        == {"US", "IN", "EU"}
    assert countries_named("делегации посетили Германию и Индию", "ru") == {"DE", "IN"}
    assert countries_named("đến Hàn Quốc và Nhật Bản", "vi") == {"KR", "JP"}
    assert countries_named("19 delegations went to foreign countries", "en") == set()


@pytest.mark.parametrize(("question", "language", "identity"), [
    ("Who is Nguyen Thi Hong Hoa?", "en", True),
    ("Ai là Nguyễn Thị Hồng Hoa?", "vi", True),
    ("Nguyễn Thị Hồng Hoa là ai?", "vi", True),
    ("Кто такой Нгуен Донг Чунг?", "ru", True),
    ("Who is the Standing Deputy Secretary?", "en", False),  # an office, not a name
    ("Who chaired the conference?", "en", False),
    ("Ai chủ trì hội nghị?", "vi", False),
])
def test_asks_who_someone_is__a_bare_name_after_who_is(question, language, identity):
    assert asks_who_someone_is(question, language) is identity


@pytest.mark.parametrize("sentence, holds", [
    ("Resolution No. 39-NQ/TW, dated July 18, 2023, was issued by the Politburo.", True),
    ("The resolution sets tasks for 2025.", False),  # a year alone does not say the day
])
def test_holds_asked__a_day_asked_for_needs_a_day(sentence, holds):
    analysis = analyze_question("Nghị quyết được ban hành ngày nào?", "vi")
    assert analysis.date_part == "day"
    assert holds_asked(sentence, "en", analysis) is holds
