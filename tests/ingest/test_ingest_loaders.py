"""Loaders: every supported format gives its text; an unreadable file is skipped
with a reason that names it, and the rest of the folder is still ingested."""

from __future__ import annotations

import logging
import re

import pytest

from ingest.loaders import iter_files, load_file
from rag.errors import DocumentError
from tests.conftest import make_settings
from tests.ingest.helpers import ARTICLES, fresh_data_dir, make_docx, make_engine, make_pdf

MB = 10**6


def test_load__txt_gives_its_text(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text(ARTICLES["coffee.txt"], encoding="utf-8")
    doc = load_file(path, MB)
    assert doc.text == ARTICLES["coffee.txt"]
    assert doc.title_hint is None


def test_load__markdown_gives_its_text(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("# Whales\n\nBlue whales are the largest animals ever known.\n", encoding="utf-8")
    assert "Blue whales are the largest animals ever known." in load_file(path, MB).text


def test_load__utf8_bom_is_dropped_and_a_stray_bad_byte_repaired(tmp_path):
    path = tmp_path / "bom.txt"
    body = "Tea is grown on the hills of Darjeeling in India. " * 10
    path.write_bytes(b"\xef\xbb\xbf" + body.encode() + b"\xff" + body.encode())
    text = load_file(path, MB).text
    assert text.startswith("Tea is grown") and "\ufffd" not in text and "\ufeff" not in text


def test_load__html_gives_title_and_text_without_scripts(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Night trains return to Europe</title>"
        "<style>p { color: red }</style><script>var tracking = 'SECRET_JS';</script></head>"
        "<body><nav>Home | About</nav><p>Sleeper trains link Vienna and Paris again.</p>"
        "<script>alert('SECRET_JS2')</script><p>Tickets sell out within days.</p></body></html>",
        encoding="utf-8",
    )
    doc = load_file(path, MB)
    assert doc.title_hint == "Night trains return to Europe"
    assert doc.text.splitlines()[0] == "Night trains return to Europe"
    assert "Sleeper trains link Vienna and Paris again." in doc.text
    assert "Tickets sell out within days." in doc.text
    assert "SECRET_JS" not in doc.text and "color: red" not in doc.text
    assert "Home | About" not in doc.text


def test_load__docx_gives_paragraphs_and_core_title(tmp_path):
    path = make_docx(
        tmp_path / "report.docx",
        ["Solar farms in Chile", "The Atacama desert has the strongest sunlight on Earth."],
        title="Solar farms in Chile",
    )
    doc = load_file(path, MB)
    assert doc.text == "Solar farms in Chile\nThe Atacama desert has the strongest sunlight on Earth."
    assert doc.title_hint == "Solar farms in Chile"


def test_handmade_pdf__is_valid_with_correct_xref_offsets(tmp_path):
    data = make_pdf(tmp_path / "hello.pdf").read_bytes()
    startxref = int(data.rsplit(b"startxref", 1)[1].split()[0])
    assert data[startxref:].startswith(b"xref")
    entries = re.findall(rb"(\d{10}) 00000 n ", data[startxref:])
    assert len(entries) == 5
    for number, offset in enumerate(entries, start=1):
        assert data[int(offset):].startswith(b"%d 0 obj" % number)


def test_load__pdf_text_is_extracted_by_pypdf(tmp_path):
    from pypdf import PdfReader

    path = make_pdf(tmp_path / "hello.pdf", "Hello PDF world", title="Greeting")
    reader = PdfReader(str(path), strict=True)  # strict: a bad xref would raise
    assert reader.pages[0].extract_text().strip() == "Hello PDF world"
    doc = load_file(path, MB)
    assert doc.text.strip() == "Hello PDF world"
    assert doc.title_hint == "Greeting"


def _unreadable(tmp_path, kind):
    match kind:
        case "empty":
            path = tmp_path / "empty.txt"
            path.write_bytes(b"")
        case "binary":
            path = tmp_path / "binary.txt"
            path.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" * 50)
        case "latin1":
            path = tmp_path / "latin1.txt"
            path.write_bytes("Crème brûlée, café, déjà vu, à la française. ".encode("latin-1") * 20)
        case "blank":
            path = tmp_path / "blank.md"
            path.write_text("   \n\n \t\n", encoding="utf-8")
        case "junk_pdf":
            path = tmp_path / "junk.pdf"
            path.write_bytes(b"this is not a PDF at all" * 10)
        case "junk_docx":
            path = tmp_path / "junk.docx"
            path.write_bytes(b"PK\x03\x04 not really a zip" * 10)
        case "html_script_only":
            path = tmp_path / "script.html"
            path.write_text("<html><script>var x = 1;</script></html>", encoding="utf-8")
        case "dangling_link":
            path = tmp_path / "moved.txt"
            path.symlink_to(tmp_path / "nowhere" / "moved.txt")
        case "too_big":
            path = tmp_path / "big.txt"
            path.write_text("word " * 300_000, encoding="utf-8")
    return path


UNREADABLE = ["empty", "binary", "blank", "junk_pdf", "junk_docx", "html_script_only",
              "dangling_link", "too_big"]


@pytest.mark.parametrize("kind", UNREADABLE)
def test_load__unreadable_file_raises_document_error_naming_it(tmp_path, kind):
    path = _unreadable(tmp_path, kind)
    with pytest.raises(DocumentError) as info:
        load_file(path, MB)
    assert path.name in str(info.value)


def test_iter_files__unsupported_types_and_hidden_files_are_listed_with_a_reason(tmp_path):
    (tmp_path / "a.txt").write_text("text", encoding="utf-8")
    (tmp_path / "tool.exe").write_bytes(b"MZ\x90\x00")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "README").write_text("no suffix", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (tmp_path / "..txt").write_text("two dots", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.MD").write_text("upper-case suffix", encoding="utf-8")
    files, skipped = iter_files([tmp_path, tmp_path / "missing.txt"])
    assert [f.name for f in files] == ["a.txt", "b.MD"]
    reasons = {path.name: reason for path, reason in skipped}
    assert set(reasons) == {"tool.exe", "photo.png", "README", "missing.txt", ".hidden.txt",
                            "..txt"}
    assert ".exe" in reasons["tool.exe"] and ".png" in reasons["photo.png"]
    assert "no such file" in reasons["missing.txt"]
    assert "hidden file" in reasons["..txt"] and "rename" in reasons["..txt"]


def test_iter_files__document_id_is_the_path_inside_the_corpus(tmp_path):
    """Defect 13: two files with one name in different folders kept only the first."""
    for folder in ("2024", "2025"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.txt").write_text(f"Notes of {folder}.", encoding="utf-8")
    (tmp_path / "a b.txt").write_text("spaces", encoding="utf-8")
    (tmp_path / "a_b.txt").write_text("underscore", encoding="utf-8")
    files, skipped = iter_files([tmp_path])
    assert not skipped
    assert [f.doc_id for f in files] == ["2024/notes.txt", "2025/notes.txt", "a b.txt",
                                         "a_b.txt"]
    # a file given on its own inside the configured corpus folder keeps the same id
    one, _ = iter_files([tmp_path / "2025" / "notes.txt"], corpus_dir=tmp_path)
    assert [f.doc_id for f in one] == ["2025/notes.txt"]


def test_iter_files__links_are_followed_only_inside_the_corpus(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("not for the index", encoding="utf-8")
    (corpus / "real.txt").write_text("an article", encoding="utf-8")
    (corpus / "inside.txt").symlink_to(corpus / "real.txt")
    (corpus / "passwd.txt").symlink_to(outside / "secret.txt")
    (corpus / "elsewhere").symlink_to(outside, target_is_directory=True)
    files, skipped = iter_files([corpus])
    assert [f.doc_id for f in files] == ["inside.txt", "real.txt"]
    reasons = {path.name: reason for path, reason in skipped}
    assert "outside the corpus" in reasons["passwd.txt"]
    assert "not followed" in reasons["elsewhere"]


def test_iter_files__control_characters_in_a_name_are_refused_with_a_reason(tmp_path):
    (tmp_path / "bad\x07name.txt").write_text("bell", encoding="utf-8")
    files, skipped = iter_files([tmp_path])
    assert not files
    assert "control characters" in skipped[0][1]


@pytest.mark.parametrize(("encoding", "text"), [
    ("cp1251", "Городская библиотека вновь открылась в понедельник после двух лет ремонта. "
               "В новом здании есть читальный зал для детей и кафе на крыше. "),
    ("koi8-r", "Мэр сказал, что библиотека будет работать до десяти часов вечера. "
               "Более пяти тысяч человек посетили библиотеку за первую неделю. "),
    ("latin-1", "Crème brûlée, café, déjà vu, à la française: la bibliothèque a rouvert. "),
    ("utf-16", "Thư viện thành phố đã mở cửa trở lại vào thứ Hai sau hai năm cải tạo. "),
])
def test_load__legacy_encodings_are_detected_and_decoded(tmp_path, encoding, text):
    """Defect 13: cp1251 Russian text was refused instead of decoded."""
    path = tmp_path / "legacy.txt"
    path.write_bytes((text * 5).encode(encoding))
    assert load_file(path, MB).text.strip() == (text * 5).strip()


def test_ingest__unreadable_files_are_skipped_by_name_and_the_rest_is_indexed(tmp_path, caplog):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "coffee.txt").write_text(ARTICLES["coffee.txt"], encoding="utf-8")
    (docs / "whales.md").write_text(
        "# Blue whales\n\nBlue whales are the largest animals ever known. They eat krill.\n",
        encoding="utf-8",
    )
    (docs / "trains.html").write_text(
        "<html><head><title>Night trains return</title><script>var s = 'NOPE';</script></head>"
        "<body><p>Sleeper trains link Vienna and Paris again.</p></body></html>",
        encoding="utf-8",
    )
    make_docx(docs / "solar.docx", ["Solar farms in Chile",
                                    "The Atacama desert has the strongest sunlight on Earth."])
    make_pdf(docs / "hello.pdf", "Hello PDF world, a greeting from a tiny document.")
    bad = [_unreadable(docs, kind) for kind in ("empty", "binary", "dangling_link")]
    (docs / "latin1.txt").write_bytes(  # a legacy encoding is decoded, not skipped
        "Crème brûlée, café, déjà vu, à la française. ".encode("latin-1") * 20)
    (docs / "tool.exe").write_bytes(b"MZ\x90\x00")
    (docs / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    bad_names = {p.name for p in bad} | {"tool.exe", "photo.png"}

    engine = make_engine(make_settings(fresh_data_dir(tmp_path / "data")))
    with caplog.at_level(logging.WARNING, logger="ingest"):
        report = engine.ingest([docs])

    skipped = {item.path.rsplit("/", 1)[-1]: item.reason for item in report.skipped}
    assert set(skipped) == bad_names
    for name in bad_names:
        assert any(name in r.getMessage() for r in caplog.records), f"no warning names {name}"
    assert report.documents == report.new == 6
    docs_by_file = {d.file: d for d in engine.documents()}
    assert set(docs_by_file) == {"coffee.txt", "whales.md", "trains.html", "solar.docx", "hello.pdf",
                                 "latin1.txt"}
    assert "Crème brûlée" in engine.document_text("latin1.txt")
    assert docs_by_file["trains.html"].title == "Night trains return"
    assert docs_by_file["solar.docx"].title == "Solar farms in Chile"
    assert "Hello PDF world" in engine.document_text("hello.pdf")
    assert "NOPE" not in engine.document_text("trains.html")
    assert all(d.chunks >= 1 for d in docs_by_file.values())
