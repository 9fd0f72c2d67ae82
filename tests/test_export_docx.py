"""The Word report read back with python-docx: heading tree, quotes, attributions, summary, memos, template, bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_cli

NORR = """\
---
title: Chef Norr
site: Norr
organisation: kommun
role: chef
---
I: Hur började det?
IP: Vi hade erfarenhet sedan tidigare. Chefen var engagerad.
I: Och pengarna?
IP: Pengarna tog slut. Ingen tid fanns. Anna Berg i Norrby sa det också.
"""


def code_sentence(project, transcript: str, sentence: str, code: str, coder: str = "anna", memo: str | None = None):
    from qualcode.coding import add_coding
    from qualcode.transcripts import resolve, segments

    t = resolve(project.db, transcript)
    seg = next(s for s in segments(project.db, t.id) if s["text"] == sentence)
    return add_coding(project.db, t.id, seg["start"], seg["end"], code, coder, memo=memo)


@pytest.fixture
def coded(imported, tmp_path):
    """Two sites, two codes, merged and separate quotes, two coders, memos."""
    from qualcode.ingest import import_paths

    project, _ = imported
    norr = tmp_path / "norr-chef.md"
    norr.write_text(NORR, encoding="utf-8")
    import_paths(project, [norr])
    code_sentence(project, "syd-grupp", "Vi hade jobbat så förut.", "warm-start", memo="tidigare erfarenhet")
    code_sentence(project, "syd-grupp", "Det fanns mycket erfarenhet i teamet.", "warm-start")
    code_sentence(project, "syd-grupp", "Sedan gick det bättre.", "warm-start")
    code_sentence(project, "syd-grupp", "Chefen byttes tre gånger första året.", "cold-start", memo="chefsbyten")
    code_sentence(project, "syd-grupp", "Det var tufft.", "cold-start", coder="bertil")
    code_sentence(project, "norr-chef", "Vi hade erfarenhet sedan tidigare.", "warm-start")
    code_sentence(project, "norr-chef", "Chefen var engagerad.", "warm-start")
    code_sentence(project, "norr-chef", "Pengarna tog slut.", "cold-start")
    code_sentence(project, "norr-chef", "Anna Berg i Norrby sa det också.", "cold-start", coder="bertil")
    return project


def export(project, *args):
    return run_cli("--project", str(project.root), "export", "docx", *args)


def outline(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every paragraph."""
    import docx

    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]


def headings(path: Path) -> list[tuple[int, str]]:
    return [(int(style[-1]), text) for style, text in outline(path) if style.startswith("Heading ")]


def quotes_under(path: Path) -> list[tuple[str, str, str]]:
    """(heading 3 or 2 above, quote text, attribution) in document order."""
    out, under, paras = [], None, outline(path)
    for i, (style, text) in enumerate(paras):
        if style.startswith("Heading"):
            under = text
        if style == "Quote":
            out.append((under, text, paras[i + 1][1] if paras[i + 1][0] == "Quote Attribution" else None))
    return out


