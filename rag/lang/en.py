"""English: the language pack (data only; the fields are described in rag.lang.pack)."""

from rag.lang.kinds import AnswerType, Measure
from rag.lang.pack import LanguagePack

# Nouns that name a measured quantity: "what was the export turnover" asks for
# a figure as surely as "how much" does.
_MEASURES = (r"rank|ranking|population|prices?|budgets?|turnover|revenues?|volumes?|costs?|amounts?|numbers?|rates?|"
             r"values?|sizes?|percentage|share|proportion|totals?|output|GDP|growth|income|salary|wages?|"
             r"area|length|height|depth|weight|capacity|speed|temperature|distance")
_RANK_ASKED = r"\b(?:what|which) (?:rank|ranking|place|position)\b|\branked\b.*\b(?:where|what)\b"
_AVERAGE = r"\bon average\b|\baverage\b|\bper (?:capita|person|head)\b|\beach (?:person|resident|one)\b"
# Words of a run of years or times ("for the third consecutive year"): a question
# with one asks how long the run is.
_STREAK = r"\bin a row\b|\bconsecutive(?:ly)?\b|\bsuccessive\b|\bstraight (?:years?|times?)\b"
_TIME_UNITS = r"years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies)"
# A figure followed by one of these measures something ("1.5 meters"), it does not count it.
_MEASUREMENT_UNITS = (
    r"(?:square |cubic )?(?:meters?|metres?|kilometers?|kilometres?|centimet(?:er|re)s?|"
    r"millimet(?:er|re)s?|m|km|cm|mm|m2|km2|ft|feet|foot|inch(?:es)?|miles?|yards?|"
    r"kg|kilograms?|grams?|g|tonnes?|tons?|t|pounds?|lbs?|ounces?|oz|hectares?|ha|"
    r"acres?|litres?|liters?|l|gallons?|degrees?|°\w?|kw|mw|gw|kwh|volts?|v|watts?|"
    r"hz|mph|km/h|knots?|bar|psi)")
# Nouns that count people (and what people are counted by: signatures, votes, tickets, cases).
_PEOPLE = (r"people|persons|residents|inhabitants|citizens|visitors|tourists|participants|"
           r"delegates|attendees|guests|workers|employees|staff|students|pupils|members|soldiers|"
           r"troops|voters|spectators|children|adults|patients|volunteers|officials|passengers|"
           r"migrants|refugees|nationals|signatures|votes|ballots|tickets|subscribers|followers|"
           r"applicants|applications|admissions|visits|casualties|victims|deaths|births|cases|"
           r"families|households|farmers|fishermen|doctors|nurses|teachers|officers|police|"
           r"candidates|players|athletes|journalists|reporters")
# A number of people as a whole (an attendance, a headcount).
_POPULATION = r"population|populated|attendance|crowd|census|inhabitants"
_ASKS_ATTENDANCE = r"\bhow many (?:\w+ ){0,2}(?:attended|took part|participated|were present)\b"
_ASKS_POPULATION = r"\b(?:population|populated|inhabitants|census)\b"
# Rates asked for as a share ("the unemployment rate", "GDP growth"): checked
# after "how long" and "exchange rate".
_RATES = (r"\b(?:growth|unemployment|inflation|interest|poverty|literacy|birth|death|mortality|"
          r"tax|turnout|employment|admission|acceptance|vaccination|participation|approval|"
          r"success|survival|crime|infection|enrol?ment|graduation) rates?\b"
          r"|\bgrowth target\b|\b(?:GDP|GRDP) growth\b")

