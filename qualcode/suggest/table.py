"""Score tables: every (segment, code) score of a transcript at once, with the context signals."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PREVIOUS, NEXT = -1, 1
_SIDE = {PREVIOUS: "previous sentence", NEXT: "next sentence"}
SHOWN_LIFT = 5e-4  # a context share smaller than this is not named in the evidence


@dataclass
class ScoreTable:
    """Scores (segments x codes, columns in codebook order) and what explains them."""

    codes: list[str]
    score: np.ndarray            # the shown score
    own: np.ndarray              # the segment's own rule and profile evidence
    neighbour: np.ndarray        # ... with its neighbour's context
    context: np.ndarray          # ... and its turn's
    source: np.ndarray           # which neighbour gave context: PREVIOUS, NEXT or 0
    similarity: np.ndarray
    turn_similarity: np.ndarray
    prob: np.ndarray | None      # model probability, NaN where the model has no say

    def ranked(self, floor: float, rows=None) -> dict[int, list[tuple[float, int]]]:
        """Segment -> [(score, column)] of codes scoring > 0 and >= floor, best first (ties in
        codebook order); only the segments in `rows` when given."""
        score = self.score if rows is None else self.score[rows]
        found_rows, cols = np.nonzero((score > 0) & (score >= floor))
        values = score[found_rows, cols]
        rows = found_rows if rows is None else np.asarray(rows, dtype=np.int64)[found_rows]
        out: dict[int, list[tuple[float, int]]] = {}
        for row, col, value in zip(rows.tolist(), cols.tolist(), values.tolist()):
            out.setdefault(row, []).append((value, col))
        for found in out.values():
            found.sort(key=lambda x: (-x[0], x[1]))
        return out

    def evidence(self, rules: list, n: int, col: int, similar: str | None = None) -> list[str]:
        """Rule evidence, model contribution, `similar` (the profile's explanation) and context
        of segment n for one code, as readable strings."""
        code = self.codes[col]
        out = list(rules[n].by_code.get(code, (0.0, []))[1])
        if self.prob is not None and not np.isnan(self.prob[n, col]):
            out.append(f"model {self.prob[n, col]:.2f}")
        if similar:
            out.append(similar)
        # Context is named only when it changed the score, so it reads as a reason.
        side = int(self.source[n, col])
        if side and self.neighbour[n, col] - self.own[n, col] >= SHOWN_LIFT:
            m = n + side
            words = rules[m].by_code.get(code, (0.0, []))[1]
            if words:
                out.append(f"context: {', '.join(words)} ({_SIDE[side]})")
            else:
                out.append(f"context: {_SIDE[side]} similar to codebook ({self.similarity[m, col]:.2f})")
        if self.context[n, col] - self.neighbour[n, col] >= SHOWN_LIFT:
            out.append(f"context: turn similar to codebook ({self.turn_similarity[n, col]:.2f})")
        return out


def neighbours(own: np.ndarray, turns: list) -> tuple[np.ndarray, np.ndarray]:
    """Per (segment, code): the best own evidence of the previous or next segment of the same
    turn (never across turns), and which side it came from."""
    best = np.zeros_like(own)
    source = np.zeros(own.shape, dtype=np.int8)
    if len(turns) < 2:
        return best, source
    turn = np.asarray(turns)
    same = (turn[1:] == turn[:-1])[:, None]      # segment i and i + 1 share a turn
    previous = np.where(same, own[:-1], 0.0)     # for segments 1..n-1
    best[1:] = previous
    source[1:] = np.where(previous > 0, PREVIOUS, 0)
    following = np.where(same, own[1:], 0.0)     # for segments 0..n-2
    better = following > best[:-1]
    best[:-1] = np.where(better, following, best[:-1])
    source[:-1] = np.where(better, NEXT, source[:-1])
    return best, source


def _dense(rows_of: list[dict], column: dict[str, int], missing: float = 0.0) -> np.ndarray:
    """Code -> value per segment as a (segments x codes) array; codes not in `column` are dropped."""
    rows, cols, values = [], [], []
    for n, found in enumerate(rows_of):
        for code, value in found.items():
            col = column.get(code)
            if col is not None:
                rows.append(n)
                cols.append(col)
                values.append(value)
    table = np.full((len(rows_of), len(column)), missing)
    table[rows, cols] = values
    return table


def build(codes: list[str], rules: list, turns: list, probabilities=None, positives=None,
          with_rules=frozenset()) -> ScoreTable:
    """The table for one transcript: `rules` SegmentRules per segment, `turns` each segment's
    turn id, `probabilities` the model's code -> p per segment (or None)."""
    from qualcode.suggest.scoring import combine_arrays

    column = {code: n for n, code in enumerate(codes)}
    raw = _dense([{code: w for code, (w, _) in seg.by_code.items()} for seg in rules], column)
    similarity = _dense([seg.similar for seg in rules], column)
    turn_similarity = np.zeros_like(similarity)
    # Segments of one turn share one dict: fill each turn's rows once.
    done: dict[int, np.ndarray] = {}
    for n, seg in enumerate(rules):
        if seg.turn_similar:
            row = done.get(id(seg.turn_similar))
            if row is None:
                row = done[id(seg.turn_similar)] = _dense([seg.turn_similar], column)[0]
            turn_similarity[n] = row
    zero = np.zeros_like(raw)
    own = combine_arrays(raw, similarity, zero, zero, None, None, None)["own"]
    neighbour, source = neighbours(own, turns)
    prob = _dense(probabilities, column, np.nan) if probabilities else None
    counts = np.array([(positives or {}).get(code, 0) for code in codes], dtype=np.float64)
    has_rules = np.array([code in with_rules for code in codes], dtype=bool)
    out = combine_arrays(raw, similarity, neighbour, turn_similarity, prob, counts, has_rules)
    source = np.where(out["neighbour"] > out["own"], source, 0).astype(np.int8)
    return ScoreTable(codes, out["score"], out["own"], out["neighbour"], out["context"], source, similarity,
                      turn_similarity, prob)
