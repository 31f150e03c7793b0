"""Lexical evidence of the hybrid retriever (rag/retrieval/lexical.py, fusion.py):
exact terms, document shares, and on the real seeded index, that a passage
only BM25 finds joins the candidates with its own calibrated score."""

from __future__ import annotations

from llama_index.core.schema import QueryBundle

from rag.retrieval.lexical import LexicalWeights, document_shares, exact_terms

WEIGHTS = LexicalWeights(same_language=0.04, exact=0.02, temperature=0.1, null=0.3)


def test_exact_terms__figures_codes_acronyms_and_latin_names_in_cyrillic():
    assert exact_terms("Kết luận số 57-KL/TW của Bộ Chính trị ban hành ngày nào?") == ["57-KL/TW"]
    assert exact_terms("How much FDI did Nghe An attract in 2023?") == ["FDI", "2023"]
    assert exact_terms("Кого, помимо KOLs, предлагается мобилизовать?") == ["KOLs"]
    assert exact_terms("Что сказал Bui Thanh Son?") == ["Bui", "Thanh", "Son"]
    # capitalised words of an English or Vietnamese question are not written alike elsewhere
    assert exact_terms("Who chaired the Nghe An bridge point?") == []
    assert exact_terms("Ai là Phó trưởng Ban Tuyên giáo?") == []


def _hit(doc_id, score):
    return (f"{doc_id}#0", doc_id, score)


def test_document_shares__a_clear_leader_takes_most_a_tie_splits_a_weak_match_little():
    leader = document_shares([_hit("a", 9.0), _hit("b", 4.0)], 10.0, WEIGHTS)
    assert leader["a"] > 0.9 and leader["b"] < 0.05
    tie = document_shares([_hit("a", 8.0), _hit("b", 8.0)], 10.0, WEIGHTS)
    assert abs(tie["a"] - tie["b"]) < 1e-9 and tie["a"] < 0.5
    # alone, but matching a small part of what the question could match: the null wins
    weak = document_shares([_hit("a", 1.0)], 10.0, WEIGHTS)
    assert weak["a"] < 0.2
    assert document_shares([], 10.0, WEIGHTS) == {}


def test_lexical_evidence__a_passage_only_bm25_finds_joins_with_its_calibrated_score(engine):
    import numpy as np

    from rag.retrieval.fusion import LexicalEvidenceRetriever
    from rag.retrieval.lexical import exact_terms as terms
    from rag.retrieval.retrievers import LanguageBM25Retriever, SentencePoolRetriever

    snapshot = engine._snapshot()
    question = "Kết luận số 57-KL/TW của Bộ Chính trị được ban hành ngày nào?"
    vector = engine._embed_query(question)
    # the sentence pools see only the Vietnamese article, which never names 57-KL/TW
    pools = SentencePoolRetriever(snapshot.cols["sentences"], snapshot, "vi", 5, min_words=4,
                                  where={"doc_id": "003_ed2f08ded523999d.txt"})
    exact = LanguageBM25Retriever(snapshot, "vi", 5, terms=terms)
    fused = LexicalEvidenceRetriever(pools, [(exact, 0.02)], snapshot, WEIGHTS).retrieve(
        QueryBundle(query_str=question, embedding=np.asarray(vector).tolist()))
    files = [n.node.metadata["file"] for n in fused]
    assert "002_3e13fac306d48c8a.txt" in files
    joined = next(n for n in fused if n.node.metadata["file"].startswith("002_"))
    alone = pools.score_chunks([joined.node.node_id], np.asarray(vector, dtype=np.float32))
    # its score: its own calibrated similarity plus at most the exact-term weight
    assert alone[joined.node.node_id] < joined.score <= alone[joined.node.node_id] + 0.02 + 1e-6
