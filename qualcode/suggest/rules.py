"""Indicator rules over a transcript: which terms match in which segment, as evidence and a raw weight."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from qualcode.suggest.indicators import WEIGHTS

# Tokenising a whole transcript at once is much faster than one call per sentence; spaCy's
# tokenizer has no length limit of its own, but very long texts are cut at turn boundaries.
CHUNK_CHARS = 500_000


@dataclass
class SegmentRules:
    """Rule evidence for one segment: code -> (raw weight, evidence strings); profile similarities
    of the segment and of its whole turn (one dict shared by the turn's segments)."""

    by_code: dict[str, tuple[float, list[str]]]
    similar: dict[str, float] = field(default_factory=dict)
    turn_similar: dict[str, float] = field(default_factory=dict)


def _lemma_hashes(lexicon, lowers: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    strings = lexicon.vocab.strings
    cache = lexicon.__dict__.setdefault("_hash_lemma", {})
    uniq, inverse = np.unique(lowers, return_inverse=True)
    out = np.empty(len(uniq), dtype=np.uint64)
    for n, h in enumerate(uniq.tolist()):
        lemma = cache.get(h)
        if lemma is None:
            lemma = cache[h] = strings.add(lexicon.lemma(strings[h]))
        out[n] = lemma
    return uniq, inverse, out


def match_text(compiled, lexicon, text: str, spans: list[tuple[int, int]],
               profiles=None, similar: list[dict] | None = None, turns: list[int] | None = None,
               turn_similar: list[dict] | None = None) -> list[dict[int, tuple[str, str, int, int]]]:
    """For each (start, end) span, sorted and non-overlapping: term index -> (matched text, how,
    start, end) of its first match in the span (offsets into `text`).

    With `profiles`, the same token stream also fills `similar[n]` with segment n's
    profile similarities (one tokenisation for both signals), and with `turns` (each span's
    turn as 0, 1, 2, ... in order) `turn_similar[t]` with turn t's."""
    from spacy.attrs import IDX, LEMMA, LENGTH, LOWER

    result: list[dict[int, tuple[str, str, int, int]]] = [{} for _ in spans]
    if not spans:
        return result
    starts = np.fromiter((s for s, _ in spans), dtype=np.int64, count=len(spans))
    ends = np.fromiter((e for _, e in spans), dtype=np.int64, count=len(spans))
    turn_of = None if turns is None else np.asarray(turns, dtype=np.int64)
    for offset, chunk in _chunks(text, spans, turns):
        doc = lexicon.nlp.tokenizer(chunk)
        if not len(doc):
            continue
        arr = doc.to_array([LOWER, IDX, LENGTH])
        lowers = arr[:, 0].astype(np.uint64)
        idx = arr[:, 1].astype(np.int64) + offset
        stop = (idx + arr[:, 2].astype(np.int64)).tolist()
        begin = idx.tolist()
        uniq, inverse, lemmas = _lemma_hashes(lexicon, lowers)
        doc.from_array([LEMMA], lemmas[inverse].reshape(-1, 1))
        seg = np.searchsorted(starts, idx, side="right") - 1
        inside = (seg >= 0) & (idx < ends[np.maximum(seg, 0)])
        seg = np.where(inside, seg, -1)
        found = list(compiled.lemma_matcher(doc)) + list(compiled.lower_matcher(doc))
        if compiled.phrase_groups:
            found += _phrase_matches(compiled, lexicon, uniq, inverse, seg)
        for match_id, s, e in found:
            where = seg[s]
            if where < 0 or seg[e - 1] != where:
                continue  # a phrase across two segments is no evidence for either
            for term in compiled.match_terms.get(match_id, ()):
                result[where].setdefault(term, (text[begin[s]:stop[e - 1]], "match", begin[s], stop[e - 1]))
        if compiled.prefixes or compiled.compound is not None:
            _word_hits(compiled, lexicon, doc, uniq, inverse, seg, result, offset)
        if profiles is not None:
            strings = lexicon.vocab.strings
            lowers = [strings[h] for h in uniq.tolist()]
            profiles.similarities(lowers, inverse, seg, similar)
            if turn_of is not None:
                profiles.similarities(lowers, inverse, np.where(seg >= 0, turn_of[np.maximum(seg, 0)], -1),
                                      turn_similar)
    return result


def _phrase_matches(compiled, lexicon, uniq, inverse, seg) -> list:
    """(match id, first token, end token) of the `prefix*`/`=word` phrases: only in segments
    that hold every word of a phrase (per-word-type bit masks), then where consecutive
    tokens fill the phrase's words in order."""
    strings = lexicon.vocab.strings
    inside = seg >= 0
    out = []
    n_segments = int(seg.max()) + 1 if len(seg) else 0
    for g, (_, entries) in enumerate(compiled.phrase_groups):
        type_bits = np.fromiter((compiled.phrase_bits(strings[h], lexicon)[g] for h in uniq.tolist()),
                                dtype=np.uint64, count=len(uniq))
        token_bits = np.where(inside, type_bits[inverse], np.uint64(0))
        if not token_bits.any():
            continue
        seg_bits = np.zeros(max(n_segments, 1), dtype=np.uint64)
        np.bitwise_or.at(seg_bits, seg[inside], token_bits[inside])
        for first, length, match_id in entries:
            mask = np.uint64(((1 << length) - 1) << first)
            if not ((seg_bits & mask) == mask).any() or len(token_bits) < length:
                continue
            # Starts where token n of the phrase can be word n, for every n (same segment too).
            ok = np.ones(len(token_bits) - length + 1, dtype=bool)
            for n in range(length):
                bit = np.uint64(1 << (first + n))
                ok &= (token_bits[n:n + len(ok)] & bit) != 0
            for start in np.nonzero(ok)[0].tolist():
                out.append((match_id, start, start + length))
    return out


def _word_hits(compiled, lexicon, doc, uniq, inverse, seg, result, offset: int) -> None:
    strings = lexicon.vocab.strings
    hit_types = [n for n, h in enumerate(uniq.tolist()) if compiled.word_hits(strings[h])]
    if not hit_types:
        return
    for position in np.nonzero(np.isin(inverse, hit_types))[0].tolist():
        where = seg[position]
        if where < 0:
            continue
        token = doc[position]
        start = token.idx + offset
        for term, how in compiled.word_hits(token.lower_):
            result[where].setdefault(term, (token.text, how, start, start + len(token.text)))


def _chunks(text: str, spans, turns=None):
    if len(text) <= CHUNK_CHARS:
        yield 0, text
        return
    begin = 0
    for n, (start, _) in enumerate(spans):
        # A turn stays in one chunk: its similarity is computed over all its words.
        if start - begin >= CHUNK_CHARS and (turns is None or n == 0 or turns[n] != turns[n - 1]):
            yield begin, text[begin:start]
            begin = start
    yield begin, text[begin:]


def evidence_by_code(compiled, hits: dict[int, tuple[str, str, int, int]]) -> dict[str, tuple[float, list[str]]]:
    """Per code: the raw weight and one evidence string per matched text span.

    Several indicators of one code can match the same words (`budget*` and `budget` both
    match "budgeten"): that is one piece of evidence, so the span counts once, at the
    weight of its strongest indicator, and the evidence names that indicator only."""
    best: dict[tuple[str, int, int], tuple[float, int, str]] = {}
    for term_index, (matched, how, start, end) in hits.items():
        term = compiled.terms[term_index]
        weight = compiled.weights[term_index]
        if how in ("compound", "prefix"):
            weight *= WEIGHTS[how] / WEIGHTS[term.kind]
        key = (term.code, start, end)
        found = best.get(key)
        # The strongest indicator wins; on a tie the first in codebook order, so evidence is stable.
        if found is None or (weight, -term_index) > (found[0], -found[1]):
            best[key] = (weight, term_index, matched)
    if len(best) > 1:
        # A match inside a longer match of another code's indicator is not evidence: the longer
        # phrase says what these words mean here ("no picking and choosing" is not "pick and choose").
        spans = [(code, start, end) for code, start, end in best]
        for key in spans:
            code, start, end = key
            if any(c != code and s <= start and end <= e and (s, e) != (start, end) for c, s, e in spans):
                del best[key]
    out: dict[str, tuple[float, list[str]]] = {}
    for (code, start, _), (weight, term_index, matched) in sorted(best.items(), key=lambda x: (x[0][1], x[1][1])):
        term = compiled.terms[term_index]
        raw, evidence = out.get(code, (0.0, []))
        note = term.text if matched.lower() == term.text.lower().strip("=") else f"{term.text} ({matched})"
        out[code] = (raw + weight, evidence + [note])
    return out


def rules_for_text(compiled, lexicon, text: str, spans, profiles=None, turns=None) -> list[SegmentRules]:
    """Rule evidence and profile similarities per span; `turns`: each span's turn id (any
    hashable; spans of one turn are consecutive), for the turn's similarity."""
    similar: list[dict] = [{} for _ in spans]
    index = None
    if turns is not None:
        order = {t: n for n, t in enumerate(dict.fromkeys(turns))}
        index = [order[t] for t in turns]
    turn_similar: list[dict] = [{} for _ in range(len(set(index or ())))]
    hits = match_text(compiled, lexicon, text, spans, profiles, similar, index, turn_similar)
    if index is None:
        return [SegmentRules(evidence_by_code(compiled, h), s) for h, s in zip(hits, similar)]
    return [SegmentRules(evidence_by_code(compiled, h), s, turn_similar[t]) for h, s, t in zip(hits, similar, index)]
