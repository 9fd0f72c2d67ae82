"""Reading a codebook file into the model, collecting every problem with its line."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import yaml

from qualcode.codebook import (
    CODE_KEYS, LANGUAGES, PROSE_FIELDS, TOP_KEYS, Codebook, CodeDef, Problem,
)
from qualcode.errors import QualcodeError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NULL_TAG = "tag:yaml.org,2002:null"
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
ENTRY_KEYS = set(CODE_KEYS)  # themes and codes take the same keys
FIX_HINT = "missing uuid; run `qualcode codebook validate --fix` to add"


def read_text(path: str | Path) -> str:
    path = Path(path)
    if not path.exists():
        raise QualcodeError("no such codebook file", path)
    if path.is_dir():
        raise QualcodeError("is a folder, not a codebook file", path)
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise QualcodeError(f"not UTF-8 text (byte {error.start}); save the codebook as UTF-8", path) from None
    except OSError as error:
        raise QualcodeError(f"cannot read: {error.strerror}", path) from None


def compose(text: str, path: str):
    """The YAML node tree (it keeps line numbers); malformed YAML raises QualcodeError with the line."""
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        detail = error.problem or error.context or "cannot parse"
        if error.context and error.context_mark and error.problem_mark:
            detail += f" ({error.context} started on line {error.context_mark.line + 1})"
        # PyYAML puts end-of-file problems on the line after the last one.
        last = max(len(text.splitlines()), 1)
        raise QualcodeError(f"malformed YAML: {detail}", path, min(mark.line + 1, last) if mark else None) from None
    except yaml.YAMLError as error:
        raise QualcodeError(f"malformed YAML: {error}", path) from None


def parse_file(path: str | Path) -> tuple[Codebook | None, list[Problem]]:
    return parse_text(read_text(path), str(path))


def parse_text(text: str, path: str) -> tuple[Codebook | None, list[Problem]]:
    """The codebook (None if the YAML is unreadable) and every problem, sorted by line."""
    try:
        root = compose(text, path)
    except QualcodeError as error:
        return None, [Problem(path, error.line or 0, "", error.message)]
    checker = _Checker(path)
    book = checker.document(root)
    checker.problems.sort(key=lambda problem: problem.line)
    return book, checker.problems


def _line(node) -> int:
    return node.start_mark.line + 1


def _is_null(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG


def _did_you_mean(key: str, allowed, list_all: bool = True) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (allowed: {', '.join(allowed)})" if list_all else ""


class _Checker:
    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def add(self, node_or_line, field: str, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else _line(node_or_line)
        self.problems.append(Problem(self.path, line, field, message))

    def pairs(self, node, where: str, allowed) -> dict:
        """key -> (key node, value node); reports duplicate and unknown keys."""
        out: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.add(key_node, where or "key", "keys must be plain names")
                continue
            key = key_node.value
            field = f"{where}.{key}" if where else key
            if key in out:
                self.add(key_node, field, f"duplicate key '{key}' (first on line {_line(out[key][0])})")
                continue
            out[key] = (key_node, value_node)
            if allowed is not None and key not in allowed:
                self.add(key_node, field, f"unknown key '{key}'" + _did_you_mean(key, allowed))
        return out

    def text(self, node, field: str) -> str | None:
        """A scalar as written (so `version: 1.0` stays "1.0"); None for null or a non-scalar."""
        if _is_null(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.add(node, field, "must be text, not a list or mapping")
            return None
        return node.value

    def strings(self, node, field: str) -> list[str]:
        if _is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.add(node, field, "must be a list of strings, e.g. [one, \"two words\"]")
            return []
        out = []
        for item in node.value:
            value = self.text(item, field)
            if _is_null(item) or (value is not None and not value.strip()):
                self.add(item, field, "empty item in list")
            elif value is not None:
                out.append(value)
        return out

    def document(self, root) -> Codebook | None:
        if root is None:
            self.add(1, "", "empty codebook file")
            return None
        if not isinstance(root, yaml.MappingNode):
            self.add(root, "", "a codebook is a mapping with name, version, language, themes and codes")
            return None
        top = self.pairs(root, "", TOP_KEYS)
        values = {}
        for key in ("name", "version", "language"):
            values[key] = self.text(top[key][1], key) if key in top else None
            if not (values[key] or "").strip():
                self.add(top[key][0] if key in top else root, key, f"missing {key}")
        language = values["language"]
        if language and language not in LANGUAGES:
            self.add(top["language"][1], "language", f"unknown language '{language}' (use {' or '.join(LANGUAGES)})")
            language = None
        description = self.prose(*top["description"], "description", language) if "description" in top else {}
        book = Codebook(values["name"] or "", values["version"] or "", values["language"] or "", description)
        entries = []
        for section, codable in (("themes", False), ("codes", True)):
            if section not in top or _is_null(top[section][1]):
                continue
            seq = top[section][1]
            if not isinstance(seq, yaml.SequenceNode):
                self.add(seq, section, "must be a list of entries starting with `- id: ...`")
                continue
            for index, item in enumerate(seq.value, start=1):
                entry = self.entry(item, section, index, codable, language)
                if entry is not None:
                    entries.append(entry)
                    book.nodes.append(entry[0])
        self.cross_check(entries)
        return book

    def entry(self, item, section: str, index: int, codable: bool, language: str | None):
        where = f"{section}[{index}]"
        if not isinstance(item, yaml.MappingNode):
            self.add(item, where, "each entry is a mapping with id, uuid, label, ...")
            return None
        for key_node, value_node in item.value:  # name the entry by its id in messages when we can
            if key_node.value == "id" and isinstance(value_node, yaml.ScalarNode) and ID_RE.match(value_node.value):
                where = f"{section}[{value_node.value}]"
                break
        keys = self.pairs(item, where, None)  # unknown keys are reported below, against CODE_KEYS
        code_id = self.text(keys["id"][1], f"{where}.id") if "id" in keys else None
        for key, (key_node, _) in keys.items():
            if key not in ENTRY_KEYS:
                self.add(key_node, f"{where}.{key}", f"unknown key '{key}'" + _did_you_mean(key, CODE_KEYS))
        if code_id is None or not code_id.strip():
            self.add(keys["id"][0] if "id" in keys else item, f"{where}.id", "missing id")
            code_id = ""
        elif not ID_RE.match(code_id):
            self.add(keys["id"][1], f"{where}.id",
                     f"bad id '{code_id}': use lowercase letters, digits and hyphens (e.g. warm-start)")
        node = CodeDef(id=code_id, codable=codable, line=_line(item))
        lines = {key: _line(value) for key, (_, value) in keys.items()}
        lines["entry"] = _line(item)

        def value(key):
            return keys[key][1] if key in keys else None

        uid = self.text(value("uuid"), f"{where}.uuid") if "uuid" in keys else None
        if not uid:
            self.add(keys["uuid"][0] if "uuid" in keys else item, f"{where}.uuid", FIX_HINT)
        elif not UUID_RE.match(uid):
            self.add(value("uuid"), f"{where}.uuid", f"bad uuid '{uid}': expected 8-4-4-4-12 hex digits")
        else:
            node.uuid = uid.lower()
        if "parent" in keys:
            node.parent = self.text(value("parent"), f"{where}.parent")
        node.labels = self.labels(value("label"), item, f"{where}.label", language)
        if "color" in keys:
            color = self.text(value("color"), f"{where}.color")
            if color is None and _is_null(value("color")):
                self.add(value("color"), f"{where}.color",
                         "empty colour; quote it (color: \"#4C78A8\"): an unquoted # starts a YAML comment")
            elif color is not None and not COLOR_RE.match(color):
                self.add(value("color"), f"{where}.color", f"bad colour '{color}': use #RGB or #RRGGBB")
            else:
                node.color = color
        if "shortcut" in keys:
            key = self.text(value("shortcut"), f"{where}.shortcut")
            if key is not None and (len(key) != 1 or key.isspace()):
                self.add(value("shortcut"), f"{where}.shortcut", f"bad shortcut '{key}': use one character")
            elif key is not None and not codable:
                self.add(value("shortcut"), f"{where}.shortcut", "a theme is not codable; give shortcuts to codes")
            else:
                node.shortcut = key
        if "source" in keys:
            node.source = self.text(value("source"), f"{where}.source") or ""
        for name in PROSE_FIELDS:
            if name in keys:
                setattr(node, name, self.prose(*keys[name], f"{where}.{name}", language))
        if "examples" in keys:
            node.examples = self.strings(value("examples"), f"{where}.examples")
        if "indicators" in keys:
            node.indicators = self.indicators(value("indicators"), f"{where}.indicators")
        return node, where, lines

    def labels(self, node, item, field: str, language: str | None) -> dict[str, str]:
        if node is None or _is_null(node):
            self.add(item if node is None else node, field, "missing label: give {sv: ..., en: ...}")
            return {}
        if isinstance(node, yaml.ScalarNode):  # `label: Text` is the codebook language's label
            return {language or LANGUAGES[0]: node.value}
        if not isinstance(node, yaml.MappingNode):
            self.add(node, field, "must be a mapping like {sv: varmstart, en: warm start}")
            return {}
        labels = {}
        for lang, (_, value) in self.pairs(node, field, LANGUAGES).items():
            text = self.text(value, f"{field}.{lang}")
            if text and text.strip():
                labels[lang] = text
            elif lang in LANGUAGES:
                self.add(value, f"{field}.{lang}", f"empty {lang} label")
        if not labels:
            self.add(node, field, "missing label: give {sv: ..., en: ...}")
        elif language and language not in labels:
            self.add(node, field, f"missing {language} label (the codebook's language)")
        return labels

    def prose(self, key, node, field: str, language: str | None) -> dict[str, str]:
        """`text` (the codebook's language) or `{sv: ..., en: ...}`, as {language: text}."""
        if _is_null(node):
            return {}
        if isinstance(node, yaml.ScalarNode):
            return {language or LANGUAGES[0]: node.value} if node.value else {}
        if not isinstance(node, yaml.MappingNode):
            self.add(node, field, "must be text or a mapping like {sv: ..., en: ...}")
            return {}
        texts = {}
        for lang, (_, value) in self.pairs(node, field, LANGUAGES).items():
            if lang not in LANGUAGES:
                continue  # reported by pairs()
            text = self.text(value, f"{field}.{lang}")
            if text and text.strip():
                texts[lang] = text
            elif text is not None or _is_null(value):
                self.add(value, f"{field}.{lang}", f"empty {lang} text; leave the language out instead")
        if language and texts and language not in texts:  # on the key's line: a block mapping starts below it
            self.add(key, field, f"missing {language} text (the codebook's language)")
        return texts

    def indicators(self, node, field: str) -> dict[str, list[str]]:
        if _is_null(node):
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.add(node, field, "must be a mapping of language to a list of terms, e.g. sv: [chef, \"ledning*\"]")
            return {}
        out = {}
        for lang, (_, value) in self.pairs(node, field, LANGUAGES).items():
            terms = self.strings(value, f"{field}.{lang}")
            items = value.value if isinstance(value, yaml.SequenceNode) else []
            for item in items:
                words = item.value.split() if isinstance(item, yaml.ScalarNode) and not _is_null(item) else []
                if any("*" in word[:-1] or "=" in word[1:] or word in ("*", "=") for word in words):
                    self.add(item, f"{field}.{lang}",
                             f"bad indicator '{item.value}': `*` only ends a word, `=` only starts one")
            if lang in LANGUAGES:
                out[lang] = terms
        return out

    def cross_check(self, entries) -> None:
        by_id: dict[str, tuple] = {}
        seen: dict[tuple[str, str], int] = {}
        for node, where, lines in entries:
            if node.id:
                if node.id in by_id:
                    first = by_id[node.id][0].line
                    self.add(lines.get("id", node.line), f"{where}.id", f"duplicate id '{node.id}' (first on line {first})")
                else:
                    by_id[node.id] = (node, where, lines)
            for kind, value in (("uuid", node.uuid), ("shortcut", node.shortcut)):
                if value is None:
                    continue
                if (kind, value) in seen:
                    self.add(lines[kind], f"{where}.{kind}",
                             f"duplicate {kind} '{value}' (first on line {seen[kind, value]})")
                else:
                    seen[kind, value] = lines[kind]
        for node, where, lines in entries:
            if node.parent is not None and node.parent not in by_id:
                self.add(lines["parent"], f"{where}.parent", f"unknown parent '{node.parent}'" + _did_you_mean(node.parent, by_id, False))
        done: set[str] = set()
        for node, _, _ in entries:
            chain: list[str] = []
            current = node.id
            while current in by_id and current not in done and current not in chain:
                chain.append(current)
                current = by_id[current][0].parent
            if current in chain:
                cycle = chain[chain.index(current):]
                _, where, lines = by_id[cycle[0]]
                self.add(lines["parent"], f"{where}.parent", "cycle: " + " -> ".join(cycle + [cycle[0]]))
            done.update(chain)
