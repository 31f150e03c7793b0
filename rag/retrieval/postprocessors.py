"""Node postprocessors of the retrieval pipeline (llama-index
`BaseNodePostprocessor`s), applied in this order:

ScopeFilter → TranslationCollapse → KeyTermGuard → PerDocumentLimit → RelevanceCutoff"""

from __future__ import annotations

import functools
import logging
import re

from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import NodeWithScore, QueryBundle
from pydantic import PrivateAttr

from rag.infra.index import CorpusSnapshot
from rag.lang.dates import DATES_RECORDED, date_word, day_months
from rag.lang.registry import pack, packs
from rag.lang.vocabulary import Vocabulary, question_names, spells_out, squashed_name
from rag.query.language import written_in_syllables
from rag.query.places import (
    after_locative,
    after_place_noun,
    capital_of_a_named_country,
    country_unmentioned,
)
from rag.retrieval.scores import calibrated_score
from rag.schema import DocumentInfo, ReasonCode, Refusal, Scope

logger = logging.getLogger(__name__)

# Vocabularies read from the store in one call, from the document being checked on.
PREFETCH = 8


def in_scope(doc: DocumentInfo | None, scope: Scope | None) -> bool:
    """Whether a live document may be answered from under `scope`."""
    if doc is None:
        return False  # soft-deleted, or removed since the candidate was found
    return scope is None or scope.admits(doc)


class ScopeFilter(BaseNodePostprocessor):
    """Drops passages of soft-deleted documents and of documents outside the
    question's scope (selected documents, a publication-date range)."""

    _snapshot: CorpusSnapshot = PrivateAttr()
    _scope: Scope | None = PrivateAttr(default=None)

    def __init__(self, snapshot: CorpusSnapshot, scope: Scope | None):
        super().__init__()
        self._snapshot = snapshot
        self._scope = scope

    @classmethod
    def class_name(cls) -> str:
        return "ScopeFilter"

    def _postprocess_nodes(self, nodes: list[NodeWithScore],
                           query_bundle: QueryBundle | None = None) -> list[NodeWithScore]:
        return [n for n in nodes if in_scope(self._snapshot.doc_of(n.node), self._scope)]


