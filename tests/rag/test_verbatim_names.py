"""Questions whose rare words, full names or titles occur verbatim in exactly
one article (or translation group) of seeds/ retrieve it first, in vi, en and
ru (eval/questions: the `verbatim` field names the words)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from eval.questions import load_questions

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
VERBATIM = [q for q in load_questions() if (q.model_extra or {}).get("verbatim")]


def _text(name: str) -> str:
    return unicodedata.normalize("NFC", (SEEDS / name).read_text("utf-8")).casefold()


def test_verbatim_questions__in_every_language_and_their_words_in_one_article_or_group():
    assert {q.language for q in VERBATIM} == {"vi", "en", "ru"}
    for q in VERBATIM:
        for words in q.model_extra["verbatim"]:
            folded = unicodedata.normalize("NFC", words).casefold()
            assert folded in q.question.casefold(), (q.id, words)
            holding = {p.name for p in SEEDS.iterdir() if folded in _text(p.name)}
            assert holding and holding <= set(q.sources), (q.id, words, holding)


@pytest.fixture(scope="module")
def lexical_engine(seeded_dir):
    """The engine with lexical evidence on, at the weights measured in docs/retrieval.md
    (off by default: decision 0001)."""
    from cli.wiring import build_engine
    from tests.conftest import make_settings

    return build_engine(make_settings(seeded_dir, retrieval__lexical_weight=0.04,
                                      retrieval__exact_weight=0.02, retrieval__phrase_weight=0.01,
                                      retrieval__language_gap_weight=0.4))


@pytest.mark.parametrize("question", VERBATIM, ids=[q.id for q in VERBATIM])
def test_verbatim_question__retrieves_its_article_first(lexical_engine, question):
    nodes = lexical_engine.retrieve(question.question, question.language)
    assert nodes and nodes[0].node.metadata["file"] in question.sources
