"""Writing a read `.qdpx` into a qualcode store: transcripts with turns and segments, codes, codings, memos."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from qualcode import store
from qualcode.coding import quote_fields
from qualcode.importers.model import Turn
from qualcode.ingest import WORD, content_hash, segment_turns
from qualcode.refi.qdpx_read import Coding, Memo, Source

_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")


def turns_for(text: str) -> list[Turn]:
    """Speaker lines become turns; without speakers, one turn per paragraph (per line if none are blank)."""
    from qualcode.importers.speakers import parse_speaker_lines

    turns = parse_speaker_lines(text)
    if any(t.speaker for t in turns):
        return turns
    pattern = _PARAGRAPH if "\n\n" in text.strip() else re.compile(r"[^\n]+")
    out = []
    for m in pattern.finditer(text):
        start, end = m.start(), m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            out.append(Turn(None, None, start, end, m.start()))
    return out


def write_source(db, source: Source, name: str, language: str, fmt: str = "text") -> int:
    """Insert one transcript with speakers, turns and segments; returns its id."""
    info = source.structure if source.structure and source.structure.get(
        "content_hash") == content_hash(source.text) else None
    tid = db.execute(
        "INSERT INTO transcripts (name, source, format, text, content_hash, attributes, word_count, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [name, (info or {}).get("source") or f"{source.name} (qdpx)", (info or {}).get("format") or fmt,
         source.text, content_hash(source.text), json.dumps(source.attributes, ensure_ascii=False),
         len(WORD.findall(source.text)), (info or {}).get("imported_at") or store.now()]).lastrowid
    if info:  # a qualcode export: its own turns and segments, exactly
        db.conn.executemany("INSERT INTO speakers (transcript_id, label, attributes) VALUES (?, ?, ?)",
                            [(tid, label, json.dumps(a, ensure_ascii=False)) for label, a in info["speakers"].items()])
        turn_ids = {}
        for number, speaker, timestamp, start, end in info["turns"]:
            turn_ids[number] = db.execute(
                'INSERT INTO turns (transcript_id, number, speaker, timestamp, start, "end") VALUES (?, ?, ?, ?, ?, ?)',
                [tid, number, speaker, timestamp, start, end]).lastrowid
        db.conn.executemany(
            'INSERT INTO segments (transcript_id, turn_id, number, start, "end") VALUES (?, ?, ?, ?, ?)',
            [(tid, turn_ids[t], n, a, b) for t, n, a, b in info["segments"]])
        return tid
    turns = turns_for(source.text)
    spans = segment_turns(source.text, turns, language) if turns else []
    labels = sorted({t.speaker for t in turns if t.speaker})
    db.conn.executemany("INSERT INTO speakers (transcript_id, label, attributes) VALUES (?, ?, '{}')",
                        [(tid, label) for label in labels])
    number = 0
    rows = []
    for turn_no, (turn, pieces) in enumerate(zip(turns, spans), start=1):
        turn_id = db.execute(
            'INSERT INTO turns (transcript_id, number, speaker, timestamp, start, "end") VALUES (?, ?, ?, ?, ?, ?)',
            [tid, turn_no, turn.speaker, turn.timestamp, turn.start, turn.end]).lastrowid
        for a, b in pieces or [(turn.start, turn.end)]:
            number += 1
            rows.append((tid, turn_id, number, a, b))
    db.conn.executemany('INSERT INTO segments (transcript_id, turn_id, number, start, "end") VALUES (?, ?, ?, ?, ?)',
                        rows)
    return tid


def write_codings(db, codings: Iterable[Coding], transcript_ids: dict[str, int], texts: dict[str, str],
                  code_map: dict[str, str] | None = None) -> tuple[int, int]:
    """Insert codings, an identical one (transcript, span, code, coder) only once; returns (added, already)."""
    already = 0
    existing = {tuple(r) for r in db.execute('SELECT transcript_id, start, "end", code_id, coder FROM codings')}
    rows, coders = [], set()
    for c in codings:
        tid = transcript_ids[c.source]
        code = (code_map or {}).get(c.code_id, c.code_id)
        key = (tid, c.start, c.end, code, c.coder)
        if key in existing:
            already += 1
            continue
        existing.add(key)
        coders.add(c.coder)
        quoted = quote_fields(texts[c.source], c.start, c.end)
        rows.append((tid, c.start, c.end, code, c.coder, c.memo, c.created_at or store.now(), c.from_suggestion,
                     quoted["quote"], quoted["context_before"], quoted["context_after"]))
    for coder in coders:
        store.ensure_coder(db, coder)
    db.conn.executemany(
        'INSERT INTO codings (transcript_id, start, "end", code_id, coder, memo, created_at, from_suggestion, '
        "quote, context_before, context_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows), already


def write_memos(db, memos: Iterable[Memo], transcript_ids: dict[str, int]) -> tuple[int, int]:
    added = already = 0
    existing = {tuple(r) for r in db.execute("SELECT transcript_id, coder, text FROM memos")}
    for m in memos:
        tid = transcript_ids.get(m.source) if m.source else None
        if m.source and tid is None:
            continue
        if (tid, m.coder, m.text) in existing:
            already += 1
            continue
        existing.add((tid, m.coder, m.text))
        if m.coder:
            store.ensure_coder(db, m.coder)
        db.execute("INSERT INTO memos (transcript_id, coder, text, created_at) VALUES (?, ?, ?, ?)",
                   [tid, m.coder, m.text, m.created_at or store.now()])
        added += 1
    return added, already


def unique_names(sources: list[Source]) -> dict[str, str]:
    """Transcript names are unique in a store; a repeated source name gets its GUID's start appended."""
    out, taken = {}, set()
    for s in sources:
        name = s.name
        if name in taken:
            name = f"{s.name} {s.guid[:8]}"
        taken.add(name)
        out[s.guid] = name
    return out


def import_project(path, target, language: str | None = None, allow_external: bool = False):
    """Create a project at `target` from a `.qdpx`; built in a temporary folder and renamed at the end."""
    import os
    import shutil
    import tempfile
    from pathlib import Path

    from qualcode.codebook import dump_codebook
    from qualcode.codes import load_into_project
    from qualcode.errors import QualcodeError
    from qualcode.project import Project, init_project
    from qualcode.refi.names import slug
    from qualcode.refi.qdpx_read import read_qdpx

    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise QualcodeError("already exists and is not an empty folder; choose another DIR", target)
    read = read_qdpx(path, language, allow_external)
    settings = read.settings
    language = read.codebook.language if language is None else language
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.importing-", dir=target.parent))
    try:
        project = init_project(tmp, language=settings.get("language") or language,
                               coder=settings.get("default_coder") or next(iter(read.coders), None))
        db = project.db
        if read.codebook.nodes:
            name = settings.get("codebook") or f"{slug(read.codebook.name)}.yaml"
            book_path = dump_codebook(read.codebook, tmp / "codebooks" / Path(name).name)
            load_into_project(project, book_path, read.codebook)
        with store.transaction(db):
            for key in ("threshold", "attribution"):
                if settings.get(key) is not None:
                    store.set_meta(db, key, settings[key])
            for coder, created in read.coders.items():
                store.ensure_coder(db, coder, created)
            names = unique_names(read.sources)
            ids = {s.guid: write_source(db, s, names[s.guid], project.language) for s in read.sources}
            texts = {s.guid: s.text for s in read.sources}
            write_codings(db, read.codings, ids, texts)
            write_memos(db, read.memos, ids)
        project.close()
        if target.exists():
            target.rmdir()
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Project(target.resolve()), read
