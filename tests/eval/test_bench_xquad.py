"""`python -m bench xquad` on a three-document stand-in corpus: the index is built
once and reused (keyed by the corpus), both retrievers run, the comparison holds both
3x3 tables side by side. The real XQuAD files are checked for what the command needs."""

from __future__ import annotations

import argparse
import json

import pytest

from bench import common
from bench import xquad as bx

pytestmark = pytest.mark.slow


def test_vendored_dataset__complete_with_licence_and_attribution():
    from eval.questions import load_question_file

    assert "Attribution-ShareAlike 4.0" in (bx.DATASET / "LICENSE.txt").read_text("utf-8")
    readme = (bx.DATASET / "README.md").read_text("utf-8")
    assert "XQuAD" in readme and "CC BY-SA 4.0" in readme and "Artetxe" in readme
    questions = load_question_file(bx.QUESTIONS)
    corpus = {p.name for p in bx.CORPUS.iterdir()}
    assert len(questions) == 1734 and len(corpus) == 127
    assert all(set(q.sources) <= corpus for q in questions)
    assert {q.language for q in questions} == {"vi", "en", "ru"}


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = {
        "t000_en.txt": "The Saxon Garden is a public park in Warsaw. It was opened in 1727.",
        "t000_vi.txt": "Vườn Saxon là một công viên công cộng ở Warsaw. Nó mở cửa năm 1727.",
        "t001_ru.txt": "Дворец культуры и науки построен в Варшаве в 1955 году.",
    }
    for name, text in texts.items():
        (corpus / name).write_text(text, encoding="utf-8")
    q = [
        {"id": "t-en-0", "language": "en", "question": "When did the Saxon Garden open?",
         "answer": "1727", "must_include": [["1727"]], "sources": ["t000_en.txt", "t000_vi.txt"]},
        {"id": "t-vi-1", "language": "vi", "question": "Cung Văn hóa và Khoa học được xây năm nào?",
         "answer": "1955", "must_include": [["1955"]], "sources": ["t001_ru.txt"]},
        {"id": "t-en-2", "language": "en", "question": "Who designed the Saxon Garden fountain?",
         "answer": "", "must_include": [], "sources": [], "answerable": False},
    ]
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in q), encoding="utf-8")
    cache = tmp_path / "cache"
    monkeypatch.setattr(bx, "CORPUS", corpus)
    monkeypatch.setattr(bx, "QUESTIONS", questions)
    monkeypatch.setattr(bx, "ROOT", tmp_path)
    monkeypatch.setattr(bx, "CACHE", cache)
    monkeypatch.setattr(common, "CACHE", cache)
    monkeypatch.setattr(common, "RESULTS", tmp_path / "results")
    return tmp_path


def test_bench_xquad__cached_index_both_retrievers_side_by_side(tiny, capsys):
    options = argparse.Namespace(xquad_limit=None, report_lang="ru", out=str(tiny / "out"))
    data = bx.run(["xquad"], options)
    key = bx.index_key()
    assert (tiny / "cache" / f"xquad-{key}" / "done.json").exists()
    assert data["config"]["retrievers"] == ["hybrid", "dense"]
    assert set(data["cross_language"]) == {"hybrid", "dense"}
    assert data["cross_language"]["dense"]["vi"]["ru"]["n"] == 1
    assert data["cross_language"]["dense"]["en"]["parallel"]["n"] == 1
    # both halves by article (paragraphs 0-4: the first article, the tuning half)
    assert set(data["halves"]["hybrid"]) == {"tune", "held-out"}
    assert data["halves"]["dense"]["tune"]["overall"]["n"] == 2
    assert data["halves"]["dense"]["held-out"]["overall"]["n"] == 0
    saved = json.loads((tiny / "results" / "xquad.json").read_text("utf-8"))
    assert saved["medians"]["dense"]["hit_at_1"] == pytest.approx(data["medians"]["dense"]["hit_at_1"])
    side = (tiny / "out" / "comparison.md").read_text("utf-8")
    assert "— hybrid / dense" in side and "vi" in side
    assert "<html lang='ru'>" in (tiny / "out" / "comparison.html").read_text("utf-8")
    printed = capsys.readouterr().out
    assert "ingesting" in printed and "hybrid / dense" in printed
    assert "tune half: hit@1" in printed and "held-out half: hit@1" in printed
    # a second run reuses the index; a changed corpus gets a new key
    bx.run(["xquad"], argparse.Namespace(xquad_limit=2, report_lang="en", out=str(tiny / "o2")))
    assert "reusing the cached index" in capsys.readouterr().out
    (bx.CORPUS / "t001_ru.txt").write_text("Другой текст.", encoding="utf-8")
    assert bx.index_key() != key


def test_article_half__five_paragraphs_an_article_even_articles_tune():
    assert [bx.article_half(f"xd-en-{p:03d}-0") for p in (0, 4, 5, 9, 10, 119)] == [
        "tune", "tune", "held-out", "held-out", "tune", "held-out"]
