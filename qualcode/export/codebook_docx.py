"""The codebook as Word: one heading per theme and code with definition, inclusion, exclusion and examples."""

from __future__ import annotations

from pathlib import Path

from qualcode.export import strings
from qualcode.export.docx_styles import para


def add_codebook(doc, book, st: dict, language: str, level: int = 1) -> None:
    """Themes at heading `level`, their codes one level below (deeper codes keep that level)."""
    s = strings.get(language)
    for node in book.walk():
        depth = 0 if not node.codable else 1
        heading = para(doc, _title(book, node.id, language), style=st[f"h{min(level + depth, 3)}"])
        if not node.codable:
            if book.text(node.id, "description", language):
                para(doc, book.text(node.id, "description", language))
            continue
        heading.add_run(f"  [{node.id}]").font.italic = True
        for name in ("definition", "inclusion", "exclusion", "source"):
            text = book.text(node.id, name, language)
            if text:
                labelled(doc, s[name], text)
        if node.examples:
            labelled(doc, s["examples"], "")
            for example in node.examples:
                bullet(doc, st, example)


def labelled(doc, label: str, text: str, style=None):
    """A paragraph `Label: text` with the label in bold."""
    p = para(doc, style=style)
    p.add_run(f"{label}: " if text else label).bold = True
    if text:
        p.add_run(text)
    return p


def bullet(doc, st: dict, text: str):
    if st.get("bullet") is not None:
        return para(doc, text, st["bullet"])
    return para(doc, "• " + text)  # a template without a bullet list style


def _title(book, id: str, language: str) -> str:
    path = [p for p in book.path(id) if book.get(p) is not None and book.get(p).codable]
    if len(path) > 1:
        return " › ".join(book.label(p, language) for p in path)
    return book.label(id, language)


def write_codebook_docx(book, path: str | Path, language: str | None = None, template: str | Path | None = None) -> Path:
    """Write `book` alone as a Word document (title, description, themes and codes) to `path`.

    The caller decides about overwriting; the file is written beside `path` and renamed into place.
    """
    from qualcode.export.docx_styles import open_document, styles
    from qualcode.files import write_atomically

    language = language or book.language
    doc = open_document(template)
    st = styles(doc, tune_defaults=template is None)
    para(doc, book.name or "Codebook", st["title"])
    if book.version:
        para(doc, f"{strings.get(language)['version'].capitalize()} {book.version}", style=st["subtitle"])
    if book.text(None, "description", language):
        para(doc, book.text(None, "description", language))
    add_codebook(doc, book, st, language, level=1)
    doc.core_properties.title = book.name or "Codebook"
    return write_atomically(path, lambda tmp: doc.save(str(tmp)))
