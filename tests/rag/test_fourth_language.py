"""A fourth language plugged in from this file alone (docs/adding-a-language.md):
a minimal German pack, registered, is read by question analysis, the figure
checks, rendering, small talk, the phrases, and the engine end to end; no
other module knows German."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from rag.lang.kinds import AnswerType, Measure
from rag.lang.pack import LanguagePack
from rag.lang.registry import pack, register, supported, unregister
from tests.conftest import make_settings

GERMAN = LanguagePack(
    code="de",
    english_name="German",
    babel_locale="de",
    lingua="GERMAN",
    stemmer="german",
    stopwords="german",
    answer_types=(
        (AnswerType.QUANTITY, r"\bwie (?:viele?|hoch|lange)\b"),
        (AnswerType.DATE, r"\bwann\b|\bin welchem jahr\b|\ban welchem tag\b"),
        (AnswerType.PERSON, r"\bwer\b|\bwen\b|\bwem\b"),
        (AnswerType.PLACE, r"\bwo\b"),
        (AnswerType.REASON, r"\bwarum\b|\bweshalb\b"),
    ),
    measures=(
        (Measure.PERCENT, r"\bprozent\w*|%"),
        (Measure.PEOPLE, r"\bwie viele (?:\w+ )?(?:menschen|einwohner|besucher|delegierte)\b"),
        (Measure.COUNT, r"\bwie viele\b"),
    ),
    date_parts=(("year", r"\bin welchem jahr\b"), ("day", r"\ban welchem tag\b")),
    asks_identity=r"^wer (?:ist|war) (?:herr |frau )?(?P<name>.+)$",
    asks_country=r"\bwelche[snm]? länder\w*|\bin welchem land\b",
    asks_speaker=r"^was (?:hat|sagte) (?P<who>.+?) (?:gesagt|über)\b",
    asking_words=frozenset("wie viele viel wann wer wo warum jahr tag".split()),
    offices={"chair": r"vorsitzende\w*"},
    deputy=r"stellvertretende\w*\s+",
    number_words=r"\b(?:eins?|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|hundert|tausend)\b",
    scales={"tausend": 1e3, "millionen": 1e6, "million": 1e6, "milliarden": 1e9},
    percent_words=("prozent",),
    approx={"etwa": "about", "rund": "about", "fast": "nearly", "über": "over", "mehr als": "over"},
    time_units=r"jahre?n?|monate?n?|tage?n?|stunden?",
    measurement_units=r"meter|kilometer|km|kg|tonnen",
    people_nouns=r"menschen|einwohner\w*|besucher\w*|delegierte\w*",
    population_words=r"bevölkerung|einwohnerzahl",
    resident_words=r"bevölkerung|einwohner\w*",
    rate_words=r"wechselkurs\w*",
    attendance_words=r"teilnehm\w*|besucher\w*",
    rank_given=r"\bplatz \d+\b",
    average_words=r"\bdurchschnittlich\b|\bpro kopf\b",
    streak_words=r"\bin folge\b",
    speech_verbs=r"sagte|erklärte|betonte",
    upcoming_words=r"vor dem|im vorfeld",
    date_format="d. MMMM yyyy",
    day_month_format="d. MMMM",
    decade_format="die {}er",
    year_format="{}",
    greetings=r"hallo|guten (?:tag|morgen|abend)",
    thanks=r"danke(?: schön)?|vielen dank",
    phrases={  # a handful: the rest are the English ones
        "according": "Laut den Artikeln:",
        "abstain": "Die Artikel enthalten keine Informationen zu dieser Frage.",
        "small_talk_thanks": "Gern geschehen. Fragen Sie gern weiter nach den Artikeln.",
        "answer_type": {"quantity": "Zahl", "date": "Datum", "person": "Person", "country": "Land"},
    },
)


@pytest.fixture
def german():
    register(GERMAN)
    try:
        yield pack("de")
    finally:
        unregister("de")


def test_fourth_language__registering_a_pack_makes_it_supported(german):
    from rag.query.language import normalize_language_choice

    assert supported() == ("vi", "en", "ru", "de")
    assert normalize_language_choice("de") == "de"
    assert german.phrases["closest"] == pack("en").phrases["closest"]  # left out: English


def test_fourth_language__questions_are_analysed_with_its_tables(german):
    from rag.query.analysis import analyze_question, asks_who_someone_is

    people = analyze_question("Wie viele Besucher kamen 2023 zur Messe?", "de")
    assert (people.answer_type, people.measure, people.years) == (AnswerType.QUANTITY, Measure.PEOPLE, {2023})
    when = analyze_question("In welchem Jahr wurde der Vertrag unterzeichnet?", "de")
    assert (when.answer_type, when.date_part) == (AnswerType.DATE, "year")
    chair = analyze_question("Wer ist der Vorsitzende des Komitees?", "de")
    assert chair.answer_type is AnswerType.PERSON and [o.key for o in chair.offices] == ["chair"]
    countries = analyze_question("Mit welchen Ländern handelt Vietnam?", "de")
    assert countries.countries == {"VN"}  # CLDR's German names: "Vietnam" is asked about, not an answer
    assert asks_who_someone_is("Wer ist Nguyen Van An?", "de")
    assert analyze_question("Warum stiegen die Preise?", "de").answer_type is AnswerType.REASON


def test_fourth_language__figures_and_dates_are_read_and_written_in_it(german):
    from rag.answer.lead import render_date, render_quantity
    from rag.answer.measures import fits
    from rag.answer.spans import has_number_word, quantities

    [amount] = quantities("Die Messe zählte etwa 5 Millionen Besucher.", "de")
    assert (amount.value, amount.approx) == (5e6, "about")
    assert render_quantity(amount, "de").startswith("etwa 5")
    assert fits("Die Messe zählte 5000 Besucher.", "de", Measure.PEOPLE)
    assert not fits("Die Halle ist 5000 Meter lang.", "de", Measure.PEOPLE)
    assert has_number_word("Drei Minister kamen.", "de")
    assert render_date(dt.date(2025, 10, 31), "de") == "31. Oktober 2025"


def test_fourth_language__phrases_and_small_talk(german):
    from rag.lang.prompts import language_name, phrase
    from rag.query.smalltalk import small_talk

    assert phrase("according", "de") == "Laut den Artikeln:"
    assert phrase("no_span", "de", what=phrase("answer_type", "de")["quantity"]) == \
        "The articles do not give the Zahl asked for."  # English sentence, German word: a partial pack
    assert language_name("de") == "German"
    assert small_talk("Danke schön!") == "thanks" and small_talk("Hallo") == "greeting"


def test_fourth_language__a_partial_phrase_table_is_completed_in_english():
    register(dataclasses.replace(GERMAN, phrases={**GERMAN.phrases,
                                                  "confidence_reason": {"weak_match": "nur lose verwandt"}}))
    try:
        reasons, english = pack("de").phrases["confidence_reason"], pack("en").phrases["confidence_reason"]
        assert reasons["weak_match"] == "nur lose verwandt" and reasons["not_found"] == english["not_found"]
        assert reasons.keys() == english.keys()
    finally:
        unregister("de")


def test_fourth_language__unregistered_it_is_english_again():
    register(GERMAN)
    unregister("de")
    from rag.lang.prompts import phrase

    assert "de" not in supported() and pack("de") is pack("en")
    assert phrase("according", "de") == "According to the articles:"


def test_fourth_language__the_engine_answers_in_it(german, seeded_copy, tmp_path):
    """A German article, ingested and asked about in German: the answer is
    German-framed, and the article is recorded as German."""
    from cli.wiring import build_engine

    article = tmp_path / "messe.txt"
    article.write_text(
        "Internationale Handelsmesse in Hanoi\n"
        "Die internationale Handelsmesse in Hanoi zählte in diesem Jahr 4200 Besucher aus 31 Ländern. "
        "Die Veranstalter erklärten, die Messe werde im nächsten Jahr erweitert.\n", encoding="utf-8")
    engine = build_engine(make_settings(seeded_copy))
    assert engine.ingest([article]).new == 1
    answer = engine.answer("Wie viele Besucher zählte die internationale Handelsmesse in Hanoi?")
    assert answer.language == "de" and not answer.abstained
    assert "Laut den Artikeln:" in answer.text and "4200" in answer.text.replace(".", "")
    assert answer.citations[0].file == "messe.txt" and answer.citations[0].language == "de"
