"""`qualcode merge`: another coder's project folder or .qdpx into this one, matched, never duplicated."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from qualcode import store
from qualcode.codebook import Codebook, CodeDef
from qualcode.errors import QualcodeError
from qualcode.files import replace_when_done
from qualcode.ingest import content_hash
from qualcode.refi.qdpx_read import Coding, Memo, Source

SHOWN = 5


@dataclass
class Incoming:
    """Another project's work in the shape the merge needs."""

    codebook: Codebook
    sources: list[Source]
    codings: list[Coding]
    memos: list[Memo]
    coders: dict[str, str | None]
    notes: list[str] = field(default_factory=list)


@dataclass
class MergeResult:
    backup: Path
    lines_: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"backup of the database before merging: {self.backup}", *self.lines_]


def read_folder(root: Path) -> Incoming:
    """A qualcode project folder, read without writing to it."""
    import sqlite_utils

    from qualcode.codes import codebook_from_store

    conn = sqlite3.connect(f"file:{root / store.DB_NAME}?mode=ro", uri=True)
    try:
        db = sqlite_utils.Database(conn)
        book = codebook_from_store(db)
        sources, structure_of = [], {}
        for tid, name, text, attrs, fmt, src, imported in db.execute(
                "SELECT id, name, text, attributes, format, source, imported_at FROM transcripts ORDER BY id"):
            turns = db.execute('SELECT id, number, speaker, timestamp, start, "end" FROM turns '
                               "WHERE transcript_id = ? ORDER BY number", [tid]).fetchall()
            number = {r[0]: r[1] for r in turns}
            segments = db.execute('SELECT turn_id, number, start, "end" FROM segments WHERE transcript_id = ? '
                                  "ORDER BY number", [tid]).fetchall()
            speakers = {label: json.loads(a or "{}") for label, a in db.execute(
                "SELECT label, attributes FROM speakers WHERE transcript_id = ?", [tid])}
            structure_of[tid] = {"content_hash": content_hash(text), "format": fmt, "source": src,
                                 "imported_at": imported, "speakers": speakers,
                                 "turns": [list(r[1:]) for r in turns],
                                 "segments": [[number[r[0]], *r[1:]] for r in segments]}
            sources.append(Source(f"t{tid}", name, text, text, json.loads(attrs or "{}"), structure_of[tid]))
        codings = [Coding(f"t{r[0]}", r[1], r[2], r[3], r[4], r[5], r[6], r[7]) for r in db.execute(
            'SELECT transcript_id, start, "end", code_id, coder, memo, created_at, from_suggestion FROM codings')]
        memos = [Memo(f"t{r[0]}" if r[0] is not None else None, r[1], r[2], r[3])
                 for r in db.execute("SELECT transcript_id, coder, text, created_at FROM memos")]
        coders = dict(db.execute("SELECT name, created_at FROM coders").fetchall())
    finally:
        conn.close()
    return Incoming(book, sources, codings, memos, coders)


def read_source(project, source: Path, allow_external: bool) -> Incoming:
    from qualcode.project import is_project

    if source.is_dir():
        if not is_project(source):
            raise QualcodeError("not a qualcode project folder (no qualcode.db) and not a .qdpx", source)
        if source.resolve() == Path(project.root).resolve():
            raise QualcodeError("cannot merge a project into itself", source)
        return read_folder(source)
    if not source.is_file():
        raise QualcodeError("no such project folder or .qdpx file", source)
    from qualcode.refi.qdpx_read import read_qdpx

    read = read_qdpx(source, project.language, allow_external)
    notes = [read.units, f"{read.landed} of {read.selections} selections land on their text"]
    if read.failures:
        notes.append(f"{len(read.failures)} selections do not land and are not merged; the first:")
        notes += ["  " + f for f in read.failures[:SHOWN]]
    return Incoming(read.codebook, read.sources, read.codings, read.memos, read.coders, notes + read.warnings)


def match_codes(here: Codebook, there: Codebook) -> tuple[dict[str, str], dict[str, int], list[CodeDef]]:
    """Their code id -> our code id, by uuid, then id, then label; counts per way; the unmatched."""
    by_uuid = {n.uuid: n.id for n in here.nodes if n.uuid}
    ids = {n.id for n in here.nodes}
    by_label = {}
    for node in here.nodes:
        for label in node.labels.values():
            by_label.setdefault(label.strip().casefold(), node.id)
    mapping, ways, unmatched = {}, {"uuid": 0, "id": 0, "label": 0}, []
    for node in there.nodes:
        if node.uuid and node.uuid in by_uuid:
            mapping[node.id] = by_uuid[node.uuid]
            ways["uuid"] += 1
        elif node.id in ids:
            mapping[node.id] = node.id
            ways["id"] += 1
        else:
            found = next((by_label[k] for k in (v.strip().casefold() for v in node.labels.values()) if k in by_label),
                         None)
            if found:
                mapping[node.id] = found
                ways["label"] += 1
            else:
                unmatched.append(node)
    return mapping, ways, unmatched


def backup(project) -> Path:
    """A consistent copy of the database (sqlite's backup API) in .qualcode/backups/."""
    folder = Path(project.root) / ".qualcode" / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path, n = folder / f"qualcode-{stamp}.db", 2
    while path.exists():
        path, n = folder / f"qualcode-{stamp}-{n}.db", n + 1
    target = sqlite3.connect(str(path))
    try:
        project.db.conn.backup(target)
    finally:
        target.close()
    return path


