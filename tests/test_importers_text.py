"""Text and Markdown import: front matter, sidecars, encodings, normalisation and bad input."""

from __future__ import annotations

import unicodedata

import pytest

from qualcode.errors import QualcodeError
from qualcode.importers import SUPPORTED_SUFFIXES, is_sidecar, parse_file, parse_text

FRONT = """---
title: Chef i kommunen
site: Norr
organization: kommun
role: chef
date: 2024-03-12
interviewer: Forskare A
pages: 12
speakers:
  IP 2: {role: chef, organisation: psykiatri}
  Anna Berg:
    role: case manager
---
I: Hur började det?
IP 2: Det var så.
Anna Berg: Jag minns.
"""


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def turn_texts(parsed):
    return [(t.speaker, parsed.text[t.start:t.end]) for t in parsed.turns]


def test_front_matter_gives_attributes_and_speakers(tmp_path):
    parsed = parse_file(write(tmp_path, "norr.md", FRONT))
    assert parsed.format == "markdown"
    assert parsed.attributes == {
        "title": "Chef i kommunen", "site": "Norr", "organisation": "kommun", "role": "chef",
        "date": "2024-03-12", "interviewer": "Forskare A", "pages": "12",
    }
    assert parsed.speakers == {
        "IP 2": {"role": "chef", "organisation": "psykiatri"},
        "Anna Berg": {"role": "case manager"},
    }
    # A speakers-map name is a speaker even when it speaks only once.
    assert turn_texts(parsed) == [("I", "Hur började det?"), ("IP 2", "Det var så."), ("Anna Berg", "Jag minns.")]
    assert parsed.text.startswith("I: Hur")
    assert "---" not in parsed.text


def test_plain_text_without_front_matter(tmp_path):
    parsed = parse_file(write(tmp_path, "a.txt", "I: fråga\nIP: svar\n"))
    assert parsed.format == "text"
    assert parsed.attributes == {} and parsed.speakers == {} and parsed.warnings == []
    assert turn_texts(parsed) == [("I", "fråga"), ("IP", "svar")]


def test_sidecar_applies_and_front_matter_wins(tmp_path):
    write(tmp_path, "x.meta.yaml", "site: Syd\nrole: personal\nspeakers:\n  IP1: {role: chef}\n")
    parsed = parse_file(write(tmp_path, "x.txt", "---\nrole: chef\n---\nI: a\nIP 1: b\n"))
    assert parsed.attributes == {"site": "Syd", "role": "chef"}
    assert parsed.speakers == {"IP 1": {"role": "chef"}}


def test_is_sidecar_and_supported_suffixes(tmp_path):
    assert is_sidecar(tmp_path / "x.meta.yaml")
    assert is_sidecar(tmp_path / "X.META.YML")
    assert not is_sidecar(tmp_path / "x.yaml")
    assert set(SUPPORTED_SUFFIXES) >= {".txt", ".md", ".markdown", ".docx", ".vtt", ".srt"}
    with pytest.raises(QualcodeError) as err:
        parse_file(write(tmp_path, "x.meta.yaml", "site: a\n"))
    assert "unsupported" in str(err.value)


def test_unused_speaker_in_map_warns(tmp_path):
    parsed = parse_file(write(tmp_path, "w.txt", "---\nspeakers:\n  IP 9: {role: chef}\n---\nI: a\n"))
    assert any("IP 9" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    "content, line, fragment",
    [
        ("---\ntitle: a\nsite: [unclosed\n---\nI: x\n", 3, "malformed front matter"),
        ("---\ntitle: a\nsite: Norr\nI: x\nIP: y\n", 1, "no closing"),
        ("---\n- a\n- b\n---\nI: x\n", 2, "key: value"),
        ("---\ntitle: ok\nspeakers: [IP 1, IP 2]\n---\nI: x\n", 3, "speakers"),
        ("---\ntitle: ok\nrole: a\nrole: b: c\n---\nI: x\n", 4, "malformed front matter"),
    ],
)
def test_malformed_front_matter_names_file_and_line(tmp_path, content, line, fragment):
    path = write(tmp_path, "bad.txt", content)
    with pytest.raises(QualcodeError) as err:
        parse_file(path)
    assert err.value.path == str(path)
    assert err.value.line == line
    assert fragment in str(err.value)
    assert str(err.value).startswith(f"{path}:{line}: ")


def test_front_matter_line_numbers_survive_crlf(tmp_path):
    path = write(tmp_path, "crlf.txt", b"---\r\ntitle: a\r\n\r\nsite: [x\r\n---\r\nI: x\r\n")
    with pytest.raises(QualcodeError) as err:
        parse_file(path)
    assert err.value.line == 4


