"""A qualcode codebook to and from REFI-QDA Codebook XML (`.qdc`): themes as non-codable parents."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.codebook import LANGUAGES, PROSE_FIELDS, Codebook, CodeDef
from qualcode.errors import QualcodeError
from qualcode.files import write_atomically
from qualcode.refi import NS_CODEBOOK, description
from qualcode.refi.names import norm_color, norm_guid, slug, stable_guid, unique
from qualcode.refi.safety import child, children, local, parse_xml, text_of

PI = "qualcode"
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def origin() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"qualcode {version('qualcode')}"
    except PackageNotFoundError:
        return "qualcode"


def meta_pi(data: dict):
    """A processing instruction carrying what the schema has no place for (name, version, language).

    A codebook's description ({language: text}) goes in as the primary language's text, which
    any reader takes as it is, plus `description_texts` with every language when there are more.
    """
    from lxml import etree

    texts = data.get("description")
    if isinstance(texts, dict):
        language = data.get("language")
        data = {**data, "description": texts.get(language) or next(iter(texts.values()), "")}
        if any(lang != language for lang in texts):
            data["description_texts"] = texts

    # JSON never has `>` outside strings; escaping it inside keeps `?>` out of the instruction.
    return etree.PI(PI, json.dumps(data, ensure_ascii=False, sort_keys=True).replace(">", "\\u003e"))


def read_meta_pi(root) -> dict:
    node = root.getprevious()
    while node is not None:
        if getattr(node, "target", None) == PI:
            try:
                value = json.loads(node.text or "{}")
                return value if isinstance(value, dict) else {}
            except ValueError:
                return {}
        node = node.getprevious()
    return {}


def meta_description(meta: dict, language: str) -> dict[str, str]:
    """The codebook description from `read_meta_pi`'s data, as {language: text}."""
    texts = meta.get("description_texts")
    if isinstance(texts, dict):
        return {lang: text for lang, text in texts.items() if lang in LANGUAGES and isinstance(text, str) and text}
    text = str(meta.get("description") or "")
    written = meta.get("language") if meta.get("language") in LANGUAGES else language
    return {written: text} if text else {}


def add_codes(codes_el, book: Codebook, ns: str) -> None:
    """Nested `<Code>` elements for every theme and code of `book`, in tree order."""
    from lxml import etree

    def add(parent_el, node: CodeDef) -> None:
        attrs = {"guid": node.uuid or stable_guid("code", node.id), "name": book.label(node.id),
                 "isCodable": "true" if node.codable else "false"}
        if node.color:
            attrs["color"] = node.color
        el = etree.SubElement(parent_el, f"{{{ns}}}Code", attrs)
        etree.SubElement(el, f"{{{ns}}}Description").text = description.write(node, book.language)
        for kid in book.children(node.id):
            add(el, kid)

    for root in book.roots():
        add(codes_el, root)


