"""Agreement from the store: which segments, turns or characters two coders coded with each code."""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import defaultdict

from qualcode.agreement import binary_figures
from qualcode.errors import QualcodeError

UNITS = ("segment", "turn", "character")

Intervals = list[tuple[int, int]]  # sorted, disjoint, half-open [start, end)
# The chosen transcript ids travel as one JSON parameter: no limit on the number of SQL variables.
IN_SCOPE = "transcript_id IN (SELECT value FROM json_each(?))"


def merge(intervals: Intervals) -> Intervals:
    """Sort and join overlapping or touching intervals; empty ones vanish."""
    merged: Intervals = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def length(intervals: Intervals) -> int:
    return sum(end - start for start, end in intervals)


def intersect(a: Intervals, b: Intervals) -> Intervals:
    """The intersection of two merged interval lists, by one sweep over both."""
    out: Intervals = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


class UnitSpace:
    """A transcript's units. `marks` turns codings into intervals whose lengths count the units touched.

    Segments and turns are numbered 0..n-1 and a coding marks the index range of units it
    overlaps by at least one character; characters are the code points of the turns' content
    and a coding marks the part of itself inside that content.
    """

    def __init__(self, spans: Intervals, per_character: bool):
        self.per_character = per_character
        if per_character:
            self.spans = merge(spans)
            self.size = length(self.spans)
            self.starts = [s for s, _ in self.spans]
            self.reach = [e for _, e in self.spans]
            self.disjoint = True
            return
        self.spans = sorted(spans)
        self.size = len(self.spans)
        self.starts = [s for s, _ in self.spans]
        # The furthest end so far is sorted even if units overlapped, so bisect stays valid.
        self.reach, furthest = [], -1
        for _, end in self.spans:
            furthest = max(furthest, end)
            self.reach.append(furthest)
        self.disjoint = all(self.spans[k][1] <= self.spans[k + 1][0] for k in range(len(self.spans) - 1))

    def marks(self, codings: Intervals) -> Intervals:
        out: Intervals = []
        for start, end in merge(codings):
            first, stop = bisect_right(self.reach, start), bisect_left(self.starts, end)
            if self.per_character:
                out.extend((max(start, s), min(end, e)) for s, e in self.spans[first:stop])
            elif self.disjoint:
                out.append((first, stop))
            else:
                out.extend((k, k + 1) for k in range(first, stop) if self.spans[k][1] > start)
        return merge(out)


def _rows(db, sql: str, params=()) -> list:
    return db.execute(sql, params).fetchall()


def _check_coders(db, coders) -> tuple[str, str]:
    if len(coders) != 2 or not all(coders) or coders[0] == coders[1]:
        raise QualcodeError(f"agreement needs two different coders, got {', '.join(coders) or 'none'}")
    known = {name for (name,) in _rows(db, "SELECT name FROM coders UNION SELECT DISTINCT coder FROM codings")}
    for coder in coders:
        if coder not in known:
            names = ", ".join(sorted(known)) or "none"
            raise QualcodeError(f"unknown coder {coder!r}; coders in this project: {names}")
        if not _rows(db, "SELECT 1 FROM codings WHERE coder = ? LIMIT 1", [coder]):
            raise QualcodeError(f"coder {coder!r} has no codings yet, so there is nothing to compare")
    return coders[0], coders[1]


def _scope(db, coders, names) -> tuple[list[tuple[int, str]], list[str]]:
    """The transcripts compared, and those left out by default because only one coder coded them."""
    everything = _rows(db, "SELECT id, name FROM transcripts ORDER BY name")
    if names:
        by_name = dict((name, tid) for tid, name in everything)
        unknown = [name for name in names if name not in by_name]
        if unknown:
            raise QualcodeError(f"unknown transcript {unknown[0]!r}")
        chosen = [(by_name[name], name) for name in dict.fromkeys(names)]
        skipped: list[str] = []
    else:
        # Double-coding a sample is common: a transcript the other coder never did is not a disagreement.
        coded = defaultdict(set)
        pairs = _rows(db, "SELECT DISTINCT transcript_id, coder FROM codings WHERE coder IN (?, ?)", coders)
        for tid, coder in pairs:
            coded[tid].add(coder)
        chosen = [(tid, name) for tid, name in everything if len(coded[tid]) == 2]
        skipped = [name for tid, name in everything if len(coded[tid]) == 1]
        if not chosen:
            raise QualcodeError(
                f"no transcript was coded by both {coders[0]} and {coders[1]}; name some with --transcript"
            )
    ids = json.dumps([tid for tid, _ in chosen])
    for coder in coders:
        if not _rows(db, f"SELECT 1 FROM codings WHERE coder = ? AND {IN_SCOPE} LIMIT 1", [coder, ids]):
            raise QualcodeError(f"coder {coder!r} has no codings in the chosen transcripts")
    return chosen, skipped


