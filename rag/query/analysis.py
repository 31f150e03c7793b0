"""What a question asks for: its expected answer type (and for a figure, its
kind: money, a share, a duration, a count), the years and offices it names.

The wh-words of vi/en/ru are few and closed, so a small table per language is
the whole classifier; everything else (numbers, dates, month names) comes from
`babel` and `dateparser` in rag.answer.spans."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from enum import StrEnum

from rag.lang.countries import asks_country, countries_named
from rag.query.events import asked_events
from rag.query.offices import Office, asked_offices
from rag.query.statements import asked_speakers


class AnswerType(StrEnum):
    QUANTITY = "quantity"
    DATE = "date"
    PERSON = "person"
    PLACE = "place"
    ORGANIZATION = "organization"
    YES_NO = "yes_no"
    REASON = "reason"
    OTHER = "other"


# Nouns that name a measured quantity: "what was the export turnover" asks for
# a figure as surely as "how much" does.
_MEASURES_EN = (r"rank|ranking|population|prices?|budgets?|turnover|revenues?|volumes?|costs?|amounts?|numbers?|rates?|"
                r"values?|sizes?|percentage|share|proportion|totals?|output|GDP|growth|income|salary|wages?|"
                r"area|length|height|depth|weight|capacity|speed|temperature|distance")
_MEASURES_RU = (r"мест[оа]|объ[её]м\w*|размер\w*|числ\w*|дол[яи]|численност\w*|сумм\w*|темп\w*|бюджет\w*|"
                r"курс\w*|цен[аыу]|стоимост\w*|населени\w*|выручк\w*|оборот\w*|доход\w*|"
                r"площад\w*|длин\w*|высот\w*|глубин\w*|вес\w*|скорост\w*|температур\w*|"
                r"расстояни\w*|зарплат\w*|процент\w*|ВВП|рост\w*|инфляци\w*|"
                r"уров\w+ (?:безработиц|инфляц|бедност|грамотност|рождаемост|смертност)\w*")


class Measure(StrEnum):
    MONEY = "money"
    PERCENT = "percent"
    DURATION = "duration"
    PEOPLE = "people"  # a count of people: "how many attended", "численность делегации"
    POPULATION = "population"  # how many live in a place: "dân số", "население"
    ATTENDANCE = "attendance"  # how many came to an event: "bao nhiêu đại biểu tham dự"
    EXCHANGE_RATE = "exchange_rate"  # a currency's price in another: "tỷ giá", "курс доллара"
    MEASUREMENT = "measurement"  # "how many pounds", "bao nhiêu mét", "сколько километров"
    COUNT = "count"
    STREAK = "streak"  # how many times in a row: "for the third consecutive year"
    RANK = "rank"  # a place in a ranking: "ranked 139th", "đứng thứ 5", "5-е место" (not "top 10")
    AVERAGE = "average"  # a figure per person or on average: "bình quân", "в среднем", "per capita"


# Words asking for a place in a ranking, and the ordinal places that answer it.
RANK_ASKED = {
    "en": r"\b(?:what|which) (?:rank|ranking|place|position)\b|\branked\b.*\b(?:where|what)\b",
    "vi": r"\b(?:xếp|đứng|xếp hạng) thứ (?:mấy|bao nhiêu)\b|\bthứ hạng\b",
    "ru": r"\bкак(?:ое|ом) мест\w*|\bна каком месте\b",
}
RANK_GIVEN = {
    "en": r"\b\d+(?:st|nd|rd|th)\b|\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
          r"tenth)\b(?! (?:consecutive|time|year))",
    "vi": r"\b(?:thứ|hạng) (?:\d+|nhất|nhì|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)\b",
    "ru": r"\b\d+[-‑]?(?:е|м|й|го|ом)? мест\w*|\b(?:перв|втор|трет)\w+ мест\w*",
}
# Words asking for a figure per person or on average, and those that give one.
AVERAGE_WORDS = {
    "en": r"\bon average\b|\baverage\b|\bper (?:capita|person|head)\b|\beach (?:person|resident|one)\b",
    "vi": r"\bbình quân\b|\btrung bình\b|\bmỗi người\b|\bđầu người\b",
    "ru": r"\bв среднем\b|\bсредн\w+|\bна душу\b|\bна (?:одного|человека|каждого)\b",
}

# Words of a run of years or times ("for the third consecutive year", "năm thứ
# ba liên tiếp", "третий год подряд"): a question with one asks how long the run is.
STREAK_WORDS = {
    "en": r"\bin a row\b|\bconsecutive(?:ly)?\b|\bsuccessive\b|\bstraight (?:years?|times?)\b",
    "vi": r"\bliên tiếp\b|\bliên tục\b",
    "ru": r"\bподряд\b|\bкряду\b",
}
TIME_UNITS = {
    "en": r"years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies)",
    "vi": r"năm|tháng|tuần|ngày|giờ|tiếng|phút|giây|thập kỷ|thập niên|thế kỷ",
    "ru": r"лет|год\w*|месяц\w*|недел\w*|дн(?:я|ей|ям)|день|сут(?:ки|ок)|час\w*|минут\w*|"
          r"секунд\w*|век\w*|десятилети\w*",
}
# Units of measurement: a figure followed by one measures something ("1.5
# meters", "27 кг"), it does not count it.
MEASUREMENT_UNITS = {
    "en": r"(?:square |cubic )?(?:meters?|metres?|kilometers?|kilometres?|centimet(?:er|re)s?|"
          r"millimet(?:er|re)s?|m|km|cm|mm|m2|km2|ft|feet|foot|inch(?:es)?|miles?|yards?|"
          r"kg|kilograms?|grams?|g|tonnes?|tons?|t|pounds?|lbs?|ounces?|oz|hectares?|ha|"
          r"acres?|litres?|liters?|l|gallons?|degrees?|°\w?|kw|mw|gw|kwh|volts?|v|watts?|"
          r"hz|mph|km/h|knots?|bar|psi)",
    "vi": r"(?:mét vuông|mét khối|mét|m|km|cm|mm|m2|km2|kg|ki-lô-gam|gam|g|tấn|ha|héc-ta|"
          r"lít|độ|°\w?|kw|mw|kwh|dặm|feet|inch)",
    "ru": r"(?:квадратн\w* |кубическ\w* )?(?:метр\w*|километр\w*|сантиметр\w*|миллиметр\w*|"
          r"м|км|см|мм|кг|килограмм\w*|грамм\w*|тонн\w*|га|гектар\w*|литр\w*|"
          r"градус\w*|°\w?|квт|мвт|миль|мил[яи]|фут\w*|дюйм\w*|фунт\w*)",
}
# Nouns that count people (and what people are counted by: signatures, votes,
# tickets, cases), and words for a whole population.
PEOPLE_NOUNS = {
    "en": r"people|persons|residents|inhabitants|citizens|visitors|tourists|participants|"
          r"delegates|attendees|guests|workers|employees|staff|students|pupils|members|soldiers|"
          r"troops|voters|spectators|children|adults|patients|volunteers|officials|passengers|"
          r"migrants|refugees|nationals|signatures|votes|ballots|tickets|subscribers|followers|"
          r"applicants|applications|admissions|visits|casualties|victims|deaths|births|cases|"
          r"families|households|farmers|fishermen|doctors|nurses|teachers|officers|police|"
          r"candidates|players|athletes|journalists|reporters",
    "vi": r"người|đại biểu|du khách|khách|lượt khách|học sinh|sinh viên|công nhân|lao động|"
          r"cán bộ|thành viên|cử tri|bệnh nhân|tình nguyện viên|kiều bào|hành khách|hộ dân|"
          r"chữ ký|phiếu|vé|lượt|ca|nạn nhân|thương vong|hộ|gia đình|trẻ em|em|cháu|công dân|"
          r"người dân|nông dân|ngư dân|bác sĩ|giáo viên|chiến sĩ|vận động viên|thí sinh|nhà báo",
    "ru": r"человек\w*|людей|жител\w*|граждан\w*|посетител\w*|турист\w*|участник\w*|"
          r"делегат\w*|гост\w*|работник\w*|сотрудник\w*|студент\w*|школьник\w*|член\w*|"
          r"солдат\w*|избирател\w*|зрител\w*|пациент\w*|волонт[её]р\w*|пассажир\w*|"
          r"мигрант\w*|беженц\w*|подпис\w*|голос\w*|билет\w*|подписчик\w*|заяв\w*|"
          r"погибш\w*|жертв\w*|случа\w*|визит\w*|сем(?:ей|ьи|ья)|дет(?:ей|и)|врач\w*|"
          r"учител\w*|полицейск\w*|кандидат\w*|спортсмен\w*|журналист\w*|фермер\w*|рыбак\w*",
}
# Words for a number of people as a whole (an attendance, a headcount), and for
# the people living in a place: a population is asked with the second and must be
# answered with it ("nearly 6 million overseas Vietnamese" is not a province's
# population, though it counts people).
POPULATION_WORDS = {"en": r"population|populated|attendance|crowd|census|inhabitants",
                    "vi": r"dân số|dân cư|cư dân", "ru": r"населени\w*|численност\w*|жител\w*"}
RESIDENT_WORDS = {"en": r"population|populated|inhabitants|residents|census",
                  "vi": r"dân số|dân cư|cư dân", "ru": r"населени\w*|жител\w*"}
RATE_WORDS = {"en": r"exchange rates?|rates?", "vi": r"tỷ giá", "ru": r"курс\w*"}
ATTENDANCE_WORDS = {"en": r"attend\w*|particip\w*|delegates|attendees|guests|took part|present",
                    "vi": r"tham dự|tham gia|đại biểu|khách mời|có mặt",
                    "ru": r"присутств\w*|участ\w*|делегат\w*|гост\w*"}
_ASKS_ATTENDANCE = {
    "en": r"\bhow many (?:\w+ ){0,2}(?:attended|took part|participated|were present)\b",
    "vi": r"(?:bao nhiêu|mấy) (?:\w+ ){0,2}(?:tham dự|tham gia|có mặt)\b",
    "ru": r"\bскольк\w* (?:\w+ ){0,2}(?:присутствовал\w*|участвовал\w*|принял\w* участие|"
          r"приняли участие)",
}
_ASKS_POPULATION = {"en": r"\b(?:population|populated|inhabitants|census)\b",
                    "vi": r"\b(?:dân số|dân cư)\b",
                    "ru": r"\bнаселени\w*|\bскольк\w* (?:\w+ )?жител\w*|\bчисленност\w* жител"}
# Rates a figure question asks for as a share: "the unemployment rate", "GDP
# growth", "tốc độ tăng trưởng", "уровень инфляции" are answered with a
# percentage, not a sum of money; checked after "how long" ("how long until GDP
# growth recovers" asks a duration) and "exchange rate".
_RATES = {
    "en": r"\b(?:growth|unemployment|inflation|interest|poverty|literacy|birth|death|mortality|"
          r"tax|turnout|employment|admission|acceptance|vaccination|participation|approval|"
          r"success|survival|crime|infection|enrol?ment|graduation) rates?\b"
          r"|\bgrowth target\b|\b(?:GDP|GRDP) growth\b",
    "vi": r"\btốc độ tăng\b|\bmục tiêu tăng trưởng\b|\btăng trưởng (?:GDP|GRDP)\b|"
          r"\blạm phát\b|\blãi suất\b|\bthất nghiệp\b",
    "ru": r"\bтемп\w* (?:рост|прирост|инфляц)\w*|\bрост\w* (?:ВВП|ВРП)|"
          r"\bуров\w+ (?:безработиц|инфляц|бедност|грамотност|"
          r"рождаемост|смертност)\w*|\bинфляц\w*|\bпроцентн\w* ставк\w*",
}
# First match wins: a share or a sum of money asked "how many" is not a count.
_ASKS: dict[str, list[tuple[Measure, str]]] = {
    "en": [
        (Measure.STREAK, STREAK_WORDS["en"]),
        (Measure.RANK, RANK_ASKED["en"]),
        (Measure.AVERAGE, AVERAGE_WORDS["en"]),
        (Measure.COUNT, r"\bhow many times\b"),
        (Measure.PERCENT, r"\bpercent(?:age)?\b|%|\bwhat (?:share|proportion|fraction)\b"),
        (Measure.EXCHANGE_RATE, r"\bexchange rates?\b"),
        (Measure.MONEY, r"\bhow much money\b|\bhow many (?:\w+ )?(?:dollars|euros|dong|"
                        r"roubles|rubles|yen)\b|\b(?:price|cost|budget|salary)\b"),
        (Measure.DURATION, rf"\bhow long (?:did|does|do|will|would|has|have|had)\b.*\b(?:last|take|"
                           rf"took|run|ran|stay|stayed|wait|serve|served|reign|reigned)\w*\b"
                           rf"|\bhow long (?:has|have|had)\b.*\bbeen\b"
                           rf"|\bfor how long\b|\bhow many (?:{TIME_UNITS['en']})\b(?! ago)"),
        (Measure.PERCENT, _RATES["en"]),
        (Measure.MEASUREMENT, rf"\bhow many (?:{MEASUREMENT_UNITS['en']})\b"),
        (Measure.ATTENDANCE, _ASKS_ATTENDANCE["en"]),
        (Measure.POPULATION, _ASKS_POPULATION["en"]),
        (Measure.PEOPLE, rf"\bhow many (?:(?:\w+ )?(?:{PEOPLE_NOUNS['en']})|attended)\b"
                         rf"|\bnumber of (?:\w+ )?(?:{PEOPLE_NOUNS['en']})\b"
                         rf"|\b(?:{POPULATION_WORDS['en']})\b"),
        (Measure.COUNT, r"\bhow many\b"),
    ],
    "vi": [
        (Measure.STREAK, STREAK_WORDS["vi"]),
        (Measure.RANK, RANK_ASKED["vi"]),
        (Measure.AVERAGE, AVERAGE_WORDS["vi"]),
        (Measure.COUNT, r"bao nhiêu lần|mấy lần"),
        (Measure.PERCENT, r"phần trăm|%|\btỷ lệ\b"),
        # "giá" alone is also in "đánh giá" (assess) and "lạnh giá" (cold)
        (Measure.EXCHANGE_RATE, r"\btỷ giá\b"),
        (Measure.MONEY, r"bao nhiêu (?:tiền|vốn)|(?:tỷ|triệu|nghìn|ngàn) đồng|\bUSD\b|đô la|"
                        r"kinh phí|ngân sách|chi phí|\b(?:mức )?giá (?:vàng|xăng|dầu|điện|nhà|"
                        r"bán|thuê|cả|vé|gạo)\b"),
        (Measure.DURATION, rf"\bbao lâu\b|(?:bao nhiêu|mấy) (?:{TIME_UNITS['vi']})\b"),
        (Measure.PERCENT, _RATES["vi"]),
        (Measure.MEASUREMENT, rf"(?:bao nhiêu|mấy) (?:{MEASUREMENT_UNITS['vi']})\b"),
        (Measure.ATTENDANCE, _ASKS_ATTENDANCE["vi"]),
        (Measure.POPULATION, _ASKS_POPULATION["vi"]),
        # the counted noun may come first: "Số kiều bào … là bao nhiêu?" (not "một số": some)
        (Measure.PEOPLE, rf"(?:bao nhiêu|mấy) (?:{PEOPLE_NOUNS['vi']})\b"
                         rf"|(?<!một )\bsố (?:lượng )?(?:{PEOPLE_NOUNS['vi']})\b"
                         rf"|\b(?:{POPULATION_WORDS['vi']})\b"),
        (Measure.COUNT, r"(?:bao nhiêu|mấy) (?:dự án|quốc gia|nước|lần|đoàn|doanh nghiệp|"
                        r"công ty|tổ chức|hiệp định|văn bản|trường|lượt)\b"),
    ],
    "ru": [
        (Measure.STREAK, STREAK_WORDS["ru"]),
        (Measure.RANK, RANK_ASKED["ru"]),
        (Measure.AVERAGE, AVERAGE_WORDS["ru"]),
        (Measure.COUNT, r"\bво сколько раз\b"),
        (Measure.PERCENT, r"процент|%|\bкак(?:ая|ую|ой) дол[июяе]\b"),
        (Measure.EXCHANGE_RATE, r"\bкурс\w* (?:доллара|евро|рубля|юаня|донга|валют\w*)|\bобменн\w* курс\w*"),
        (Measure.MONEY, r"сколько (?:стои\w+|денег|долларов|рублей|евро|донгов)|\bстоимост\w*|"
                        r"\bцен[аыуе]\b|\bбюджет\w*|\bзарплат\w*"),
        (Measure.DURATION, rf"\bкак долго\b|\bсколько (?:{TIME_UNITS['ru']})\b"),
        (Measure.PERCENT, _RATES["ru"]),
        (Measure.MEASUREMENT, rf"\bскольк\w* (?:{MEASUREMENT_UNITS['ru']})(?!\w)"),
        (Measure.ATTENDANCE, _ASKS_ATTENDANCE["ru"]),
        (Measure.POPULATION, _ASKS_POPULATION["ru"]),
        (Measure.PEOPLE, rf"\bскольк\w* (?:\w+ )?(?:{PEOPLE_NOUNS['ru']})(?!\w)"
                         rf"|\b(?:числ|количеств)\w* (?:\w+ )?(?:{PEOPLE_NOUNS['ru']})(?!\w)"
                         rf"|\b(?:{POPULATION_WORDS['ru']})"),
        (Measure.COUNT, r"\bскольк\w* (?:раз|стран\w*|делегаци\w*|проект\w*|"
                        r"соглашени\w*|организаци\w*)\b"),
    ],
}


def asked_measure(question: str, language: str) -> Measure | None:
    return next((m for m, p in _compiled("measure", language) if p.search(question)), None)


# Checked in this order: the first match wins ("when ... how many" is a date
# question only if no quantity word comes first in the table).
_PATTERNS: dict[str, list[tuple[AnswerType, str]]] = {
    "en": [
        (AnswerType.QUANTITY, r"\bhow (?:many|much|large|big|long|old|far|high)\b"
                              rf"|^(?:what|which) (?:is|was|are|were|will be) (?:the )?"
                              rf"(?:[\w'-]+ ){{0,4}}(?:{_MEASURES_EN})\b"
                              r"|^(?:what|which) (?:percentage|share|proportion|number|amount|rank|ranking)\b"),
        (AnswerType.DATE, r"\bwhen\b|\b(?:what|which) (?:date|day|year|month|time)\b|\bin what year\b"),
        (AnswerType.PERSON, r"\bwho(?:m|se)?\b"),
        (AnswerType.PLACE, r"\bwhere\b|\b(?:what|which) (?:country|city|province|place|region)\b"),
        (AnswerType.ORGANIZATION, r"\b(?:what|which) (?:ministry|organi[sz]ation|agency|company|"
                                  r"committee|department|body|institution|party)\b"),
        (AnswerType.REASON, r"\bwhy\b|\bfor what reason\b"),
        (AnswerType.YES_NO, r"^(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|"
                            r"should)\b"),
        # a question that opens with a plain "what"/"which" asks for no typed span
        (AnswerType.OTHER, r"^(?:what|which)\b"),
    ],
    "vi": [
        (AnswerType.QUANTITY, r"\bbao nhiêu\b|\bmấy\b|\bbao lâu\b|\bbao xa\b|\btỷ lệ\b"),
        (AnswerType.DATE, r"\bkhi nào\b|\bbao giờ\b|\blúc nào\b|\b(?:ngày|năm|tháng|hôm|thời điểm) nào\b"),
        (AnswerType.PERSON, r"(?:^|\s)ai(?:\s|\?|$)|\bngười nào\b|\bvị nào\b"),
        (AnswerType.PLACE, r"\bở đâu\b|\bnơi nào\b|\b(?:tỉnh|nước|quốc gia|thành phố|địa phương) nào\b"
                           r"|\bđâu\b"),
        (AnswerType.ORGANIZATION, r"\b(?:cơ quan|tổ chức|bộ|ban|công ty|doanh nghiệp) nào\b"),
        (AnswerType.REASON, r"\bvì sao\b|\btại sao\b|\blý do\b|\bnguyên nhân\b"),
        (AnswerType.YES_NO, r"\bcó\b.*\bkhông\s*\??$|\bphải không\b|\bchưa\s*\??$"),
    ],
    "ru": [
        (AnswerType.QUANTITY, r"\bскольк\w*|\bкакое количество\b|\bкотор\w+ (?:раз|год) подряд\b"
                              rf"|\bкак(?:ов[аоы]?|ой|ая|ое|ие|им|ую|ого)(?: (?:был[аио]?|будет|сейчас|сегодня))?"
                              rf" (?:\w+ ){{0,2}}(?:{_MEASURES_RU})\b"),
        (AnswerType.DATE, r"\bкогда\b|\bв каком году\b|\bкакого числа\b|\bв какой день\b|\bкакого года\b"),
        (AnswerType.PERSON, r"\bкто\b|\bкого\b|\bкому\b|\bкем\b|\bчей\b|\bчья\b"),
        (AnswerType.PLACE, r"\bгде\b|\bкуда\b|\bоткуда\b|\bв какой (?:стране|провинции)\b"
                           r"|\bв каком городе\b"),
        (AnswerType.ORGANIZATION, r"\bкакое (?:министерство|ведомство)\b|\bкакая (?:организация|компания)\b"),
        (AnswerType.REASON, r"\bпочему\b|\bзачем\b|\bпо какой причине\b"),
        (AnswerType.YES_NO, r"\bли\b"),
        (AnswerType.OTHER, r"^(?:что|как(?:ой|ая|ое|ие|ов\w*))\b"),
    ],
}
_TABLES: dict[str, dict[str, list[tuple[StrEnum, str]]]] = {"type": _PATTERNS, "measure": _ASKS}


@functools.cache
def _compiled(table: str, language: str) -> list[tuple[StrEnum, re.Pattern]]:
    """One of the tables above, compiled for a language (English rules for others)."""
    rules = _TABLES[table]
    return [(kind, re.compile(p, re.IGNORECASE)) for kind, p in rules.get(language) or rules["en"]]


# Words that ask rather than name what is asked (beyond each language's function
# words): a question made of these alone ("In 2021?") leans on the previous one.
ASKING_WORDS = {
    "en": frozenset("how many much when what which who whom whose where why year years date day "
                    "month time number amount total approximately roughly about".split()),
    "vi": frozenset("bao nhiêu khi nào ai gì năm ngày tháng mấy đâu là khoảng tổng số "
                    "lượng mức đạt thì sao".split()),
    "ru": frozenset("сколько когда кто какой какая какое какие каком какую каким году год "
                    "где почему чем число количество примерно около всего".split()),
}

YEAR_PATTERN = re.compile(r"(?<![\d.,/])(1[89]\d\d|20\d\d)(?!\d|[.,/]\d)")


@dataclass
class QuestionAnalysis:
    answer_type: AnswerType
    years: set[int] = field(default_factory=set)
    offices: list[Office] = field(default_factory=list)  # "who is the chairman …"
    measure: Measure | None = None  # the kind of figure a quantity question asks for
    speakers: list[str] = field(default_factory=list)  # "what did <name> say …"
    events: list[tuple[int, str]] = field(default_factory=list)  # "the 14th Congress": (14, …)
    # "which countries …": the countries the question names itself (None: it asks no country)
    countries: set[str] | None = None
    date_part: str | None = None  # "day" / "year" when a date question asks for one

    @property
    def needs_span(self) -> bool:
        """Types whose answer the evidence must visibly hold: a number, a date.
        ("Who" is often answered by a body or a group, not a name.)"""
        return self.answer_type in (AnswerType.QUANTITY, AnswerType.DATE)

    @property
    def has_lead(self) -> bool:
        """Types whose answer span an offline answer starts with."""
        return self.answer_type in (AnswerType.QUANTITY, AnswerType.DATE, AnswerType.PERSON)


def answer_type(question: str, language: str) -> AnswerType:
    """The expected answer type, from the question's wh-words (English rules
    for other languages). English and Russian put the asking word first, so
    the earliest one decides ("What was the tribe ... when he was 16?" is not
    a date question); Vietnamese often ends with it, so the table order does."""
    text = question.strip()
    found = [(m.start(), order, kind)
             for order, (kind, pattern) in enumerate(_compiled("type", language))
             if (m := pattern.search(text))]
    if not found:
        return AnswerType.OTHER
    if language == "vi":
        return min(found, key=lambda f: f[1])[2]
    return min(found)[2]


def analyze_question(question: str, language: str) -> QuestionAnalysis:
    kind = answer_type(question, language)
    offices = asked_offices(question, language) if kind is AnswerType.PERSON else []
    measure = asked_measure(question, language) if kind is AnswerType.QUANTITY else None
    countries = countries_named(question, language) if asks_country(question, language) else None
    date_part = asked_date_part(question, language) if kind is AnswerType.DATE else None
    return QuestionAnalysis(kind, years_in(question), offices, measure,
                            asked_speakers(question, language), asked_events(question), countries,
                            date_part)


# What a date question asks for: a year ("in what year", "năm nào", "в каком
# году") or a day ("what date", "ngày nào", "какого числа").
_ASKS_DATE_PART = {
    "en": [("year", r"\b(?:what|which) year\b|\bin what year\b|\byear did\b"),
           ("day", r"\b(?:what|which) (?:date|day)\b|\bon what day\b")],
    "vi": [("year", r"\bnăm (?:nào|bao nhiêu|mấy)\b"), ("day", r"\bngày (?:nào|bao nhiêu|mấy)\b")],
    "ru": [("year", r"\bв как(?:ом|ие) год(?:у|ы)\b|\bкакого года\b|\bкакой год\b"),
           ("day", r"\bкакого числа\b|\bв какой день\b|\bкакая дата\b|\bкакой дат\w*")],
}


def asked_date_part(question: str, language: str) -> str | None:
    """"year" or "day" when a date question asks for one, else None."""
    for part, pattern in _ASKS_DATE_PART.get(language, _ASKS_DATE_PART["en"]):
        if re.search(pattern, question, re.IGNORECASE):
            return part
    return None


# "Who is X?": the question names a person and asks what they are; the answer
# is their role, not another person's name.
_ASKS_IDENTITY = {
    "en": r"^who (?:is|was) (?:mr\.? |mrs\.? |ms\.? |dr\.? |comrade )?(?P<name>.+)$",
    "vi": r"^(?:ai là )?(?:ông |bà |đồng chí )?(?P<name>.+?)(?: là ai)?$",
    "ru": r"^(?:кто (?:так(?:ой|ая|ие)|это)|кем (?:является|был[аи]?)) (?:товарищ )?(?P<name>.+)$",
}


def asks_who_someone_is(question: str, language: str) -> bool:
    """"Who is Nguyen Thi Hong Hoa?", "Ai là Nguyễn Thị Hồng Hoa?", "Кто такой
    Нгуен Донг Чунг?": a name of two or more capitalised words and nothing else."""
    text = question.strip().rstrip("?？ ").strip()
    match = re.match(_ASKS_IDENTITY.get(language, _ASKS_IDENTITY["en"]), text, re.IGNORECASE)
    if match is None or (language == "vi" and not re.search(r"^ai là |là ai$", text, re.I)):
        return False
    words = match.group("name").split()
    return len(words) >= 2 and all(w[:1].isupper() for w in words)


def years_in(text: str) -> set[int]:
    return {int(y) for y in YEAR_PATTERN.findall(text)}
