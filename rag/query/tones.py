"""Tone marks for Vietnamese typed without them ("kieu hoi nghe an bao nhieu"
-> "kiều hối Nghệ An bao nhiêu"), learned from Vietnamese text the system
holds: the corpus's Vietnamese passages and the shipped calibration questions,
and a list of ordinary Vietnamese syllables with their frequencies
(rag/data/vi_syllables.tsv, from wordfreq, CC BY-SA 4.0). The embedder reads
unmarked Vietnamese poorly. Each unmarked syllable takes the marked form that
best follows the previous one (a Viterbi path over the corpus's syllable
pairs), weighing how often the corpus and everyday Vietnamese write each
form: a word the corpus never writes ("kiều hối" in a corpus that says it only
in English) is still restored."""

from __future__ import annotations

import functools
import importlib.util
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from rag.infra.calibration_set import calibration_items
from rag.infra.index import CorpusSnapshot
from rag.infra.store import iter_pages
from rag.lang.basics import VIETNAMESE_MARKED
from rag.lang.text import fold_diacritics
from rag.settings import ToneSettings

_SYLLABLE = re.compile(r"[^\W\d_]+")
_CANDIDATES = 8  # marked forms tried per syllable (the most frequent)
_PAIR_WEIGHT = 3.0  # a seen pair counts this much more than a frequent single form
SYLLABLE_LIST = "data/vi_syllables.tsv"


@dataclass(frozen=True)
class Lexicon:
    """Everyday Vietnamese: syllable -> Zipf frequency (rag/data/vi_syllables.tsv,
    from wordfreq) and the syllable pairs of dictionary words (underthesea's
    Viet74K word list: "bao nhiêu", "kiều hối", "xuất khẩu")."""

    syllables: dict[str, float]
    pairs: frozenset[tuple[str, str]]


@functools.cache
def everyday_vietnamese() -> Lexicon:
    text = files("rag").joinpath(SYLLABLE_LIST).read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    dictionary = _underthesea_file("corpus/data/Viet74K.txt").read_text("utf-8")
    pairs = set()
    for word in dictionary.lower().splitlines():
        syllables = word.split()
        pairs.update(zip(syllables, syllables[1:], strict=False))
    return Lexicon({word: float(zipf) for word, zipf in rows}, frozenset(pairs))


