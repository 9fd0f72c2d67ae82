"""Coding actions (code, uncode, memo) as single transactions with a persisted undo log."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from qualcode import store
from qualcode.errors import QualcodeError

CONTEXT_CHARS = 40
CODING_COLUMNS = (
    "id", "transcript_id", "start", "end", "code_id", "coder", "memo",
    "created_at", "from_suggestion", "quote", "context_before", "context_after",
)


@dataclass
class Span:
    start: int
    end: int


def resolve_span(db, transcript_id: int, *, segment=None, turn=None, start=None, end=None) -> Span:
    """The offsets meant by exactly one of --segment N, --turn N or --start A --end B."""
    given = [x is not None for x in (segment, turn)] + [start is not None or end is not None]
    if sum(given) != 1:
        raise QualcodeError("give exactly one of --segment N, --turn N or --start A --end B")
    if segment is not None:
        row = db.execute(
            'SELECT start, "end" FROM segments WHERE transcript_id = ? AND number = ?', [transcript_id, segment]
        ).fetchone()
        if row is None:
            (count,) = db.execute("SELECT COUNT(*) FROM segments WHERE transcript_id = ?", [transcript_id]).fetchone()
            raise QualcodeError(f"segment {segment} is out of range (this transcript has segments 1-{count})")
        return Span(*row)
    if turn is not None:
        row = db.execute(
            'SELECT start, "end" FROM turns WHERE transcript_id = ? AND number = ?', [transcript_id, turn]
        ).fetchone()
        if row is None:
            (count,) = db.execute("SELECT COUNT(*) FROM turns WHERE transcript_id = ?", [transcript_id]).fetchone()
            raise QualcodeError(f"turn {turn} is out of range (this transcript has turns 1-{count})")
        return Span(*row)
    if start is None or end is None:
        raise QualcodeError("--start and --end go together")
    (length,) = db.execute("SELECT length(text) FROM transcripts WHERE id = ?", [transcript_id]).fetchone()
    if start < 0 or end > length:
        raise QualcodeError(f"offsets {start}-{end} are outside the transcript (0-{length})")
    if start >= end:
        raise QualcodeError(f"--start ({start}) must be before --end ({end})")
    return Span(start, end)


def quote_fields(text: str, start: int, end: int) -> dict[str, str]:
    """The coded passage and a little text either side, kept with the coding for exports and merges."""
    return {"quote": text[start:end], "context_before": text[max(0, start - CONTEXT_CHARS):start],
            "context_after": text[end:end + CONTEXT_CHARS]}


def _check_code(db, code_id: str) -> None:
    row = db.execute("SELECT codable FROM codes WHERE id = ?", [code_id]).fetchone()
    if row is None:
        raise QualcodeError(f"unknown code id '{code_id}' (see `qualcode codebook show`)")
    if not row[0]:
        raise QualcodeError(f"'{code_id}' is a theme, not a codable code")


def _row(db, coding_id: int) -> dict | None:
    cols = ", ".join(f'"{c}"' for c in CODING_COLUMNS)
    row = db.execute(f"SELECT {cols} FROM codings WHERE id = ?", [coding_id]).fetchone()
    return dict(zip(CODING_COLUMNS, row)) if row else None


def _insert(db, row: dict) -> int:
    cols = ", ".join(f'"{c}"' for c in row)
    marks = ", ".join("?" for _ in row)
    return db.execute(f"INSERT INTO codings ({cols}) VALUES ({marks})", list(row.values())).lastrowid


def _record(db, coder: str, kind: str, payload: dict) -> int:
    """Log one action in the undo log; returns its id."""
    # A new action ends the redo history, as in every editor.
    db.execute("DELETE FROM actions WHERE coder = ? AND undone = 1", [coder])
    return db.execute(
        "INSERT INTO actions (coder, kind, payload, undone, created_at) VALUES (?, ?, ?, 0, ?)",
        [coder, kind, json.dumps(payload, ensure_ascii=False), store.now()],
    ).lastrowid


def add_coding(
    db, transcript_id: int, start: int, end: int, code_id: str, coder: str,
    memo: str | None = None, from_suggestion: bool = False,
) -> int:
    """Code [start, end) with code_id; returns the coding id. An identical coding is not duplicated."""
    _check_code(db, code_id)
    with store.transaction(db):
        same = db.execute(
            'SELECT id FROM codings WHERE transcript_id = ? AND start = ? AND "end" = ? AND code_id = ? AND coder = ?',
            [transcript_id, start, end, code_id, coder],
        ).fetchone()
        if same:
            return same[0]
        (text,) = db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript_id]).fetchone()
        store.ensure_coder(db, coder)
        row = {
            "transcript_id": transcript_id, "start": start, "end": end, "code_id": code_id,
            "coder": coder, "memo": memo, "created_at": store.now(),
            "from_suggestion": int(from_suggestion), **quote_fields(text, start, end),
        }
        coding_id = _insert(db, row)
        if from_suggestion:
            db.execute(
                "INSERT OR REPLACE INTO suggestion_decisions VALUES (?, ?, ?, ?, 'accepted', ?, ?)",
                [transcript_id, start, end, code_id, coder, store.now()],
            )
        _record(db, coder, "add", {"coding": _row(db, coding_id)})
    return coding_id


def remove_coding(db, coding_id: int, coder: str) -> dict:
    """Remove one coding (undoably); returns the removed row."""
    with store.transaction(db):
        row = _row(db, coding_id)
        if row is None:
            raise QualcodeError(f"no coding with id {coding_id}")
        db.execute("DELETE FROM codings WHERE id = ?", [coding_id])
        _record(db, coder, "remove", {"coding": row})
    return row


def find_codings(db, transcript_id: int, start: int, end: int, code_id: str | None = None, coder: str | None = None):
    """Codings overlapping [start, end), optionally of one code and one coder."""
    cols = ", ".join(f'"{c}"' for c in CODING_COLUMNS)
    sql = f'SELECT {cols} FROM codings WHERE transcript_id = ? AND start < ? AND "end" > ?'
    args: list = [transcript_id, end, start]
    if code_id:
        sql += " AND code_id = ?"
        args.append(code_id)
    if coder:
        sql += " AND coder = ?"
        args.append(coder)
    return [dict(zip(CODING_COLUMNS, row)) for row in db.execute(sql + " ORDER BY start, id", args)]


def uncode(db, transcript_id: int, start: int, end: int, code_id: str, coder: str) -> int:
    """Remove this coder's codings with code_id inside [start, end) in one action; returns how many."""
    _check_code(db, code_id)
    rows = [r for r in find_codings(db, transcript_id, start, end, code_id, coder) if r["start"] >= start and r["end"] <= end]
    if not rows:
        raise QualcodeError(f"no coding with '{code_id}' by {coder} in {start}-{end}")
    with store.transaction(db):
        for row in rows:
            db.execute("DELETE FROM codings WHERE id = ?", [row["id"]])
        _record(db, coder, "remove_many", {"codings": rows})
    return len(rows)