class KeyTermGuard(BaseNodePostprocessor):
    """Drop the passages of documents that never mention a name the question
    asks about (a place, person, acronym), or a day the question names ("the
    conference of 31 October"): such an article cannot be about it. When no
    retrieved document mentions it, nothing is left (abstain).

    Dates are compared in every language pair: "31 октября", "31/10" and
    "October 31" are one (month, day), recorded per document at ingest.

    Names are compared where they are written the same way: within one
    language, and from a Vietnamese question to an English article for
    Vietnamese names of two or more syllables (Vietnamese people and places
    keep their names in English, without tone marks). Across other languages
    names are translated or transliterated too freely ("Кения", "Hoa Kỳ") for
    their absence to mean anything (measured on the XQuAD dev set).

    Only the best document was checked before; on XQuAD 43 of its 66
    refusals were answerable questions whose best document was a near-topic
    sibling (the right one, mentioning the name, ranked below it)."""

    query_language: str = "en"
    # Documents that must pass before the rest cannot reach the answer (the
    # top-k holds at most this many); None = check every document.
    enough: int | None = None
    _snapshot: CorpusSnapshot = PrivateAttr()
    _refusal: Refusal | None = PrivateAttr(default=None)
    _places: set[str] = PrivateAttr(default_factory=set)  # names used as locations
    _places_named: set[str] = PrivateAttr(default_factory=set)  # "провинция Хатинь": a place's name

    def __init__(self, snapshot: CorpusSnapshot, query_language: str, enough: int | None = None):
        super().__init__(query_language=query_language, enough=enough)
        self._snapshot = snapshot

    @classmethod
    def class_name(cls) -> str:
        return "KeyTermGuard"

    @property
    def refusal(self) -> Refusal | None:
        """Set when the last call passed over every document."""
        return self._refusal

    def _postprocess_nodes(self, nodes: list[NodeWithScore],
                           query_bundle: QueryBundle | None = None) -> list[NodeWithScore]:
        if query_bundle is None or not nodes:
            return nodes
        names = question_names(query_bundle.query_str)
        dates = day_months(query_bundle.query_str)
        self._refusal = None
        self._places = {" ".join(run) for run in names
                        if after_locative(query_bundle.query_str, run)}
        self._places_named = {" ".join(run) for run in names
                              if after_place_noun(query_bundle.query_str, run, self.query_language)}
        if not names and not dates:
            return nodes
        texts: dict[str, list[str]] = {}  # doc -> its title and retrieved passages
        for item in nodes:
            if (doc := self._snapshot.doc_of(item.node)) is not None:
                texts.setdefault(doc.doc_id, [doc.title]).append(item.node.get_content())
        order = list(texts)
        position = {doc_id: i for i, doc_id in enumerate(order)}
        vocabularies: dict[str, Vocabulary] = {}
        verdicts: dict[str, Refusal | None] = {}  # doc -> what it never mentions
        passed = 0
        kept = []
        for item in nodes:
            doc = self._snapshot.doc_of(item.node)
            if doc is None:
                kept.append(item)
                continue
            if doc.doc_id not in verdicts:
                if self.enough is not None and passed >= self.enough:
                    continue  # below enough passing documents: cannot reach the top-k
                if doc.doc_id not in vocabularies:  # read this and the next few at once
                    i = position[doc.doc_id]
                    vocabularies.update(self._snapshot.vocabularies(order[i:i + PREFETCH]))
                verdicts[doc.doc_id] = self._verdict(doc, vocabularies[doc.doc_id],
                                                     texts[doc.doc_id], names, dates)
                passed += verdicts[doc.doc_id] is None
            if verdicts[doc.doc_id] is None:
                kept.append(item)
        # nothing left: report what the best document lacked
        self._refusal = next(iter(verdicts.values()), None) if nodes and not kept else None
        return kept

    def _verdict(self, doc, words: Vocabulary, texts: list[str], names: list[list[str]],
                 dates: set[tuple[int, int]]) -> Refusal | None:
        """What `doc` never mentions of the question's names and days (None: it
        mentions them)."""
        unknown = self._unknown_names(doc, words, texts, names)
        undated = not self._names_a_date(doc, words, dates)
        if unknown or undated:
            logger.debug("passing over %s: it never mentions %s", doc.file,
                         ", ".join([*unknown, *(f"{d}/{m}" for m, d in sorted(dates))]))
            # the question's names and days no retrieved document mentions: shown
            # to the user instead of a bare "not found"
            return Refusal(ReasonCode.NOT_MENTIONED,
                           {"names": unknown, "dates": sorted(dates) if undated else []})
        return None

    def _unknown_names(self, doc, words: Vocabulary, texts: list[str],
                       names: list[list[str]]) -> list[str]:
        """The question's names (`question_names`) that `doc` (its vocabulary,
        title or retrieved passages) never mentions."""
        runs = checked_names(names, self.query_language, doc.language)
        if doc.language != self.query_language:  # names after the question's place nouns
            runs += [run for run in names if " ".join(run) in self._places_named and run not in runs]
        countries = [" ".join(run) for run in names if run not in runs
                     and self.query_language != doc.language
                     and country_unmentioned(run, self.query_language, words, doc.language)]
        if not runs:
            return countries
        running = _running_vocabulary(tuple(texts))
        unknown = []
        for run in runs:
            if len(run) > 1 and words.knows_name(run):
                continue  # written as one name ("Hanoi" for "Ha Noi")
            if len(run) == 1 and not words.knows(run[0]) and spells_out(run[0], texts):
                continue  # an acronym written out ("PM": "Prime Minister")
            if pack(self.query_language).capital_stands_for_country and " ".join(run) not in self._places \
                    and capital_of_a_named_country(run, words, doc.language):
                continue  # "Hanoi" for Vietnam, as the English-language press writes it
            missing = [w for w in run if not words.knows(w) and not running.knows(w)]
            # Across languages only a wholly unknown name counts: part of it may be
            # translated ("Nam California" for "Southern California").
            if missing and (self.query_language == doc.language or len(missing) == len(run)):
                unknown.append(" ".join(run))
            elif self._split_name(run, words, running):
                unknown.append(" ".join(run))
        return unknown + countries

    def _split_name(self, run: list[str], words: Vocabulary, running: Vocabulary) -> bool:
        """A Vietnamese name whose syllables the document uses, but never as one
        name ("Thanh" and "Hóa" in other names, never "Thanh Hóa")."""
        if len(run) < 2 or not pack(self.query_language).names_as_phrases or not written_in_syllables(run):
            return False
        if words.knows_name(run) is not False:
            return False  # written as one name, or an index that did not record names
        return squashed_name(run).replace("h", "") not in running.squashed

    @staticmethod
    def _names_a_date(doc, words: Vocabulary, dates: set[tuple[int, int]]) -> bool:
        """Does `doc` name one of the question's (month, day) dates, in its text
        (recorded at ingest) or as its publication day? An index from before
        dates were recorded is not judged."""
        if not dates or DATES_RECORDED not in words.latin:
            return True
        if any(date_word(m, d) in words.latin for m, d in dates):
            return True
        return bool(doc.date) and doc.date[5:10].replace("-", "").isdigit() and \
            (int(doc.date[5:7]), int(doc.date[8:10])) in dates


