"""Looking up transcripts by name or id, and reading their turns and segments."""

from __future__ import annotations

import json
from dataclasses import dataclass

from qualcode.errors import QualcodeError


@dataclass
class Transcript:
    id: int
    name: str
    text: str
    attributes: dict
    format: str
    word_count: int


def resolve(db, ref: str | int) -> Transcript:
    """A transcript by its name or its id as listed by `qualcode transcripts`."""
    row = db.execute(
        "SELECT id, name, text, attributes, format, word_count FROM transcripts WHERE name = ?", [str(ref)]
    ).fetchone()
    if row is None and str(ref).isdigit():
        row = db.execute(
            "SELECT id, name, text, attributes, format, word_count FROM transcripts WHERE id = ?", [int(ref)]
        ).fetchone()
    if row is None:
        raise QualcodeError(f"no transcript named '{ref}' (see `qualcode transcripts`)")
    return Transcript(row[0], row[1], row[2], json.loads(row[3] or "{}"), row[4], row[5])


def list_transcripts(db) -> list[dict]:
    """Every transcript with attributes, counts and how much of it is coded."""
    rows = db.execute(
        """
        SELECT t.id, t.name, t.format, t.attributes, t.word_count,
               (SELECT COUNT(*) FROM turns u WHERE u.transcript_id = t.id),
               (SELECT COUNT(*) FROM segments s WHERE s.transcript_id = t.id),
               (SELECT COUNT(*) FROM segments s WHERE s.transcript_id = t.id AND EXISTS (
                    SELECT 1 FROM codings c WHERE c.transcript_id = t.id
                    AND c.start < s."end" AND c."end" > s.start)),
               (SELECT COUNT(*) FROM codings c WHERE c.transcript_id = t.id)
        FROM transcripts t ORDER BY t.name
        """
    ).fetchall()
    out = []
    for tid, name, fmt, attrs, words, turns, segments, coded, codings in rows:
        out.append(
            {
                "id": tid,
                "name": name,
                "format": fmt,
                "attributes": json.loads(attrs or "{}"),
                "words": words,
                "turns": turns,
                "segments": segments,
                "coded_segments": coded,
                "coded_share": round(coded / segments, 3) if segments else 0.0,
                "codings": codings,
            }
        )
    return out


def segments(db, transcript_id: int) -> list[dict]:
    """Segments in order, each with its turn number, speaker and text."""
    text = db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript_id]).fetchone()[0]
    rows = db.execute(
        """
        SELECT s.id, s.number, u.number, u.speaker, u.timestamp, s.start, s."end"
        FROM segments s JOIN turns u ON u.id = s.turn_id
        WHERE s.transcript_id = ? ORDER BY s.number
        """,
        [transcript_id],
    ).fetchall()
    return [
        {"id": sid, "segment": n, "turn": turn, "speaker": speaker, "timestamp": ts,
         "start": start, "end": end, "text": text[start:end]}
        for sid, n, turn, speaker, ts, start, end in rows
    ]


def turns(db, transcript_id: int) -> list[dict]:
    rows = db.execute(
        'SELECT id, number, speaker, timestamp, start, "end" FROM turns WHERE transcript_id = ? ORDER BY number',
        [transcript_id],
    ).fetchall()
    return [
        {"id": i, "turn": n, "speaker": sp, "timestamp": ts, "start": a, "end": b}
        for i, n, sp, ts, a, b in rows
    ]
