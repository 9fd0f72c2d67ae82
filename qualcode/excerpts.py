"""Retrieving coded excerpts with their attribution, and counting them in a matrix."""

from __future__ import annotations

import bisect
import json
import re
from collections import defaultdict

from qualcode import store

def attribution(attributes: dict, template: str = "({site}, {role}, {organisation})") -> str:
    """Render e.g. `(Syd, chef, kommun)`, leaving out the parts that are unknown."""
    keys = re.findall(r"{(\w+)}", template)
    if not keys:
        return template
    head = template[: template.index("{")]
    tail = template[template.rindex("}") + 1:]
    between = re.findall(r"}([^{]*){", template)
    sep = between[0] if between else ", "
    values = [str(attributes[k]) for k in keys if attributes.get(k)]
    return head + sep.join(values) + tail if values else ""


def _turn_index(db, transcript_ids) -> dict[int, tuple[list[int], list[tuple]]]:
    index: dict[int, tuple[list[int], list[tuple]]] = {}
    if not transcript_ids:
        return index
    marks = ",".join("?" for _ in transcript_ids)
    rows = db.execute(
        f'SELECT transcript_id, start, number, speaker, timestamp FROM turns WHERE transcript_id IN ({marks}) '
        "ORDER BY transcript_id, start",
        list(transcript_ids),
    )
    grouped: dict[int, list[tuple]] = defaultdict(list)
    for tid, start, number, speaker, ts in rows:
        grouped[tid].append((start, number, speaker, ts))
    for tid, turns in grouped.items():
        index[tid] = ([t[0] for t in turns], turns)
    return index


def excerpts(
    db,
    *,
    codes: list[str] | None = None,
    sites: list[str] | None = None,
    organisations: list[str] | None = None,
    roles: list[str] | None = None,
    speakers: list[str] | None = None,
    coders: list[str] | None = None,
    transcripts: list[str] | None = None,
    with_text: bool = True,
) -> list[dict]:
    """Coded excerpts in transcript order; speaker-level attributes win over transcript-level ones."""
    sql = (
        'SELECT c.id, c.transcript_id, c.start, c."end", c.code_id, c.coder, c.memo, c.from_suggestion, '
        "c.created_at, t.name, t.attributes, " + ("substr(t.text, c.start + 1, c.\"end\" - c.start)" if with_text else "NULL")
        + " FROM codings c JOIN transcripts t ON t.id = c.transcript_id"
    )
    where, args = [], []
    for column, values in (("c.code_id", codes), ("c.coder", coders), ("t.name", transcripts)):
        if values:
            where.append(f"{column} IN ({','.join('?' for _ in values)})")
            args += list(values)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY t.name, c.start, c.\"end\", c.code_id"
    rows = db.execute(sql, args).fetchall()
    template = store.get_meta(db, "attribution", "({site}, {role}, {organisation})")
    turn_index = _turn_index(db, {r[1] for r in rows})
    speaker_attrs: dict[tuple[int, str], dict] = {
        (tid, label): json.loads(a or "{}") for tid, label, a in db.execute("SELECT transcript_id, label, attributes FROM speakers")
    }
    transcript_attrs: dict[int, dict] = {}
    wanted = {
        "site": set(sites or ()), "organisation": set(organisations or ()),
        "role": set(roles or ()), "speaker": set(speakers or ()),
    }
    out = []
    for cid, tid, start, end, code, coder, memo, from_s, created, tname, tattrs, text in rows:
        if tid not in transcript_attrs:
            transcript_attrs[tid] = json.loads(tattrs or "{}")
        starts, turns = turn_index.get(tid, ([], []))
        i = bisect.bisect_right(starts, start) - 1
        turn = turns[i] if i >= 0 else (0, None, None, None)
        speaker = turn[2]
        attrs = dict(transcript_attrs[tid])
        if speaker is not None:
            attrs.update(speaker_attrs.get((tid, speaker), {}))
        row = {
            "id": cid, "code": code, "transcript": tname, "transcript_id": tid,
            "start": start, "end": end, "text": text, "speaker": speaker,
            "turn": turn[1], "timestamp": turn[3],
            "site": attrs.get("site"), "organisation": attrs.get("organisation"), "role": attrs.get("role"),
            "coder": coder, "memo": memo, "from_suggestion": bool(from_s), "created_at": created,
            "attributes": attrs, "attribution": attribution(attrs, template),
        }
        if any(values and row.get(key) not in values for key, values in wanted.items()):
            continue
        out.append(row)
    return out


def matrix(rows: list[dict], *, row_key: str = "code", col_key: str = "site", count: str = "codings"):
    """Counts of excerpts by (row value, column value): codings, distinct transcripts, or words."""
    cells: dict[tuple, set | int] = defaultdict(int if count != "transcripts" else set)
    for r in rows:
        key = (r.get(row_key) or "", _value(r, col_key) or "(none)")
        if count == "transcripts":
            cells[key].add(r["transcript_id"])
        elif count == "words":
            cells[key] += len((r.get("text") or "").split())
        else:
            cells[key] += 1
    table = {k: (len(v) if isinstance(v, set) else v) for k, v in cells.items()}
    row_values = sorted({k[0] for k in table})
    col_values = sorted({k[1] for k in table})
    return row_values, col_values, table


def _value(row: dict, key: str):
    if key in row and key != "attributes":
        return row[key]
    return row.get("attributes", {}).get(key)