def test_heading_tree_quotes_and_attributions(coded, tmp_path):
    out = tmp_path / "r.docx"
    result = export(coded, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "6 quotes from 9 codings" in result.output
    tree = headings(out)
    body = tree[: tree.index((1, "Bilaga: kodbok"))]
    assert body == [
        (1, "Sammanfattning"),
        (1, "Beredskap"),
        (2, "varmstart"), (3, "Norr"), (3, "Syd"),
        (2, "kallstart"), (3, "Norr"), (3, "Syd"),
    ]
    # The appendix lists the codebook: a theme at level 2, its codes at level 3.
    assert [t for _, t in tree[tree.index((1, "Bilaga: kodbok")) + 1:]][:3] == ["Beredskap", "varmstart  [warm-start]",
                                                                               "kallstart  [cold-start]"]
    quotes = quotes_under(out)
    assert quotes == [
        ("Norr", "Vi hade erfarenhet sedan tidigare. Chefen var engagerad.",
         "(Norr, chef, kommun) — norr-chef, IP, replik 2"),
        ("Syd", "Vi hade jobbat så förut. Det fanns mycket erfarenhet i teamet.",
         "(Syd, case manager, psykiatri) — syd-grupp, IP 1, replik 2"),
        ("Syd", "Sedan gick det bättre.", "(Syd, case manager, psykiatri) — syd-grupp, IP 1, replik 5"),
        ("Norr", "Pengarna tog slut.", "(Norr, chef, kommun) — norr-chef, IP, replik 4"),
        ("Norr", "Anna Berg i Norrby sa det också.", "(Norr, chef, kommun) — norr-chef, IP, replik 4"),
        ("Syd", "Chefen byttes tre gånger första året. Det var tufft.",
         "(Syd, chef, kommun) — syd-grupp, IP 2, replik 3"),
    ]
    paras = outline(out)
    assert any(s == "Title" for s, _ in paras)
    definition = next(t for s, t in paras if t.startswith("Definition: Organisationen startar redo"))
    assert definition


def test_summary_table_matches_matrix(coded, tmp_path):
    import docx

    out = tmp_path / "r.docx"
    assert export(coded, "-o", str(out)).exit_code == 0
    table = docx.Document(str(out)).tables[1]
    grid = [[c.text for c in row.cells] for row in table.rows]
    matrix = json.loads(run_cli("--project", str(coded.root), "matrix", "--json").output)
    header = grid[0]
    assert header[1:-1] == matrix["col_values"] == ["Norr", "Syd"]
    by_label = {row[0]: row[1:] for row in grid[1:]}
    for code, label in (("warm-start", "varmstart"), ("cold-start", "kallstart")):
        counts = [int(x) for x in by_label[label]]
        assert counts[:-1] == [matrix["matrix"][code][c] for c in matrix["col_values"]]
        assert counts[-1] == sum(counts[:-1])
    assert [int(x) for x in by_label["Beredskap"][:-1]] == [4, 5]
    assert by_label["Transkript"][:2] == ["1", "1"]
    # heat map: each count cell has a fill, and the larger count is darker
    fills = {}
    for row in table.rows[1:]:
        for cell in row.cells[1:-1]:
            shd = cell._tc.tcPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}shd") \
                if cell._tc.tcPr is not None else None
            if shd is not None:
                fills[(row.cells[0].text, cell.text)] = shd.get(
                    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fill")
    # warm-start in Syd holds the most codings: the darkest cell; the others are lighter but not white
    assert fills[("varmstart", "3")] == "1F4E79"
    assert "FFFFFF" > fills[("kallstart", "2")] > fills[("varmstart", "3")]


def test_memos_become_comments_on_their_quotes(coded, tmp_path):
    import docx

    out = tmp_path / "r.docx"
    assert export(coded, "--memos", "-o", str(out)).exit_code == 0
    doc = docx.Document(str(out))
    comments = {c.text: c.author for c in doc.comments}
    assert comments == {"tidigare erfarenhet": "anna", "chefsbyten": "anna"}
    with zipfile.ZipFile(out) as z:
        assert "word/comments.xml" in z.namelist()
    # each comment's range starts in the paragraph of the quote it belongs to
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    anchored = {}
    for p in doc.paragraphs:
        for start in p._p.iter(f"{w}commentRangeStart"):
            anchored[doc.comments.get(int(start.get(f"{w}id"))).text] = p.text
    assert anchored == {"tidigare erfarenhet": "Vi hade jobbat så förut. Det fanns mycket erfarenhet i teamet.",
                        "chefsbyten": "Chefen byttes tre gånger första året. Det var tufft."}
    out2 = tmp_path / "plain.docx"
    assert export(coded, "-o", str(out2)).exit_code == 0
    assert len(docx.Document(str(out2)).comments) == 0


PSEUDONYMS = """\
sites:
  Syd: Söder
  Norr: Nordanby
people:
  Anna Berg: Person A
places:
  Norrby: Orten
"""


def test_pseudonyms_apply_to_text_headings_and_attributions(coded, tmp_path):
    names = tmp_path / "names.yaml"
    names.write_text(PSEUDONYMS, encoding="utf-8")
    out = tmp_path / "r.docx"
    assert export(coded, "--pseudonyms", str(names), "-o", str(out)).exit_code == 0
    import docx

    doc = docx.Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)
    for real in ("Syd", "Norr", "Anna Berg", "Norrby", "syd-grupp"):
        assert real not in text
    h3 = [t for level, t in headings(out) if level == 3]
    assert h3[:2] == ["Nordanby", "Söder"]
    quotes = quotes_under(out)
    assert ("Nordanby", "Person A i Orten sa det också.", "(Nordanby, chef, kommun) — nordanby-chef, IP, replik 4") in quotes
    assert any(a == "(Söder, chef, kommun) — söder-grupp, IP 2, replik 3" for _, _, a in quotes)
    assert doc.tables[1].rows[0].cells[1].text == "Nordanby"


