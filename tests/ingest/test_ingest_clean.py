"""Cleaning the real seeds: scrape residue and photo captions go, the dateline
becomes metadata, and every other line of the article is kept."""

from __future__ import annotations

import pytest

from ingest.clean import clean_article
from tests.conftest import SEEDS

SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))
VI = "003_ed2f08ded523999d.txt"
VI_TITLE = "Đổi mới tư duy, phương thức công tác thông tin, đối ngoại trong giai đoạn mới"


def raw(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def is_residue(line: str) -> bool:
    return line.endswith((".jpg)", ".png)")) and " " not in line or "Ảnh: Mai Hoa" in line


def test_seeds__contain_the_residue_this_file_tests():
    assert any(line == ".jpg)" for name in SEED_FILES for line in lines(raw(name)))
    assert sum("Ảnh: Mai Hoa" in line for line in lines(raw(VI))) == 4
    assert raw(VI).lstrip().startswith("date 2025-10-31 Thời sự " + VI_TITLE)


@pytest.mark.parametrize("name", SEED_FILES)
def test_clean__image_residue_lines_are_removed(name):
    cleaned = clean_article(raw(name))
    assert not [line for line in lines(cleaned.text) if line.endswith(".jpg)")]
    assert cleaned.removed_lines == sum(is_residue(line) for line in lines(raw(name)))


def test_clean__photo_captions_are_removed():
    cleaned = clean_article(raw(VI))
    assert "Ảnh:" not in cleaned.text
    assert "Mai Hoa" not in cleaned.text


def test_clean__dateline_of_003_becomes_date_and_category_and_leaves_the_text():
    cleaned = clean_article(raw(VI))
    assert cleaned.date == "2025-10-31"
    assert cleaned.category == "Thời sự"
    assert "2025-10-31" not in cleaned.text
    assert not cleaned.text.startswith("date")
    assert "Thời sự" not in cleaned.text.splitlines()[0]


def test_clean__title_of_003_is_the_headline_and_the_lede_stays_in_the_text():
    cleaned = clean_article(raw(VI))
    assert cleaned.title == VI_TITLE
    first, second = cleaned.text.splitlines()[:2]
    assert first == VI_TITLE
    assert second.startswith("Sáng 31/10, Ban Tuyên giáo và Dân vận Tỉnh ủy Nghệ An")


@pytest.mark.parametrize("name", SEED_FILES)
def test_clean__every_other_line_of_the_article_is_kept(name):
    original = lines(raw(name))
    cleaned = clean_article(raw(name))
    kept = lines(cleaned.text)
    expected = [line for line in original if not is_residue(line)]
    if cleaned.date:  # the dateline is split into title + lede; the rest is verbatim
        head = expected.pop(0)
        assert head.endswith(f"{kept[0]} {kept[1]}")
        kept = kept[2:]
    assert kept == expected
    assert set(kept) == set(expected)


@pytest.mark.parametrize("name", [n for n in SEED_FILES if n != VI])
def test_clean__seeds_without_dateline_keep_their_first_line_as_title(name):
    cleaned = clean_article(raw(name))
    assert cleaned.date is None and cleaned.category is None
    assert cleaned.title == lines(raw(name))[0]


def test_clean__residue_and_caption_variants_go_but_prose_about_photos_stays():
    text = "\n".join([
        "Harbour reopens",
        "![](https://example.com/a.webp)",
        "harbour-2024.png)",
        "The harbour reopened on Friday after repairs.",
        "Boats in the bay. Photo: Reuters",
        "Лодки в заливе. Фото: ТАСС",
        "A photo exhibition about the harbour opens next week.",
    ])
    cleaned = clean_article(text)
    assert lines(cleaned.text) == [
        "Harbour reopens",
        "The harbour reopened on Friday after repairs.",
        "A photo exhibition about the harbour opens next week.",
    ]
    assert cleaned.removed_lines == 4


# -- the seeded index holds the cleaned text ------------------------------------------
def test_seeded_index__003_text_and_metadata_are_cleaned(engine):
    doc = {d.doc_id: d for d in engine.documents()}[VI]
    assert doc.title == VI_TITLE and doc.date == "2025-10-31"
    text = engine.document_text(VI)
    assert text.startswith(VI_TITLE)
    assert "date 2025-10-31" not in text and "Ảnh: Mai Hoa" not in text
    chunks = engine.store.collections()["chunks"].get(include=["documents"])["documents"]
    assert not [c for c in chunks if ".jpg)" in c or "Ảnh:" in c or "date 2025-10-31" in c]
