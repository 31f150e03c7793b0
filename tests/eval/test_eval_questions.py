"""Question files: the project's own files are valid, and bad files fail clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.questions import (
    DEFAULT_QUESTIONS_DIR,
    HALF_HELD_OUT_BATCHES,
    QuestionFileError,
    category,
    default_question_files,
    holdout_ids,
    load_question_file,
    load_questions,
    validate,
)
from tests.eval.paraphrase_rule import content_words, shared_content_words

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


# --------------------------------------------------------------------------- the project's set
@pytest.fixture(scope="module")
def project_questions():
    return load_questions(default_question_files())


def _extra(q, key):
    return (q.model_extra or {}).get(key)


def test_project_questions__paraphrases_share_no_content_word_with_the_answer_sentence(
    project_questions,
):
    by_id = {q.id: q for q in project_questions}
    paraphrases = [q for q in project_questions if _extra(q, "paraphrase_of")]
    assert paraphrases
    for q in paraphrases:
        evidence = _extra(q, "evidence")
        assert evidence, f"{q.id}: a paraphrase quotes its answer sentence(s) in `evidence`"
        texts = [(SEEDS / s).read_text(encoding="utf-8") for s in q.sources]
        for sentence in evidence:
            assert any(sentence in t for t in texts), f"{q.id}: evidence not verbatim in sources"
        assert any(
            all(any(alt in sentence for alt in g) for g in q.must_include) for sentence in evidence
        ), f"{q.id}: the evidence does not hold the expected answer"
        shared = shared_content_words(q.question, evidence)
        assert not shared, f"{q.id} shares {sorted(shared)} with its answer sentence"
        original = by_id[_extra(q, "paraphrase_of")]
        assert original.answerable and not _extra(original, "paraphrase_of"), q.id
        assert set(original.sources) <= set(q.sources) or set(q.sources) <= set(original.sources)
        assert content_words(q.question) != content_words(original.question), q.id


def test_project_questions__at_least_15_facts_paraphrased_in_every_language(project_questions):
    facts: dict[str, set[str]] = {}
    for q in project_questions:
        if _extra(q, "paraphrase_of"):
            facts.setdefault(q.id.split("-para-", 1)[1], set()).add(q.language)
    complete = [f for f, langs in facts.items() if langs == {"vi", "en", "ru"}]
    assert len(complete) >= 15, sorted(facts)


def test_project_questions__at_least_12_new_varied_unanswerables_per_language(project_questions):
    for lang in ("vi", "en", "ru"):
        new = [q for q in project_questions
               if q.language == lang and "-unans-" in q.id and not q.answerable]
        assert len(new) >= 12, lang
        kinds = {_extra(q, "kind") for q in new}
        assert {"missing_statistic", "other_year", "other_place", "other_person", "after_date",
                "off_topic", "near_topic"} <= kinds, (lang, kinds)


def test_project_questions__held_out_third_chosen_by_the_fixed_rule(project_questions):
    held = holdout_ids(project_questions)
    assert {q.id for q in project_questions if q.split == "holdout"} == held
    for lang in ("vi", "en", "ru"):
        mine = [q for q in project_questions if q.language == lang]
        share = sum(q.split == "holdout" for q in mine) / len(mine)
        assert 0.30 <= share <= 0.45, (lang, share)
        # a third of every stratum (a half in some batches), drawn within each batch
        for cat in ("answerable", "paraphrase", "unanswerable"):
            for batch in {_extra(q, "batch") for q in mine}:
                stratum = [q for q in mine if category(q) == cat and _extra(q, "batch") == batch]
                n_held = sum(q.split == "holdout" for q in stratum)
                part = 2 if batch in HALF_HELD_OUT_BATCHES else 3
                assert abs(n_held - len(stratum) / part) <= 1, (lang, cat, batch, n_held, len(stratum))


def test_holdout_rule__depends_on_ids_only_and_a_new_batch_moves_nothing(project_questions):
    shuffled = list(reversed(project_questions))
    assert holdout_ids(shuffled) == holdout_ids(project_questions)
    added = [q.model_copy(update={"id": f"{q.id}-b2"}) for q in project_questions[:9]]
    for q in added:
        q.__pydantic_extra__ = {**(q.model_extra or {}), "batch": "2"}
    both = holdout_ids([*project_questions, *added])
    assert both & {q.id for q in project_questions} == holdout_ids(project_questions)
    assert {category(q) for q in added} == {"answerable"}  # one stratum of 9: a third held out
    assert len(both) - len(holdout_ids(project_questions)) == 3


def test_split_field__defaults_to_tune_and_rejects_unknown_values(tmp_path):
    p = _write(tmp_path, "s.jsonl", [GOOD])
    (q,) = load_question_file(p)
    assert q.split == "tune"
    bad = _write(tmp_path, "b.jsonl", [GOOD[:-1] + ', "split": "test"}'])
    with pytest.raises(QuestionFileError, match="split"):
        load_question_file(bad)


def test_validate__paraphrase_of_must_name_a_question(tmp_path):
    p = _write(tmp_path, "p.jsonl", [GOOD[:-1] + ', "paraphrase_of": "nope"}'])
    assert any("paraphrase_of 'nope'" in m for m in validate(load_question_file(p)))