def test_site_theme_order_puts_sites_first(coded, tmp_path):
    out = tmp_path / "r.docx"
    assert export(coded, "--by", "site,theme", "--code", "cold-start", "-o", str(out)).exit_code == 0
    tree = headings(out)
    body = tree[: tree.index((1, "Bilaga: kodbok"))]
    assert body == [(1, "Sammanfattning"), (1, "Norr"), (2, "Beredskap"), (3, "kallstart"),
                    (1, "Syd"), (2, "Beredskap"), (3, "kallstart")]


def test_coder_filter_and_by_code(coded, tmp_path):
    out = tmp_path / "r.docx"
    result = export(coded, "--by", "code", "--coder", "bertil", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert [t for _, t, _ in quotes_under(out)] == ["Anna Berg i Norrby sa det också.", "Det var tufft."]
    assert ("Kodare", "bertil") in [(r.cells[0].text, r.cells[1].text) for r in __import__("docx").Document(str(out)).tables[0].rows]


def test_template_gives_styles_and_margins_and_its_body_is_cleared(coded, tmp_path):
    import docx
    from docx.shared import Inches

    template = docx.Document()
    template.sections[0].left_margin = Inches(2)
    template.add_paragraph("TEMPLATE BODY TEXT")
    styles = template.styles.element
    for name in ("Quote", "Intense Quote", "Heading 2"):  # an institution's template may lack them
        styles.remove(template.styles[name].element)
    path = tmp_path / "institution.docx"
    template.save(str(path))
    out = tmp_path / "r.docx"
    result = export(coded, "--template", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    doc = docx.Document(str(out))
    assert doc.sections[0].left_margin == Inches(2)
    assert all("TEMPLATE BODY" not in p.text for p in doc.paragraphs)
    assert len(quotes_under(out)) == 6  # a quotation style was added where the template had none
    h2 = doc.styles["Heading 2"]
    assert h2.element.xpath("./w:pPr/w:outlineLvl/@w:val") == ["1"]
    assert (2, "varmstart") in headings(out)


def test_dotx_template_is_accepted(coded, tmp_path):
    import docx

    base = tmp_path / "t.docx"
    docx.Document().save(str(base))
    from qualcode.export.docx_styles import DOCUMENT_TYPE, TEMPLATE_TYPE

    dotx = tmp_path / "t.dotx"
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(dotx, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, data.replace(DOCUMENT_TYPE, TEMPLATE_TYPE) if item.filename == "[Content_Types].xml" else data)
    out = tmp_path / "r.docx"
    assert export(coded, "--template", str(dotx), "-o", str(out)).exit_code == 0
    assert len(quotes_under(out)) == 6


@pytest.mark.parametrize("case", ["template", "pseudonyms", "pseudonyms-yaml", "nothing", "unwritable", "exists",
                                  "by", "code"])
def test_bad_input_is_one_line_exit_2_and_no_file(coded, tmp_path, case):
    out = tmp_path / "r.docx"
    args, expected = ["-o", str(out)], ""
    if case == "template":
        fake = tmp_path / "fake.docx"
        fake.write_text("not a zip", encoding="utf-8")
        args += ["--template", str(fake)]
        expected = f"{fake}: not a Word file"
    elif case == "pseudonyms":
        bad = tmp_path / "names.yaml"
        bad.write_text("sites:\n  Syd: Söder\n  Norr:\n    - a\n", encoding="utf-8")
        args += ["--pseudonyms", str(bad)]
        expected = f"{bad}:3: 'Norr' needs a pseudonym"
    elif case == "pseudonyms-yaml":
        bad = tmp_path / "names.yaml"
        bad.write_text("Syd: Söder\nNorr: [Nordanby\n", encoding="utf-8")
        args += ["--pseudonyms", str(bad)]
        expected = f"{bad}:3: not valid YAML"
    elif case == "nothing":
        args += ["--site", "Nowhere"]
        expected = "no excerpts match these filters"
    elif case == "unwritable":
        out = tmp_path / "missing" / "r.docx"
        args = ["-o", str(out)]
        expected = "cannot write here: the folder does not exist"
    elif case == "exists":
        out.write_bytes(b"keep")
        expected = "already exists; use --force"
    elif case == "by":
        args += ["--by", "theme,code"]
        expected = "--by 'theme,code' is not one of"
    elif case == "code":
        args += ["--code", "nope"]
        expected = "unknown code id 'nope'"
    result = export(coded, *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and expected in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert (out.read_bytes() == b"keep") if case == "exists" else not out.exists()
    assert list((coded.root / "exports").iterdir()) == []


def test_default_name_never_overwrites_and_force_replaces(coded, tmp_path):
    first = export(coded)
    assert first.exit_code == 0, first.output
    second = export(coded)
    files = sorted(p.name for p in (coded.root / "exports").iterdir())
    assert len(files) == 2 and all(f.startswith("qualcode-by-theme-site-20") for f in files)
    assert "exists, so a number was added" in second.output
    target = tmp_path / "fixed.docx"
    target.write_bytes(b"old")
    assert export(coded, "-o", str(target), "--force").exit_code == 0
    assert zipfile.is_zipfile(target)


def test_codebook_alone_as_word(coded, tmp_path):
    import docx

    from qualcode.codes import codebook_from_store
    from qualcode.export.codebook_docx import write_codebook_docx

    out = write_codebook_docx(codebook_from_store(coded.db), tmp_path / "book.docx")
    doc = docx.Document(str(out))
    assert doc.paragraphs[0].text == "Tiny test codebook"
    assert headings(out) == [(1, "Beredskap"), (2, "varmstart  [warm-start]"), (2, "kallstart  [cold-start]")]
    text = [p.text for p in doc.paragraphs]
    assert "Inkludering: Tidigare erfarenhet, engagerade chefer." in text
    assert "Vi hade jobbat så förut." in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_the_report(coded, tmp_path):
    out = tmp_path / "r.docx"
    assert export(coded, "--memos", "-o", str(out)).exit_code == 0
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=120)
    pdf = tmp_path / "r.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Vi hade jobbat så förut. Det fanns mycket erfarenhet i teamet." in " ".join(text.split())
        assert "Sammanfattning" in text and "Bilaga: kodbok" in text


def test_uncoded_project_gives_the_codebook_and_says_so(project, tmp_path):
    out = tmp_path / "r.docx"
    result = run_cli("--project", str(project.root), "export", "docx", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "nothing is coded yet" in result.output
    assert headings(out) == [(1, "Bilaga: kodbok"), (2, "Beredskap"), (3, "varmstart  [warm-start]"),
                             (3, "kallstart  [cold-start]")]
    filtered = run_cli("--project", str(project.root), "export", "docx", "--site", "Syd", "-o", str(tmp_path / "x.docx"))
    assert filtered.exit_code == 2 and "no excerpts match these filters" in filtered.stderr


def test_prose_follows_the_report_language(coded, tmp_path):
    from qualcode.codes import load_into_project

    book = Path(coded.root) / "codebooks" / "tiny.yaml"
    text = book.read_text(encoding="utf-8")
    assert "    definition: Organisationen startar redo.\n" in text
    book.write_text(text.replace("language: sv\n", "language: sv\ndescription: {sv: Om kodboken., en: About the codebook.}\n")
                    .replace("    definition: Organisationen startar redo.\n",
                             "    definition:\n      sv: Organisationen startar redo.\n      en: The organisation starts ready.\n"),
                    encoding="utf-8")
    load_into_project(coded, book)
    paragraphs = {}
    for language in ("sv", "en"):
        out = tmp_path / f"r-{language}.docx"
        result = export(coded, "-o", str(out), "--language", language)
        assert result.exit_code == 0, result.output
        paragraphs[language] = [t for _, t in outline(out)]
    assert "Definition: Organisationen startar redo." in paragraphs["sv"]
    assert "Definition: The organisation starts ready." in paragraphs["en"]
    assert not any("organisation starts" in t for t in paragraphs["sv"])
    assert "About the codebook." in paragraphs["en"] and "Om kodboken." in paragraphs["sv"]
    # A code without English prose shows its Swedish text rather than nothing.
    assert "Definition: Organisationen startar oförberedd." in paragraphs["en"]


def test_codebook_docx_uses_the_chosen_language(tmp_path):
    import docx

    from qualcode.codebook_validate import parse_text
    from qualcode.export.codebook_docx import write_codebook_docx

    book, problems = parse_text("""name: B
version: "1"
language: sv
themes:
  - id: t
    uuid: 6a0f4f52-8f3c-4a49-9d43-0c6a4d7f0b01
    label: {sv: Tema, en: Theme}
    description: {sv: Ett tema., en: A theme.}
codes:
  - id: c
    uuid: 6a0f4f52-8f3c-4a49-9d43-0c6a4d7f0b02
    parent: t
    label: {sv: kod, en: code}
    inclusion: {sv: Med detta., en: Include this.}
""", "b.yaml")
    assert problems == []
    texts = {}
    for language in ("sv", "en"):
        out = write_codebook_docx(book, tmp_path / f"b-{language}.docx", language)
        texts[language] = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "Ett tema." in texts["sv"] and "Inkludering: Med detta." in texts["sv"]
    assert "A theme." in texts["en"] and "Inclusion: Include this." in texts["en"]
