"""Which codes overlap on the same passages, and how often."""

from __future__ import annotations

from collections import defaultdict


def cooccurrence(db, *, coders: list[str] | None = None) -> list[dict]:
    """Pairs of different codes whose codings overlap in a transcript.

    `passages` counts overlapping coding pairs (one passage coded with both codes counts
    once per pair of codings), `transcripts` the transcripts where that happens; sorted by
    passages, most first.
    """
    sql = 'SELECT transcript_id, start, "end", code_id FROM codings'
    args: list = []
    if coders:
        sql += f" WHERE coder IN ({','.join('?' for _ in coders)})"
        args = list(coders)
    rows = db.execute(sql + ' ORDER BY transcript_id, start, "end"', args).fetchall()
    passages: dict[tuple[str, str], int] = defaultdict(int)
    where: dict[tuple[str, str], set] = defaultdict(set)
    seen: set[tuple] = set()
    active: list[tuple[int, str, int, int]] = []  # (end, code, start, transcript) still open
    current = None
    for tid, start, end, code in rows:
        if tid != current:
            current, active = tid, []
        active = [a for a in active if a[0] > start]  # sorted by start: the rest may overlap
        for a_end, a_code, a_start, _ in active:
            if a_code == code:
                continue
            pair = (a_code, code) if a_code < code else (code, a_code)
            # Two coders coding the same passage with the same pair is still one passage.
            span = (tid, pair, max(a_start, start), min(a_end, end))
            if span in seen:
                continue
            seen.add(span)
            passages[pair] += 1
            where[pair].add(tid)
        active.append((end, code, start, tid))
    out = [{"code_a": a, "code_b": b, "passages": n, "transcripts": len(where[a, b])}
           for (a, b), n in passages.items()]
    return sorted(out, key=lambda r: (-r["passages"], r["code_a"], r["code_b"]))