def to_xml(book: Codebook) -> bytes:
    from lxml import etree

    ns = NS_CODEBOOK
    root = etree.Element(f"{{{ns}}}CodeBook", {"origin": origin()}, nsmap={None: ns})
    root.addprevious(meta_pi({"name": book.name, "version": book.version, "language": book.language,
                              "description": book.description}))
    add_codes(etree.SubElement(root, f"{{{ns}}}Codes"), book, ns)
    if not book.nodes:
        raise QualcodeError("the codebook has no codes to export")
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="utf-8", pretty_print=True)


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` (its folder made if need be) beside it first, then renamed into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomically(path, lambda tmp: tmp.write_bytes(data))


def write_qdc(book: Codebook, path: str | Path) -> Path:
    """Write `book` as a REFI-QDA codebook (namespace 1.0)."""
    return write_atomic(path, to_xml(book))


@dataclass
class CodeReading:
    """Codes read from REFI XML: the nodes, the GUID of each id, and what was odd about them."""

    nodes: list[CodeDef] = field(default_factory=list)
    by_guid: dict[str, str] = field(default_factory=dict)  # GUID -> code id
    warnings: list[str] = field(default_factory=list)


def read_codes(codes_el, sets: list, language: str, where: str) -> CodeReading:
    """CodeDefs from a `<Codes>` element (any namespace): nesting, folders, flattened names, Sets."""
    out = CodeReading()
    taken: set[str] = set()
    uuids: set[str] = set()

    def visit(el, parent: str | None, path: str) -> None:
        name = (el.get("name") or "").strip() or "(unnamed)"
        fields = description.parse(text_of(el, "Description"))
        codable = (el.get("isCodable") or "true").strip().lower() not in ("false", "0")
        guid = norm_guid(el.get("guid"))
        if guid is None or guid in uuids:
            out.warnings.append(f"code '{name}' has {'a duplicate' if guid else 'no valid'} GUID; a new one was made")
            guid = stable_guid("imported-code", where, path, name)
        uuids.add(guid)
        wanted = fields.get("id")
        code_id = wanted if wanted and ID_RE.match(wanted) and wanted not in taken else slug(name)
        code_id = unique(code_id, taken)
        labels = {language: name}
        labels.update({k: v for k, v in fields["labels"].items() if k in LANGUAGES and k != language and v})
        node = CodeDef(id=code_id, uuid=guid, parent=parent, codable=codable, labels=labels,
                       examples=fields["examples"],
                       indicators={k: v for k, v in fields["indicators"].items() if k in LANGUAGES},
                       color=norm_color(el.get("color")), shortcut=fields.get("shortcut") if codable else None)
        if el.get("color") and node.color is None:
            out.warnings.append(f"code '{name}': colour '{el.get('color')}' not understood; left out")
        node.source = fields.get("source", "")
        main = "definition" if codable else "description"
        for name_ in PROSE_FIELDS:
            # Unmarked prose is in `language`; a marked one for `language` counts only without it.
            primary = fields.get("main") if name_ == main and fields.get("main") else fields.get(name_)
            texts = {language: primary} if primary else {}
            texts.update({k: v for k, v in fields["translations"].get(name_, {}).items()
                          if v and (k != language or not primary)})
            setattr(node, name_, texts)
        out.nodes.append(node)
        out.by_guid[guid] = code_id
        for kid in children(el, "Code"):
            visit(kid, code_id, f"{path}/{name}")

    for el in children(codes_el, "Code"):
        visit(el, None, "")
    _unflatten(out, language, where)
    _sets_as_themes(out, sets, language)
    out.nodes.sort(key=lambda n: n.codable)  # themes first, as qualcode files list them; stable otherwise
    return out


def _unflatten(out: CodeReading, language: str, where: str) -> None:
    """`Parent::child` (always) and `parent.child` (only when `parent` is itself a code) become nesting."""
    taken = {n.id for n in out.nodes}
    by_label = {(n.parent, n.labels[language]): n for n in out.nodes}
    for node in list(out.nodes):
        label = node.labels[language]
        parts = None
        if "::" in label:
            parts = [p.strip() for p in label.split("::")]
        elif re.fullmatch(r"[^\s.][^.]*\.[^\s.][^.]*", label) and (node.parent, label.split(".")[0]) in by_label:
            parts = label.split(".", 1)
        if not parts or not all(parts):
            continue
        parent = node.parent
        for index, part in enumerate(parts[:-1]):
            found = by_label.get((parent, part))
            if found is None:
                found = CodeDef(id=unique(slug(part), taken), uuid=stable_guid("folder", where, parent, part),
                                parent=parent, codable=False, labels={language: part})
                out.nodes.insert(out.nodes.index(node), found)
                by_label[(parent, part)] = found
                out.warnings.append(f"made folder '{part}' for the flattened name '{label}'")
            parent = found.id
        node.parent = parent
        node.labels[language] = parts[-1]


def _sets_as_themes(out: CodeReading, sets: list, language: str) -> None:
    """ATLAS.ti code groups (Sets) become themes over the root codes they hold; a code joins its first."""
    placed: set[str] = set()
    taken = {n.id for n in out.nodes}
    by_id = {n.id: n for n in out.nodes}
    for set_el in sets:
        name = (set_el.get("name") or "").strip() or "(unnamed set)"
        members = [out.by_guid.get(norm_guid(m.get("targetGUID") or m.get("guid")) or "")
                   for m in children(set_el, "MemberCode")]
        members = [m for m in members if m]
        roots = [m for m in members if by_id[m].parent is None and m not in placed]
        skipped = [by_id[m].labels[language] for m in members if m not in roots]
        if skipped:
            out.warnings.append(f"set '{name}': {', '.join(skipped)} already has a parent or set; not moved")
        if not roots:
            continue
        guid = norm_guid(set_el.get("guid")) or stable_guid("set", name)
        text = text_of(set_el, "Description").strip()
        theme = CodeDef(id=unique(slug(name), taken), uuid=guid, codable=False, labels={language: name},
                        description={language: text} if text else {})
        out.nodes.insert(0, theme)
        for member in roots:
            by_id[member].parent = theme.id
            placed.add(member)
        out.warnings.append(f"set '{name}' became theme '{theme.id}' over {len(roots)} code(s)")


def read_qdc(path: str | Path, language: str | None = None, max_bytes: int = 64 << 20) -> tuple[Codebook, list[str]]:
    """A Codebook from a `.qdc` file (any namespace), and warnings about what was adapted."""
    path = Path(path)
    if not path.is_file():
        raise QualcodeError("no such codebook file", path)
    if path.stat().st_size > max_bytes:
        raise QualcodeError(f"refused: larger than {max_bytes:,} bytes", path)
    root = parse_xml(path.read_bytes(), path)
    if local(root.tag) != "CodeBook":
        raise QualcodeError(f"not a REFI-QDA codebook (root element <{local(root.tag)}>, expected <CodeBook>)", path)
    meta = read_meta_pi(root)
    language = language or (meta.get("language") if meta.get("language") in LANGUAGES else None) or LANGUAGES[0]
    reading = read_codes(child(root, "Codes"), children(child(root, "Sets"), "Set"), language, str(path))
    if not reading.nodes:
        raise QualcodeError("no codes in this codebook", path)
    book = Codebook(name=str(meta.get("name") or path.stem), version=str(meta.get("version") or "1.0"),
                    language=language, description=meta_description(meta, language), nodes=reading.nodes)
    return book, reading.warnings
