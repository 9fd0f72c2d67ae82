"""Mirroring a codebook into the project's `codes` table, without ever losing codings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from qualcode import store
from qualcode.codebook import PROSE_FIELDS, Codebook, CodeDef, load_codebook, ordered_languages
from qualcode.errors import QualcodeError

COLUMNS = ("id", "uuid", "parent", "codable", "labels", "definition", "source", "inclusion",
           "exclusion", "examples", "indicators", "color", "shortcut", "position", "description", "texts")


@dataclass
class LoadSummary:
    """What loading a codebook changed in the store."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)
    unchanged: int = 0

    def __str__(self) -> str:
        text = f"{self.added} added, {self.updated} updated, {self.removed} removed"
        if self.renamed:
            text += ", renamed " + ", ".join(f"{old} -> {new}" for old, new in self.renamed)
        return text


def _texts(by_field: dict[str, dict[str, str]]) -> str:
    """{field: {language: text}} as JSON, in a fixed order so an unchanged codebook compares equal."""
    data = {name: {lang: texts[lang] for lang in ordered_languages(texts) if texts[lang]}
            for name, texts in by_field.items()}
    return json.dumps({name: texts for name, texts in data.items() if texts}, ensure_ascii=False)


def _row(node: CodeDef, position: int, language: str) -> dict:
    # The plain columns hold the primary language's text (old readers); `texts` holds every language.
    return {
        "id": node.id,
        "uuid": node.uuid,
        "parent": node.parent,
        "codable": int(node.codable),
        "labels": json.dumps(node.labels, ensure_ascii=False),
        "definition": node.text("definition", language),
        "source": node.source,
        "inclusion": node.text("inclusion", language),
        "exclusion": node.text("exclusion", language),
        "examples": json.dumps(node.examples, ensure_ascii=False),
        "indicators": json.dumps(node.indicators, ensure_ascii=False),
        "color": node.color,
        "shortcut": node.shortcut,
        "position": position,
        "description": node.text("description", language) or None,
        "texts": _texts({name: getattr(node, name) for name in PROSE_FIELDS}),
    }


def coding_counts(db) -> dict[str, int]:
    """Number of codings per code id (all coders)."""
    return {code: n for code, n in db.execute("SELECT code_id, count(*) FROM codings GROUP BY code_id")}


def code_exists(db, id: str) -> bool:
    return db.execute("SELECT 1 FROM codes WHERE id = ?", [id]).fetchone() is not None


def _recorded_name(project, path: Path) -> str:
    """The file name relative to the project's codebooks/ folder, or the absolute path if outside it."""
    path = Path(path).resolve()
    try:
        return path.relative_to((Path(project.root) / "codebooks").resolve()).as_posix()
    except ValueError:
        return str(path)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def load_into_project(project, path: str | Path, book: Codebook | None = None) -> LoadSummary:
    """Make the `codes` table mirror `book` (read from `path` if not given), in one transaction."""
    book = book if book is not None else load_codebook(path)
    db = project.db
    summary = LoadSummary()
    with store.transaction(db):
        existing = {row["id"]: row for row in db.query("SELECT * FROM codes")}
        by_uuid = {row["uuid"]: row["id"] for row in existing.values() if row["uuid"]}
        counts = coding_counts(db)
        wanted = {node.id for node in book.nodes}
        renames = {}  # old id -> new id: same uuid, an id that no longer exists
        for node in book.nodes:
            old = by_uuid.get(node.uuid)
            if node.id not in existing and old is not None and old not in wanted:
                renames[old] = node.id
        removed = [code for code in existing if code not in wanted and code not in renames]
        kept = [code for code in removed if counts.get(code)]
        if kept:
            listed = ", ".join(f"{code} ({_plural(counts[code], 'coding')})" for code in kept)
            raise QualcodeError(
                f"refusing to remove codes that have codings: {listed}; put them back in the codebook "
                "(or rename them, keeping their uuid) or remove their codings first",
                path,
            )
        themed = [node.id for node in book.nodes if not node.codable and node.id in existing and counts.get(node.id)]
        themed += [new for old, new in renames.items() if not book[new].codable and counts.get(old)]
        if themed:
            listed = ", ".join(themed)
            raise QualcodeError(f"refusing to make coded codes into themes: {listed}; move them under codes:", path)

        table = db["codes"]
        for position, node in enumerate(book.nodes):
            row = _row(node, position, book.language)
            if node.id in existing:
                same = {key: existing[node.id][key] for key in COLUMNS} == row
                if not same:
                    table.update(node.id, row)
                    summary.updated += 1
                else:
                    summary.unchanged += 1
            else:
                table.insert(row)
                summary.added += 1
        for old, new in renames.items():
            # Insert-then-repoint-then-delete keeps the codings foreign key valid throughout.
            db.execute("UPDATE codings SET code_id = ? WHERE code_id = ?", [new, old])
            db.execute("UPDATE suggestion_decisions SET code_id = ? WHERE code_id = ?", [new, old])
            # The undo log must name the new id too, or undoing an old action would fail.
            db.execute(
                "UPDATE actions SET payload = replace(payload, ?, ?)",
                [json.dumps({"code_id": old})[1:-1], json.dumps({"code_id": new})[1:-1]],
            )
            db.execute("DELETE FROM codes WHERE id = ?", [old])
            summary.renamed.append((old, new))
            summary.added -= 1
        for code in removed:
            db.execute("DELETE FROM suggestion_decisions WHERE code_id = ?", [code])
            db.execute("DELETE FROM codes WHERE id = ?", [code])
        summary.removed = len(removed)
        store.set_meta(db, "codebook", _recorded_name(project, Path(path)))
        store.set_meta(db, "codebook_name", book.name)
        store.set_meta(db, "codebook_version", book.version)
        store.set_meta(db, "codebook_language", book.language)
        store.set_meta(db, "codebook_description", book.text(None, "description"))
        store.set_meta(db, "codebook_texts", json.loads(_texts({"description": book.description})))
    return summary


def codebook_from_store(db) -> Codebook:
    """The loaded codebook rebuilt from the `codes` table (for exports and `codebook show`)."""
    language = store.get_meta(db, "codebook_language") or store.get_meta(db, "language", "sv")
    book_texts = store.get_meta(db, "codebook_texts") or {}
    book = Codebook(
        name=store.get_meta(db, "codebook_name", "") or "",
        version=store.get_meta(db, "codebook_version", "") or "",
        language=language,
        description=book_texts.get("description") or store.get_meta(db, "codebook_description", "") or "",
    )
    for row in db.query("SELECT * FROM codes ORDER BY position, id"):
        texts = json.loads(row["texts"] or "{}")
        # `texts` holds every language; a row without it has only the primary's text, in its column.
        prose = {name: dict(texts.get(name) or ({language: row[name]} if row[name] else {})) for name in PROSE_FIELDS}
        book.nodes.append(CodeDef(
            id=row["id"],
            uuid=row["uuid"],
            parent=row["parent"],
            codable=bool(row["codable"]),
            labels=json.loads(row["labels"] or "{}"),
            definition=prose["definition"],
            source=row["source"] or "",
            inclusion=prose["inclusion"],
            exclusion=prose["exclusion"],
            examples=json.loads(row["examples"] or "[]"),
            indicators=json.loads(row["indicators"] or "{}"),
            color=row["color"],
            shortcut=row["shortcut"],
            description=prose["description"],
        ))
    return book