# Every fixed phrase the system writes in English (str.format fields in braces).
_PHRASES = {
    "according": "According to the articles:",
    "quoted_in": {
        "vi": "(quoted in Vietnamese)",
        "ru": "(quoted in Russian)",
        "en": "",
    },
    "small_talk_greeting": "Hello! Ask about the articles in Vietnamese, English or Russian; "
                           "every answer quotes and cites its source passage.",
    "small_talk_thanks": "You're welcome. Ask another question about the articles whenever you "
                         "like.",
    "abstain": "The articles do not contain information about this question.",
    "not_mentioned": "No article mentions {terms}.",
    "closest": "The closest passage in the articles says:",
    "no_span": "The articles do not give the {what} asked for.",
    "other_body": "The articles name a «{office}» only of another body, not of the one asked "
                  "about.",
    "no_office": "The articles do not say who the «{office}» asked about is.",
    "only_deputy": "The articles name only a deputy, not the «{office}» asked about.",
    "not_said": "The articles do not quote anything «{speaker}» said.",
    "only_upcoming": "The articles mention «{event}» only as upcoming, so they cannot report what"
                     " happened at it or when.",
    "after_articles": "The articles were published in {given}, so they cannot report on {asked}.",
    "other_period": "The articles give no figure for {asked}; they report {given}:",
    "other_period_date": "The articles say nothing of the {asked} event asked about; the closest "
                         "passage is about {given}:",
    "other_period_article": "The articles give no figure for {asked}; the closest one is from an "
                            "article of {given}:",
    "answer_type": {
        "quantity": "figure",
        "date": "date",
        "person": "person",
        "country": "country",
    },
    "confidence_reason": {
        "span_in_quote": "the quote holds the kind of fact asked for",
        "close_match": "the quote closely matches the question",
        "partial_match": "the quote matches the question only in part",
        "weak_match": "the closest passage is only loosely related",
        "no_span": "no sentence holds the kind of fact asked for",
        "other_period": "the closest passage is about another year",
        "not_found": "no passage is relevant enough",
        "not_mentioned": "no article mentions a name or day the question asks about",
        "only_deputy": "the passages name only a deputy of the office asked about",
        "not_said": "the articles never quote the person asked about",
        "after_articles": "the articles were published before the year asked about",
        "only_upcoming": "the articles speak of the event asked about only as upcoming",
        "other_body": "the passages name the office only for another body",
        "no_office": "the passages never name the office asked about",
        "no_country": "no sentence names the countries asked about",
    },
    "abstain_topic": "Question: “{question}”",
    "llm_unavailable": "The language model is unavailable; the answer below was written without "
                       "it.",
    "unsupported_language": "Questions are answered in Vietnamese, English or Russian; this one "
                            "looks like '{code}', so the answer is in English.",
    "understood_as": "Read as a follow-up to the previous question: «{question}».",
    "no_tone_marks": "The question is Vietnamese typed without tone marks; it was searched as "
                     "«{searched}». Typing the marks finds the articles more reliably.",
    "llm_timeout": "The language model did not answer within {seconds} s; the answer below was "
                   "written without it.",
    "llm_rejected": "The language model server refused the request (HTTP {status}: check the API "
                    "key and the model name); the answer below was written without it.",
    "llm_incomplete": "The language model's answer was cut off; the answer below was written "
                      "without it.",
    "llm_wrong_language": "The language model did not answer in English; the answer below was "
                          "written without it.",
    "llm_uncited": "The language model's answer did not cite a source for every statement; the "
                   "answer below was written without it.",
    "language_retry": "The language model first answered in another language; its answer was "
                      "rewritten in English.",
    "citation_retry": "The language model's first answer lacked citations; below is its corrected"
                      " answer.",
}


