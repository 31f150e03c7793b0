"""The settings chosen by measuring quality: retrieval and the offline answer.
Every value says in its description what it was chosen on (eval/questions'
tune part, XQuAD dev) and what the alternatives measured."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

# The retrievers `rag eval --retriever` and RAG_RETRIEVAL__RETRIEVER accept.
RETRIEVERS = ("hybrid", "dense", "bm25")
# Chosen on XQuAD dev + eval/questions together (docs/quality.md, "How the numbers were chosen").
HUB_WEIGHT = 0.6
MIN_SCORE = 0.34
LANGUAGE_GAP_WEIGHT = 0.3  # 0.4 with lexical evidence on: docs/decisions/0001-retrieval-lexical-evidence.md


class RetrievalSettings(BaseModel):
    """Retrieval (chosen by measuring on XQuAD dev and eval/questions)."""
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
    bm25_weight: float = Field(0.0, ge=0, description="0 = off; >0 fuses BM25 by reciprocal rank "
                               "(only the question's own language; lexical_weight is the measured use).")
    # Lexical evidence (docs/retrieval.md, decision 0001): off by default. Measured on (0.04 / 0.02 /
    # 0.01, language_gap_weight 0.4, chosen on the XQuAD dev tuning half + eval/questions): XQuAD dev
    # hit@1 0.857 -> 0.865 and verbatim names 22 -> 24 of 24 first, but on eval/questions (312) the
    # answers got worse at the same hit@1 0.906: lead precision 0.780 -> 0.738, abstention recall
    # 0.81 -> 0.75, 'strong' right 0.887 -> 0.860 (other passages of near-tied articles lead).
    lexical_weight: float = Field(0.0, ge=0, description="Same-language BM25 evidence at a full share "
                                  "(0 = off, the default; measured at 0.04: docs/retrieval.md).")
    exact_weight: float = Field(0.0, ge=0, description="Exact-term (57-KL/TW, FDI) BM25 evidence, any "
                                 "language (0 = off, the default; measured at 0.02).")
    lexical_temperature: float = Field(0.2, gt=0, description="Softmax over normalised BM25: lower = clear leaders.")
    lexical_null: float = Field(0.5, ge=0, description="Normalised BM25 of the softmax's null competitor.")
    phrase_weight: float = Field(0.0, ge=0, description="A passage repeats four words of the question in a row "
                                 "(0 = off, the default; measured at 0.01).")
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
        "Chosen on XQuAD dev + eval/questions (docs/quality.md, 'How the numbers were chosen').",
    )
    hub_neighbours: int = Field(
        20, ge=1, description="Calibration questions averaged for the hubness correction."
    )
    language_gap_weight: float = Field(
        LANGUAGE_GAP_WEIGHT,
        ge=0,
        description="Share of the measured cross-language similarity gap (per question and "
        "passage language, from the shipped parallel QA pairs) added to passages in another "
        "language. Chosen on the XQuAD dev tuning half + eval/questions (decision 0001).",
    )
    min_score: float = Field(
        MIN_SCORE,
        description="Relevance cutoff on the best passage's calibrated score; below it the "
        "engine abstains. Chosen on XQuAD dev + eval/questions: the highest cutoff that adds "
        "no false abstention on XQuAD dev (scores separate near-topic questions poorly; the "
        "key-term guard and the answer-span check do most of the abstaining).",
    )


class AnswerSettings(BaseModel):
    """The offline answer: evidence, leads, checks, confidence (chosen by measuring)."""
    fallback_documents: int = Field(
        1, ge=0, le=4,
        description="When the best-ranked article's passages hold no span of the kind asked "
        "for (a figure, a date), how many of the next-ranked articles are tried before "
        "answering 'not found'. Chosen on eval/questions and the XQuAD dev set together "
        "(docs/quality.md, 'How the numbers were chosen').",
    )
    fallback_margin: float = Field(
        0.06, ge=0,
        description="A next-ranked article is tried (fallback_documents) only when its best passage's calibrated "
        "score is at least the best article's minus this. docs/quality.md, 'How the numbers were chosen': "
        "0 / 0.02 / 0.04 / 0.06 on XQuAD dev + eval/questions (tune); "
        "0.06 answers 'how many years in a row' from the next article.",
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
    lead_tie_margin: float = Field(
        0.005, ge=0, le=1,
        description="No answer line when another quoted sentence scoring within this of the leading one "
        "holds a different figure, date or name of the asked kind: the evidence does not say which "
        "is meant (the quotes show both). Leads given / right / precision at 0, 0.005, 0.01: "
        "eval/questions tune 67/50/0.746, 59/47/0.797, 56/44/0.786; XQuAD dev tuning half "
        "116/88/0.759, 113/88/0.779 (at 0.005, held-out half 127/70/0.551 against 134/72/0.537 at 0).",
    )
    lead_at_weak_evidence: bool = Field(
        False,
        description="Whether an answer whose best passage scores under partial_score ('weak' evidence) "
        "still opens with a bold figure, date or name. Off: such leads were right 27 % of the time on "
        "XQuAD dev (11 of 40) and 52 % on eval/questions (11 of 21). Leads given / right / precision "
        "with them and without: eval/questions tune 64/51/0.797 -> 53/44/0.830, held-out 58/42/0.724 "
        "-> 48/38/0.792; XQuAD dev tuning half 114/89/0.781 -> 96/85/0.885, held-out half "
        "131/70/0.534 -> 109/63/0.578.",
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


class ToneSettings(BaseModel):
    """How Vietnamese typed without tone marks is restored (rag/query/tones.py).

    Chosen on XQuAD dev's 578 Vietnamese questions with their marks removed
    (syllables restored right, over the XQuAD corpus): corpus only 0.842; with
    the everyday lexicon at (lexicon_weight, dictionary_pair) (0.2, 2) 0.889,
    (0.2, 3) 0.896, (0.5, 1) 0.891, (0.5, 2) 0.892, (0.5, 3) 0.896, (1.0, 1) 0.891,
    (1.0, 2) 0.904, (1.0, 3) 0.898. The project's own Vietnamese questions over the
    seeds, checked after: 0.589 -> 0.783 at (1.0, 2)."""

    lexicon_weight: float = Field(
        1.0, ge=0,
        description="Weight of a syllable's everyday frequency (Zipf, from rag/data/vi_syllables.tsv) "
        "beside the corpus's own log counts when restoring tone marks. Chosen on XQuAD dev's "
        "Vietnamese questions (0.2 / 0.5 / 1.0 at dictionary_pair 2: 0.889 / 0.892 / 0.904 syllables right).",
    )
    dictionary_pair: float = Field(
        2.0, ge=0,
        description="Added to a syllable pair that forms a dictionary word (underthesea's Viet74K list); "
        "a pair the corpus writes counts more (3 x log(1 + times)). Chosen on XQuAD dev's Vietnamese "
        "questions (see the section).",
    )