def checked_names(runs: list[list[str]], query_language: str, doc_language: str
                  ) -> list[list[str]]:
    """Of the question's names (`runs`), those the document must mention (see
    KeyTermGuard)."""
    if query_language == doc_language:
        return runs
    # Latin acronyms ("FDI", "SJC", "COVID") keep their letters in Vietnamese and
    # Russian text about them; English ones are often translated into Vietnamese
    # or Russian ("UN": "LHQ", "ООН"), so only toward English articles.
    acronyms = [r for r in runs if len(r) == 1 and _LATIN_ACRONYM.fullmatch(r[0])
                and not _ROMAN_NUMERAL.fullmatch(r[0])  # "Đại hội XIV" is the "14th Congress"
                and not any(r[0] in lang.abbreviations for lang in packs())] \
        if pack(doc_language).latin_acronyms else []
    if doc_language in pack(query_language).names_kept_in:
        exonyms = _exonyms(query_language)
        return [r for r in runs if len(r) >= 2 and " ".join(r).lower() not in exonyms] + acronyms
    return acronyms


_LATIN_ACRONYM = re.compile(r"[A-Z]{2,}[A-Z0-9]*")
_ROMAN_NUMERAL = re.compile(r"[IVXLCDM]+")


@functools.cache
def _exonyms(language: str) -> frozenset[str]:
    """The language's names of countries and languages (CLDR via babel), which
    English writes differently ("Hoa Kỳ", "Ai Cập")."""
    from babel import Locale

    locale = Locale.parse(pack(language).babel_locale)
    return frozenset(n.lower() for n in (*locale.territories.values(), *locale.languages.values()))


class TranslationCollapse(BaseNodePostprocessor):
    """Keep one language version of each translation group.

    The primary version is the user's language when the group has one among the
    candidates, else the best-ranked version; the others are listed as
    'also in'. A group ranks by the mean of its versions' best passages: the
    version in the asker's language gets the embedder's same-language boost,
    the others do not, so the mean is fairer to articles that exist in one
    language only. The primary version's passages take that place, in their
    own order."""

    language: str = "en"
    _snapshot: CorpusSnapshot = PrivateAttr()

    def __init__(self, snapshot: CorpusSnapshot, language: str):
        super().__init__(language=language)
        self._snapshot = snapshot

    @classmethod
    def class_name(cls) -> str:
        return "TranslationCollapse"

    def _postprocess_nodes(self, nodes: list[NodeWithScore],
                           query_bundle: QueryBundle | None = None) -> list[NodeWithScore]:
        primary: dict[str, str] = {}
        version_best: dict[str, dict[str, float]] = {}  # group -> doc -> best score
        for item in nodes:
            doc = self._snapshot.doc_of(item.node)
            if doc is None:
                continue
            group = doc.translation_group
            versions = version_best.setdefault(group, {})
            versions[doc.doc_id] = max(versions.get(doc.doc_id, float("-inf")), item.score or 0.0)
            current = primary.get(group)
            if current is None or (doc.language == self.language
                                   and self._snapshot.docs[current].language != self.language):
                primary[group] = doc.doc_id
        group_best = {g: sum(v.values()) / len(v) for g, v in version_best.items()}
        kept = []
        for item in nodes:
            doc = self._snapshot.doc_of(item.node)
            if doc is None:
                kept.append((item.score or 0.0, 0.0, item))
            elif primary.get(doc.translation_group) == doc.doc_id:
                kept.append((group_best[doc.translation_group], item.score or 0.0, item))
        kept.sort(key=lambda k: (-k[0], -k[1], k[2].node.node_id))
        # A passage takes its group's rank; its score stays its own evidence.
        return [item for _, _, item in kept]


class PerDocumentLimit(BaseNodePostprocessor):
    """The best document keeps up to `max_first` passages (the answer's
    evidence); every other document at most `max_per_doc`, so a wrong first
    article cannot fill the whole top-k."""

    max_per_doc: int = 1
    max_first: int = 3

    @classmethod
    def class_name(cls) -> str:
        return "PerDocumentLimit"

    def _postprocess_nodes(self, nodes: list[NodeWithScore],
                           query_bundle: QueryBundle | None = None) -> list[NodeWithScore]:
        first_doc = _doc_id(nodes[0]) if nodes else None
        seen: dict[str, int] = {}
        kept = []
        for item in nodes:
            doc = _doc_id(item)
            seen[doc] = seen.get(doc, 0) + 1
            if seen[doc] <= (self.max_first if doc == first_doc else self.max_per_doc):
                kept.append(item)
        return kept


class RelevanceCutoff(BaseNodePostprocessor):
    """Abstain (return nothing) when the best calibrated score (lexical
    evidence left out: `calibrated_score`) is too low."""

    min_score: float = 0.0

    @classmethod
    def class_name(cls) -> str:
        return "RelevanceCutoff"

    def _postprocess_nodes(self, nodes: list[NodeWithScore],
                           query_bundle: QueryBundle | None = None) -> list[NodeWithScore]:
        if not nodes or max(calibrated_score(n) for n in nodes) < self.min_score:
            return []
        return nodes


def _doc_id(item: NodeWithScore) -> str:
    return item.node.metadata.get("doc_id", item.node.ref_doc_id or "")


@functools.lru_cache(maxsize=256)
def _running_vocabulary(texts: tuple[str, ...]) -> Vocabulary:
    """The words of a document's title and retrieved passages: the same
    passages come back for question after question."""
    return Vocabulary((), texts)