PACK = LanguagePack(
    code="en",
    english_name="English",
    babel_locale="en_GB",
    lingua="ENGLISH",
    stemmer="english",
    stopwords="english",
    # Checked in this order; the earliest match in the question wins ("What was
    # the tribe ... when he was 16?" is not a date question).
    answer_types=(
        (AnswerType.QUANTITY, r"\bhow (?:many|much|large|big|long|old|far|high)\b"
                              rf"|^(?:what|which) (?:is|was|are|were|will be) (?:the )?"
                              rf"(?:[\w'-]+ ){{0,4}}(?:{_MEASURES})\b"
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
    ),
    # First match wins: a share or a sum of money asked "how many" is not a count.
    measures=(
        (Measure.STREAK, _STREAK),
        (Measure.RANK, _RANK_ASKED),
        (Measure.AVERAGE, _AVERAGE),
        (Measure.COUNT, r"\bhow many times\b"),
        (Measure.PERCENT, r"\bpercent(?:age)?\b|%|\bwhat (?:share|proportion|fraction)\b"),
        (Measure.EXCHANGE_RATE, r"\bexchange rates?\b"),
        (Measure.MONEY, r"\bhow much money\b|\bhow many (?:\w+ )?(?:dollars|euros|dong|"
                        r"roubles|rubles|yen)\b|\b(?:price|cost|budget|salary)\b"),
        (Measure.DURATION, rf"\bhow long (?:did|does|do|will|would|has|have|had)\b.*\b(?:last|take|"
                           rf"took|run|ran|stay|stayed|wait|serve|served|reign|reigned)\w*\b"
                           rf"|\bhow long (?:has|have|had)\b.*\bbeen\b"
                           rf"|\bfor how long\b|\bhow many (?:{_TIME_UNITS})\b(?! ago)"),
        (Measure.PERCENT, _RATES),
        (Measure.MEASUREMENT, rf"\bhow many (?:{_MEASUREMENT_UNITS})\b"),
        (Measure.ATTENDANCE, _ASKS_ATTENDANCE),
        (Measure.POPULATION, _ASKS_POPULATION),
        (Measure.PEOPLE, rf"\bhow many (?:(?:\w+ )?(?:{_PEOPLE})|attended)\b"
                         rf"|\bnumber of (?:\w+ )?(?:{_PEOPLE})\b"
                         rf"|\b(?:{_POPULATION})\b"),
        (Measure.COUNT, r"\bhow many\b"),
    ),
    date_parts=(("year", r"\b(?:what|which) year\b|\bin what year\b|\byear did\b"),
                ("day", r"\b(?:what|which) (?:date|day)\b|\bon what day\b")),
    asks_identity=r"^who (?:is|was) (?:mr\.? |mrs\.? |ms\.? |dr\.? |comrade )?(?P<name>.+)$",
    asks_country=r"\b(?:which|what) (?:countr(?:y|ies)|nations?)\b|\bin what countr(?:y|ies)\b",
    # the verb ends the clause, in lower case: "What does the Islamic State lack" has no verb of speech
    asks_speaker=r"\bwhat (?:did|does|do|has|have|had|will|would) (?P<who>.+?) (?-i:say|tell|announce|"
                 r"stress|emphasi[sz]e|declare|speak about|talk about)(?=[\s?.,]|$)(?! (?:of|for)\b)",
    asking_words=frozenset("how many much when what which who whom whose where why year years date "
                           "day month time number amount total approximately roughly about".split()),
    offices={
        "chair": r"chair(?:man|woman|person)?",
        "secretary": r"secretary",
        # also the verb, before a department or ministry ("who heads the department");
        # not before a delegation, which anyone leads
        "head": r"director|head|chief|(?:heads|headed|leads|led)(?= the (?:department|ministry|"
                r"agency|bureau|office|service|committee|council)\b)",
        "minister": r"minister",
        "prime_minister": r"prime minister|premier",
        "ambassador": r"ambassador",
        "governor": r"governor|mayor",
    },
    deputy=r"(?:vice|deputy|assistant|acting)[\s-]+",
    bodies={"people_committee": r"people'?s committee", "people_council": r"people'?s council",
            "party_committee": r"party committee", "national_assembly": r"national assembly"},
    number_words=r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                 r"hundred|thousand|million|billion|first|second|third|fourth|fifth|sixth|seventh|"
                 r"eighth|ninth|tenth|dozen|once|twice|half|both)\b",
    counting_words=frozenset({"a", "an", "one"}),
    scales={"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12},
    currencies={"usd": "USD", "us$": "USD", "$": "USD", "eur": "EUR", "euro": "EUR"},
    percent_words=("percent", "per cent"),
    approx={"about": "about", "around": "about", "approximately": "about", "roughly": "about",
            "nearly": "nearly", "almost": "nearly", "over": "over", "more than": "over"},
    # "Conclusion No. 57-KL/TW"; "the top 10" names a rank
    identifier_before=r"\bNo\.?|(?i:\btop)",
    range_words=("to",),
    time_units=_TIME_UNITS,
    measurement_units=_MEASUREMENT_UNITS,
    people_nouns=_PEOPLE,
    population_words=_POPULATION,
    resident_words=r"population|populated|inhabitants|residents|census",
    rate_words=r"exchange rates?|rates?",
    attendance_words=r"attend\w*|particip\w*|delegates|attendees|guests|took part|present",
    rank_given=r"\b\d+(?:st|nd|rd|th)\b|\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
               r"tenth)\b(?! (?:consecutive|time|year))",
    average_words=_AVERAGE,
    streak_words=_STREAK,
    open_duration=r"until|till|throughout",
    period_words=r"centur(?:y|ies)|decades?|years? ago",
    decade_suffix=r"'?s\b",
    year_cues_before=r"in|since|by|from|until|till|of|during|before|after|year",
    year_cues_after=("and", "to"),
    date_format="d MMMM yyyy",
    day_month_format="d MMMM",
    decade_format="the {}s",
    year_format="{}",
    noun_joiners=frozenset({"and", "or"}),
    participle_suffix="ed",
    title_words=frozenset("""
deputy prime minister ministry president vice chairman chairwoman secretary general head
director ambassador governor mayor committee council department office agency party
provincial national people standing foreign affairs conference resolution conclusion
politburo province city state government assembly congress central commission comrade
""".split()),
    honorifics=r"comrade|mr|mrs|ms|dr|prof|sir",
    country_aliases={"US": ("US", "USA", "America"), "GB": ("UK", "Britain")},
    acronym_joiners=frozenset("of and for the on in to".split()),
    dot_abbreviations=frozenset("no nos mr mrs ms dr st vs etc e.g i.e approx".split()),
    speech_verbs=r"said|says|say|saying|speaking|spoke|speech|stated|emphasi[sz]ed|emphasi[sz]ing|"
                 r"stressed|stressing|noted|noting|affirmed|announced|told|remarked|declared|"
                 r"highlighted|pointed out|added|asserted|explained|proposed|suggested|requested|"
                 r"urged|called (?:on|for)|directed|instructed|asked|wrote|according to",
    upcoming_words=r"prepar\w* for|preparation for|toward|towards|ahead of|upcoming|forthcoming|"
                   r"(?:will|to) be held|run-up to|lead-up to|in the lead up to",
    ordinals=(r"\b(\d{1,3})(?:st|nd|rd|th)\b",),
    locatives=r"(?:in|at|to|from|near|around|across|outside|inside|into|within|of|via|through|"
              r"visit\w*)(?:\s+the)?",
    capital_stands_for_country=True,
    names_as_phrases=True,
    latin_acronyms=True,
    followup_openers=("and ", "what about ", "how about ", "also ", "then "),
    pointers=frozenset({"he", "she", "it", "they", "his", "her", "its", "their", "him", "them",
                        "that", "those"}),
    greetings=r"(?:hi|hello|hey)(?: there)?|good (?:morning|afternoon|evening)",
    thanks=r"thanks?(?: a lot)?|thank you(?: (?:so|very) much)?|thx",
    phrases=_PHRASES,
)
