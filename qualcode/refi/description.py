"""The readable `<Description>` layout: a code's fields under `== Section ==` markers, and its parser.

Prose in the codebook's language is unmarked (`== Inclusion ==`, and the main text with no
marker at all), so other tools show it as it is; another language's prose is marked with its
language (`== Definition (en) ==`), so a codebook goes to `.qdc` and back without losing it.
"""

from __future__ import annotations

import re

from qualcode.codebook import LANGUAGES, PROSE_FIELDS, CodeDef, ordered_languages

MARKER = re.compile(r"^== ?(.+?) ?==[ \t]*$")
# Sections in the order written; names are what a colleague in another tool reads.
TEXT_SECTIONS = [("Definition", "definition"), ("Description", "description"), ("Source", "source"),
                 ("Inclusion", "inclusion"), ("Exclusion", "exclusion")]
QUALCODE = "qualcode"


def _items(values: list[str]) -> str:
    # One item per line; a multi-line item continues indented, so it parses back whole.
    return "\n".join("- " + value.replace("\n", "\n  ") for value in values)


def write(node: CodeDef, language: str) -> str:
    """The Description text of a theme or code. Its main text comes first, without a marker."""
    main = "description" if not node.codable else "definition"
    parts = []
    if getattr(node, main).get(language):
        parts.append(getattr(node, main)[language])
    for title, name in TEXT_SECTIONS:
        if name not in PROSE_FIELDS:
            if getattr(node, name):
                parts.append(f"== {title} ==\n{getattr(node, name)}")
            continue
        texts = getattr(node, name)
        if name != main and texts.get(language):
            parts.append(f"== {title} ==\n{texts[language]}")
        for lang in ordered_languages(texts):
            if lang != language and texts[lang]:
                parts.append(f"== {title} ({lang}) ==\n{texts[lang]}")
    if node.examples:
        parts.append("== Examples ==\n" + _items(node.examples))
    for lang in node.indicators:
        if node.indicators[lang]:
            parts.append(f"== Indicators ({lang}) ==\n" + _items(node.indicators[lang]))
    extra = [f"id: {node.id}"]
    extra += [f"label ({lang}): {text}" for lang, text in node.labels.items() if lang != language]
    if node.shortcut:
        extra.append(f"shortcut: {node.shortcut}")
    parts.append(f"== {QUALCODE} ==\n" + "\n".join(extra))
    return "\n\n".join(parts)


def _list(body: str) -> list[str]:
    items: list[str] = []
    for line in body.split("\n"):
        if line.startswith("- "):
            items.append(line[2:])
        elif line.startswith("  ") and items:
            items[-1] += "\n" + line[2:]
        elif line.strip():
            items.append(line.strip())  # hand-edited in another tool: a plain line is an item too
    return items


def parse(text: str | None) -> dict:
    """The fields of a Description: markers parsed back; text without markers is the main text (`main`).

    Unmarked prose is the codebook language's; `translations` holds marked prose, {field: {language: text}}.
    """
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        m = MARKER.match(line)
        if m:
            sections.append((m.group(1).strip(), []))
        else:
            sections[-1][1].append(line)
    fields: dict = {"labels": {}, "indicators": {}, "examples": [], "translations": {}}
    names = {title.lower(): name for title, name in TEXT_SECTIONS}
    unknown = []
    ours = any((title or "").lower() == QUALCODE for title, _ in sections)
    for index, (title, lines) in enumerate(sections):
        body = "\n".join(lines)
        if index < len(sections) - 1 and body.endswith("\n"):
            body = body[:-1]  # the blank line before the next marker; the rest is the value exactly
        if not ours:
            body = body.strip()  # written by another tool or a person: whitespace is not meaningful
        key = (title or "").lower()
        marked = re.fullmatch(r"(\w+)\s*\((\w+)\)", key)
        if title is None:
            fields["main"] = body
        elif key in names:
            fields[names[key]] = body
        elif marked and names.get(marked.group(1)) in PROSE_FIELDS and marked.group(2) in LANGUAGES:
            fields["translations"].setdefault(names[marked.group(1)], {})[marked.group(2)] = body
        elif key == "examples":
            fields["examples"] = _list(body)
        elif key.startswith("indicators"):
            m = re.match(r"indicators\s*\((\w+)\)", key)
            fields["indicators"][m.group(1) if m else "sv"] = _list(body)
        elif key == QUALCODE:
            for line in body.split("\n"):
                name, _, value = line.partition(":")
                name, value = name.strip(), value.strip()
                lm = re.fullmatch(r"label \((\w+)\)", name)
                if lm:
                    fields["labels"][lm.group(1)] = value
                elif name in ("id", "shortcut") and value:
                    fields[name] = value
        else:
            unknown.append(f"== {title} ==\n{body}")  # another tool's marker: kept as text
    if unknown:
        fields["main"] = "\n\n".join([fields.get("main", "")] + unknown).strip()
    return fields
