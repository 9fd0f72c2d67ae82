"""Untrusted REFI-QDA files: entity tricks, escaping zip members, zip bombs and outside paths are refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_cli

GOOD_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="test">
<CodeBook><Codes><Code guid="11111111-1111-1111-1111-111111111111" name="c" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="22222222-2222-2222-2222-222222222222" name="s" plainTextPath="{path}">
<PlainTextSelection guid="33333333-3333-3333-3333-333333333333" startPosition="0" endPosition="5">
<Coding guid="44444444-4444-4444-4444-444444444444"><CodeRef targetGUID="11111111-1111-1111-1111-111111111111"/></Coding>
</PlainTextSelection></TextSource></Sources></Project>"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="11111111-1111-1111-1111-111111111111" name="&xxe;" isCodable="true"/></Codes></CodeBook>"""


def qdpx(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def refused(tmp_path: Path, *args: str, target: str = "out") -> str:
    result = run_cli(*args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.output
    assert not (tmp_path / target).exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(f".{target}.importing")]
    return lines[0]


def test_a_good_file_imports(tmp_path):
    f = qdpx(tmp_path / "ok.qdpx", {"project.qde": GOOD_QDE.format(path="internal://s.txt"),
                                    "sources/s.txt": "Hello world"})
    result = run_cli("import-project", str(f), str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "1 of 1 selections land" in result.output


def test_billion_laughs_refused(tmp_path):
    f = qdpx(tmp_path / "lol.qdpx", {"project.qde": BILLION_LAUGHS})
    line = refused(tmp_path, "import-project", str(f), str(tmp_path / "out"))
    assert "lol.qdpx" in line and "entity" in line


def test_external_entity_refused_in_codebook(tmp_path):
    f = tmp_path / "xxe.qdc"
    f.write_text(XXE)
    line = refused(tmp_path, "codebook", "import", str(f), "-o", str(tmp_path / "out"))
    assert "xxe.qdc" in line and "entity" in line


def test_safe_parser_never_expands_even_without_the_doctype_check():
    """Belt and braces: the lxml parser itself resolves no entities and reads no network."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    text = XXE.replace('name="&xxe;"', 'name="x"').replace("</Code>", "").replace(
        'isCodable="true"/>', 'isCodable="true"><Description>&xxe;</Description></Code>')
    root = etree.fromstring(text.encode(), parser)
    assert b"root:" not in etree.tostring(root) and b"&xxe;" in etree.tostring(root)


@pytest.mark.parametrize("member", ["../evil.txt", "/etc/evil.txt", "sources/../../evil.txt", "C:/evil.txt"])
def test_escaping_zip_members_refused(tmp_path, member):
    f = qdpx(tmp_path / "esc.qdpx", {"project.qde": GOOD_QDE.format(path="internal://s.txt"),
                                     "sources/s.txt": "Hello world", member: "x"})
    line = refused(tmp_path, "import-project", str(f), str(tmp_path / "out"))
    assert "esc.qdpx" in line and member in line


def test_zip_bomb_total_size_refused(tmp_path, monkeypatch):
    from qualcode.refi import safety

    monkeypatch.setattr(safety, "MAX_TOTAL_BYTES", 1 << 20)
    f = qdpx(tmp_path / "bomb.qdpx", {"project.qde": GOOD_QDE.format(path="internal://s.txt"),
                                      "sources/s.txt": b"\0" * (2 << 20)})
    assert f.stat().st_size < 20_000  # highly compressed
    line = refused(tmp_path, "import-project", str(f), str(tmp_path / "out"))
    assert "bomb.qdpx" in line and "zip bomb" in line


def test_zip_bomb_lying_header_caught_while_reading(tmp_path):
    """A header that understates the size is caught by counting the bytes actually inflated."""
    from qualcode.errors import QualcodeError
    from qualcode.refi.safety import SafeZip

    f = qdpx(tmp_path / "liar.qdpx", {"big.txt": b"a" * 50_000})
    zf = SafeZip(f, max_total=10_000 * 10)
    zf.max_total = 10_000  # as if the header had said less
    with pytest.raises(QualcodeError, match="zip bomb"):
        zf.read(zf.find("big.txt"))
    zf.close()


def test_too_many_members_refused(tmp_path, monkeypatch):
    from qualcode.refi import safety

    monkeypatch.setattr(safety, "MAX_MEMBERS", 50)
    members = {f"sources/{i}.txt": "x" for i in range(60)}
    f = qdpx(tmp_path / "many.qdpx", {"project.qde": GOOD_QDE.format(path="internal://s.txt"), **members})
    line = refused(tmp_path, "import-project", str(f), str(tmp_path / "out"))
    assert "many.qdpx" in line and "members" in line


@pytest.mark.parametrize("path", ["absolute://{outside}", "relative://../outside.txt"])
def test_outside_source_paths_not_followed_unless_allowed(tmp_path, path):
    (tmp_path / "outside.txt").write_text("Hello outside")
    folder = tmp_path / "in"
    folder.mkdir()
    f = qdpx(folder / "ext.qdpx", {"project.qde": GOOD_QDE.format(path=path.format(outside=tmp_path / "outside.txt"))})
    line = refused(tmp_path, "import-project", str(f), str(tmp_path / "out"))
    assert "ext.qdpx" in line and "--allow-external-sources" in line
    result = run_cli("import-project", "--allow-external-sources", str(f), str(tmp_path / "out"))
    assert result.exit_code == 0, result.output


def test_relative_path_inside_the_folder_is_followed(tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "s.txt").write_text("Hello world")
    f = qdpx(tmp_path / "rel.qdpx", {"project.qde": GOOD_QDE.format(path="relative://texts/s.txt")})
    assert run_cli("import-project", str(f), str(tmp_path / "out")).exit_code == 0


def test_not_a_zip_is_one_line(tmp_path):
    f = tmp_path / "junk.qdpx"
    f.write_text("not a zip")
    line = refused(tmp_path, "import-project", str(f), str(tmp_path / "out"))
    assert "junk.qdpx" in line
