"""Accepting and rejecting suggestions: the researcher's decisions, kept in the store."""

from __future__ import annotations

from qualcode import store
from qualcode.errors import QualcodeError


def _check(db, transcript_id: int, start: int, end: int, code: str) -> None:
    row = db.execute("SELECT length(text) FROM transcripts WHERE id = ?", [transcript_id]).fetchone()
    if row is None:
        raise QualcodeError(f"no transcript with id {transcript_id}")
    if not (0 <= start < end <= row[0]):
        raise QualcodeError(f"offsets {start}-{end} are outside the transcript (0-{row[0]}) or empty")
    found = db.execute("SELECT codable FROM codes WHERE id = ?", [code]).fetchone()
    if found is None:
        raise QualcodeError(f"unknown code id '{code}' (see `qualcode codebook show`)")
    if not found[0]:
        raise QualcodeError(f"'{code}' is a theme, not a codable code")


def accept(project, transcript_id: int, start: int, end: int, code: str, coder: str | None = None) -> int:
    """Apply the suggestion as a coding marked from_suggestion=1 and record the decision; returns the coding id."""
    from qualcode.coding import add_coding

    db = project.db
    _check(db, transcript_id, start, end, code)
    # coding.add_coding writes the coding (quote, context), the 'accepted' decision and the undo entry in one transaction.
    return add_coding(db, transcript_id, start, end, code, project.coder(coder), from_suggestion=True)


def reject(project, transcript_id: int, start: int, end: int, code: str, coder: str | None = None) -> None:
    """Remember that this code does not fit this passage: it is not suggested there again, and teaches the model."""
    db = project.db
    _check(db, transcript_id, start, end, code)
    who = project.coder(coder)
    with store.transaction(db):
        store.ensure_coder(db, who)
        db.execute(
            "INSERT OR REPLACE INTO suggestion_decisions VALUES (?, ?, ?, ?, 'rejected', ?, ?)",
            [transcript_id, start, end, code, who, store.now()],
        )


def decisions(project, transcript_id: int | None = None) -> list[dict]:
    sql = 'SELECT transcript_id, start, "end", code_id, decision, coder, created_at FROM suggestion_decisions'
    args: list = []
    if transcript_id is not None:
        sql += " WHERE transcript_id = ?"
        args.append(transcript_id)
    cols = ("transcript_id", "start", "end", "code", "decision", "coder", "created_at")
    return [dict(zip(cols, row)) for row in project.db.execute(sql + ' ORDER BY transcript_id, start, "end"', args)]
