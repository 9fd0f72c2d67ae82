"""Word .docx transcripts -> speaker lines, with a leading 2-column table read as metadata."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from qualcode.errors import QualcodeError
from qualcode.importers.frontmatter import KEY_ALIASES, canonical_key, iso_date

NOT_DOCX = "not a Word .docx file"
_TIMESTAMPISH = re.compile(r"^[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?$")
# A first 2-column table this long with no known key is more likely the transcript itself.
_MAX_ANONYMOUS_META_ROWS = 12


def _open(path: Path):
    import docx

    if not zipfile.is_zipfile(path):
        raise QualcodeError(NOT_DOCX, path)
    try:
        return docx.Document(str(path))
    except Exception:  # python-docx raises several types for zips that are not Word files
        raise QualcodeError(NOT_DOCX, path) from None


def _rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats across the columns it spans
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text.strip())
        rows.append(cells)
    return rows


def _metadata(rows: list[list[str]]) -> dict[str, str] | None:
    """Attributes from a key/value table, or None if the table does not look like one."""
    if not rows or any(len(r) != 2 for r in rows):
        return None
    known = sum(1 for key, _ in rows if key.strip().rstrip(":").strip().lower() in KEY_ALIASES)
    if not known and len(rows) > _MAX_ANONYMOUS_META_ROWS:
        return None
    attributes = {}
    for key, value in rows:
        name = canonical_key(key).lower()
        if name and value:
            attributes[name] = iso_date(value) if name == "date" else " ".join(value.split())
    return attributes


def _table_lines(rows: list[list[str]]) -> list[str]:
    lines = []
    for cells in rows:
        cells = [c for c in cells if c]
        if not cells:
            continue
        if len(cells) == 3 and _TIMESTAMPISH.match(cells[0]) and len(cells[1]) <= 60 and ":" not in cells[1]:
            lines.append(f"[{cells[0].strip('[]()')}] {cells[1]}: {cells[2]}")
        elif len(cells) == 2 and len(cells[0]) <= 60 and ":" not in cells[0] and "\n" not in cells[0]:
            lines.append(f"{cells[0]}: {cells[1]}")
        else:
            lines.append(" | ".join(cells))
    return lines


def docx_lines(path: Path) -> tuple[str, dict[str, str]]:
    """(text as lines, attributes) of a .docx: paragraphs and tables in body order."""
    from docx.table import Table

    doc = _open(path)
    attributes: dict[str, str] = {}
    lines: list[str] = []
    seen_text = False
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            rows = _rows(block)
            meta = None if seen_text else _metadata(rows)
            if meta is not None:
                attributes.update(meta)
            else:
                lines.extend(_table_lines(rows))
            seen_text = True
            continue
        text = block.text.strip()
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        # A title or heading above the metadata table does not make it "later in the body".
        if not style.startswith(("Title", "Heading", "Rubrik")):
            seen_text = True
        lines.append(text)
    title = (doc.core_properties.title or "").strip()
    if title and "title" not in attributes:
        attributes["title"] = title
    return "\n".join(lines), attributes
