"""REFI-QDA codebooks: qualcode YAML -> .qdc -> YAML loses nothing, and other tools' codebooks import."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, SHARED, run_cli

REFI = SHARED / "refi-qda"
SHIPPED = REPO / "codebooks" / "implementation-theory.yaml"
needs_shared = pytest.mark.skipif(not (REFI / "Codebook.xsd").is_file(), reason="../shared/refi-qda is absent")

FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:0:4" origin="Some tool">
  <Codes>
    <Code guid="{{AAAAAAAA-1111-2222-3333-444444444444}}" name="Barriers" isCodable="false" color="#f00">
      <Description>Things in the way.</Description>
      <Code guid="AAAAAAAA-1111-2222-3333-444444444445" name="Money" isCodable="true" color="#00ff00"/>
      <Code guid="aaaaaaaa-1111-2222-3333-444444444446" name="Time" isCodable="true" color="blue"/>
    </Code>
    <Code guid="aaaaaaaa-1111-2222-3333-444444444447" name="Support::Managers" isCodable="true"/>
    <Code guid="aaaaaaaa-1111-2222-3333-444444444448" name="Support::Peers" isCodable="true" color="FF00FF"/>
    <Code guid="aaaaaaaa-1111-2222-3333-444444444449" name="mood" isCodable="true"/>
    <Code guid="aaaaaaaa-1111-2222-3333-44444444444a" name="mood.happy" isCodable="true"/>
    <Code guid="aaaaaaaa-1111-2222-3333-44444444444b" name="1. Oltás típusa" isCodable="true"/>
    <Code guid="aaaaaaaa-1111-2222-3333-44444444444c" name="e.g.this" isCodable="true"/>
  </Codes>
</CodeBook>"""


def _roundtrip(tmp_path: Path, source: Path):
    from qualcode.codebook import dump_text, load_codebook
    from qualcode.refi.qdc import read_qdc, write_qdc

    book = load_codebook(source)
    out = write_qdc(book, tmp_path / "book.qdc")
    back, warnings = read_qdc(out)
    assert warnings == []
    assert back == book  # every field of every theme and code, in order (CodeDef equality)
    assert dump_text(back) == dump_text(book)
    return out


@needs_shared
def test_shipped_codebook_round_trips_and_validates(tmp_path):
    import xmlschema

    if not SHIPPED.is_file():
        pytest.skip("codebooks/implementation-theory.yaml is absent")
    out = _roundtrip(tmp_path, SHIPPED)
    xmlschema.XMLSchema(str(REFI / "Codebook.xsd")).validate(str(out))


def test_test_codebook_round_trips(tmp_path):
    from qualcode.codebook import load_codebook
    from qualcode.refi.description import parse, write

    src = tmp_path / "t.yaml"
    src.write_text("""name: T
version: "2"
language: en
description: Top.
themes:
  - id: th
    uuid: 6a0f4f52-8f3c-4a49-9d43-0c6a4d7f0b01
    label: {sv: Tema, en: Theme}
    description: |
      Two lines
      here.
    definition: A theme may have a definition.
codes:
  - id: c1
    uuid: 6a0f4f52-8f3c-4a49-9d43-0c6a4d7f0b02
    parent: th
    label: {en: One}
    definition: "Def == with == signs"
    source: Someone 2020
    inclusion: In.
    exclusion: Out.
    examples: ["First\\n  indented continuation", "- starts with a dash", "Second"]
    indicators: {sv: ["ett*", "=två"], en: [one, "two words"]}
    color: "#ABC"
    shortcut: x
  - id: c2
    uuid: 6a0f4f52-8f3c-4a49-9d43-0c6a4d7f0b03
    parent: c1
    label: {en: Child}
""")
    _roundtrip(tmp_path, src)
    node = load_codebook(src)["c1"]
    text = write(node, "en")
    assert "== Inclusion ==\nIn." in text and "== Indicators (sv) ==\n- ett*\n- =två" in text
    assert parse(text)["examples"] == node.examples


@needs_shared
def test_written_qdc_validates_with_many_shapes(tmp_path, codebook_file):
    import xmlschema

    from qualcode.codebook import load_codebook
    from qualcode.refi.qdc import write_qdc

    schema = xmlschema.XMLSchema(str(REFI / "Codebook.xsd"))
    schema.validate(str(write_qdc(load_codebook(codebook_file), tmp_path / "a.qdc")))