def _underthesea_file(name: str) -> Path:
    """A data file of the underthesea package, found without importing it (its
    import loads models the restorer does not need)."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("underthesea is not installed: pip install underthesea")
    return Path(next(iter(spec.submodule_search_locations))) / name


class ToneRestorer:
    def __init__(self, texts: Iterable[str], lexicon: Lexicon | None = None,
                 settings: ToneSettings | None = None):
        """`texts`: Vietnamese text the model learns from; `lexicon`: everyday
        Vietnamese, weighed as `settings` say (how much an everyday syllable's
        frequency, and a dictionary word's pair, count beside the corpus)."""
        settings = settings or ToneSettings()
        self._lexicon_weight = settings.lexicon_weight
        forms: dict[str, Counter] = defaultdict(Counter)  # folded -> written forms
        self._pairs: Counter = Counter()  # (form, form), lower case
        for text in texts:
            previous = None
            for m in _SYLLABLE.finditer(text):
                word = m.group(0)
                forms[fold_diacritics(word)][word] += 1
                lower = word.lower()
                if previous is not None and text[previous[1]:m.start()] == " ":
                    self._pairs[(previous[0], lower)] += 1
                previous = (lower, m.end())
        self._everyday = lexicon.syllables if lexicon else {}
        for word in self._everyday:
            forms[fold_diacritics(word)][word] += 0  # a candidate, with no corpus count
        self._dictionary = lexicon.pairs if lexicon else frozenset()
        self._dictionary_weight = settings.dictionary_pair
        for pair in self._dictionary:
            for word in pair:
                forms[fold_diacritics(word)][word] += 0
        self._forms = {key: sorted(counter, key=lambda w: (-counter[w], -self._everyday.get(w, 0.0)))
                       [:_CANDIDATES] for key, counter in forms.items()}
        self._counts: Counter = Counter()  # how often each lower-case form is written
        for counter in forms.values():
            for word, n in counter.items():
                self._counts[word.lower()] += n

    def restore(self, text: str) -> str:
        """`text` with tone marks on the syllables the model knows."""
        words = list(_SYLLABLE.finditer(text))
        if not words:
            return text
        chosen = self._best_path([m.group(0) for m in words])
        out, at = [], 0
        for m, word in zip(words, chosen, strict=True):
            out += [text[at:m.start()], word]
            at = m.end()
        return "".join(out) + text[at:]

    def _options(self, word: str) -> list[str]:
        if not word.isascii():
            return [word.lower()]  # already marked (or not Vietnamese): kept
        found = self._forms.get(word.lower())
        return list(dict.fromkeys(w.lower() for w in found)) if found else [word.lower()]

    def _best_path(self, words: list[str]) -> list[str]:
        """The forms that score best together (log counts of pairs and forms)."""
        paths = {option: (self._score(None, option), [option]) for option in self._options(words[0])}
        for word in words[1:]:
            step = {}
            for option in self._options(word):
                score, path = max(((s + self._score(prev, option), p) for prev, (s, p)
                                   in paths.items()), key=lambda x: x[0])
                step[option] = (score, [*path, option])
            paths = step
        best = max(paths.values(), key=lambda x: x[0])[1]
        # the asker's capitals are kept; none are added (a capital makes a name)
        return [typed if not typed.isascii() else form.capitalize() if typed[:1].isupper() else form
                for form, typed in zip(best, words, strict=True)]

    def _score(self, previous: str | None, form: str) -> float:
        pair = self._pairs.get((previous, form), 0) if previous else 0
        known = previous is not None and (previous, form) in self._dictionary
        return (_PAIR_WEIGHT * math.log1p(pair) + math.log1p(self._counts.get(form, 0))
                + self._lexicon_weight * self._everyday.get(form, 0.0)
                + (self._dictionary_weight if known else 0.0))


# Chunks of Vietnamese text read to learn the marks (bounded: a large corpus
# repeats its vocabulary long before this).
MAX_CHUNKS = 20_000


def tone_restorer(snapshot: CorpusSnapshot, settings: ToneSettings | None = None) -> ToneRestorer:
    """Tone marks for unmarked Vietnamese, learned once per index generation
    from its Vietnamese passages and the shipped calibration questions."""
    extra = [" ".join(item["vi"]) for item in calibration_items() if "vi" in item]
    if snapshot.chunks is None:
        return snapshot.cached("tone_restorer",
                               lambda: ToneRestorer(extra, everyday_vietnamese(), settings))
    return snapshot.cached("tone_restorer", lambda: restorer_for(snapshot.chunks, extra, settings))


def restorer_for(chunks, extra: Iterable[str] = (), settings: ToneSettings | None = None) -> ToneRestorer:
    """A restorer from the Vietnamese chunks of a collection, and `extra` text."""

    def texts() -> Iterable[str]:
        yield from extra
        read = 0
        for page in iter_pages(chunks, include=["documents"], where={"language": "vi"}):
            yield from (text or "" for text in page["documents"])
            read += len(page["ids"])
            if read >= MAX_CHUNKS:
                return

    return ToneRestorer(texts(), everyday_vietnamese(), settings)


def write_syllable_list(path: str | None = None, least_zipf: float = 1.5) -> None:
    """Regenerate rag/data/vi_syllables.tsv from wordfreq (a tool for maintainers:
    `pip install wordfreq==3.1.1` first; the package does not depend on it)."""
    import re

    import wordfreq

    letters = re.compile(f"^[a-z{VIETNAMESE_MARKED}]+$")
    rows = [(w, wordfreq.zipf_frequency(w, "vi")) for w in wordfreq.top_n_list("vi", 60000)
            if letters.match(w)]
    target = path or str(files("rag").joinpath(SYLLABLE_LIST))
    with open(target, "w", encoding="utf-8") as out:
        out.write("# Vietnamese syllables and their Zipf frequency (log10 per billion words), from "
                  "wordfreq 3.1.1 (CC BY-SA 4.0, see vi_syllables.LICENSE.md)\n")
        out.writelines(f"{w}\t{z:.2f}\n" for w, z in rows if z >= least_zipf)
