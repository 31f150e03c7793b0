"""Question files: the project's own files are valid, and bad files fail clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.questions import (
    DEFAULT_QUESTIONS_DIR,
    QuestionFileError,
    default_question_files,
    load_question_file,
    load_questions,
    validate,
)

PROJECT = Path(__file__).resolve().parents[2]
SEEDS = PROJECT / "seeds"


def test_project_question_files__are_valid():
    files = default_question_files()
    assert files, "eval/questions/ holds no *.jsonl"
    questions = load_questions(files)
    known = {p.name for p in SEEDS.iterdir() if p.is_file()}
    assert known
    assert validate(questions, known) == []
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids)), "ids must be unique across files"
    for q in questions:
        assert q.language in {"vi", "en", "ru"}
        if q.answerable:
            assert q.must_include and q.sources, q.id
        else:
            assert not q.must_include and not q.sources, q.id
    assert {q.language for q in questions} == {"vi", "en", "ru"}
    assert any(not q.answerable for q in questions)


def test_load_questions__default_is_every_file_in_eval_questions():
    explicit = load_questions(default_question_files(DEFAULT_QUESTIONS_DIR))
    assert len(load_questions()) == len(explicit)


def _write(tmp_path, name, lines):
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _line(qid, language, answer, must_include, sources, answerable):
    return json.dumps({
        "id": qid, "language": language, "question": "Q?", "answer": answer,
        "must_include": must_include, "sources": sources, "answerable": answerable,
    })


GOOD = _line("x-1", "en", "A", [["a"]], ["s.txt"], True)


def test_bad_json_line__error_names_file_and_line(tmp_path):
    p = _write(tmp_path, "bad.jsonl", [GOOD, "", '{"id": "x-2", "language": '])
    with pytest.raises(QuestionFileError) as e:
        load_question_file(p)
    assert e.value.line == 3
    assert "bad.jsonl, line 3" in str(e.value)


def test_bad_field__error_names_field(tmp_path):
    p = _write(tmp_path, "q.jsonl", [GOOD.replace('"en"', '"fr"').replace("x-1", "x-3")])
    with pytest.raises(QuestionFileError) as e:
        load_question_file(p)
    assert "line 1" in str(e.value) and "language" in str(e.value)


def test_duplicate_ids__within_and_across_files(tmp_path):
    p = _write(tmp_path, "dup.jsonl", [GOOD, GOOD])
    with pytest.raises(QuestionFileError, match="duplicate id 'x-1'.*line 1"):
        load_question_file(p)
    a = _write(tmp_path, "a.jsonl", [GOOD])
    b = _write(tmp_path / ".." / tmp_path.name, "b.jsonl", [GOOD])
    with pytest.raises(QuestionFileError, match="also in"):
        load_questions([a, b])


def test_missing_file(tmp_path):
    with pytest.raises(QuestionFileError, match="not found"):
        load_questions([tmp_path / "nope.jsonl"])


def test_utf8_bom_and_extra_fields_accepted(tmp_path):
    p = tmp_path / "bom.jsonl"
    p.write_text(GOOD[:-1] + ', "topic": "trade"}\n', encoding="utf-8-sig")
    (q,) = load_question_file(p)
    assert q.id == "x-1" and q.line == 1 and q.file == str(p)


def test_validate__reports_inconsistent_questions(tmp_path):
    p = _write(tmp_path, "v.jsonl", [
        _line("a", "en", "", [], [], True),
        _line("b", "vi", "", [["x"]], ["s.txt"], False),
        _line("c", "ru", "A", [["x"]], ["zzz.txt"], True),
    ])
    problems = validate(load_question_file(p), {"s.txt"})
    text = "\n".join(problems)
    assert "answerable but must_include is empty" in text
    assert "answerable but sources is empty" in text
    assert "unanswerable but must_include is not empty" in text
    assert "unanswerable but sources is not empty" in text
    assert "unknown source file 'zzz.txt'" in text
