"""What a question asks for: its expected answer type and the years it names.

The wh-words of vi/en/ru are few and closed, so a small table per language is
the whole classifier; everything else (numbers, dates, month names) comes from
`babel` and `dateparser` in rag.answer.spans."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


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
_MEASURES_EN = (r"population|prices?|budget|turnover|revenues?|volume|costs?|amount|number|rate|"
                r"value|size|percentage|share|proportion|total|output|GDP|income|salary|wages?|"
                r"area|length|height|depth|weight|capacity|speed|temperature|distance")
_MEASURES_RU = (r"объ[её]м\w*|размер\w*|числ\w*|дол[яи]|численност\w*|сумм\w*|темп\w*|бюджет\w*|"
                r"курс\w*|цен[аыу]|стоимост\w*|населени\w*|выручк\w*|оборот\w*|доход\w*|"
                r"площад\w*|длин\w*|высот\w*|глубин\w*|вес\w*|скорост\w*|температур\w*|"
                r"расстояни\w*|зарплат\w*|ВВП")

# Checked in this order: the first match wins ("when ... how many" is a date
# question only if no quantity word comes first in the table).
_PATTERNS: dict[str, list[tuple[AnswerType, str]]] = {
    "en": [
        (AnswerType.QUANTITY, r"\bhow (?:many|much|large|big|long|old|far|high)\b"
                              rf"|^(?:what|which) (?:is|was|are|were|will be) (?:the )?"
                              rf"(?:[\w'-]+ ){{0,4}}(?:{_MEASURES_EN})\b"),
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
        (AnswerType.QUANTITY, r"\bскольк\w*|\bкакое количество\b"
                              rf"|\bкак(?:ов[аоы]?|ой|ая|ое|ие)(?: (?:был[аио]?|будет|сейчас|сегодня))?"
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
_COMPILED = {lang: [(t, re.compile(p, re.IGNORECASE)) for t, p in rules]
             for lang, rules in _PATTERNS.items()}
YEAR_PATTERN = re.compile(r"(?<![\d.,/])(1[89]\d\d|20\d\d)(?!\d|[.,/]\d)")


@dataclass
class QuestionAnalysis:
    answer_type: AnswerType
    years: set[int] = field(default_factory=set)

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
             for order, (kind, pattern) in enumerate(_COMPILED.get(language) or _COMPILED["en"])
             if (m := pattern.search(text))]
    if not found:
        return AnswerType.OTHER
    if language == "vi":
        return min(found, key=lambda f: f[1])[2]
    return min(found)[2]


def analyze_question(question: str, language: str) -> QuestionAnalysis:
    return QuestionAnalysis(answer_type(question, language), years_in(question))


def years_in(text: str) -> set[int]:
    return {int(y) for y in YEAR_PATTERN.findall(text)}
