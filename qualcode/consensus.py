"""Consensus coding: two coders' disagreements per unit and code, resolved into a consensus coder."""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from qualcode import coding, store
from qualcode.agreement_units import merge
from qualcode.errors import QualcodeError

UNITS = ("segment", "turn")
CHOICES = ("a", "b", "both", "neither")
# A resolve leaves one marker in the undo log: it records the decision (also "neither" on a unit the
# consensus coder never coded, which writes no coding) and bounds the resolve for `undo_resolve`.
# coding.undo and coding.redo pass over unknown kinds, so the generic undo still works step by step.
MARKER = "consensus"


@dataclass(frozen=True)
class UnitRef:
    """One unit (segment or turn, numbered as `qualcode show` lists them) and one code, for two coders."""

    transcript_id: int
    unit: str
    number: int
    code: str
    coder_a: str
    coder_b: str


@dataclass(frozen=True)
class Disagreement(UnitRef):
    """A unit x code that exactly one coder coded (`coder` "a" or "b"); "both" and "neither" also occur."""

    start: int = 0
    end: int = 0
    text: str = ""
    coder: str = "a"
    codings_a: list[dict] = field(default_factory=list)  # {id, start, end, memo}, overlapping the unit
    codings_b: list[dict] = field(default_factory=list)
    codings_consensus: list[dict] = field(default_factory=list)
    resolved: str | None = None  # the consensus coder's state: "coded", "not coded", None = undecided
    choice: str | None = None  # the last recorded choice for this unit and code, if any

    @property
    def is_agreement(self) -> bool:
        return self.coder == "both"

    def to_dict(self) -> dict:
        return asdict(self)


def _check_pair(db, coder_a: str, coder_b: str, consensus: str | None = None) -> None:
    if not coder_a or not coder_b or coder_a == coder_b:
        raise QualcodeError(f"give two different coders, got {coder_a or 'none'!r} and {coder_b or 'none'!r}")
    known = {n for (n,) in db.execute("SELECT name FROM coders UNION SELECT DISTINCT coder FROM codings")}
    for name in (coder_a, coder_b):
        if name not in known:
            raise QualcodeError(f"unknown coder {name!r}; coders in this project: {', '.join(sorted(known)) or 'none'}")
    if consensus is not None and (not consensus or consensus in (coder_a, coder_b)):
        raise QualcodeError(f"the consensus coder must be a third coder, not {consensus or 'empty'!r}")


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise QualcodeError(f"unknown unit {unit!r}; choose one of {', '.join(UNITS)}")


def _text(db, transcript_id: int) -> str:
    row = db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript_id]).fetchone()
    if row is None:
        raise QualcodeError(f"no transcript with id {transcript_id}")
    return row[0]


def _units(db, transcript_id: int, unit: str) -> list[tuple[int, int, int]]:
    table = "segments" if unit == "segment" else "turns"
    sql = f'SELECT number, start, "end" FROM {table} WHERE transcript_id = ? ORDER BY start, number'
    return [tuple(row) for row in db.execute(sql, [transcript_id])]


def _codes(db, transcript_id: int, coders, wanted) -> list[str]:
    """The codes compared, in codebook order: the ones asked for, or the codable codes either coder used."""
    order = {code: n for n, (code,) in enumerate(db.execute("SELECT id FROM codes ORDER BY position, id"))}
    if wanted:
        for code in wanted:
            if code not in order:
                raise QualcodeError(f"unknown code {code!r} (see `qualcode codebook show`)")
        return sorted(dict.fromkeys(wanted), key=order.get)
    used = db.execute(
        "SELECT DISTINCT c.code_id FROM codings c JOIN codes k ON k.id = c.code_id "
        "WHERE c.transcript_id = ? AND c.coder IN (?, ?) AND k.codable = 1", [transcript_id, *coders])
    return sorted((code for (code,) in used), key=order.get)


