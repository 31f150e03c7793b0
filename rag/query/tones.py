"""Tone marks for Vietnamese typed without them ("kieu hoi nghe an bao nhieu"
-> "kiều hối Nghệ An bao nhiêu"), learned from Vietnamese text the system
holds: the corpus's Vietnamese passages and the shipped calibration questions.
The embedder reads unmarked Vietnamese poorly; the words that matter for
retrieval are the corpus's own, so its syllables and syllable pairs are the
right model: each unmarked syllable takes the marked form that most often
follows the previous one (a Viterbi path over syllable pairs), else its most
frequent form; a syllable the text never holds stays as typed."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from rag.infra.calibration_set import calibration_items
from rag.infra.index import CorpusSnapshot
from rag.infra.store import iter_pages
from rag.lang.text import fold_diacritics

_SYLLABLE = re.compile(r"[^\W\d_]+")
_CANDIDATES = 4  # marked forms tried per syllable (the most frequent)
_PAIR_WEIGHT = 3.0  # a seen pair counts this much more than a frequent single form


class ToneRestorer:
    def __init__(self, texts: Iterable[str]):
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
        self._forms = {key: counter.most_common(_CANDIDATES) for key, counter in forms.items()}
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
        return list(dict.fromkeys(w.lower() for w, _ in found)) if found else [word.lower()]

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
        return _PAIR_WEIGHT * math.log1p(pair) + math.log1p(self._counts.get(form, 0))


# Chunks of Vietnamese text read to learn the marks (bounded: a large corpus
# repeats its vocabulary long before this).
MAX_CHUNKS = 20_000


def tone_restorer(snapshot: CorpusSnapshot) -> ToneRestorer:
    """Tone marks for unmarked Vietnamese, learned once per index generation
    from its Vietnamese passages and the shipped calibration questions."""
    extra = [" ".join(item["vi"]) for item in calibration_items() if "vi" in item]
    if snapshot.chunks is None:
        return snapshot.cached("tone_restorer", lambda: ToneRestorer(extra))
    return snapshot.cached("tone_restorer", lambda: restorer_for(snapshot.chunks, extra))


def restorer_for(chunks, extra: Iterable[str] = ()) -> ToneRestorer:
    """A restorer from the Vietnamese chunks of a collection, and `extra` text."""

    def texts() -> Iterable[str]:
        yield from extra
        read = 0
        for page in iter_pages(chunks, include=["documents"], where={"language": "vi"}):
            yield from (text or "" for text in page["documents"])
            read += len(page["ids"])
            if read >= MAX_CHUNKS:
                return

    return ToneRestorer(texts())
