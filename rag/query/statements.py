""""What did X say …": the answer is X's own words, so the articles must have X
speak (say, note, stress, propose …), not only attend. An article that names
X among the guests and quotes others does not answer it.

A question that names nobody ("what did the minister say") is not judged:
titles are too loosely translated to match across languages."""

from __future__ import annotations

import functools
import re

from rag.lang.text import split_sentences
from rag.lang.vocabulary import names_person, question_names

# `who` is the part of the question that names the speaker ("What did X say
# about Y" asks about X). The verb ends the clause, in lower case: "What does
# the Islamic State lack" has no verb of speech. "Tuyên bố" (proclaim) is left
# out: states and bodies proclaim things.
_ASKS = {
    "en": r"\bwhat (?:did|does|do|has|have|had|will|would) (?P<who>.+?) (?-i:say|tell|announce|"
          r"stress|emphasi[sz]e|declare|speak about|talk about)(?=[\s?.,]|$)(?! (?:of|for)\b)",
    "vi": r"^(?P<who>.+?) (?:đã |sẽ )?(?:phát biểu|nói|cho biết|nhấn mạnh)(?: về)?(?: những| điều)?"
          r" gì\b",
    "ru": r"^(?:что|о ч[её]м)\b.*?\b(?-i:сказал|заявил|говорил|отметил|подчеркнул|сообщил|"
          r"рассказал)\w* (?P<who>.+?)(?= (?:в|во|на|о|об|про|по|при|после|перед)\b|[?.,]|$)",
}
# Verbs of speech, and "according to X" / "theo X" / "по словам X".
_SPEAKS = {
    "en": r"said|says|say|saying|speaking|spoke|speech|stated|emphasi[sz]ed|emphasi[sz]ing|"
          r"stressed|stressing|noted|noting|affirmed|announced|told|remarked|declared|"
          r"highlighted|pointed out|added|asserted|explained|proposed|suggested|requested|"
          r"urged|called (?:on|for)|directed|instructed|asked|wrote|according to",
    "vi": r"phát biểu|nói|cho biết|nhấn mạnh|khẳng định|đề nghị|yêu cầu|chỉ đạo|lưu ý|"
          r"tuyên bố|chia sẻ|bày tỏ|đề xuất|nêu rõ|kêu gọi|theo",
    "ru": r"сказал\w*|заявил\w*|выступ\w*|отметил\w*|подчеркнул\w*|говор\w*|предложил\w*|"
          r"призвал\w*|поручил\w*|сообщил\w*|указал\w*|по словам|рассказал\w*|попросил\w*",
}


@functools.cache
def _pattern(table: str, language: str) -> re.Pattern:
    rules = {"asks": _ASKS, "speaks": _SPEAKS}[table]
    body = rules.get(language, rules["en"])
    if table == "speaks":
        body = rf"(?<!\w)(?:{body})(?!\w)"
    return re.compile(body, re.IGNORECASE)


def asked_speakers(question: str, language: str) -> list[str]:
    """The names of the people a "what did X say" question asks about ([] when
    it asks something else, or names nobody)."""
    asked = _pattern("asks", language).search(question.strip())
    if asked is None:
        return []
    who = asked.group("who")
    return [name for run in question_names(question) if (name := " ".join(run)) in who]


def speaks(speaker: str, texts: list[tuple[str, str]]) -> bool:
    """Whether any sentence of the (text, language) pairs names the speaker, in
    any script, beside a verb of speech."""
    for text, language in texts:
        verbs = _pattern("speaks", language)
        for sentence in split_sentences(text):
            if verbs.search(sentence) and names_person(sentence, speaker):
                return True
    return False
