"""Reading a REFI-QDA project archive (`.qdpx`) from any tool into plain data, every selection checked."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.codebook import LANGUAGES, Codebook
from qualcode.errors import QualcodeError
from qualcode.refi import positions
from qualcode.refi.names import norm_guid
from qualcode.refi.qdc import meta_description, read_codes, read_meta_pi
from qualcode.refi.safety import SafeZip, child, children, local, parse_xml, text_of

SIDECAR = "qualcode/project.json"
SHOWN_FAILURES = 5


@dataclass
class Source:
    guid: str
    name: str
    raw: str                  # the text as the tool wrote it (BOM and CRLF kept) for position mapping
    text: str = ""            # normalised: the text qualcode stores
    attributes: dict = field(default_factory=dict)
    structure: dict | None = None  # turns, segments, speakers from a qualcode sidecar


@dataclass
class Coding:
    source: str               # source guid
    start: int
    end: int
    code_id: str
    coder: str
    memo: str | None = None
    created_at: str | None = None
    from_suggestion: int = 0


@dataclass
class Memo:
    source: str | None
    coder: str | None
    text: str
    created_at: str | None = None


@dataclass
class ReadProject:
    path: Path
    origin: str
    name: str
    codebook: Codebook
    coders: dict[str, str | None] = field(default_factory=dict)  # name -> created_at
    sources: list[Source] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)
    memos: list[Memo] = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    units: str = ""
    selections: int = 0
    landed: int = 0
    word_starts: int = 0
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def report(self) -> list[str]:
        lines = [f"{self.origin or 'unknown tool'}: {len(self.sources)} sources, {len(self.codebook.nodes)} codes, "
                 f"{len(self.codings)} codings, {len(self.memos)} memos, {len(self.coders)} coders",
                 self.units,
                 f"{self.landed} of {self.selections} selections land on their text; "
                 f"{self.word_starts} start at a word boundary"]
        if self.failures:
            lines.append(f"{len(self.failures)} selections do not land and were NOT imported; the first:")
            lines += ["  " + f for f in self.failures[:SHOWN_FAILURES]]
        lines += [f"warning: {w}" for w in self.warnings]
        return lines


def _decode(data: bytes, where: str) -> tuple[str, list[str]]:
    """Text as written, BOM kept as U+FEFF (it may count as a position)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "\ufeff" + data.decode("utf-16"), []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        return text, [f"{where}: not UTF-8; decoded as cp1252"]
    if "\x00" in text:
        raise QualcodeError("source text is binary, not plain text", where)
    return text, []


class _Reader:
    def __init__(self, path: Path, zf: SafeZip, allow_external: bool):
        self.path = path
        self.zf = zf
        self.allow_external = allow_external

    def member(self, name: str):
        for candidate in (f"sources/{name}", name):
            info = self.zf.find(candidate)
            if info is not None:
                return info
        return None

    def source_bytes(self, reference: str, what: str) -> bytes:
        """The bytes a plainTextPath points at; outside the archive only when allowed."""
        ref = reference.strip()
        scheme, sep, rest = ref.partition("://")
        if not sep:
            scheme, rest = "internal", ref  # qc writes bare file names beside sources/
        scheme = scheme.lower()
        if scheme == "internal":
            info = self.member(rest)
            if info is None:
                raise QualcodeError(f"{what}: '{ref}' is not in the archive", self.path)
            return self.zf.read(info)
        if scheme in ("absolute", "file", "relative"):
            folder = self.path.resolve().parent
            target = Path(rest) if scheme != "relative" else folder / rest
            target = target.resolve()
            escapes = scheme != "relative" or not target.is_relative_to(folder)
            if escapes and not self.allow_external:
                raise QualcodeError(f"refused: {what} points outside the archive to '{ref}'; "
                                    "use --allow-external-sources to read it", self.path)
            if not target.is_file():
                raise QualcodeError(f"{what}: '{ref}' does not exist", self.path)
            return target.read_bytes()
        raise QualcodeError(f"{what}: unknown path scheme in '{ref}'", self.path)


