"""Which words of a sentence translate or paraphrase the question's words:
"xuất khẩu" for "export", "странами" for "государствам". The lead uses it to
pick the figure (or date, or name) the question asks about when a sentence
holds several and the words written alike leave a tie.

Words are embedded one by one with the index's own embedder (multilingual-e5
places a word near its translation: "xuất khẩu" is nearest "export", "nhập
khẩu" nearest "import"), and a question word and a sentence word are aligned
when each is the other's nearest (mutual nearest neighbours) after the CSLS
correction (a pair's similarity less what each word has with its nearest
words on the other side), by at least a margin: the words near everything
meet nothing. Vietnamese words are one or two
syllables, so pairs of adjacent syllables are candidates too."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from rag.lang.registry import pack
from rag.lang.text import fold_diacritics, function_words

_WORD = re.compile(r"[^\W\d_]+")
_HUB_NEIGHBOURS = 3  # CSLS neighbourhood (Conneau et al., 2018)


def word_units(text: str, language: str) -> list[str]:
    """The content words of a text, lower case, and for Vietnamese also every
    pair of adjacent content syllables ("xuất khẩu"). Names are left out (a
    capitalised word after the first): they meet by their letters, and a name
    the whole passage repeats is near every word. (Vietnamese: the pack is `syllabic`.)"""
    stop = function_words(language)
    found = list(_WORD.finditer(text))
    words = [m.group(0).lower() for m in found]
    content = [len(w) > 1 and fold_diacritics(w) not in stop
               and not (m.start() and m.group(0)[:1].isupper())
               for w, m in zip(words, found, strict=True)]
    units = [w for w, keep in zip(words, content, strict=True) if keep]
    if pack(language).syllabic:  # adjacent once numbers are left out ("gần 1,75 tỷ": "gần tỷ")
        pairs = [i for i in range(len(words) - 1) if content[i] and content[i + 1]]
        paired = {j for i in pairs for j in (i, i + 1)}
        # a syllable inside a pair is not a unit of its own: "nhập" beside "nhập khẩu"
        # would share its neighbours and blunt the correction for words near everything
        units = [w for i, w in enumerate(words) if content[i] and i not in paired]
        units += [f"{words[i]} {words[i + 1]}" for i in pairs]
    return list(dict.fromkeys(units))


class WordAligner:
    """Mutual-nearest-neighbour word alignment with a bounded cache of word vectors."""

    def __init__(self, embed: Callable[[list[str]], list[list[float]]],
                 margin: float, cache_size: int = 50_000):
        self._embed = embed  # passage embeddings of short texts, normalised
        self.margin = margin
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def align(self, question_units: list[str], sentence_units: list[str],
              margin: float | None = None) -> dict[str, str]:
        """sentence unit -> the question unit it translates (`margin`: this
        call's, else the aligner's)."""
        margin = self.margin if margin is None else margin
        if not question_units or not sentence_units:
            return {}
        vectors = self._vectors([*question_units, *sentence_units])
        q = np.stack([vectors[u] for u in question_units])
        s = np.stack([vectors[u] for u in sentence_units])
        sims = q @ s.T
        # CSLS: less credit to words near everything ("hubs")
        k = min(_HUB_NEIGHBOURS, *sims.shape)
        hub_q = np.sort(sims, axis=1)[:, -k:].mean(axis=1)
        hub_s = np.sort(sims, axis=0)[-k:, :].mean(axis=0)
        scaled = 2 * sims - hub_q[:, None] - hub_s[None, :]
        best_s, best_q = scaled.argmax(axis=1), scaled.argmax(axis=0)
        return {sentence_units[j]: question_units[i] for i, j in enumerate(best_s)
                if best_q[j] == i and scaled[i, j] >= margin}

    def _vectors(self, units: list[str]) -> dict[str, np.ndarray]:
        with self._lock:
            missing = [u for u in dict.fromkeys(units) if u not in self._cache]
        fresh = dict(zip(missing, np.asarray(self._embed(missing), dtype=np.float32), strict=True)) \
            if missing else {}
        with self._lock:
            self._cache.update(fresh)
            found = {u: self._cache[u] for u in units if u in self._cache}
            for u in found:
                self._cache.move_to_end(u)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return {**fresh, **found}
