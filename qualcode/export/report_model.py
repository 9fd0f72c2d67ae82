"""The Word report's content as plain data (title facts, summary, section tree, quotes), testable without docx."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from qualcode.errors import QualcodeError
from qualcode.export import strings
from qualcode.export.matrix import from_excerpts, none_label

@dataclass
class Section:
    """A heading (level 1-3), the notes under it (label, text), its quotes and subsections."""

    kind: str
    key: str
    title: str
    level: int
    notes: list[tuple[str, str]] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)


@dataclass
class Summary:
    col: str
    col_values: list[str]
    transcripts: dict[str, int]   # column value -> transcripts with that value
    rows: list[tuple[str, str, bool]]  # (id, label, is_theme) in codebook order
    cells: dict[str, dict[str, int]]   # codings per (row id, column value); themes sum their codes


@dataclass
class Report:
    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    summary: Summary
    sections: list[Section]
    book: object
    language: str
    by: str
    memos: bool
    quotes: int
    codings: int


def parse_by(by: str) -> list[str]:
    """`theme,site` -> [theme, code, site]; `site,theme` -> [site, theme, code]; code; transcript."""
    parts = [p.strip() for p in (by or "theme,site").split(",") if p.strip()]
    if parts == ["code"]:
        return ["theme", "code"]
    if parts == ["transcript"]:
        return ["transcript", "theme", "code"]
    if len(parts) == 2 and parts[0] == "theme" and parts[1] not in ("theme", "code"):
        return ["theme", "code", parts[1]]
    if len(parts) == 2 and parts[1] == "theme" and parts[0] not in ("theme", "code"):
        return [parts[0], "theme", "code"]
    raise QualcodeError(f"--by '{by}' is not one of theme,site | site,theme | code | transcript "
                        "(site may be any attribute, e.g. theme,role)")


def resolve_codes(book, codes, themes) -> list[str] | None:
    """The code ids selected by --code and --theme (together: either), or None for all."""
    if not codes and not themes:
        return None
    chosen: list[str] = []
    for code in codes or ():
        node = book.get(code)
        if node is None:
            raise QualcodeError(f"unknown code id '{code}' (see `qualcode codebook show`)")
        chosen += [code] if node.codable else [n.id for n in book.codable() if code in book.path(n.id)]
    for theme in themes or ():
        if book.get(theme) is None:
            raise QualcodeError(f"unknown theme id '{theme}' (see `qualcode codebook show`)")
        chosen += [n.id for n in book.codable() if theme in book.path(n.id)]
    return sorted(set(chosen))


def fetch_rows(project, *, codes=(), themes=(), sites=(), organisations=(), roles=(), coders=(),
               book=None) -> list[dict]:
    """Filtered excerpt rows; filters matching nothing are an error, said plainly.

    A project with no coding at all and no filters gives an empty list (its report is the codebook).
    """
    from qualcode.codes import codebook_from_store
    from qualcode.excerpts import excerpts

    book = book or codebook_from_store(project.db)
    selected = resolve_codes(book, codes, themes)
    rows = [] if selected == [] else excerpts(
        project.db, codes=selected, sites=list(sites), organisations=list(organisations),
        roles=list(roles), coders=list(coders))
    if not rows and (any((codes, themes, sites, organisations, roles, coders))
                     or project.db.execute("SELECT 1 FROM codings LIMIT 1").fetchone()):
        raise QualcodeError("no excerpts match these filters")
    return rows


def build_report(project, *, by: str = "theme,site", codes=(), themes=(), sites=(), organisations=(),
                 roles=(), coders=(), pseudonyms=None, memos: bool = False, language: str | None = None,
                 when: datetime | None = None) -> Report:
    """Everything the Word report shows, in order, with pseudonyms applied."""
    from qualcode.codes import codebook_from_store
    from qualcode.export.quotes import merge_quotes, transcript_texts

    levels = parse_by(by)
    db = project.db
    book = codebook_from_store(db)
    lang = language or project.language or book.language
    s = strings.get(lang)
    rows = fetch_rows(project, codes=codes, themes=themes, sites=sites, organisations=organisations,
                      roles=roles, coders=coders, book=book)
    quotes = merge_quotes(rows, transcript_texts(db, (r["transcript_id"] for r in rows)))
    if pseudonyms:
        rows = [pseudonyms.row(r) for r in rows]
        quotes = [_pseudonymise_quote(q, pseudonyms) for q in quotes]
    attr = next((lv for lv in levels if lv not in ("theme", "code", "transcript")), "site")
    summary = _summary(db, rows, attr, book, lang, pseudonyms)
    sections = _group(quotes, levels, 1, book, lang, s)
    filters = [(name, ", ".join(values)) for name, values in (
        ("code", codes), ("theme", themes), ("site", sites), ("organisation", organisations),
        ("role", roles), ("coder", coders)) if values]
    coder_names = sorted({r["coder"] for r in rows if r.get("coder")})
    title = project.root.name if hasattr(project, "root") else "qualcode"
    facts = [
        (s["project"], title),
        (s["codebook"], " ".join(x for x in (book.name, f"{s['version']} {book.version}" if book.version else "") if x)
         or "-"),
        (s["coders"], ", ".join(coder_names) or "-"),
        (s["date"], (when or datetime.now()).strftime("%Y-%m-%d")),
        (s["filters"], "; ".join(f"{strings.attr(lang, k)}: {v}" for k, v in filters) or s["no_filters"]),
        (s["contents"], s["counts"].format(quotes=len(quotes), codings=len(rows),
                                           transcripts=len({r["transcript_id"] for r in rows}))
         if rows else s["nothing_coded"]),
    ]
    if pseudonyms:
        facts.append((s["pseudonyms"], s["pseudonyms_applied"]))

    return Report(title=title, subtitle=s["subtitle"].format(by=" · ".join(strings.attr(lang, lv) for lv in levels)),
                  facts=facts, summary=summary, sections=sections, book=book, language=lang, by=by,
                  memos=memos, quotes=len(quotes), codings=len(rows))


def _pseudonymise_quote(quote: dict, pseudonyms) -> dict:
    out = pseudonyms.row(quote)
    out["memos"] = [(pseudonyms.text(c), pseudonyms.text(m)) for c, m in quote["memos"]]
    out["coders"] = [pseudonyms.text(c) for c in quote["coders"]]
    return out


def _summary(db, rows: list[dict], col: str, book, lang: str, pseudonyms) -> Summary:
    table = from_excerpts(rows, rows="code", cols=col, count="codings", book=book)
    cells = table["matrix"]
    summary_rows: list[tuple[str, str, bool]] = []
    done: set[str] = set()
    for node in book.walk():
        if not node.codable:
            members = [c for c in table["row_values"] if book.theme_of(c) == node.id]
            if members:
                summary_rows.append((node.id, book.label(node.id, lang), True))
                cells[node.id] = {v: sum(cells[c][v] for c in members) for v in table["col_values"]}
                for code in members:
                    summary_rows.append((code, _code_title(book, code, lang), False))
                    done.add(code)
    for code in table["row_values"]:  # codes outside any theme
        if code not in done and code in cells:
            summary_rows.append((code, _code_title(book, code, lang), False))
    return Summary(col=col, col_values=table["col_values"], rows=summary_rows, cells=cells,
                   transcripts=transcripts_per_value(db, col, table["col_values"], pseudonyms))


def transcripts_per_value(db, col: str, values: list[str], pseudonyms=None) -> dict[str, int]:
    """How many transcripts have each value, at transcript or speaker level (a group interview counts once)."""
    if col in ("coder", "transcript"):
        return {}
    found: dict[int, set] = {}
    for tid, attrs in db.execute("SELECT id, attributes FROM transcripts"):
        found[tid] = {json.loads(attrs or "{}").get(col)}
    for tid, attrs in db.execute("SELECT transcript_id, attributes FROM speakers"):
        found.setdefault(tid, set()).add(json.loads(attrs or "{}").get(col))
    counts = dict.fromkeys(values, 0)
    missing = none_label(col)
    for vals in found.values():
        named = {str(v) for v in vals if v not in (None, "")}
        if pseudonyms:
            named = {pseudonyms.text(v) for v in named}
        for v in named or {missing}:
            if v in counts:
                counts[v] += 1
    return counts


def _code_title(book, code: str, lang: str) -> str:
    """A code's label, with its parent codes (not the theme) before it."""
    path = [p for p in book.path(code) if book.get(p) is not None and book.get(p).codable]
    return " › ".join(book.label(p, lang) for p in path) if path else book.label(code, lang)


