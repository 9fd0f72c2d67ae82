"""The Word report: title page, heat-map summary, one chapter per theme with whole quotes, codebook appendix."""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.export import strings
from qualcode.export.docx_styles import para
from qualcode.export.report_model import Report, Section

HEAT = (0x1F, 0x4E, 0x79)  # the darkest cell; zero is white
SPACES = re.compile(r"\s+")


def write_report_docx(report: Report, path: str | Path, template: str | Path | None = None) -> Path:
    """Write `report` to `path` (atomically); styles, fonts and margins come from `template` if given."""
    from qualcode.export.docx_styles import Commenter, open_document, styles
    from qualcode.files import write_atomically

    doc = open_document(template)
    st = styles(doc, tune_defaults=template is None)
    s = strings.get(report.language)
    commenter = Commenter(doc) if report.memos else None
    _title_page(doc, st, report)
    if report.sections:
        _summary(doc, st, report, s)
    for section in report.sections:
        _section(doc, st, section, s, commenter)
    _appendix(doc, st, report, s)
    doc.core_properties.title = f"{report.title}: {report.subtitle}"
    doc.core_properties.subject = report.subtitle
    return write_atomically(path, lambda tmp: doc.save(str(tmp)))


def _title_page(doc, st: dict, report: Report) -> None:
    from docx.shared import Pt

    para(doc, report.title, st["title"])
    para(doc, report.subtitle, st["subtitle"])
    table = doc.add_table(rows=0, cols=2)
    for label, value in report.facts:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].paragraphs[0].add_run(value)
    for row in table.rows:
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(4)
    _widths(doc, table, [1.6, 4.9])


def _summary(doc, st: dict, report: Report, s: dict) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    from qualcode.export.docx_styles import repeat_header, shade

    summary = report.summary
    heading = para(doc, s["summary"], st["h1"])
    heading.paragraph_format.page_break_before = True
    para(doc, s["summary_caption"].format(col=strings.attr(report.language, summary.col)), style=st["caption"])
    cols = summary.col_values
    table = doc.add_table(rows=1, cols=len(cols) + 2)
    if st["table"] is not None:
        table.style = st["table"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0].cells
    for cell, text in zip(header, ["", *cols, s["total"]]):
        cell.paragraphs[0].add_run(text).bold = True
        shade(cell, "D9D9D9")
    repeat_header(table.rows[0])
    peak = max([summary.cells[i][c] for i, _, theme in summary.rows if not theme for c in cols] or [1]) or 1
    for code, label, is_theme in summary.rows:
        counts = [summary.cells[code][c] for c in cols]
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = is_theme
        for cell, n in zip(cells[1:], [*counts, sum(counts)]):
            run = cell.paragraphs[0].add_run(str(n))
            if is_theme:
                run.bold = True
                shade(cell, "F2F2F2")
            elif cell is not cells[-1]:
                share = n / peak
                shade(cell, _heat(share))
                if share > 0.55:
                    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
                elif n == 0:
                    run.font.color.rgb = RGBColor(0xA6, 0xA6, 0xA6)
        if is_theme:
            shade(cells[0], "F2F2F2")
    if summary.transcripts:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(s["transcripts_row"]).italic = True
        for cell, c in zip(cells[1:], cols):
            cell.paragraphs[0].add_run(str(summary.transcripts.get(c, 0))).italic = True
    for row in table.rows:
        for cell in row.cells[1:]:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for cell in row.cells:
            fmt = cell.paragraphs[0].paragraph_format
            fmt.space_before, fmt.space_after = Pt(1), Pt(1)
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    _widths(doc, table, [2.2] + [max(4.3 / (len(cols) + 1), 0.45)] * (len(cols) + 1))


def _heat(share: float) -> str:
    return "".join(f"{round(255 - (255 - c) * share):02X}" for c in HEAT)


def _widths(doc, table, inches: list[float]) -> None:
    """Column widths in proportion to `inches`, scaled to the text width of the page."""
    from docx.shared import Emu, Inches

    section = doc.sections[-1]
    try:
        room = section.page_width - section.left_margin - section.right_margin
    except TypeError:  # a template without page size or margins
        room = Inches(6)
    widths = [Emu(int(room * w / sum(inches))) for w in inches]
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width  # the grid: what LibreOffice reads
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _section(doc, st: dict, section: Section, s: dict, commenter) -> None:
    from qualcode.export.codebook_docx import labelled

    heading = para(doc, section.title, st[f"h{min(section.level, 3)}"])
    if section.level == 1:
        heading.paragraph_format.page_break_before = True  # each theme is a chapter
    for label, text in section.notes:
        labelled(doc, label, text) if label else para(doc, text)
    for quote in section.quotes:
        _quote(doc, st, quote, s, commenter)
    for child in section.children:
        _section(doc, st, child, s, commenter)


def _quote(doc, st: dict, quote: dict, s: dict, commenter) -> None:
    paragraph = para(doc, SPACES.sub(" ", quote["text"]), st["quote"])
    run = paragraph.runs[0]
    para(doc, attribution_line(quote, s), style=st["attribution"])
    paragraph.paragraph_format.keep_with_next = True  # the attribution stays with its quote
    if commenter is not None:
        for coder, memo in quote["memos"]:
            commenter.add(run, memo, coder or "qualcode", _initials(coder))


def attribution_line(quote: dict, s: dict) -> str:
    """`(Syd, chef, kommun) — syd-grupp, IP 2, turn 4`: who said it and where to find it."""
    first, last = quote.get("turn"), quote.get("turn_last")
    where = f"{s['turns']} {first}–{last}" if first and last and last != first else (f"{s['turn']} {first}" if first else "")
    place = ", ".join(x for x in (quote["transcript"], quote.get("speaker"), where) if x)
    return f"{quote['attribution']} — {place}" if quote.get("attribution") else place


def _initials(name: str) -> str:
    return "".join(part[0] for part in re.split(r"[\s._-]+", name or "") if part).upper()[:3]


def _appendix(doc, st: dict, report: Report, s: dict) -> None:
    from qualcode.export.codebook_docx import add_codebook

    heading = para(doc, s["appendix"], st["h1"])
    heading.paragraph_format.page_break_before = True
    book = report.book
    intro = " ".join(x for x in (book.name, f"({s['version']} {book.version})" if book.version else "") if x)
    if intro:
        para(doc, intro).runs[0].bold = True
    if book.text(None, "description", report.language):
        para(doc, book.text(None, "description", report.language))
    add_codebook(doc, book, st, report.language, level=2)
