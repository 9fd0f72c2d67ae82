"""A qualcode project as a REFI-QDA project archive (`.qdpx`), valid against Project.xsd 1.0."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import defaultdict
from pathlib import Path

from qualcode import store
from qualcode.refi import NS_PROJECT
from qualcode.refi.names import stable_guid
from qualcode.refi.qdc import add_codes, meta_pi, origin, write_atomic

SIDECAR = "qualcode/project.json"  # what REFI has no place for; other tools ignore unknown members
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")
NAME_CHARS = 80


def coder_guid(name: str) -> str:
    return stable_guid("coder", name)


def transcript_guid(content_hash: str, name: str) -> str:
    return stable_guid("transcript", content_hash, name)


def _when(value) -> dict:
    return {"creationDateTime": value} if isinstance(value, str) and DATETIME.match(value) else {}


def _excerpt(text: str) -> str:
    squashed = " ".join(text.split())
    return squashed if len(squashed) <= NAME_CHARS else squashed[:NAME_CHARS - 1] + "…"


class _Builder:
    def __init__(self, db, name: str):
        from lxml import etree

        self.E = etree
        self.db = db
        self.ns = NS_PROJECT
        self.root = etree.Element(self.q("Project"), {"name": name, "origin": origin(), **_when(store.now())},
                                  nsmap={None: self.ns})
        self.notes: list = []
        self.sidecar: dict = {"format": 1, "transcripts": {}, "codings": {}}

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}"

    def sub(self, parent, tag: str, attrs: dict | None = None, text: str | None = None):
        el = self.E.SubElement(parent, self.q(tag), {k: str(v) for k, v in (attrs or {}).items() if v is not None})
        if text is not None:
            el.text = text
        return el

    def note(self, guid: str, text: str, coder: str | None, when, name: str) -> str:
        self.notes.append((guid, text, coder, when, name))
        return guid

    def users(self) -> None:
        rows = self.db.execute("SELECT name, created_at FROM coders ORDER BY name").fetchall()
        self.sidecar["coders"] = {name: created for name, created in rows}
        if rows:
            users = self.sub(self.root, "Users")
            for name, _ in rows:
                self.sub(users, "User", {"guid": coder_guid(name), "name": name})
            default = store.get_meta(self.db, "default_coder")
            if default in self.sidecar["coders"]:
                self.root.set("creatingUserGUID", coder_guid(default))

    def codebook(self) -> None:
        from qualcode.codes import codebook_from_store

        book = codebook_from_store(self.db)
        self.sidecar["code_order"] = [node.uuid for node in book.nodes]
        if book.nodes:
            add_codes(self.sub(self.sub(self.root, "CodeBook"), "Codes"), book, self.ns)
        self.uuid_of = {node.id: node.uuid for node in book.nodes}
        self.root.addprevious(meta_pi({"name": book.name, "version": book.version, "language": book.language,
                                       "description": book.description}))

    def variables_and_cases(self, transcripts: list[dict]) -> None:
        keys = sorted({key for t in transcripts for key in t["attributes"]})
        if not keys:
            return
        variables = self.sub(self.root, "Variables")
        for key in keys:
            self.sub(variables, "Variable", {"guid": stable_guid("variable", key), "name": key,
                                             "typeOfVariable": "Text"})
        cases = self.sub(self.root, "Cases")
        for t in transcripts:
            if not t["attributes"]:
                continue
            case = self.sub(cases, "Case", {"guid": stable_guid("case", t["guid"]), "name": t["name"]})
            for key in t["attributes"]:  # in the transcript's own order, so a round trip keeps it
                value = self.sub(case, "VariableValue")
                self.sub(value, "VariableRef", {"targetGUID": stable_guid("variable", key)})
                self.sub(value, "TextValue", text=str(t["attributes"][key]))
            self.sub(case, "SourceRef", {"targetGUID": t["guid"]})

    def sources(self, transcripts: list[dict], files: dict[str, bytes]) -> None:
        if not transcripts:
            return
        sources = self.sub(self.root, "Sources")
        codings = defaultdict(list)
        cols = ('transcript_id, start, "end", code_id, coder, memo, created_at, from_suggestion')
        for row in self.db.execute(f"SELECT {cols} FROM codings ORDER BY transcript_id, start, \"end\", id"):
            codings[row[0]].append(row[1:])
        memos = defaultdict(list)
        for tid, coder, text, created in self.db.execute(
                "SELECT transcript_id, coder, text, created_at FROM memos ORDER BY id"):
            memos[tid].append((coder, text, created))
        for t in transcripts:
            guid = t["guid"]
            files[f"sources/{guid}.txt"] = t["text"].encode("utf-8")
            source = self.sub(sources, "TextSource", {"guid": guid, "name": t["name"],
                                                      "plainTextPath": f"internal://{guid}.txt", **_when(t["imported_at"])})
            spans: dict[tuple[int, int], list] = defaultdict(list)
            for start, end, code_id, coder, memo, created, suggested in codings[t["id"]]:
                spans[(start, end)].append((code_id, coder, memo, created, suggested))
            for (start, end), items in spans.items():
                sel_guid = stable_guid("selection", guid, start, end)
                first = min(items, key=lambda i: i[3] or "")
                sel = self.sub(source, "PlainTextSelection", {
                    "guid": sel_guid, "name": _excerpt(t["text"][start:end]), "startPosition": start,
                    "endPosition": end, "creatingUser": coder_guid(first[1]), **_when(first[3])})
                for code_id, coder, memo, created, suggested in items:
                    cg = stable_guid("coding", sel_guid, self.uuid_of.get(code_id, code_id), coder)
                    coding = self.sub(sel, "Coding", {"guid": cg, "creatingUser": coder_guid(coder), **_when(created)})
                    self.sub(coding, "CodeRef", {"targetGUID": self.uuid_of.get(code_id) or stable_guid("code", code_id)})
                    if memo:
                        ref = self.note(stable_guid("coding-memo", cg), memo, coder, created,
                                        f"Memo: {_excerpt(t['text'][start:end])[:40]}")
                        self.sub(coding, "NoteRef", {"targetGUID": ref})
                    self.sidecar["codings"][cg] = {"created_at": created, "from_suggestion": suggested}
            for coder, text, created in memos[t["id"]]:
                ref = self.note(stable_guid("memo", guid, coder, created, text), text, coder, created,
                                f"Memo on {t['name']}")
                self.sub(source, "NoteRef", {"targetGUID": ref})
            self.sidecar["transcripts"][guid] = self.structure(t)

    def structure(self, t: dict) -> dict:
        turns = self.db.execute('SELECT id, number, speaker, timestamp, start, "end" FROM turns '
                                "WHERE transcript_id = ? ORDER BY number", [t["id"]]).fetchall()
        number_of = {row[0]: row[1] for row in turns}
        segments = self.db.execute('SELECT turn_id, number, start, "end" FROM segments '
                                   "WHERE transcript_id = ? ORDER BY number", [t["id"]]).fetchall()
        speakers = {label: json.loads(attrs or "{}") for label, attrs in self.db.execute(
            "SELECT label, attributes FROM speakers WHERE transcript_id = ? ORDER BY label", [t["id"]])}
        return {"name": t["name"], "source": t["source"], "format": t["format"], "imported_at": t["imported_at"],
                "content_hash": t["content_hash"], "speakers": speakers,
                "turns": [list(row[1:]) for row in turns],
                "segments": [[number_of[row[0]], *row[1:]] for row in segments]}

    def finish_notes(self) -> None:
        project_memos = self.db.execute(
            "SELECT coder, text, created_at FROM memos WHERE transcript_id IS NULL ORDER BY id").fetchall()
        refs = [self.note(stable_guid("project-memo", coder, created, text), text, coder, created, "Project memo")
                for coder, text, created in project_memos]
        if self.notes:
            notes = self.sub(self.root, "Notes")
            for guid, text, coder, when, name in self.notes:
                attrs = {"guid": guid, "name": name, **_when(when)}
                if coder:
                    attrs["creatingUser"] = coder_guid(coder)
                note = self.sub(notes, "Note", attrs)
                self.sub(note, "PlainTextContent", text=text)
        for ref in refs:
            self.sub(self.root, "NoteRef", {"targetGUID": ref})


def build(project) -> tuple[bytes, dict[str, bytes]]:
    """The project.qde XML and the other archive members (source texts, the qualcode sidecar)."""
    db = project.db
    b = _Builder(db, Path(project.root).name)
    transcripts = [
        {"id": r[0], "name": r[1], "source": r[2], "format": r[3], "text": r[4], "content_hash": r[5],
         "attributes": json.loads(r[6] or "{}"), "imported_at": r[7], "guid": transcript_guid(r[5], r[1])}
        for r in db.execute("SELECT id, name, source, format, text, content_hash, attributes, imported_at "
                            "FROM transcripts ORDER BY id")]
    files: dict[str, bytes] = {}
    b.users()
    b.codebook()
    b.variables_and_cases(transcripts)
    b.sources(transcripts, files)
    b.finish_notes()
    b.sidecar["settings"] = {key: store.get_meta(db, key) for key in (
        "language", "threshold", "attribution", "default_coder", "codebook")}
    files[SIDECAR] = json.dumps(b.sidecar, ensure_ascii=False).encode("utf-8")
    qde = b.E.tostring(b.root.getroottree(), xml_declaration=True, encoding="utf-8")
    return qde, files


def write_qdpx(project, path: str | Path) -> dict:
    """Write the whole project to `path`; returns counts of what went in."""
    qde, files = build(project)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr("project.qde", qde)
        for name, data in files.items():
            zf.writestr(name, data)
    write_atomic(path, buffer.getvalue())
    db = project.db
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    return {"transcripts": one("SELECT COUNT(*) FROM transcripts"), "codes": one("SELECT COUNT(*) FROM codes"),
            "codings": one("SELECT COUNT(*) FROM codings"), "coders": one("SELECT COUNT(*) FROM coders"),
            "memos": one("SELECT COUNT(*) FROM memos") + one("SELECT COUNT(*) FROM codings WHERE memo IS NOT NULL")}
