"""Pseudonym maps (YAML, real name -> pseudonym) and applying them to text and excerpt rows."""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.errors import QualcodeError


class Pseudonyms:
    """Replaces whole words or phrases, longest first, case-insensitively, keeping the case shape."""

    def __init__(self, mapping: dict[str, str]):
        self.mapping = {real: fake for real, fake in mapping.items() if real}
        self._lookup = {real.casefold(): fake for real, fake in self.mapping.items()}
        names = sorted(self.mapping, key=len, reverse=True)  # "Anna Berg" before "Anna"
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE)
            if names else None
        )

    def __bool__(self) -> bool:
        return bool(self.mapping)

    def _replace(self, match: re.Match) -> str:
        found = match.group(0)
        fake = self._lookup[found.casefold()]
        if found.isupper() and len(found) > 1:
            return fake.upper()
        if found[:1].isupper():
            return fake[:1].upper() + fake[1:]
        if found.islower():
            return fake.lower()
        return fake

    def text(self, value):
        """The value with every name replaced; non-strings pass through unchanged."""
        if self._pattern is None or not isinstance(value, str) or not value:
            return value
        return self._pattern.sub(self._replace, value)

    def row(self, row: dict) -> dict:
        """An excerpt row with names replaced in its text, memo, attributes and attribution."""
        if self._pattern is None:
            return row
        out = {key: self.text(value) for key, value in row.items()}
        out["attributes"] = {key: self.text(value) for key, value in (row.get("attributes") or {}).items()}
        return out


def load_pseudonyms(path: str | Path) -> Pseudonyms:
    """Read a map, flat (`Syd: Södra`) or grouped (`sites: {Syd: Södra}`, people, places, organisations)."""
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QualcodeError("no such pseudonym file", path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise QualcodeError(f"cannot read the pseudonym file: {error}", path) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise QualcodeError(f"not valid YAML: {error.problem or error.context}", path,
                            mark.line + 1 if mark else None) from None
    mapping: dict[str, str] = {}
    if root is None:
        return Pseudonyms(mapping)
    if not isinstance(root, yaml.MappingNode):
        raise QualcodeError("a pseudonym map is a YAML mapping of real name: pseudonym", path, root.start_mark.line + 1)
    _collect(root, mapping, path, grouped_ok=True)
    return Pseudonyms(mapping)


def _collect(node, mapping: dict[str, str], path: Path, grouped_ok: bool) -> None:
    import yaml

    for key, value in node.value:
        line = key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode) or not str(key.value).strip():
            raise QualcodeError("each entry needs a real name as its key", path, line)
        if isinstance(value, yaml.MappingNode) and grouped_ok:
            _collect(value, mapping, path, grouped_ok=False)  # a group: sites, people, places, ...
            continue
        if not isinstance(value, yaml.ScalarNode) or not str(value.value).strip():
            raise QualcodeError(f"'{key.value}' needs a pseudonym (a plain text value)", path, line)
        real = str(key.value).strip()
        if any(real.casefold() == known.casefold() for known in mapping):
            raise QualcodeError(f"'{real}' is mapped twice", path, line)
        mapping[real] = str(value.value).strip()
