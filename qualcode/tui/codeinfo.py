"""The codebook as the TUI needs it: codes in tree order with colours, shortcuts and counts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

# Used for codes without a colour in the codebook; distinct on dark and light backgrounds.
PALETTE = ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#EECA3B",
           "#B279A2", "#FF9DA6", "#9D755D", "#BAB0AC")


@dataclass
class Code:
    id: str
    parent: str | None
    codable: bool
    labels: dict
    definition: str = ""
    source: str = ""
    inclusion: str = ""
    exclusion: str = ""
    examples: list = field(default_factory=list)
    indicators: dict = field(default_factory=dict)
    color: str = "#888888"
    shortcut: str | None = None
    position: int = 0
    depth: int = 0

    def label(self, language: str = "sv") -> str:
        return self.labels.get(language) or next((v for v in self.labels.values() if v), self.id)

    def both_labels(self) -> str:
        sv, en = self.labels.get("sv"), self.labels.get("en")
        if sv and en and sv.lower() != en.lower():
            return f"{sv} / {en}"
        return sv or en or self.id


class Codes:
    """Codes by id in tree order (themes first, each followed by its subtree)."""

    def __init__(self, rows: list[Code], language: str = "sv"):
        self.language = language
        self.by_id = {c.id: c for c in rows}
        self.ordered: list[Code] = []
        seen: set[str] = set()

        def visit(code: Code, depth: int) -> None:
            if code.id in seen:
                return
            seen.add(code.id)
            code.depth = depth
            self.ordered.append(code)
            for child in self.children(code.id):
                visit(child, depth + 1)

        for root in self.children(None):
            visit(root, 0)
        for code in rows:  # anything left by a cycle still shows
            visit(code, 0)
        self.rank = {c.id: i for i, c in enumerate(self.ordered)}
        self.shortcuts = {c.shortcut: c.id for c in self.ordered if c.shortcut and c.codable}

    def children(self, parent: str | None) -> list[Code]:
        out = [c for c in self.by_id.values()
               if c.parent == parent or (parent is None and c.parent not in self.by_id)]
        return sorted(out, key=lambda c: (c.position, c.id))

    def codable(self) -> list[Code]:
        return [c for c in self.ordered if c.codable]

    def get(self, code_id: str) -> Code | None:
        return self.by_id.get(code_id)

    def label(self, code_id: str) -> str:
        code = self.by_id.get(code_id)
        return code.label(self.language) if code else code_id

    def color(self, code_id: str) -> str:
        code = self.by_id.get(code_id)
        return code.color if code else "#888888"


def load_codes(db) -> Codes:
    """Read the codes table directly (cheap, and independent of the YAML model)."""
    from qualcode import store
    from qualcode.codebook import pick

    rows = []
    language = store.get_meta(db, "codebook_language") or store.get_meta(db, "language", "sv") or "sv"
    # Definitions and criteria in the project's language when the codebook has them in it.
    prose_language = store.get_meta(db, "language") or language
    query = ('SELECT id, parent, codable, labels, definition, source, inclusion, exclusion, examples, '
             'indicators, color, shortcut, position, texts FROM codes ORDER BY position, id')
    for i, r in enumerate(db.execute(query).fetchall()):
        texts = json.loads(r[13] or "{}")
        prose = {name: pick(texts.get(name) or {}, prose_language, language) or column or ""
                 for name, column in (("definition", r[4]), ("inclusion", r[6]), ("exclusion", r[7]))}
        rows.append(Code(
            id=r[0], parent=r[1], codable=bool(r[2]), labels=json.loads(r[3] or "{}"),
            source=r[5] or "", examples=json.loads(r[8] or "[]"), indicators=json.loads(r[9] or "{}"),
            color=r[10] or PALETTE[i % len(PALETTE)], shortcut=(str(r[11]) if r[11] not in (None, "") else None),
            position=r[12] or 0, **prose,
        ))
    return Codes(rows, language)


def coding_counts(db) -> dict[str, int]:
    return dict(db.execute("SELECT code_id, COUNT(*) FROM codings GROUP BY code_id").fetchall())
