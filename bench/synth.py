"""Synthetic news text built from the seed corpus.

Sentences are real seed sentences (in their own language) with every number
replaced by a random one of similar size and, half of the time, a random
person named (which keeps growing the vocabulary, as a real archive does).
`SeedMaterial` also carries the seed index's real vectors so the growth
benchmark can give each synthetic sentence/chunk a perturbed real vector."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_SURNAMES_VI = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
                "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Mai", "Tô"]
_MIDDLE_VI = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Công"]
_GIVEN_VI = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Linh", "Long", "Nam",
             "Phong", "Quang", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Việt", "Yến", "Khoa",
             "Nghĩa", "Hiếu", "Thắng", "Phúc", "Lộc", "Hạnh", "Giang", "Vinh", "Toàn"]
_PLACES = ["Nghe An", "Ha Tinh", "Thanh Hoa", "Quang Binh", "Vinh", "Cua Lo", "Hoang Mai",
           "Dien Chau", "Quynh Luu", "Do Luong", "Nam Dan", "Con Cuong", "Ky Son", "Tuong Duong"]

_TEMPLATES = {
    "en": ["According to {name}, {s}", "{s_no_dot}, {name} said.", "{name} noted that {s}"],
    "vi": ["Theo ông {name}, {s}", "{s_no_dot}, ông {name} cho biết.", "Bà {name} nhấn mạnh: {s}"],
    "ru": ["По словам {name}, {s}", "{s_no_dot}, сообщил {name}.", "Как отметил {name}, {s}"],
}

_CYR = dict(zip("abcdefghijklmnopqrstuvwxyz",
                "а б к д е ф г х и ж к л м н о п к р с т у в в кс ы з".split(), strict=True))


def _ascii_fold(text: str) -> str:
    import unicodedata

    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _cyrillic(text: str) -> str:
    out = []
    for word in _ascii_fold(text).split():
        w = word.lower().replace("ng", "н").replace("ph", "ф").replace("kh", "х").replace("th", "т")
        w = w.replace("tr", "ч").replace("ch", "ч").replace("gi", "з").replace("qu", "кв")
        w = "".join(_CYR.get(c, c) for c in w)
        out.append(w[:1].upper() + w[1:])
    return " ".join(out)


def random_name(rng: np.random.Generator, language: str) -> str:
    parts = [rng.choice(_SURNAMES_VI), rng.choice(_MIDDLE_VI), rng.choice(_GIVEN_VI)]
    # A made-up given name now and then: new words, like real news names.
    if rng.random() < 0.3:
        syllables = ["ka", "lo", "mi", "ran", "tu", "vo", "she", "den", "bar", "qui", "zan", "pho"]
        parts[2] = "".join(rng.choice(syllables, size=int(rng.integers(2, 4)))).capitalize()
    name = " ".join(str(p) for p in parts)
    if language == "en":
        return _ascii_fold(name)
    if language == "ru":
        return _cyrillic(name)
    return name


def _replace_numbers(rng: np.random.Generator, text: str) -> str:
    def repl(match: re.Match) -> str:
        digits = len(match.group(0))
        low = 10 ** (digits - 1) if digits > 1 else 0
        return str(int(rng.integers(low, 10**digits)))

    return re.sub(r"\d+", repl, text)


def vary_sentence(rng: np.random.Generator, sentence: str, language: str) -> str:
    """A seed sentence with new numbers and, half of the time, a named speaker."""
    s = _replace_numbers(rng, sentence.strip())
    if rng.random() < 0.5 and language in _TEMPLATES:
        template = str(rng.choice(_TEMPLATES[language]))
        lowered = s[:1].lower() + s[1:] if s[:2].islower() or not s[1:2].isupper() else s
        s = template.format(name=random_name(rng, language), s=lowered,
                            s_no_dot=s.rstrip(".!?…"))
        s = s[:1].upper() + s[1:]
    if not s.endswith((".", "!", "?", "…", '"', "»", "”", ")")):
        s += "."  # headings among the seed sentences: keep sentence boundaries intact
    return s


def title_for(rng: np.random.Generator, language: str, number: int) -> str:
    place = str(rng.choice(_PLACES))
    if language == "vi":
        return f"Bản tin {place} số {number}"
    if language == "ru":
        return f"Новости {_cyrillic(place)}, выпуск {number}"
    return f"{place} news bulletin {number}"


# --------------------------------------------------------------------------- seed material
@dataclass
class SeedMaterial:
    """Seed sentences and chunks with their real vectors, per language."""

    sentence_texts: list[str]
    sentence_languages: list[str]
    sentence_chunks: list[str]
    sentence_vectors: np.ndarray
    chunk_ids: list[str]
    chunk_vectors: np.ndarray
    calibration: dict  # ids, embeddings, documents, metadatas
    layout: dict | None = None  # metadata keys of one real row per collection

    def by_language(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, (lang, text) in enumerate(zip(self.sentence_languages, self.sentence_texts,
                                             strict=True)):
            # whole sentences only: the seed index also holds chunk-overlap fragments
            if len(text.split()) >= 6 and text[:1].isupper() and text.rstrip()[-1:] in ".!?…":
                out.setdefault(lang, []).append(i)
        return out

    def chunk_row(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.chunk_ids)}

    # -- persistence (so subprocesses need no Chroma on the cached seed index)
    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / "sentence_vectors.npy", self.sentence_vectors)
        np.save(folder / "chunk_vectors.npy", self.chunk_vectors)
        np.save(folder / "calibration_vectors.npy",
                np.asarray(self.calibration["embeddings"], dtype=np.float32))
        meta = {
            "sentence_texts": self.sentence_texts,
            "sentence_languages": self.sentence_languages,
            "sentence_chunks": self.sentence_chunks,
            "chunk_ids": self.chunk_ids,
            "calibration": {k: v for k, v in self.calibration.items() if k != "embeddings"},
            "layout": self.layout,
        }
        (folder / "material.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> SeedMaterial:
        meta = json.loads((folder / "material.json").read_text("utf-8"))
        calibration = dict(meta["calibration"])
        calibration["embeddings"] = np.load(folder / "calibration_vectors.npy")
        return cls(meta["sentence_texts"], meta["sentence_languages"], meta["sentence_chunks"],
                   np.load(folder / "sentence_vectors.npy"), meta["chunk_ids"],
                   np.load(folder / "chunk_vectors.npy"), calibration, meta.get("layout"))

    @classmethod
    def from_index(cls, data_dir: Path) -> SeedMaterial:
        import chromadb
        from chromadb.config import Settings as ChromaClientSettings

        client = chromadb.PersistentClient(
            path=str(data_dir / "chroma"), settings=ChromaClientSettings(anonymized_telemetry=False))
        sentences = {"documents": [], "metadatas": [], "embeddings": []}
        for name in sorted(c.name for c in client.list_collections()):
            if name.startswith("news_sentences_"):  # one collection per language
                rows = client.get_collection(name).get(
                    include=["embeddings", "documents", "metadatas"])
                for key in sentences:
                    sentences[key].extend(rows[key])
        chunks = client.get_collection("news_chunks").get(include=["embeddings", "metadatas"])
        documents = client.get_collection("news_documents").get(include=["metadatas"])
        layout = {
            "chunks": sorted(chunks["metadatas"][0]),
            "chunk_node_metadata": sorted(json.loads(chunks["metadatas"][0]["_node_content"])["metadata"]),
            "sentences": sorted(sentences["metadatas"][0]),
            "documents": sorted(documents["metadatas"][0]),
        }
        calibration = client.get_collection("news_calibration").get(
            include=["embeddings", "documents", "metadatas"])
        return cls(
            list(sentences["documents"]),
            [m["language"] for m in sentences["metadatas"]],
            [m["chunk_id"] for m in sentences["metadatas"]],
            np.asarray(sentences["embeddings"], dtype=np.float32),
            list(chunks["ids"]),
            np.asarray(chunks["embeddings"], dtype=np.float32),
            {"ids": list(calibration["ids"]), "documents": list(calibration["documents"]),
             "metadatas": list(calibration["metadatas"]),
             "embeddings": np.asarray(calibration["embeddings"], dtype=np.float32)},
            layout,
        )


def material_for(seed_data_dir: Path) -> Path:
    """Folder of the SeedMaterial extracted from a (cached) seed index."""
    folder = seed_data_dir.parent / "material"
    if not (folder / "material.json").exists():
        SeedMaterial.from_index(seed_data_dir).save(folder)
    return folder


def perturb(rng: np.random.Generator, vector: np.ndarray, sigma: float = 0.015) -> np.ndarray:
    """A real vector plus Gaussian noise, renormalised (cosine to the original ~0.95)."""
    noisy = vector + rng.normal(0.0, sigma, size=vector.shape).astype(np.float32)
    return (noisy / np.linalg.norm(noisy)).astype(np.float32)


# --------------------------------------------------------------------------- small documents
def small_documents(material: SeedMaterial, count: int, seed: int = 7) -> list[tuple[str, str]]:
    """`count` short articles (a title line + two sentences), languages in turn
    en/vi/ru. Returns (file name, text)."""
    rng = np.random.default_rng(seed)
    pools = material.by_language()
    languages = [lang for lang in ("en", "vi", "ru") if lang in pools]
    docs = []
    for i in range(count):
        language = languages[i % len(languages)]
        picks = rng.choice(pools[language], size=2, replace=False)
        body = " ".join(vary_sentence(rng, material.sentence_texts[j], language) for j in picks)
        docs.append((f"{i:04d}_{language}.txt", f"{title_for(rng, language, i)}\n\n{body}\n"))
    return docs


def write_small_documents(folder: Path, docs: list[tuple[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs:
        (folder / name).write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- long articles
def article(rng: np.random.Generator, material: SeedMaterial, pools: dict[str, list[int]],
            language: str, number: int, sentences: int = 28) -> tuple[str, dict[str, int]]:
    """A seed-sized article: title + paragraphs of 4 varied seed sentences.
    Returns the text and {sentence text: seed sentence row} for vector reuse."""
    origin: dict[str, int] = {}
    title = title_for(rng, language, number)
    paragraphs, current = [], []
    for j in rng.choice(pools[language], size=sentences, replace=True):
        s = vary_sentence(rng, material.sentence_texts[int(j)], language)
        origin[s] = int(j)
        current.append(s)
        if len(current) == 4:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return title + "\n" + "\n\n".join(paragraphs) + "\n", origin
