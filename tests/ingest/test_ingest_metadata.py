"""Document metadata as `rag sources --json` shows it, and chunking: every chunk
fits the token budget and carries its document's metadata."""

from __future__ import annotations

import json
import shutil

import pytest

from rag.lang.text import count_tokens
from tests.conftest import SEEDS, make_settings
from tests.ingest.helpers import chunk_rows, fresh_data_dir, make_engine, run_rag

S000, S001, S002, S003, S004 = sorted(p.name for p in SEEDS.glob("*.txt"))
DOC_META = ("doc_id", "file", "title", "language", "date", "translation_group")


@pytest.fixture(scope="module")
def sources(seeded_dir, tmp_path_factory):
    data = tmp_path_factory.mktemp("sources") / "data"
    shutil.copytree(seeded_dir, data)
    result = run_rag("sources", "--json", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    return {d["file"]: d for d in json.loads(result.stdout)}


def test_sources_json__lists_the_five_seeds_with_exactly_the_documented_fields(sources):
    assert sorted(sources) == [S000, S001, S002, S003, S004]
    for doc in sources.values():
        assert set(doc) == {"doc_id", "file", "title", "language", "date",
                            "translation_group", "chunks", "url"}
        assert doc["doc_id"] == doc["file"] and doc["url"] == ""  # a file has no web address


def test_sources_json__languages_are_detected_from_content(sources):
    assert [sources[f]["language"] for f in (S000, S001, S002, S003, S004)] == [
        "en", "ru", "en", "vi", "en"]


def test_sources_json__translations_share_one_group_and_others_stand_alone(sources):
    group = {sources[f]["translation_group"] for f in (S000, S001, S003)}
    assert group == {S000}  # a group is named after its smallest doc_id
    assert sources[S002]["translation_group"] == S002
    assert sources[S004]["translation_group"] == S004


def test_sources_json__every_seed_has_its_publication_date(sources):
    assert sources[S003]["date"] == "2025-10-31"  # its scrape's dateline
    assert sources[S000]["date"] == sources[S001]["date"] == "2025-10-31"  # "October 31"
    # "On the afternoon of January 15, … the work in 2024 and … tasks in 2025"
    assert sources[S002]["date"] == "2025-01-15"
    assert sources[S004]["date"] == "2025-01-06"


def test_sources_json__titles_and_chunk_counts(sources, engine):
    assert sources[S003]["title"] == (
        "Đổi mới tư duy, phương thức công tác thông tin, đối ngoại trong giai đoạn mới")
    assert sources[S000]["title"].startswith("Innovation in thinking and methods")
    assert all(doc["chunks"] > 0 for doc in sources.values())
    assert sum(doc["chunks"] for doc in sources.values()) == len(chunk_rows(engine.store)["ids"])


def test_seeded_chunks__fit_chunk_size_in_cl100k_tokens(engine):
    limit = engine.settings.ingest.chunk_size
    sizes = [count_tokens(text) for text in chunk_rows(engine.store)["documents"]]
    assert sizes and max(sizes) <= limit


def test_seeded_chunks__carry_their_documents_metadata(engine):
    docs = {d.doc_id: d for d in engine.documents()}
    rows = chunk_rows(engine.store)
    per_doc: dict[str, int] = {}
    for meta in rows["metadatas"]:
        doc = docs[meta["doc_id"]]
        per_doc[doc.doc_id] = per_doc.get(doc.doc_id, 0) + 1
        assert {k: meta[k] or None for k in DOC_META} == {
            k: getattr(doc, k) for k in DOC_META}, meta["doc_id"]
    assert per_doc == {d.doc_id: d.chunks for d in docs.values()}


# A chunk boundary inside a sentence used to cost a token once the chunk was
# stripped (' Northeast' is one cl100k token, 'Northeast' two).
LONG_SENTENCES = (
    "Trade partners of the province\n"
    "Nghe An proposed that the Ministry of Foreign Affairs continue to support Nghe An in "
    "connecting with partners in Southeast Asia, Northeast Asia, the United States, India and "
    "the European Union, focusing on economic diplomacy activities such as approaching "
    "multinational corporations, international organizations and business associations of "
    "countries, participating in local-level international cooperation mechanisms, increasing "
    "investment attraction, cooperation in the fields of new technology, semiconductor "
    "technology, renewable energy, digital economy, green economy, circular economy.\n"
    "Đồng chí Nguyễn Đồng Trung phát biểu tại hội nghị đối ngoại của tỉnh Nghệ An về hợp tác "
    "quốc tế trong lĩnh vực kinh tế số, kinh tế xanh và năng lượng tái tạo với các đối tác "
    "Đông Bắc Á, Hoa Kỳ, Ấn Độ và Liên minh châu Âu trong giai đoạn mới của đất nước\n"
    + "supercalifragilisticexpialidocious " * 30
)


def test_chunks__small_chunk_size_is_never_exceeded_and_metadata_is_carried(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "partners.txt").write_text(LONG_SENTENCES, encoding="utf-8")
    settings = make_settings(fresh_data_dir(tmp_path / "data"),
                             ingest__chunk_size=48, ingest__chunk_overlap=0)
    engine = make_engine(settings)
    report = engine.ingest([docs])
    rows = chunk_rows(engine.store, "partners.txt")
    sizes = [count_tokens(text) for text in rows["documents"]]
    assert report.chunks_total == len(sizes) > 5
    assert max(sizes) <= 48, sorted(sizes)[-3:]
    doc = engine.documents()[0]
    for meta in rows["metadatas"]:
        assert {k: meta[k] or None for k in DOC_META} == {k: getattr(doc, k) for k in DOC_META}
    # nothing is lost: every word of the article is in some chunk
    words = set(LONG_SENTENCES.split())
    assert words <= {w for text in rows["documents"] for w in text.split()}