def set_memo(db, coding_id: int, memo: str | None, coder: str) -> None:
    with store.transaction(db):
        row = _row(db, coding_id)
        if row is None:
            raise QualcodeError(f"no coding with id {coding_id}")
        db.execute("UPDATE codings SET memo = ? WHERE id = ?", [memo or None, coding_id])
        _record(db, coder, "memo", {"id": coding_id, "old": row["memo"], "new": memo or None})


def add_memo(db, transcript_id: int | None, text: str, coder: str) -> int:
    """A memo on a transcript (or on the project when transcript_id is None)."""
    if not text.strip():
        raise QualcodeError("an empty memo")
    with store.transaction(db):
        store.ensure_coder(db, coder)
        return db.execute(
            "INSERT INTO memos (transcript_id, coder, text, created_at) VALUES (?, ?, ?, ?)",
            [transcript_id, coder, text, store.now()],
        ).lastrowid


def _apply(db, kind: str, payload: dict, inverse: bool) -> None:
    if kind in ("add", "remove", "remove_many"):
        rows = payload.get("codings") or [payload["coding"]]
        insert = (kind == "add") == (not inverse)
        for row in rows:
            if insert:
                if _row(db, row["id"]) is None:
                    _insert(db, row)
            else:
                db.execute("DELETE FROM codings WHERE id = ?", [row["id"]])
    elif kind == "memo":
        db.execute("UPDATE codings SET memo = ? WHERE id = ?", [payload["old" if inverse else "new"], payload["id"]])


def _apply_checked(db, kind: str, payload: dict, inverse: bool) -> None:
    try:
        _apply(db, kind, payload, inverse)
    except sqlite3.IntegrityError as error:
        # e.g. the codebook no longer has the code this action used
        raise QualcodeError(f"cannot {'undo' if inverse else 'redo'} this {kind}: {error}") from None


def _step(db, coder: str, *, undo: bool) -> dict | None:
    """Undo this coder's latest live action, or redo the one undone most recently."""
    order, state = ("DESC", 0) if undo else ("ASC", 1)
    with store.transaction(db):
        row = db.execute(
            f"SELECT id, kind, payload FROM actions WHERE coder = ? AND undone = ? ORDER BY id {order} LIMIT 1",
            [coder, state],
        ).fetchone()
        if row is None:
            return None
        action_id, kind, payload = row
        payload = json.loads(payload)
        _apply_checked(db, kind, payload, inverse=undo)
        db.execute("UPDATE actions SET undone = ? WHERE id = ?", [1 - state, action_id])
    return {"kind": kind, **payload}


def undo(db, coder: str) -> dict | None:
    """Undo this coder's last action (persisted: works after a restart). None if nothing to undo."""
    return _step(db, coder, undo=True)


def redo(db, coder: str) -> dict | None:
    """Redo the action undone most recently. None if nothing to redo."""
    return _step(db, coder, undo=False)