def _by_unit(db, transcript_id: int, units, coders, codes) -> dict[tuple[int, str, str], list[dict]]:
    """(unit index, code, coder) -> that coder's codings with the code overlapping the unit by >= 1 character."""
    starts = [start for _, start, _ in units]
    reach, furthest = [], -1
    for _, _, end in units:  # running maximum keeps bisect valid even if units overlapped
        furthest = max(furthest, end)
        reach.append(furthest)
    marks = ", ".join("?" for _ in coders)
    rows = db.execute(
        f'SELECT id, start, "end", memo, code_id, coder FROM codings WHERE transcript_id = ? AND coder IN ({marks}) '
        "ORDER BY start, id", [transcript_id, *coders])
    wanted, out = set(codes), defaultdict(list)
    for cid, start, end, memo, code, coder in rows:
        if code not in wanted:
            continue
        for k in range(bisect_right(reach, start), bisect_left(starts, end)):
            if units[k][2] > start and units[k][1] < end:
                out[k, code, coder].append({"id": cid, "start": start, "end": end, "memo": memo})
    return out


def _decisions(db, transcript_id: int, consensus: str) -> dict[tuple[int, int, str], str]:
    """(start, end, code) -> the latest choice still in force (not undone) for the consensus coder."""
    out = {}
    rows = db.execute("SELECT payload FROM actions WHERE coder = ? AND kind = ? AND undone = 0 ORDER BY id",
                      [consensus, MARKER])
    for (payload,) in rows:
        p = json.loads(payload)
        if p["transcript_id"] == transcript_id:
            out[p["start"], p["end"], p["code_id"]] = p["choice"]
    return out


def disagreements(db, coder_a: str, coder_b: str, transcript_id: int, unit: str = "segment", codes=None,
                  consensus: str | None = None, include_agreements: bool = False) -> list[Disagreement]:
    """Every unit x code exactly one of A and B coded, by position; with `include_agreements` also those both coded."""
    _check_unit(unit)
    _check_pair(db, coder_a, coder_b, consensus)
    text = _text(db, transcript_id)
    units = _units(db, transcript_id, unit)
    code_ids = _codes(db, transcript_id, (coder_a, coder_b), codes)
    coders = [coder_a, coder_b] + ([consensus] if consensus else [])
    found = _by_unit(db, transcript_id, units, coders, code_ids)
    decided = _decisions(db, transcript_id, consensus) if consensus else {}
    out = []
    for k, (number, start, end) in enumerate(units):
        for code in code_ids:
            a, b = found.get((k, code, coder_a), []), found.get((k, code, coder_b), [])
            if not a and not b or (a and b and not include_agreements):
                continue
            mine = found.get((k, code, consensus), []) if consensus else []
            choice = decided.get((start, end, code))
            resolved = None if not consensus else "coded" if mine else "not coded" if choice else None
            out.append(Disagreement(
                transcript_id, unit, number, code, coder_a, coder_b, start, end, text[start:end],
                "both" if a and b else "a" if a else "b", a, b, mine, resolved, choice))
    return out


def _unit_span(db, ref: UnitRef) -> tuple[int, int]:
    _check_unit(ref.unit)
    span = coding.resolve_span(db, ref.transcript_id, **{ref.unit: ref.number})
    return span.start, span.end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _desired(text: str, taken: list[dict], existing: list[dict], start: int, end: int) -> list[tuple]:
    """The consensus coder's spans after a resolve: the taken spans, plus what it had outside the unit."""
    outside = []
    for row in existing:  # a consensus coding reaching past the unit keeps its parts beyond the unit
        outside += [_trim(text, row["start"], start), _trim(text, end, row["end"])]
    spans = merge([(r["start"], r["end"]) for r in taken] + outside)
    memos = []
    for s, e in spans:
        notes = [r["memo"] for r in taken + existing if r["memo"] and s <= r["start"] and r["end"] <= e]
        memos.append("\n".join(dict.fromkeys(notes)) or None)
    return [(s, e, m) for (s, e), m in zip(spans, memos)]


