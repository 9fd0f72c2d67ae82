"""Importing transcripts: parse files, segment turns into sentences, write one transaction."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from qualcode import store
from qualcode.errors import QualcodeError

WORD = re.compile(r"\w+")


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"imported {n}" for n in self.imported]
        out += [f"replaced {n}" for n in self.replaced]
        out += [f"unchanged {n} (same text as before; nothing to do)" for n in self.unchanged]
        out += [f"warning: {w}" for w in self.warnings]
        return out


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files to import: the given files, and the supported files inside given folders."""
    from qualcode.importers import SUPPORTED_SUFFIXES, is_sidecar

    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not is_sidecar(p)
            )
            if not found:
                kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
                raise QualcodeError(f"no supported transcripts in this folder ({kinds})", path)
            files.extend(found)
        elif path.is_file():
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
                raise QualcodeError(f"unsupported file type '{path.suffix}' (supported: {kinds})", path)
            files.append(path)
        else:
            raise QualcodeError("no such file or folder", path)
    return files


OPENERS = "([{«“‘\"'"


def _sentence_starts(piece: str, doc) -> list[int]:
    """Sentence start offsets; an opening bracket or quote belongs to the sentence after it."""
    starts = []
    for sent in doc.sents:
        start = sent.start_char
        if starts:
            # spaCy leaves "(" of "... ut. (skratt)" at the end of the previous sentence.
            probe = start
            while probe > starts[-1] and piece[probe - 1].isspace():
                probe -= 1
            while probe > starts[-1] + 1 and piece[probe - 1] in OPENERS:
                probe -= 1
                start = probe
        starts.append(start)
    return starts


def segment_turns(text: str, turns, language: str) -> list[list[tuple[int, int]]]:
    """Sentence spans per turn; a segment never crosses a turn, and every turn has one."""
    from qualcode.nlp import get_nlp

    nlp = get_nlp(language)
    pieces = [text[t.start:t.end] for t in turns]
    result = []
    with nlp.select_pipes(enable=["sentencizer"]):
        for turn, piece, doc in zip(turns, pieces, nlp.pipe(pieces, batch_size=256)):
            starts = _sentence_starts(piece, doc)
            spans = []
            for start, end in zip(starts, starts[1:] + [len(piece)]):
                while start < end and piece[start].isspace():
                    start += 1
                while end > start and piece[end - 1].isspace():
                    end -= 1
                if end > start:
                    spans.append((turn.start + start, turn.start + end))
            result.append(spans)
    return result


@dataclass
class _Prepared:
    name: str
    path: Path
    parsed: object
    attributes: dict
    hash: str
    segments: list


def import_paths(
    project,
    paths: list[str | Path],
    *,
    attributes: dict[str, str] | None = None,
    name: str | None = None,
    replace: bool = False,
    progress=None,
) -> ImportReport:
    """Import files as transcripts in one transaction; bad input raises before anything is written.

    `progress(done, total, name)`, when given, is called as each file is parsed and segmented.
    """
    from qualcode.importers import parse_file

    files = expand_paths(paths)
    if name and len(files) != 1:
        raise QualcodeError("--name needs exactly one file")
    db = project.db
    language = project.language
    report = ImportReport()
    prepared: list[_Prepared] = []
    seen: dict[str, Path] = {}
    for path in files:
        tname = name or path.stem
        if tname in seen:
            raise QualcodeError(f"two files would both be named '{tname}' (also {seen[tname]}); use --name", path)
        seen[tname] = path
        parsed = parse_file(path)
        report.warnings += [f"{path}: {w}" for w in parsed.warnings]
        if not parsed.turns:
            raise QualcodeError("no text to import", path)
        attrs = dict(parsed.attributes)
        attrs.update({k: v for k, v in (attributes or {}).items() if v is not None})
        digest = content_hash(parsed.text)
        existing = db.execute(
            "SELECT id, content_hash, (SELECT COUNT(*) FROM codings c WHERE c.transcript_id = t.id) "
            "FROM transcripts t WHERE name = ?",
            [tname],
        ).fetchone()
        if existing:
            _id, old_hash, n_codings = existing
            if old_hash == digest and not attributes:
                report.unchanged.append(tname)
                continue
            if old_hash != digest and not replace:
                raise QualcodeError(
                    f"transcript '{tname}' is already imported with different text; "
                    "use --replace (only allowed while it has no codings) or --name to import it as new",
                    path,
                )
            if old_hash != digest and n_codings:
                raise QualcodeError(
                    f"transcript '{tname}' has {n_codings} codings; it cannot be replaced (re-anchoring comes later)",
                    path,
                )
        prepared.append(_Prepared(tname, path, parsed, attrs, digest, []))
    for done, item in enumerate(prepared, start=1):
        item.segments = segment_turns(item.parsed.text, item.parsed.turns, language)
        if progress is not None:
            progress(done, len(prepared), item.name)
    with store.transaction(db):
        for item in prepared:
            old = db.execute("SELECT id FROM transcripts WHERE name = ?", [item.name]).fetchone()
            if old:
                _delete_transcript(db, old[0])
                report.replaced.append(item.name)
            else:
                report.imported.append(item.name)
            _write(db, item)
    return report


def _delete_transcript(db, transcript_id: int) -> None:
    for table in ("segments", "turns", "speakers", "suggestion_decisions", "memos"):
        db.execute(f"DELETE FROM {table} WHERE transcript_id = ?", [transcript_id])
    db.execute("DELETE FROM transcripts WHERE id = ?", [transcript_id])


def _write(db, item: _Prepared) -> None:
    parsed = item.parsed
    cursor = db.execute(
        "INSERT INTO transcripts (name, source, format, text, content_hash, attributes, word_count, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            item.name,
            str(item.path),
            parsed.format,
            parsed.text,
            item.hash,
            json.dumps(item.attributes, ensure_ascii=False),
            len(WORD.findall(parsed.text)),
            store.now(),
        ],
    )
    tid = cursor.lastrowid
    db.conn.executemany(
        "INSERT INTO speakers (transcript_id, label, attributes) VALUES (?, ?, ?)",
        [(tid, label, json.dumps(a, ensure_ascii=False)) for label, a in parsed.speakers.items()],
    )
    segment_rows = []
    number = 0
    for turn_no, (turn, spans) in enumerate(zip(parsed.turns, item.segments), start=1):
        turn_id = db.execute(
            'INSERT INTO turns (transcript_id, number, speaker, timestamp, start, "end") VALUES (?, ?, ?, ?, ?, ?)',
            [tid, turn_no, turn.speaker, turn.timestamp, turn.start, turn.end],
        ).lastrowid
        if not spans and turn.end > turn.start:
            spans = [(turn.start, turn.end)]
        for start, end in spans:
            number += 1
            segment_rows.append((tid, turn_id, number, start, end))
    db.conn.executemany(
        'INSERT INTO segments (transcript_id, turn_id, number, start, "end") VALUES (?, ?, ?, ?, ?)',
        segment_rows,
    )
