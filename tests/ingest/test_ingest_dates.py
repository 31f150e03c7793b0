"""Publication dates read from the article's opening with dateparser, in
Vietnamese, English and Russian; a dateline without a year takes it from the
article's own context, and no year in sight means no date."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.clean import clean_article
from ingest.dates import publication_date
from tests.conftest import SEEDS

TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("Hà Nội, ngày 12 tháng 7 năm 2025. Ủy ban nhân dân thành phố họp phiên thường kỳ.",
     "vi", "2025-07-12"),
    ("Москва, 12 июля 2025 года. Городская дума собралась на очередное заседание.",
     "ru", "2025-07-12"),
    ("Published 3 March 2024. The port authority opened a new pier.", "en", "2024-03-03"),
    ("Sáng 31/10, Ban Tuyên giáo tổ chức hội nghị tập huấn công tác đối ngoại năm 2025.",
     "vi", "2025-10-31"),
    ("Утром 31 октября комитет провёл конференцию по итогам работы в 2025 году.",
     "ru", "2025-10-31"),
    ("On the afternoon of January 15, the committee reviewed the work in 2024 and set the "
     "tasks for 2025.", "en", "2025-01-15"),
])
def test_publication_date__found_in_each_language(text, language, expected):
    assert publication_date(text, language, today=TODAY) == expected


def test_publication_date__a_dateline_without_any_year_in_sight_is_left_undated():
    text = "On the morning of January 6, the ministry held its annual conference."
    assert publication_date(text, "en", today=TODAY) is None


def test_publication_date__future_years_do_not_date_an_article():
    text = ("On the morning of May 2, the council adopted its plan for 2030 and its "
            "budget for 2024.")
    assert publication_date(text, "en", today=TODAY) == "2024-05-02"


def test_publication_date__text_without_a_date_has_none():
    text = "The harbour council approved two new piers for the fishing fleet."
    assert publication_date(text, "en", today=TODAY) is None


@pytest.mark.parametrize(("name", "language", "expected"), [
    ("000_20d4f894f796786e.txt", "en", "2025-10-31"),
    ("001_e6db487facfdc269.txt", "ru", "2025-10-31"),
    ("002_3e13fac306d48c8a.txt", "en", "2025-01-15"),
    ("004_9d8066d37870cffc.txt", "en", "2025-01-06"),
])
def test_publication_date__every_seed_gets_its_date_from_its_own_text(name, language,
                                                                      expected):
    cleaned = clean_article((SEEDS / name).read_text(encoding="utf-8"))
    assert publication_date(cleaned.text, language, today=TODAY) == expected
