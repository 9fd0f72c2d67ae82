"""The YAML codebook: its model (themes and codes), loading, validation and writing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import QualcodeError
from qualcode.files import write_atomically

LANGUAGES = ("sv", "en")
# Key order when writing, as documented in ARCHITECTURE.md ("Codebook files").
TOP_KEYS = ("name", "version", "language", "description", "themes", "codes")
THEME_KEYS = ("id", "uuid", "parent", "label", "color", "shortcut", "description",
              "definition", "source", "inclusion", "exclusion", "examples", "indicators")
CODE_KEYS = ("id", "uuid", "parent", "label", "definition", "source", "inclusion", "exclusion",
             "examples", "indicators", "color", "shortcut", "description")
# Prose a codebook gives per language, like labels: `{sv: ..., en: ...}` or a plain string in the
# codebook's language. `source` (a reference) and `examples` (quotes) are the same in every language.
PROSE_FIELDS = ("definition", "inclusion", "exclusion", "description")


def pick(by_language: dict[str, str], *preferred: str | None) -> str:
    """The text in the first preferred language that has one, else in any language ("" if none)."""
    for lang in (*preferred, *LANGUAGES, *by_language):
        if lang and by_language.get(lang):
            return by_language[lang]
    return ""


@dataclass
class CodeDef:
    """One theme (codable=False) or code of a codebook."""

    id: str
    uuid: str | None = None
    parent: str | None = None
    codable: bool = True
    labels: dict[str, str] = field(default_factory=dict)
    definition: dict[str, str] = field(default_factory=dict)  # prose fields: {language: text}
    source: str = ""
    inclusion: dict[str, str] = field(default_factory=dict)
    exclusion: dict[str, str] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    indicators: dict[str, list[str]] = field(default_factory=dict)
    color: str | None = None
    shortcut: str | None = None
    description: dict[str, str] = field(default_factory=dict)
    line: int = field(default=0, compare=False)  # where it starts in the YAML file, for messages

    def __post_init__(self) -> None:
        for name in PROSE_FIELDS:
            if not isinstance(getattr(self, name), dict):
                raise TypeError(f"CodeDef.{name} is {{language: text}}, not {type(getattr(self, name)).__name__}")

    def text(self, name: str, language: str | None = None, fallback: str | None = None) -> str:
        """A prose field in `language`, else in `fallback` (the codebook's language), else in any."""
        if name not in PROSE_FIELDS:
            return getattr(self, name) or ""
        return pick(getattr(self, name), language, fallback)

    def to_dict(self, language: str | None = None) -> dict:
        """The YAML entry: keys in documented order, empty fields left out; prose only in
        `language` (the codebook's) is a plain string, prose in more languages a mapping."""
        keys = CODE_KEYS if self.codable else THEME_KEYS
        values = {
            "id": self.id,
            "uuid": self.uuid,
            "parent": self.parent,
            "label": {lang: self.labels[lang] for lang in ordered_languages(self.labels)},
            "examples": list(self.examples),
            "indicators": {lang: list(self.indicators[lang]) for lang in ordered_languages(self.indicators)},
            "color": self.color,
            "shortcut": self.shortcut,
            "source": self.source,
            **{name: prose_value(getattr(self, name), language) for name in PROSE_FIELDS},
        }
        return {key: values[key] for key in keys if values[key] not in (None, "", [], {})}


def ordered_languages(by_language: dict) -> list[str]:
    return sorted(by_language, key=lambda lang: (LANGUAGES.index(lang) if lang in LANGUAGES else 99, lang))


def prose_value(by_language: dict[str, str], language: str | None) -> str | dict[str, str]:
    """How a prose field is written: a plain string when only `language` has text, else a mapping."""
    texts = {lang: by_language[lang] for lang in ordered_languages(by_language) if by_language[lang]}
    if not texts:
        return ""
    if list(texts) == [language]:
        return texts[language]
    return texts


@dataclass
class Codebook:
    """A codebook: themes first (non-codable), then codes, in file order."""

    name: str
    version: str
    language: str
    description: dict[str, str] = field(default_factory=dict)  # {language: text}; a string is the codebook's language
    nodes: list[CodeDef] = field(default_factory=list)

    def __post_init__(self) -> None:
        if isinstance(self.description, str):  # callers that know one text (REFI metadata, old stores)
            self.description = {self.language or LANGUAGES[0]: self.description} if self.description else {}

    def get(self, id: str) -> CodeDef | None:
        for node in self.nodes:
            if node.id == id:
                return node
        return None

    def __getitem__(self, id: str) -> CodeDef:
        node = self.get(id)
        if node is None:
            raise KeyError(id)
        return node

    def __contains__(self, id: object) -> bool:
        return self.get(id) is not None  # type: ignore[arg-type]

    def codable(self) -> list[CodeDef]:
        return [node for node in self.nodes if node.codable]

    def themes(self) -> list[CodeDef]:
        return [node for node in self.nodes if not node.codable]

    def children(self, id: str | None) -> list[CodeDef]:
        """Direct children of `id` in file order (`None`: the roots)."""
        return [node for node in self.nodes if node.parent == id]

    def roots(self) -> list[CodeDef]:
        ids = {node.id for node in self.nodes}
        return [node for node in self.nodes if node.parent is None or node.parent not in ids]

    def path(self, id: str) -> list[str]:
        """Ids from the root (usually a theme) down to `id`."""
        chain: list[str] = []
        node = self.get(id)
        while node is not None and node.id not in chain:  # the guard stops on a cycle
            chain.append(node.id)
            node = self.get(node.parent) if node.parent else None
        return chain[::-1]

    def theme_of(self, id: str) -> str | None:
        """The outermost non-codable node on the path to `id` (a theme is its own theme)."""
        for node_id in self.path(id):
            if not self[node_id].codable:
                return node_id
        return None

    def label(self, id: str, language: str | None = None) -> str:
        """The label in `language` (default: the codebook's), else another language's, else the id."""
        node = self.get(id)
        if node is None:
            return id
        return pick(node.labels, language or self.language, self.language) or id

    def text(self, id: str | None, name: str, language: str | None = None) -> str:
        """Prose (`definition`, `inclusion`, `exclusion`, `description`; `source`) of node `id` in
        `language`, falling back like `label`; `id=None` is the codebook's own description."""
        if id is None:
            return pick(self.description, language or self.language, self.language) if name == "description" else ""
        node = self.get(id)
        return node.text(name, language or self.language, self.language) if node is not None else ""

    def depth(self, id: str) -> int:
        """0 for a root, 1 for its children, ..."""
        return max(len(self.path(id)) - 1, 0)

    def walk(self) -> list[CodeDef]:
        """Every node depth-first in tree order: a root, its subtree, the next root, ..."""
        out: list[CodeDef] = []
        seen: set[str] = set()

        def visit(node: CodeDef) -> None:
            if node.id in seen:
                return
            seen.add(node.id)
            out.append(node)
            for child in self.children(node.id):
                visit(child)

        for root in self.roots():
            visit(root)
        return out

    def to_dict(self) -> dict:
        """The YAML document as plain data, in the documented layout."""
        data: dict = {"name": self.name, "version": self.version, "language": self.language}
        if prose_value(self.description, self.language):
            data["description"] = prose_value(self.description, self.language)
        data["themes"] = [node.to_dict(self.language) for node in self.nodes if not node.codable]
        data["codes"] = [node.to_dict(self.language) for node in self.nodes if node.codable]
        return data


@dataclass
class Problem:
    """One thing wrong in a codebook file, shown as `FILE:LINE: field: message`."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def error(self) -> QualcodeError:
        return QualcodeError(f"{self.field}: {self.message}" if self.field else self.message, self.path, self.line or None)


def validate_codebook(path: str | Path) -> list[Problem]:
    """Every problem in the file, sorted by line. A missing file raises QualcodeError."""
    from qualcode.codebook_validate import parse_file

    return parse_file(path)[1]


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook; the first problem is raised as QualcodeError."""
    from qualcode.codebook_validate import parse_file

    book, problems = parse_file(path)
    if problems:
        raise problems[0].error()
    assert book is not None
    return book


def dump_text(book: Codebook) -> str:
    """The codebook as YAML text in the documented layout."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow=False, indentless=False):
            return super().increase_indent(flow, False)  # "  - id:" as documented, not "- id:"

        def choose_scalar_style(self):
            style = super().choose_scalar_style()
            return '"' if style == "'" else style  # "#4C78A8", as people write it

    def text(dumper: yaml.SafeDumper, value: str):
        # Block scalars keep long definitions readable and diffable; PyYAML falls back to
        # quoting where a block cannot hold the text exactly (e.g. trailing spaces).
        if any(ch in value for ch in "\x85\u2028\u2029"):
            style = '"'  # YAML reads these as line breaks in a block; only quoting keeps them
        elif "\n" in value:
            # A literal block cannot keep trailing newlines without an open-ended "|+" that
            # PyYAML closes with "..." mid-document; quote those instead.
            style = "|" if value.strip() and not value.endswith("\n\n") else '"'
        else:
            style = ">" if len(value) > 80 else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def flow_map(dumper: yaml.SafeDumper, value: _FlowMap):
        return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)

    def flow_list(dumper: yaml.SafeDumper, value: _FlowList):
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)

    Dumper.add_representer(str, text)
    Dumper.add_representer(_FlowMap, flow_map)
    Dumper.add_representer(_FlowList, flow_list)

    data = book.to_dict()
    for node in data["themes"] + data["codes"]:
        if "label" in node:
            node["label"] = _FlowMap(node["label"])
        if "indicators" in node:
            # Short lists on one line as documented; long ones one term per line, for small diffs.
            node["indicators"] = {lang: _FlowList(terms) if len(", ".join(terms)) <= 70 else terms
                                  for lang, terms in node["indicators"].items()}
    parts = []
    for key in TOP_KEYS:
        if key not in data:
            continue
        chunk = yaml.dump({key: data[key]}, Dumper=Dumper, sort_keys=False, allow_unicode=True,
                          default_flow_style=False, width=80, indent=2)
        if key in ("themes", "codes"):
            head, rest = chunk.split("\n", 1)  # a blank line between entries eases reading
            chunk = "\n" + head + "\n" + rest.replace("\n  - ", "\n\n  - ")
        parts.append(chunk)
    return "".join(parts)


class _FlowMap(dict):
    pass


class _FlowList(list):
    pass


def dump_codebook(book: Codebook, path: str | Path, overwrite: bool = False) -> Path:
    """Write `book` as YAML; refuses to overwrite unless asked, and to write an invalid book."""
    from qualcode.codebook_validate import parse_text

    path = Path(path)
    if path.exists() and not overwrite:
        raise QualcodeError("already exists; choose another name or allow overwriting", path)
    text = dump_text(book)
    _, problems = parse_text(text, str(path))
    if problems:
        raise problems[0].error()
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))