def resolve(db, target: UnitRef, choice: str, consensus_coder: str, actor: str) -> Disagreement:
    """Make the consensus coder's codings of target.code on the unit follow A's, B's, both or neither.

    "a"/"b" copy that coder's codings overlapping the unit with their exact spans, "both" the union
    of both, "neither" removes the consensus codings there (parts beyond the unit are kept). One
    transaction; every change is an undoable coding action of the consensus coder, preceded by a
    marker that `undo_resolve` undoes them back to. Resolving again with the same choice changes nothing.
    """
    if choice not in CHOICES:
        raise QualcodeError(f"unknown choice {choice!r}; take one of {', '.join(CHOICES)}")
    _check_pair(db, target.coder_a, target.coder_b, consensus_coder)
    text = _text(db, target.transcript_id)
    start, end = _unit_span(db, target)
    coding._check_code(db, target.code)

    def codings_of(coder, s=start, e=end):
        rows = coding.find_codings(db, target.transcript_id, s, e, target.code, coder)
        return [{k: r[k] for k in ("id", "start", "end", "memo")} for r in rows]

    taken = (codings_of(target.coder_a) if choice in ("a", "both") else []) + \
            (codings_of(target.coder_b) if choice in ("b", "both") else [])
    existing = codings_of(consensus_coder)
    # Consensus codings a taken span runs into are joined with it rather than left overlapping it.
    seen = {r["id"] for r in existing}
    for span in taken:
        for r in codings_of(consensus_coder, span["start"], span["end"]):
            if r["id"] not in seen:
                seen.add(r["id"])
                existing.append(r)
    wanted = _desired(text, taken, existing, start, end)
    have = {(r["start"], r["end"]) for r in existing}
    decided = _decisions(db, target.transcript_id, consensus_coder).get((start, end, target.code))
    if decided == choice and have == {(s, e) for s, e, _ in wanted}:
        return _current(db, target, consensus_coder)
    payload = {"transcript_id": target.transcript_id, "unit": target.unit, "number": target.number,
               "start": start, "end": end, "code_id": target.code, "choice": choice,
               "coder_a": target.coder_a, "coder_b": target.coder_b, "by": actor, "actions": 0}
    with store.transaction(db):
        store.ensure_coder(db, consensus_coder)
        marker = coding._record(db, consensus_coder, MARKER, payload)
        keep = {(s, e) for s, e, _ in wanted}
        for row in existing:
            if (row["start"], row["end"]) not in keep:
                coding.remove_coding(db, row["id"], consensus_coder)
                payload["actions"] += 1
        for s, e, memo in wanted:
            if (s, e) not in have:
                coding.add_coding(db, target.transcript_id, s, e, target.code, consensus_coder, memo=memo)
                payload["actions"] += 1
        db.execute("UPDATE actions SET payload = ? WHERE id = ?", [json.dumps(payload, ensure_ascii=False), marker])
    return _current(db, target, consensus_coder)


def _current(db, target: UnitRef, consensus: str) -> Disagreement:
    """The unit x code as it stands now (also when A and B agree or neither coded it)."""
    start, end = _unit_span(db, target)
    found = _by_unit(db, target.transcript_id, [(target.number, start, end)],
                     [target.coder_a, target.coder_b, consensus], [target.code])
    a, b, mine = (found.get((0, target.code, c), []) for c in (target.coder_a, target.coder_b, consensus))
    choice = _decisions(db, target.transcript_id, consensus).get((start, end, target.code))
    return Disagreement(
        target.transcript_id, target.unit, target.number, target.code, target.coder_a, target.coder_b,
        start, end, _text(db, target.transcript_id)[start:end],
        "both" if a and b else "a" if a else "b" if b else "neither", a, b, mine,
        "coded" if mine else "not coded" if choice else None, choice)