def find_qde(zf: SafeZip, path: Path):
    names = [info for key, info in zf.by_lower.items() if key.endswith(".qde")]
    for info in names:
        if info.filename.replace("\\", "/").lower() == "project.qde":
            return info
    if len(names) == 1:
        return names[0]
    raise QualcodeError("no project.qde in the archive" if not names else
                        f"{len(names)} .qde files in the archive; expected one", path)


def read_qdpx(path: str | Path, language: str | None = None, allow_external: bool = False) -> ReadProject:
    """Everything in a `.qdpx`, positions mapped to qualcode offsets; refusals raise QualcodeError."""
    path = Path(path)
    with SafeZip(path) as zf:
        qde = find_qde(zf, path)
        root = parse_xml(zf.read(qde), f"{path}:{qde.filename}")
        if local(root.tag) != "Project":
            raise QualcodeError(f"not a REFI-QDA project (root <{local(root.tag)}>)", path)
        sidecar_info = zf.find(SIDECAR)
        sidecar = {}
        if sidecar_info is not None and (root.get("origin") or "").lower().startswith("qualcode"):
            try:
                sidecar = json.loads(zf.read(sidecar_info).decode("utf-8"))
            except ValueError:
                sidecar = {}
        return _read(root, _Reader(path, zf, allow_external), sidecar, language)


def _read(root, reader: _Reader, sidecar: dict, language: str | None) -> ReadProject:
    path = reader.path
    meta = read_meta_pi(root)
    settings = sidecar.get("settings") or {}
    language = language or meta.get("language") or settings.get("language")
    language = language if language in LANGUAGES else LANGUAGES[0]
    users = {}
    for user in children(child(root, "Users"), "User"):
        guid = norm_guid(user.get("guid"))
        if guid:
            users[guid] = user.get("name") or user.get("id") or f"user-{guid[:8]}"
    reading = read_codes(child(child(root, "CodeBook"), "Codes"), children(child(root, "Sets"), "Set"),
                         language, str(path))
    order = {uuid: i for i, uuid in enumerate(sidecar.get("code_order") or [])}
    if order:
        reading.nodes.sort(key=lambda n: order.get(n.uuid, len(order)))
    book = Codebook(name=str(meta.get("name") or root.get("name") or path.stem),
                    version=str(meta.get("version") or "1.0"), language=language,
                    description=meta_description(meta, language), nodes=reading.nodes)
    out = ReadProject(path, root.get("origin") or "", root.get("name") or path.stem, book,
                      settings=settings, warnings=list(reading.warnings))
    coders = sidecar.get("coders") or {}

    def coder(guid_value, fallback: str | None = None) -> str:
        guid = norm_guid(guid_value)
        name = users.get(guid) if guid else None
        name = name or (f"user-{guid[:8]}" if guid else fallback) or "imported"
        out.coders.setdefault(name, coders.get(name))
        return name

    for name in coders:
        out.coders.setdefault(name, coders[name])
    variables = {norm_guid(v.get("guid")): v.get("name") or "variable"
                 for v in children(child(root, "Variables"), "Variable")}
    notes = {}
    for note in children(child(root, "Notes"), "Note"):
        text = text_of(note, "PlainTextContent")
        if not text and note.get("plainTextPath"):
            text = _decode(reader.source_bytes(note.get("plainTextPath"), "a note"), str(path))[0].lstrip("\ufeff")
        notes[norm_guid(note.get("guid"))] = (text, note.get("creatingUser"), note.get("creationDateTime"))

    def note_texts(el) -> list[tuple]:
        return [notes[g] for g in (norm_guid(r.get("targetGUID")) for r in children(el, "NoteRef")) if g in notes]

    sources_el = child(root, "Sources")
    selections = []  # (source guid, start, end, name, [codings without positions])
    skipped_kinds: dict[str, int] = {}
    for el in list(sources_el) if sources_el is not None else []:
        kind = local(el.tag)
        if kind != "TextSource":
            if kind:
                skipped_kinds[kind] = skipped_kinds.get(kind, 0) + 1
            continue
        guid = norm_guid(el.get("guid")) or f"source-{len(out.sources)}"
        name = el.get("name") or Path((el.get("plainTextPath") or "").split("://")[-1]).stem or guid
        content = child(el, "PlainTextContent")
        if content is not None:
            raw = content.text or ""
        elif el.get("plainTextPath"):
            raw, warn = _decode(reader.source_bytes(el.get("plainTextPath"), f"source '{name}'"), f"{path}: {name}")
            out.warnings += warn
        else:
            out.warnings.append(f"source '{name}' has no text; skipped")
            continue
        source = Source(guid, name, raw, structure=(sidecar.get("transcripts") or {}).get(guid))
        for value in children(el, "VariableValue"):
            _variable(value, variables, source.attributes)
        for text, user, when in note_texts(el):
            out.memos.append(Memo(guid, coder(user), text, when))
        for sel in children(el, "PlainTextSelection"):
            items = []
            described = text_of(sel, "Description").strip()
            for coding_el in children(sel, "Coding"):
                ref = child(coding_el, "CodeRef")
                code_guid = norm_guid(ref.get("targetGUID")) if ref is not None else None
                code_id = reading.by_guid.get(code_guid or "")
                if code_id is None:
                    out.failures.append(f"{name}: a coding refers to an unknown code {code_guid}")
                    continue
                memo = "\n\n".join(t for t, _, _ in note_texts(coding_el) + note_texts(sel)) or described or None
                extra = (sidecar.get("codings") or {}).get(norm_guid(coding_el.get("guid")) or "", {})
                items.append(Coding(guid, 0, 0, code_id, coder(coding_el.get("creatingUser") or sel.get("creatingUser")),
                                    memo, extra.get("created_at") or coding_el.get("creationDateTime")
                                    or sel.get("creationDateTime"), int(extra.get("from_suggestion") or 0)))
            try:
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            except (TypeError, ValueError):
                out.failures.append(f"{name}: a selection without numeric positions")
                continue
            if items:
                selections.append((guid, start, end, sel.get("name"), items))
        out.sources.append(source)
    for kind, n in skipped_kinds.items():
        out.warnings.append(f"{n} {kind} element(s) skipped: only text sources are imported")
    _cases(root, variables, out)
    for text, user, when in note_texts(root):
        out.memos.append(Memo(None, coder(user), text, when))
    _land(out, selections)
    return out


