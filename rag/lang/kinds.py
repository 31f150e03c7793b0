"""What a question may ask for: the kinds the language packs' tables name
(rag.query.analysis reads a question into them)."""

from __future__ import annotations

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