def undo_resolve(db, consensus_coder: str) -> dict | None:
    """Undo the consensus coder's last resolve as one step; None if its last action is no resolve."""
    with store.transaction(db):
        rows = db.execute("SELECT id, kind, payload FROM actions WHERE coder = ? AND undone = 0 ORDER BY id DESC",
                          [consensus_coder]).fetchall()
        marker = next((n for n, (_, kind, _) in enumerate(rows) if kind == MARKER), None)
        if marker is None:
            return None
        payload = json.loads(rows[marker][2])
        if marker != payload["actions"]:
            raise QualcodeError(f"{consensus_coder} has coded since the last resolve; undo step by step instead")
        for _ in range(marker + 1):
            coding.undo(db, consensus_coder)
    return payload


def seed_consensus(db, coder_a: str, coder_b: str, consensus_coder: str, transcript_ids=None,
                   unit: str = "segment") -> int:
    """Copy what A and B agree on (same code on the same unit) into the consensus coder; returns codings added.

    On each run of consecutive agreed units, the union of both coders' spans there is copied (so identical
    codings are kept once); parts reaching into units they disagree on are left for resolving.
    """
    _check_unit(unit)
    _check_pair(db, coder_a, coder_b, consensus_coder)
    if transcript_ids is None:
        transcript_ids = [tid for (tid,) in db.execute(
            "SELECT transcript_id FROM codings WHERE coder IN (?, ?) GROUP BY transcript_id "
            "HAVING COUNT(DISTINCT coder) = 2 ORDER BY transcript_id", [coder_a, coder_b])]
    added = 0
    with store.transaction(db):
        for tid in transcript_ids:
            _text(db, tid)
            units = _units(db, tid, unit)
            codes = _codes(db, tid, (coder_a, coder_b), None)
            found = _by_unit(db, tid, units, [coder_a, coder_b, consensus_coder], codes)
            for code in codes:
                for s, e in _agreed_spans(units, found, code, coder_a, coder_b):
                    covered = any(r["start"] <= s and e <= r["end"] for r in
                                  coding.find_codings(db, tid, s, e, code, consensus_coder))
                    if not covered:
                        coding.add_coding(db, tid, s, e, code, consensus_coder)
                        added += 1
    return added


def _agreed_spans(units, found, code: str, coder_a: str, coder_b: str) -> list[tuple[int, int]]:
    runs: list[list[int]] = []  # runs of consecutive unit indexes both coders coded with the code
    for k in range(len(units)):
        if found.get((k, code, coder_a)) and found.get((k, code, coder_b)):
            if runs and runs[-1][-1] == k - 1:
                runs[-1].append(k)
            else:
                runs.append([k])
    out = []
    for run in runs:
        lo, hi = units[run[0]][1], units[run[-1]][2]
        rows = [r for k in run for c in (coder_a, coder_b) for r in found[k, code, c]]
        out += merge([(max(r["start"], lo), min(r["end"], hi)) for r in rows])
    return out


def progress(db, coder_a: str, coder_b: str, consensus_coder: str, transcript_id: int,
             unit: str = "segment", codes=None) -> dict:
    """Disagreements resolved and remaining, and pooled agreement of A-B, A-consensus and B-consensus."""
    from qualcode.agreement_units import compute_agreement

    found = disagreements(db, coder_a, coder_b, transcript_id, unit, codes, consensus_coder)
    resolved = sum(d.resolved is not None for d in found)
    (name,) = db.execute("SELECT name FROM transcripts WHERE id = ?", [transcript_id]).fetchone()
    code_ids = _codes(db, transcript_id, (coder_a, coder_b), codes)
    figures, notes = {}, {}
    for key, pair in (("a_b", (coder_a, coder_b)), ("a_consensus", (coder_a, consensus_coder)),
                      ("b_consensus", (coder_b, consensus_coder))):
        try:
            figures[key] = compute_agreement(db, pair, unit=unit, transcripts=[name], codes=code_ids or None)["pooled"]
        except QualcodeError as error:  # e.g. no consensus codings yet: undefined, with the reason
            figures[key], notes[key] = None, str(error)
    return {"transcript": name, "unit": unit, "coders": [coder_a, coder_b], "consensus": consensus_coder,
            "disagreements": len(found), "resolved": resolved, "remaining": len(found) - resolved,
            "figures": figures, "notes": notes}