def test_foreign_codebook_variants(tmp_path):
    from qualcode.refi.qdc import read_qdc

    f = tmp_path / "foreign.qdc"
    f.write_text(FOREIGN.replace("{{", "{").replace("}}", "}"), encoding="utf-8")
    book, warnings = read_qdc(f, "en")
    by_label = {n.labels["en"]: n for n in book.nodes}
    barriers = by_label["Barriers"]
    assert not barriers.codable and barriers.uuid == "aaaaaaaa-1111-2222-3333-444444444444"
    assert barriers.color == "#f00" and barriers.description == {"en": "Things in the way."}
    assert by_label["Money"].parent == barriers.id and by_label["Money"].color == "#00ff00"
    assert by_label["Time"].color is None and any("blue" in w for w in warnings)
    support = by_label["Support"]
    assert not support.codable and by_label["Managers"].parent == support.id == by_label["Peers"].parent
    assert by_label["Peers"].color == "#FF00FF"
    assert by_label["happy"].parent == by_label["mood"].id          # `mood` exists: a hierarchy
    assert by_label["1. Oltás típusa"].parent is None               # a numbered name, not a hierarchy
    assert by_label["e.g.this"].parent is None                      # no code named `e`
    from qualcode.codebook import dump_codebook, load_codebook

    out = dump_codebook(book, tmp_path / "foreign.yaml")
    assert load_codebook(out) == book


@needs_shared
def test_atlasti_sample_imports_via_cli(tmp_path):
    out = tmp_path / "atlas.yaml"
    result = run_cli("codebook", "import", str(REFI / "samples" / "atlasti-win-23.4-codebook.qdc"), "-o", str(out))
    assert result.exit_code == 0, result.output
    from qualcode.codebook import load_codebook

    book = load_codebook(out)
    code = book.get("code1")
    assert code.uuid == "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294" and code.color == "#46AA00"
    assert code.definition == {book.language: "description"}
    group = book[code.parent]  # the ATLAS.ti code group became a theme
    assert not group.codable and group.labels[book.language] == "code group 1" and group.description == {book.language: "kategorie 1"}


def test_cli_export_then_import(project, tmp_path):
    out = tmp_path / "shared.qdc"
    result = run_cli("--project", str(project.root), "codebook", "export", "--format", "qdc", "-o", str(out))
    assert result.exit_code == 0, result.output
    result = run_cli("--project", str(project.root), "codebook", "import", str(out))
    assert result.exit_code == 0, result.output
    from qualcode.codebook import load_codebook

    back = load_codebook(project.root / "codebooks" / "shared.yaml")
    assert back.to_dict()["codes"] == load_codebook(project.root / "codebooks" / "tiny.yaml").to_dict()["codes"]
    assert "already exists" in run_cli("--project", str(project.root), "codebook", "import", str(out)).output


def test_cli_import_does_not_overwrite_and_bad_xml_is_one_line(tmp_path):
    bad = tmp_path / "bad.qdc"
    bad.write_text("<CodeBook><Codes>")
    result = run_cli("codebook", "import", str(bad), "-o", str(tmp_path / "x.yaml"))
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "bad.qdc" in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_other_language_prose_goes_into_marked_sections_and_back(tmp_path):
    from qualcode.codebook import load_codebook
    from qualcode.refi.qdc import read_qdc, write_qdc

    src = tmp_path / "bi.yaml"
    src.write_text("""name: Bi
version: "1"
language: sv
description: {sv: Om boken., en: About the book.}
themes:
  - id: th
    uuid: 6a0f4f52-8f3c-4a49-9d43-0c6a4d7f0b01
    label: {sv: Tema, en: Theme}
    description: {sv: Ett tema., en: A theme.}
codes:
  - id: c1
    uuid: 6a0f4f52-8f3c-4a49-9d43-0c6a4d7f0b02
    parent: th
    label: {sv: kod, en: code}
    definition:
      sv: Svensk definition.
      en: English definition.
    inclusion: {sv: Med., en: In.}
    exclusion: Bara svenska.
""", encoding="utf-8")
    book = load_codebook(src)
    out = write_qdc(book, tmp_path / "bi.qdc")
    xml = out.read_text(encoding="utf-8")
    # The primary language's text stays the unmarked body other tools show; English is marked.
    assert "<Description>Svensk definition.\n\n== Definition (en) ==\nEnglish definition.\n\n== Inclusion ==\nMed." in xml
    assert "== Inclusion (en) ==\nIn." in xml and "== Exclusion (en) ==" not in xml
    assert "<Description>Ett tema.\n\n== Description (en) ==\nA theme." in xml
    back, warnings = read_qdc(out)
    assert warnings == [] and back == book
    assert back.description == {"sv": "Om boken.", "en": "About the book."}


def test_a_foreign_marked_language_section_is_read_as_that_language(tmp_path):
    from qualcode.refi.qdc import read_qdc

    f = tmp_path / "f.qdc"
    f.write_text(FOREIGN.replace("{{", "{").replace("}}", "}").replace(
        "<Description>Things in the way.</Description>",
        "<Description>Saker i vägen.\n\n== Description (en) ==\nThings in the way.\n\n== Notes (en) ==\nkept</Description>"),
        encoding="utf-8")
    book, _ = read_qdc(f, "sv")
    barriers = next(n for n in book.nodes if n.labels["sv"] == "Barriers")
    assert barriers.description == {"sv": "Saker i vägen.\n\n== Notes (en) ==\nkept", "en": "Things in the way."}
