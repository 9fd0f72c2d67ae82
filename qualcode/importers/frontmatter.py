"""YAML front matter and `STEM.meta.yaml` sidecars: transcript attributes and the speakers map."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from qualcode.errors import QualcodeError
from qualcode.importers.speakers import normalise_label

SIDECAR_SUFFIXES = (".meta.yaml", ".meta.yml")

# Well-known keys as they appear in front matter, sidecars and Word metadata tables
# (Swedish or English); anything else is kept as a free attribute.
KEY_ALIASES = {
    "site": "site", "ort": "site", "plats": "site",
    "organisation": "organisation", "organization": "organisation", "org": "organisation",
    "verksamhet": "organisation",
    "role": "role", "roll": "role", "befattning": "role",
    "date": "date", "datum": "date",
    "title": "title", "titel": "title", "rubrik": "title",
    "interviewer": "interviewer", "intervjuare": "interviewer",
}

_MONTHS = {
    name: i + 1
    for i, names in enumerate((
        "januari january jan", "februari february feb", "mars march mar", "april apr",
        "maj may", "juni june jun", "juli july jul", "augusti august aug",
        "september sep sept", "oktober october okt oct", "november nov", "december dec",
    ))
    for name in names.split()
}
_NUMERIC_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$|^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_WORDY_DATE = re.compile(r"^(\d{1,2})\.?\s+([A-Za-zåäöÅÄÖ]+)\.?\s+(\d{4})$")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def canonical_key(key: object) -> str:
    """`Organization`, `Ort`, `Datum` -> the well-known key; other keys as written."""
    text = str(key).strip().rstrip(":").strip()
    return KEY_ALIASES.get(text.lower(), text)


def iso_date(value: str) -> str:
    """`12/3/2024`, `2024.03.12`, `12 mars 2024` -> `2024-03-12`; anything else unchanged."""
    text = value.strip()
    try:
        m = _NUMERIC_DATE.match(text)
        if m:
            y, mo, d = (m[1], m[2], m[3]) if m[1] else (m[6], m[5], m[4])
            return dt.date(int(y), int(mo), int(d)).isoformat()
        m = _WORDY_DATE.match(text)
        if m and m[2].lower() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[2].lower()], int(m[1])).isoformat()
    except ValueError:
        pass
    return text


def scalar_str(value: object) -> str | None:
    """An attribute value as a string (dates ISO), or None if it is not a scalar."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    return None


def _find_key_line(lines: list[str], key: str) -> int | None:
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    for number, line in enumerate(lines, 1):
        if pattern.match(line):
            return number
    return None


def meta_from_mapping(data: dict, path, first_line: int, source_lines: list[str]):
    """(attributes, speakers, warnings) from a parsed front matter / sidecar mapping."""
    attributes: dict[str, str] = {}
    speakers: dict[str, dict[str, str]] = {}
    warnings: list[str] = []

    def line_of(key: str) -> int:
        found = _find_key_line(source_lines, key)
        return first_line + found - 1 if found else first_line

    for key, value in data.items():
        if str(key).strip().lower() == "speakers":
            if value is None:
                continue
            if not isinstance(value, dict):
                raise QualcodeError("malformed front matter: 'speakers' must be a mapping of speaker labels", path, line_of(str(key)))
            for label, attrs in value.items():
                if attrs is None:
                    attrs = {}
                if not isinstance(attrs, dict):
                    raise QualcodeError(
                        f"malformed front matter: speaker '{label}' must have a mapping of attributes, "
                        "e.g. {role: chef}", path, line_of(str(key)))
                entry = speakers.setdefault(normalise_label(str(label)), {})
                for k, v in attrs.items():
                    text = scalar_str(v)
                    if text is not None:
                        entry[canonical_key(k)] = text
            continue
        name = canonical_key(key)
        if value is None:
            continue
        if isinstance(value, list) and all(scalar_str(v) is not None for v in value):
            text = ", ".join(scalar_str(v) for v in value)
        else:
            text = scalar_str(value)
        if text is None:
            warnings.append(f"ignored front matter key '{key}': not a plain value")
            continue
        attributes[name] = iso_date(text) if name == "date" else text
    return attributes, speakers, warnings


def _load_yaml(source: str, path, first_line: int, what: str):
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(source, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # An unclosed `[` or quote is only noticed at the end; its opening line is more useful.
        if exc.context_mark is not None and mark.index >= len(source.rstrip()):
            mark = exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = exc.problem or exc.context or "invalid YAML"
        raise QualcodeError(f"malformed {what}: {problem}", path, line) from None
    except yaml.YAMLError as exc:
        raise QualcodeError(f"malformed {what}: {exc}", path, first_line) from None


def split_front_matter(text: str, path=None):
    """(attributes, speakers, warnings, body) with front matter between `---` lines removed."""
    first_nl = text.find("\n")
    first = text if first_nl < 0 else text[:first_nl]
    if first.rstrip() != "---":
        return {}, {}, [], text
    closing = _CLOSING.search(text, first_nl + 1) if first_nl >= 0 else None
    if closing is None:
        raise QualcodeError("malformed front matter: the opening '---' has no closing '---' line", path, 1)
    source = text[first_nl + 1:closing.start()]
    data = _load_yaml(source, path, 2, "front matter")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise QualcodeError("malformed front matter: expected 'key: value' lines", path, 2)
    attributes, speakers, warnings = meta_from_mapping(data, path, 2, source.split("\n"))
    body = text[closing.end():]
    return attributes, speakers, warnings, body


def is_sidecar(path: Path) -> bool:
    """True for `STEM.meta.yaml` files, which hold another file's attributes."""
    return Path(path).name.lower().endswith(SIDECAR_SUFFIXES)


def sidecar_for(path: Path) -> Path | None:
    """The existing `STEM.meta.yaml` (or `.meta.yml`) next to `path`, if any."""
    path = Path(path)
    for suffix in SIDECAR_SUFFIXES:
        candidate = path.with_name(path.stem + suffix)
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path):
    """(attributes, speakers, warnings) from a sidecar file."""
    from qualcode.importers.decoding import decode_bytes

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise QualcodeError(f"cannot read file ({exc.strerror})", path) from None
    if not raw.strip():
        return {}, {}, []
    source, _ = decode_bytes(raw, path)
    data = _load_yaml(source, path, 1, "metadata file")
    if data is None:
        return {}, {}, []
    if not isinstance(data, dict):
        raise QualcodeError("malformed metadata file: expected 'key: value' lines", path, 1)
    return meta_from_mapping(data, path, 1, source.split("\n"))