def _added_codebook(project, here: Codebook, unmatched: list[CodeDef], mapping: dict[str, str]) -> Codebook:
    """Our codebook with their unmatched codes appended (parents mapped, ids kept unique)."""
    from qualcode.refi.names import unique

    taken = {n.id for n in here.nodes}
    new_ids = {node.id: unique(node.id, taken) for node in unmatched}
    nodes = list(here.nodes)
    for node in unmatched:
        parent = mapping.get(node.parent) or new_ids.get(node.parent) if node.parent else None
        nodes.append(CodeDef(**{**node.__dict__, "id": new_ids[node.id], "parent": parent, "shortcut": None,
                                "labels": {project.language if not node.labels else k: v
                                           for k, v in node.labels.items()}}))
        mapping[node.id] = new_ids[node.id]
    book = Codebook(here.name or "Merged codebook", here.version or "1.0", here.language, here.description, nodes)
    for node in book.nodes:  # a code needs a label in the codebook's language
        if book.language not in node.labels and node.labels:
            node.labels[book.language] = next(iter(node.labels.values()))
    return book


def merge_into(project, source: str | Path, add_codes: bool = False, new_transcripts: bool = True,
               allow_external: bool = False) -> MergeResult:
    """Merge `source` into `project` in one transaction, after a backup; returns what happened."""
    from qualcode.codebook import dump_codebook
    from qualcode.codes import codebook_from_store, load_into_project
    from qualcode.refi.materialise import write_codings, write_memos, write_source

    incoming = read_source(project, Path(source), allow_external)
    db = project.db
    here = codebook_from_store(db)
    mapping, ways, unmatched = match_codes(here, incoming.codebook)
    lines = list(incoming.notes)
    new_book = _added_codebook(project, here, unmatched, dict(mapping)) if add_codes and unmatched else None
    if new_book is not None:
        mapping = {**mapping, **{n.id: m.id for n, m in zip(unmatched, new_book.nodes[len(here.nodes):])}}
    local = {h: (i, name) for i, name, h in db.execute("SELECT id, name, content_hash FROM transcripts")}
    names = {name for _, name in local.values()}
    backup_path = backup(project)
    book_path = tmp_book = None
    if new_book is not None:
        book_path = project.codebook_path() or Path(project.root) / "codebooks" / "merged.yaml"
        tmp_book = dump_codebook(new_book, book_path.with_name(f".{book_path.name}.merging"), overwrite=True)
    ids, texts, matched, imported, skipped = {}, {}, 0, [], []
    with replace_when_done(tmp_book, book_path), store.transaction(db):
        if new_book is not None:
            load_into_project(project, book_path, new_book)
        for coder, created in incoming.coders.items():
            store.ensure_coder(db, coder, created)
        for s in incoming.sources:
            digest = content_hash(s.text)
            texts[s.guid] = s.text
            if digest in local:
                ids[s.guid] = local[digest][0]
                matched += 1
            elif not new_transcripts or s.name in names:
                why = "not imported (--no-new-transcripts)" if not new_transcripts else \
                    "a different transcript here has this name"
                skipped.append(f"{s.name}: {why}")
            else:
                ids[s.guid] = write_source(db, s, s.name, project.language)
                names.add(s.name)
                imported.append(s.name)
        usable = [c for c in incoming.codings if c.source in ids and c.code_id in mapping]
        no_code = [c for c in incoming.codings if c.code_id not in mapping]
        no_text = [c for c in incoming.codings if c.source not in ids and c.code_id in mapping]
        memo_filled = _fill_memos(db, usable, ids, mapping)
        added, already = write_codings(db, usable, ids, texts, mapping)
        memos_added, memos_already = write_memos(db, incoming.memos, ids)
    lines.append(f"transcripts: {matched} matched by content, {len(imported)} imported"
                 + (f" ({', '.join(imported[:SHOWN])})" if imported else "") + f", {len(skipped)} skipped")
    lines += ["  skipped " + s for s in skipped[:SHOWN]]
    lines.append(f"codes: {ways['uuid']} matched by uuid, {ways['id']} by id, {ways['label']} by label, "
                 f"{len(unmatched)} not in this codebook" + (" (added)" if new_book is not None else ""))
    if unmatched and new_book is None:
        counts: dict[str, int] = {}
        for c in no_code:
            counts[c.code_id] = counts.get(c.code_id, 0) + 1
        shown = ", ".join(f"{n.id} ({counts.get(n.id, 0)} codings)" for n in unmatched[:SHOWN])
        lines.append(f"  not merged: {shown}{' ...' if len(unmatched) > SHOWN else ''}; use --add-codes to add them")
    lines.append(f"codings: {added} added, {already} already here, {len(no_code)} skipped for an unknown code, "
                 f"{len(no_text)} skipped for a transcript not merged" + (f", {memo_filled} memos filled in" if memo_filled else ""))
    lines.append(f"memos: {memos_added} added, {memos_already} already here")
    return MergeResult(backup_path, lines)


def _fill_memos(db, codings: list[Coding], ids: dict, mapping: dict) -> int:
    """An identical coding already here without a memo takes the incoming memo."""
    filled = 0
    for c in codings:
        if c.memo:
            cur = db.execute('UPDATE codings SET memo = ? WHERE transcript_id = ? AND start = ? AND "end" = ? '
                             "AND code_id = ? AND coder = ? AND (memo IS NULL OR memo = '')",
                             [c.memo, ids[c.source], c.start, c.end, mapping[c.code_id], c.coder])
            filled += cur.rowcount
    return filled