def _group(quotes: list[dict], levels: list[str], level: int, book, lang: str, s: dict) -> list[Section]:
    if not levels:
        return []
    kind, rest = levels[0], levels[1:]
    buckets: dict[str, list[dict]] = {}
    for q in quotes:
        buckets.setdefault(_key(q, kind, book), []).append(q)
    sections = []
    for key in _order(buckets, kind, book):
        section = Section(kind=kind, key=key, title=_title(key, kind, book, lang, s), level=level,
                          notes=_notes(key, kind, book, lang, s))
        items = sorted(buckets[key], key=lambda q: (q["transcript"], q["start"], q["end"]))
        if rest:
            section.children = _group(items, rest, level + 1, book, lang, s)
        else:
            section.quotes = items
        sections.append(section)
    return sections


def _key(quote: dict, kind: str, book) -> str:
    if kind == "theme":
        return book.theme_of(quote["code"]) or ""
    if kind in ("code", "transcript"):
        return quote[kind]
    value = quote.get(kind) if kind in ("site", "organisation", "role", "speaker") \
        else (quote.get("attributes") or {}).get(kind)
    return str(value) if value not in (None, "") else none_label(kind)


def _order(buckets: dict, kind: str, book) -> list[str]:
    if kind in ("theme", "code"):
        position = {node.id: i for i, node in enumerate(book.walk())}
        return sorted(buckets, key=lambda k: (k not in position, position.get(k, 0), k))
    if kind == "transcript":
        return sorted(buckets)
    missing = none_label(kind)
    return sorted(buckets, key=lambda v: (v == missing, v.casefold(), v))


def _title(key: str, kind: str, book, lang: str, s: dict) -> str:
    if kind == "theme":
        return book.label(key, lang) if key else s["other_codes"]
    if kind == "code":
        return _code_title(book, key, lang)
    return key


def _notes(key: str, kind: str, book, lang: str, s: dict) -> list[tuple[str, str]]:
    node = book.get(key) if kind in ("theme", "code") and key else None
    if node is None:
        return []
    if kind == "theme":
        text = book.text(key, "description", lang)
        return [("", text)] if text else []
    definition = book.text(key, "definition", lang)
    notes = [(s["definition"], definition)] if definition else []
    if node.source:
        notes.append((s["source"], node.source))
    return notes
