"""Engine.prepare_questions: questions embedded in one batch ahead of answering
(the eval does this 32 at a time) give the answers asked one by one give."""

from __future__ import annotations

import numpy as np

QUESTIONS = ["Việt Nam đã ký bao nhiêu FTA?",
             "How many countries does Vietnam have diplomatic relations with?",
             "Когда Руководящий комитет по внешней информации Нгеана подвёл итоги 2024 года?"]


def test_prepared_vectors__are_the_ones_asked_one_by_one_and_used_once(engine):
    alone = [engine._embed_query(q) for q in QUESTIONS]
    engine.prepare_questions(QUESTIONS)
    prepared = [engine._prepared[q] for q in QUESTIONS]
    for a, b in zip(alone, prepared, strict=True):
        assert float(np.dot(a, b) / np.linalg.norm(a) / np.linalg.norm(b)) > 0.9999
    answers = [engine.answer(q) for q in QUESTIONS]
    assert not any(q in engine._prepared for q in QUESTIONS)  # each used once, then gone
    assert [a.text for a in answers] == [engine.answer(q).text for q in QUESTIONS]


def test_the_eval_prepares_its_questions_ahead(engine, monkeypatch):
    from eval.questions import load_questions
    from eval.run import PREPARE_AHEAD, answer_questions

    questions = load_questions()[:PREPARE_AHEAD + 3]
    batches: list[int] = []
    original = engine.prepare_questions
    monkeypatch.setattr(engine, "prepare_questions",
                        lambda texts: (batches.append(len(texts)), original(texts)))
    records = answer_questions(engine, questions, progress=False)
    assert len(records) == len(questions) and batches == [PREPARE_AHEAD, 3]