def test_malformed_sidecar_names_the_sidecar(tmp_path):
    sidecar = write(tmp_path, "s.meta.yaml", "site: Norr\nrole: [x\n")
    with pytest.raises(QualcodeError) as err:
        parse_file(write(tmp_path, "s.txt", "I: a\n"))
    assert err.value.path == str(sidecar)
    assert err.value.line == 2


def test_utf8_bom(tmp_path):
    parsed = parse_file(write(tmp_path, "bom.txt", b"\xef\xbb\xbf---\nsite: \xc3\x96st\n---\nI: \xc3\xa5\n"))
    assert parsed.attributes == {"site": "Öst"}
    assert turn_texts(parsed) == [("I", "å")]
    assert parsed.warnings == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path, encoding):
    text = "I: Hur mår du?\nIP: Bra, tack. Åäö.\n"
    data = text.encode(encoding)
    if encoding != "utf-16":
        data = ("\ufeff" + text).encode(encoding)
    parsed = parse_file(write(tmp_path, "u16.txt", data))
    assert turn_texts(parsed) == [("I", "Hur mår du?"), ("IP", "Bra, tack. Åäö.")]
    assert not parsed.text.startswith("\ufeff")


def test_cp1252_is_decoded_with_a_warning(tmp_path):
    parsed = parse_file(write(tmp_path, "old.txt", "I: Hur gick det?\nIP: Så där, vi får se. Ärligt.\n".encode("cp1252")))
    assert turn_texts(parsed) == [("I", "Hur gick det?"), ("IP", "Så där, vi får se. Ärligt.")]
    assert "decoded as cp1252" in parsed.warnings


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        bytes(range(1, 32)) * 50,
    ],
)
def test_binary_file_is_refused(tmp_path, data):
    path = write(tmp_path, "pic.txt", data)
    with pytest.raises(QualcodeError) as err:
        parse_file(path)
    assert str(err.value) == f"{path}: not a text transcript (binary file)"


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n", b"\xef\xbb\xbf\n", b"\xff\xfe", b"---\ntitle: x\n---\n\n"])
def test_empty_file_is_refused(tmp_path, data):
    path = write(tmp_path, "empty.txt", data)
    with pytest.raises(QualcodeError) as err:
        parse_file(path)
    assert str(err.value) == f"{path}: empty transcript"


def test_missing_file_and_unsupported_suffix(tmp_path):
    with pytest.raises(QualcodeError, match="no such file"):
        parse_file(tmp_path / "nope.txt")
    with pytest.raises(QualcodeError, match="unsupported file type '.pdf'"):
        parse_file(write(tmp_path, "x.pdf", "I: a"))
    with pytest.raises(QualcodeError, match="directory"):
        parse_file(tmp_path)


def test_crlf_and_lone_cr_become_newlines_before_offsets(tmp_path):
    parsed = parse_file(write(tmp_path, "crlf.txt", b"---\r\nsite: a\r\n---\r\nI: en\r\nIP: tv\xc3\xa5\r\nrad\rtre\r\n"))
    assert "\r" not in parsed.text
    assert turn_texts(parsed) == [("I", "en"), ("IP", "två\nrad\ntre")]


def test_nfc_normalisation_before_offsets(tmp_path):
    decomposed = unicodedata.normalize("NFD", "I: någon\nIP: på å ö\n")
    assert len(decomposed) > len("I: någon\nIP: på å ö\n")
    parsed = parse_file(write(tmp_path, "nfd.txt", decomposed))
    assert turn_texts(parsed) == [("I", "någon"), ("IP", "på å ö")]
    assert unicodedata.is_normalized("NFC", parsed.text)


def test_parse_text_formats_and_errors():
    parsed = parse_text("---\ntitle: T\n---\nI: a", source_name="mem", format="markdown")
    assert parsed.format == "markdown" and parsed.attributes == {"title": "T"}
    with pytest.raises(QualcodeError, match="empty transcript"):
        parse_text("  \n", source_name="mem")
    with pytest.raises(ValueError):
        parse_text("I: a", source_name="mem", format="docx")


def test_front_matter_values_are_strings(tmp_path):
    parsed = parse_file(write(tmp_path, "v.md", "---\ndate: 2024-03-12\nrecorded: true\nscore: 1.5\ntags: [a, b]\n---\nI: a\n"))
    assert parsed.attributes == {"date": "2024-03-12", "recorded": "true", "score": "1.5", "tags": "a, b"}