def _codes(db, coders, ids: str, wanted) -> list[str]:
    if wanted:
        known = {code for (code,) in _rows(db, "SELECT id FROM codes")}
        unknown = [code for code in wanted if code not in known]
        if unknown:
            raise QualcodeError(f"unknown code {unknown[0]!r}")
        return list(dict.fromkeys(wanted))
    used = f"SELECT DISTINCT code_id FROM codings WHERE coder IN (?, ?) AND {IN_SCOPE}"
    sql = f"SELECT id FROM codes WHERE codable = 1 AND id IN ({used}) ORDER BY position, id"
    return [code for (code,) in _rows(db, sql, [*coders, ids])]


def _spaces(db, unit: str, ids: str) -> dict[int, UnitSpace]:
    table = "segments" if unit == "segment" else "turns"
    spans: dict[int, Intervals] = defaultdict(list)
    for tid, start, end in _rows(db, f'SELECT transcript_id, start, "end" FROM {table} WHERE {IN_SCOPE}', [ids]):
        spans[tid].append((start, end))
    return {tid: UnitSpace(s, per_character=unit == "character") for tid, s in spans.items()}


def _counts(db, coders, ids: str, codes: list[str], spaces: dict[int, UnitSpace], tids) -> dict:
    """(transcript id, code) -> (both, only A, only B, neither)."""
    codings: dict[tuple, Intervals] = defaultdict(list)
    wanted = set(codes)
    sql = f'SELECT transcript_id, code_id, coder, start, "end" FROM codings WHERE coder IN (?, ?) AND {IN_SCOPE}'
    for tid, code, coder, start, end in _rows(db, sql, [*coders, ids]):
        if code in wanted:
            codings[tid, code, coder].append((start, end))
    empty = UnitSpace([], per_character=False)
    counts = {}
    for tid in tids:
        space = spaces.get(tid, empty)
        for code in codes:
            a = space.marks(codings.get((tid, code, coders[0]), []))
            b = space.marks(codings.get((tid, code, coders[1]), []))
            both, in_a, in_b = length(intersect(a, b)), length(a), length(b)
            counts[tid, code] = (both, in_a - both, in_b - both, space.size - in_a - in_b + both)
    return counts


def _report(codes: list[str], counts: dict, tids) -> tuple[list[dict], dict]:
    rows, pooled = [], [0, 0, 0, 0]
    for code in codes:
        total = [sum(counts[tid, code][k] for tid in tids) for k in range(4)]
        pooled = [p + t for p, t in zip(pooled, total)]
        rows.append({"code": code, **binary_figures(*total)})
    return rows, binary_figures(*pooled)


def compute_agreement(db, coders: tuple[str, str], unit: str = "segment", transcripts=None, codes=None,
                      per_transcript: bool = False) -> dict:
    """Per code and pooled over all code x unit decisions: counts, percent agreement, kappa, alpha.

    A unit counts as coded with code C by a coder when one of the coder's C codings overlaps it by
    at least one character. Without `transcripts`, the transcripts both coders coded are compared
    (the others are listed in `skipped_transcripts`); without `codes`, every codable code either
    coder used there. `restricted` repeats the figures over the units at least one coder coded.
    """
    if unit not in UNITS:
        raise QualcodeError(f"unknown unit {unit!r}; choose one of {', '.join(UNITS)}")
    coders = _check_coders(db, tuple(coders))
    chosen, skipped = _scope(db, coders, transcripts)
    ids = json.dumps([tid for tid, _ in chosen])
    code_ids = _codes(db, coders, ids, codes)
    tids = [tid for tid, _ in chosen]
    counts = _counts(db, coders, ids, code_ids, _spaces(db, unit, ids), tids)
    rows, pooled = _report(code_ids, counts, tids)
    result = {"unit": unit, "coders": list(coders), "codes": rows, "pooled": pooled, "skipped_transcripts": skipped}
    if per_transcript:
        result["transcripts"] = []
        for tid, name in chosen:
            rows, pooled = _report(code_ids, counts, [tid])
            result["transcripts"].append({"transcript": name, "codes": rows, "pooled": pooled})
    return result
