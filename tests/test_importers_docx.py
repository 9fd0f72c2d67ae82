"""Word .docx import: paragraphs as speaker lines, the metadata table, refusing non-Word files."""

from __future__ import annotations

import zipfile

import pytest

from qualcode.errors import QualcodeError
from qualcode.importers import parse_file


def make_docx(path, paragraphs, meta_rows=None, title=None, later_table=None, heading=None):
    import docx

    doc = docx.Document()
    if heading:
        doc.add_heading(heading, level=1)
    if meta_rows is not None:
        table = doc.add_table(rows=0, cols=2)
        for key, value in meta_rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = key, value
    for text in paragraphs:
        doc.add_paragraph(text)
    if later_table:
        table = doc.add_table(rows=0, cols=len(later_table[0]))
        for row in later_table:
            for cell, value in zip(table.add_row().cells, row):
                cell.text = value
    if title:
        doc.core_properties.title = title
    doc.save(str(path))
    return path


def turn_texts(parsed):
    return [(t.speaker, t.timestamp, parsed.text[t.start:t.end]) for t in parsed.turns]


def test_metadata_table_and_paragraphs(tmp_path):
    path = make_docx(
        tmp_path / "vast.docx",
        ["I: Hur började det?", "", "IP: Det var så här.", "Och sen fortsatte det.", "[00:02:10] I: Mm."],
        meta_rows=[("Ort", "Väst 2"), ("Organisation", "psykiatri"), ("Roll:", "personal"),
                   ("Datum", "29/5/2024"), ("Intervjuare", "Forskare A"), ("Inspelning", "Ljud")],
        title="Core title",
    )
    parsed = parse_file(path)
    assert parsed.format == "docx"
    assert parsed.attributes == {
        "site": "Väst 2", "organisation": "psykiatri", "role": "personal", "date": "2024-05-29",
        "interviewer": "Forskare A", "inspelning": "Ljud", "title": "Core title",
    }
    assert "Väst 2" not in parsed.text  # the metadata table is not transcript text
    assert parsed.text == "I: Hur började det?\nIP: Det var så här.\nOch sen fortsatte det.\n[00:02:10] I: Mm."
    assert turn_texts(parsed) == [
        ("I", None, "Hur började det?"),
        ("IP", None, "Det var så här.\nOch sen fortsatte det."),
        ("I", "00:02:10", "Mm."),
    ]


def test_english_keys_and_table_title_beats_core_title(tmp_path):
    path = make_docx(tmp_path / "en.docx", ["Interviewer: Hello?", "Anna: Hi.", "Anna: Yes."],
                     meta_rows=[("Site", "North"), ("Organization", "municipality"), ("Title", "Table title")],
                     title="Core title")
    parsed = parse_file(path)
    assert parsed.attributes == {"site": "North", "organisation": "municipality", "title": "Table title"}
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "Anna", "Anna"]


def test_heading_above_metadata_table_and_later_tables(tmp_path):
    path = make_docx(tmp_path / "h.docx", ["I: Fråga?"], meta_rows=[("Ort", "Syd")], heading="Intervju 3",
                     later_table=[("IP", "Svar i tabell."), ("I", "Tack.")])
    parsed = parse_file(path)
    assert parsed.attributes == {"site": "Syd"}
    assert turn_texts(parsed) == [
        (None, None, "Intervju 3"), ("I", None, "Fråga?"), ("IP", None, "Svar i tabell."), ("I", None, "Tack."),
    ]


def test_docx_without_table_uses_core_title(tmp_path):
    parsed = parse_file(make_docx(tmp_path / "t.docx", ["I: a", "IP: b"], title="Titel"))
    assert parsed.attributes == {"title": "Titel"}
    assert turn_texts(parsed) == [("I", None, "a"), ("IP", None, "b")]


def test_sidecar_adds_speakers_to_docx(tmp_path):
    path = make_docx(tmp_path / "g.docx", ["I: a", "Berit: b"], meta_rows=[("Ort", "Syd")])
    (tmp_path / "g.meta.yaml").write_text("role: chef\nspeakers:\n  Berit: {role: personal}\n", encoding="utf-8")
    parsed = parse_file(path)
    assert parsed.attributes == {"role": "chef", "site": "Syd"}
    assert parsed.speakers == {"Berit": {"role": "personal"}}
    assert [t.speaker for t in parsed.turns] == ["I", "Berit"]


def test_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text("I: det här är bara text\n", encoding="utf-8")
    with pytest.raises(QualcodeError) as err:
        parse_file(path)
    assert str(err.value) == f"{path}: not a Word .docx file"


def test_zip_that_is_not_word_is_refused(tmp_path):
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hej")
    with pytest.raises(QualcodeError, match="not a Word .docx file"):
        parse_file(path)


def test_empty_docx_is_refused(tmp_path):
    path = make_docx(tmp_path / "empty.docx", ["", "   "], meta_rows=[("Ort", "Syd")])
    with pytest.raises(QualcodeError, match="empty transcript"):
        parse_file(path)