def _variable(value, variables: dict, into: dict) -> None:
    ref = child(value, "VariableRef")
    name = variables.get(norm_guid(ref.get("targetGUID")) if ref is not None else None)
    for item in value:
        if local(item.tag) != "VariableRef" and name and item.text is not None:
            into.setdefault(name, item.text)


def _cases(root, variables: dict, out: ReadProject) -> None:
    """Case attributes go to the sources the case refers to (a source's own values win)."""
    by_guid = {s.guid: s for s in out.sources}
    for case in children(child(root, "Cases"), "Case"):
        values: dict = {}
        for value in children(case, "VariableValue"):
            _variable(value, variables, values)
        for ref in children(case, "SourceRef"):
            source = by_guid.get(norm_guid(ref.get("targetGUID")) or "")
            if source is not None:
                for key, val in values.items():
                    source.attributes.setdefault(key, val)


def _land(out: ReadProject, selections: list) -> None:
    raws = {s.guid: s.raw for s in out.sources}
    plain = [(g, a, b, n) for g, a, b, n, _ in selections]
    units, landing, reason = positions.choose_units(out.origin, raws, plain)
    out.units = reason
    mapped = {g: positions.map_text(raw, units) for g, raw in raws.items()}
    for source in out.sources:
        source.text = mapped[source.guid].text
    names = {s.guid: s.name for s in out.sources}
    out.selections = len(selections)
    for guid, start, end, name, items in selections:
        got = positions.land(mapped[guid], start, end, name)
        if isinstance(got, str):
            out.failures.append(f"{names[guid]}: {got}")
            continue
        out.landed += 1
        out.word_starts += positions.starts_word(mapped[guid].text, got[0])
        for item in items:
            item.start, item.end = got
            out.codings.append(item)
