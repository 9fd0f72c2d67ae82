"""Opening a Word document (blank or from a template) and finding or adding the styles the exports use."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from qualcode.errors import QualcodeError

TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def check_template(path: str | Path) -> Path:
    """A readable .docx/.dotx, or a one-line error naming the file (checked before any work)."""
    path = Path(path)
    if not path.is_file():
        raise QualcodeError("no such template file", path)
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError):
        raise QualcodeError("not a Word file: give a .docx or .dotx as --template", path) from None
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise QualcodeError("not a Word file: give a .docx or .dotx as --template", path)
    return path


def open_document(template: str | Path | None = None):
    """A new document; from a template it keeps the styles, fonts, margins, headers and footers,
    with the body emptied."""
    import docx
    from docx.oxml.ns import qn

    if template is None:
        return docx.Document()
    path = check_template(template)
    data = path.read_bytes()
    if path.suffix.lower() in (".dotx", ".dotm"):
        data = _as_document(data)  # python-docx opens documents only; a .dotx differs in one content type
    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a broken package
        raise QualcodeError(f"cannot read the Word template: {error}", path) from None
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def _as_document(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(TEMPLATE_TYPE, DOCUMENT_TYPE)
            dst.writestr(item, content)
    return out.getvalue()


def styles(doc, tune_defaults: bool = False) -> dict:
    """The styles by role: h1-h3, title, subtitle, quote, attribution, caption, bullet, table.

    `tune_defaults` (no template given): indent python-docx's plain Quote style like a block quote.
    """
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Inches, Pt, RGBColor

    found = {}
    for level in (1, 2, 3):
        found[f"h{level}"] = _heading(doc, level)
    found["title"] = _find(doc, "Title") or _add(doc, "Title", size=26)
    found["subtitle"] = _find(doc, "Subtitle") or _add(doc, "Subtitle", size=14, italic=True)
    found["quote"] = _find(doc, "Quote") or _find(doc, "Intense Quote") or _add(doc, "Quote", italic=True, indent=0.4)
    if tune_defaults:
        fmt = found["quote"].paragraph_format
        fmt.left_indent = fmt.right_indent = Inches(0.4)
        fmt.space_before, fmt.space_after = Pt(6), Pt(2)
    found["normal"] = _find(doc, "Normal")
    found["bullet"] = _find(doc, "List Bullet")
    found["caption"] = _find(doc, "Caption") or _add(doc, "Caption", size=9, italic=True)
    attribution = _find(doc, "Quote Attribution")
    if attribution is None:
        attribution = doc.styles.add_style("Quote Attribution", WD_STYLE_TYPE.PARAGRAPH)
        attribution.base_style = found["normal"]
        attribution.font.size = Pt(9)
        attribution.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        fmt = attribution.paragraph_format
        fmt.left_indent = found["quote"].paragraph_format.left_indent  # under the quote's text
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(12)
    found["attribution"] = attribution
    found["table"] = _find(doc, "Table Grid", WD_STYLE_TYPE.TABLE)
    return found


def _find(doc, name: str, kind=None):
    from docx.enum.style import WD_STYLE_TYPE

    try:
        style = doc.styles[name]
    except KeyError:
        return None
    return style if style.type == (kind or WD_STYLE_TYPE.PARAGRAPH) else None


def _add(doc, name: str, *, size: float | None = None, italic: bool = False, bold: bool = False,
         indent: float | None = None):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Inches, Pt

    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = _find(doc, "Normal")
    if size:
        style.font.size = Pt(size)
    style.font.italic = italic or None
    style.font.bold = bold or None
    if indent:
        style.paragraph_format.left_indent = Inches(indent)
        style.paragraph_format.right_indent = Inches(indent)
    return style


def _heading(doc, level: int):
    """The built-in heading style; a template without it gets one Word recognises (with an outline level)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = _find(doc, f"Heading {level}")
    if style is not None:
        return style
    style = _add(doc, f"Heading {level}", size=(16, 13, 11)[level - 1], bold=True)
    style.paragraph_format.space_before = Pt((18, 12, 10)[level - 1])
    style.paragraph_format.keep_with_next = True
    ppr = style.element.get_or_add_pPr()
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level - 1))  # what the navigation pane and a TOC read
    ppr.append(outline)
    return style


def shade(cell, fill: str) -> None:
    """Background colour of a table cell (hex without #)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def repeat_header(row) -> None:
    """Repeat this table row at the top of each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XML does not allow


def para(doc, text: str = "", style=None):
    """Append a paragraph in O(1): python-docx's add_paragraph rescans the body and the style
    list each time, which makes a 10,000-paragraph report take seconds more."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    p = OxmlElement("w:p")
    if style is not None:
        ppr = OxmlElement("w:pPr")
        pstyle = OxmlElement("w:pStyle")
        pstyle.set(qn("w:val"), style.style_id)
        ppr.append(pstyle)
        p.append(ppr)
    body = doc.element.body
    try:
        last = body[-1]  # len(body) would count every child
    except IndexError:
        last = None
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(p)
    else:
        body.append(p)
    paragraph = Paragraph(p, doc._body)
    if text:
        paragraph.add_run(CONTROL.sub("", text))
    return paragraph


class Commenter:
    """Adds Word comments anchored on runs, numbering them itself: python-docx's add_comment
    rescans every comment id per call (quadratic for thousands of memos)."""

    def __init__(self, doc):
        self.doc = doc
        self.comments = None
        self.next_id = 0

    def add(self, run, text: str, author: str, initials: str) -> int:
        import datetime as dt

        from docx.comments import Comment
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        if self.comments is None:
            self.comments = self.doc.comments  # creates the comments part on first use
            used = [int(x) for x in self.comments._comments_elm.xpath("./w:comment/@w:id")]
            self.next_id = max(used, default=-1) + 1
        comment_id, self.next_id = self.next_id, self.next_id + 1
        element = parse_xml(
            f'<w:comment {nsdecls("w")} w:id="{comment_id}" w:author=""><w:p><w:pPr><w:pStyle w:val="CommentText"/>'
            '</w:pPr><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r></w:p></w:comment>'
        )
        self.comments._comments_elm.append(element)
        element.author = author
        element.initials = initials
        element.date = dt.datetime.now(dt.timezone.utc)
        comment = Comment(element, self.comments._comments_part)
        lines = (text or "").split("\n")
        comment.paragraphs[0].add_run(lines[0])
        for line in lines[1:]:
            comment.add_paragraph(line)
        run.mark_comment_range(run, comment_id)
        return comment_id
