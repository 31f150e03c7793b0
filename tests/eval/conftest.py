"""Fixtures for eval tests: synthetic questions and Answer objects, a fake engine.
No real engine, LLM or network is used."""

from __future__ import annotations

from typing import Any

import pytest

from eval.questions import Question
from rag.schema import Answer, Citation, DocumentInfo, RetrievedPassage, Usage

GOLD = ["000_20d4f894f796786e.txt", "001_e6db487facfdc269.txt"]
OTHER = "004_9d8066d37870cffc.txt"


def make_passage(
    file: str, score: float = 0.5, language: str = "en", text: str = "passage text"
) -> RetrievedPassage:
    return RetrievedPassage(
        chunk_id=f"{file}#0", doc_id=file, file=file, title=f"Title of {file}",
        language=language, score=score, text=text,
    )


def make_citation(
    n: int, file: str, text: str = "evidence sentence here", language: str = "en"
) -> Citation:
    return Citation(
        n=n, doc_id=file, chunk_id=f"{file}#0", file=file, title=f"Title of {file}",
        language=language, text=text, passage=f"passage with {text}",
    )


def make_answer(
    question: str = "q?",
    text: str = "",
    *,
    framing: str = "",
    language: str = "en",
    mode: str = "extractive",
    abstained: bool = False,
    retrieved: list[str] | None = None,
    cited: list[str] | None = None,
    latency_ms: float = 100.0,
    prompt_tokens: int = 0,
    completion_tokens: int = 0,
) -> Answer:
    return Answer(
        question=question,
        language=language,
        text=text,
        framing=framing,
        mode=mode,
        abstained=abstained,
        retrieved=[make_passage(f, 1.0 - i / 10) for i, f in enumerate(retrieved or [])],
        citations=[make_citation(i + 1, f) for i, f in enumerate(cited or [])],
        usage=Usage(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens),
        latency_ms=latency_ms,
    )


def make_question(qid: str, language: str = "en", answerable: bool = True, **kw: Any) -> Question:
    data: dict[str, Any] = {
        "id": qid,
        "language": language,
        "question": kw.pop("question", f"question {qid}?"),
        "answer": "16 FTAs." if answerable else "",
        "must_include": [["16"]] if answerable else [],
        "sources": list(GOLD) if answerable else [],
        "answerable": answerable,
    }
    data.update(kw)
    return Question(**data)


@pytest.fixture
def synthetic():
    """(questions, answers): a small mixed set over vi/en/ru."""
    questions = [
        make_question("en-1", "en"),
        make_question("en-2", "en"),
        make_question("en-3", "en", answerable=False),
        make_question("vi-1", "vi"),
        make_question("vi-2", "vi", answerable=False),
        make_question("ru-1", "ru"),
    ]
    answers = [
        # correct, gold at rank 1, valid citation
        make_answer(
            text="Vietnam has signed 16 free trade agreements [1].",
            retrieved=[GOLD[0], OTHER], cited=[GOLD[0]], latency_ms=120,
        ),
        # wrong, gold at rank 2, invalid marker [3]
        make_answer(
            text="Vietnam has signed 15 agreements so far [3].",
            retrieved=[OTHER, GOLD[1]], cited=[OTHER], latency_ms=300,
        ),
        # unanswerable and abstained: correct
        make_answer(
            text="The sources do not say this.", abstained=True, retrieved=[OTHER], latency_ms=80
        ),
        # vi correct with framing in Vietnamese
        make_answer(
            text='Theo nguồn [1]: "Việt Nam đã ký 16 FTA".',
            framing="Theo các nguồn tin, Việt Nam đã ký kết hiệp định",
            language="vi", retrieved=[OTHER, OTHER, GOLD[0]], cited=[GOLD[0]], latency_ms=200,
        ),
        # vi unanswerable but answered (false negative for abstention)
        make_answer(
            text="Thời tiết Hà Nội cuối tuần này sẽ có mưa rào và dông.",
            language="vi", retrieved=[OTHER], cited=[OTHER], latency_ms=150,
        ),
        # ru: abstained on an answerable question (false positive), gold not retrieved
        make_answer(
            text="В источниках нет ответа на этот вопрос.",
            abstained=True, language="ru", retrieved=[OTHER], latency_ms=90,
        ),
    ]
    return questions, answers


class FakeEngine:
    """Stands in for rag.engine.Engine: replays canned answers by question text."""

    def __init__(
        self,
        answers_by_question: dict[str, Answer],
        llm: Any = None,
        fail_on: set[str] | None = None,
        doc_languages: dict[str, str] | None = None,
    ):
        self.answers = answers_by_question
        self.llm = llm
        self.fail_on = fail_on or set()
        self.doc_languages = doc_languages or {}
        self.calls: list[dict[str, Any]] = []

    def documents(self) -> list[DocumentInfo]:
        return [
            DocumentInfo(doc_id=f, file=f, title=f, language=lang, translation_group=f, chunks=1)
            for f, lang in self.doc_languages.items()
        ]

    def describe(self) -> dict[str, Any]:
        return {
            "mode": "extractive", "llm_model": None, "embedding": "multilingual-e5-small",
            "retriever": "hybrid", "top_k": 5, "chunk_size": 256, "corpus_fingerprint": "abc123",
            "price_prompt_per_1m": None, "price_completion_per_1m": None,
        }

    def ensure_index(self, required: bool = False) -> None:
        pass

    def answer(
        self, question: str, lang: str | None = None, history=None, *, retriever=None, top_k=None
    ) -> Answer:
        self.calls.append(
            {"question": question, "lang": lang, "retriever": retriever, "top_k": top_k}
        )
        if question in self.fail_on:
            raise RuntimeError("boom")
        return self.answers[question]


@pytest.fixture
def fake_engine(synthetic):
    questions, answers = synthetic
    return FakeEngine({q.question: a for q, a in zip(questions, answers, strict=True)})


@pytest.fixture(autouse=True)
def _no_git(monkeypatch):
    """Reports record the git commit; tests don't shell out to git."""
    import eval.report
    import eval.run

    monkeypatch.setattr(eval.report, "git_commit", lambda cwd=None: "abc1234")
    monkeypatch.setattr(eval.run, "git_commit", lambda cwd=None: "abc1234")


@pytest.fixture
def mk():
    """Factories for tests: mk.answer(...), mk.question(...), mk.engine(...), mk.GOLD, mk.OTHER."""
    from types import SimpleNamespace

    return SimpleNamespace(
        answer=make_answer, question=make_question, passage=make_passage,
        citation=make_citation, engine=FakeEngine, GOLD=GOLD, OTHER=OTHER,
    )
