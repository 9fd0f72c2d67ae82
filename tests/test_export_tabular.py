"""csv/json exports (a column per attribute, the code's path) and pseudonym maps."""

from __future__ import annotations

import csv
import io
import json

import pytest

from qualcode.errors import QualcodeError
from qualcode.export.pseudonyms import Pseudonyms, load_pseudonyms
from tests.conftest import run_cli
from tests.test_export_docx import PSEUDONYMS, coded  # noqa: F401  (fixture)


def test_csv_has_every_attribute_and_the_code_path(coded):  # noqa: F811
    result = run_cli("--project", str(coded.root), "export", "csv", "-o", "-")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 9
    assert {"date", "title", "code_path", "code_label", "theme", "speaker", "turn"} <= set(rows[0])
    row = next(r for r in rows if r["text"] == "Chefen byttes tre gånger första året.")
    assert (row["code_path"], row["code_label"], row["theme"]) == ("readiness/cold-start", "kallstart", "readiness")
    assert (row["site"], row["role"], row["organisation"], row["speaker"]) == ("Syd", "chef", "kommun", "IP 2")
    assert row["title"] == "Gruppintervju Syd" and row["date"] == "2024-05-02"
    assert row["memo"] == "chefsbyten" and row["attribution"] == "(Syd, chef, kommun)"


def test_json_file_with_filters_and_pseudonyms(coded, tmp_path):  # noqa: F811
    names = tmp_path / "names.yaml"
    names.write_text(PSEUDONYMS, encoding="utf-8")
    out = tmp_path / "x.json"
    result = run_cli("--project", str(coded.root), "export", "json", "--code", "cold-start", "--pseudonyms",
                     str(names), "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert {r["code"] for r in rows} == {"cold-start"} and len(rows) == 4
    dumped = json.dumps(rows, ensure_ascii=False)
    assert "Syd" not in dumped and "Norr" not in dumped and "Anna Berg" not in dumped
    assert any(r["text"] == "Person A i Orten sa det också." and r["site"] == "Nordanby" for r in rows)
    assert any(r["title"] == "Gruppintervju Söder" for r in rows)


def test_default_csv_name_and_nothing_matching(coded):  # noqa: F811
    assert run_cli("--project", str(coded.root), "export", "csv").exit_code == 0
    (made,) = (coded.root / "exports").iterdir()
    assert made.name.startswith("qualcode-excerpts-") and made.suffix == ".csv"
    result = run_cli("--project", str(coded.root), "export", "json", "--role", "nobody")
    assert result.exit_code == 2 and result.stderr.strip() == "error: no excerpts match these filters"
    assert len(list((coded.root / "exports").iterdir())) == 1


def test_pseudonyms_whole_words_longest_first_case_kept():
    names = Pseudonyms({"Norr": "Nordanby", "Norrby": "Orten", "Anna": "Eva", "Anna Berg": "Person A", "ACT": "XYZ"})
    assert names.text("Anna Berg och Anna i Norrby, norr om Norr.") == "Person A och Eva i Orten, nordanby om Nordanby."
    assert names.text("NORR, Norrland, annars") == "NORDANBY, Norrland, annars"
    assert names.text("act-teamet") == "xyz-teamet"
    assert Pseudonyms({}).text("Syd") == "Syd"


@pytest.mark.parametrize("text, line, fragment", [
    ("- Syd\n- Norr\n", 1, "a YAML mapping"),
    ("Syd: Söder\nNorr:\n", 2, "'Norr' needs a pseudonym"),
    ("Syd: Söder\nsyd: Annan\n", 2, "'syd' is mapped twice"),
    ("sites:\n  Syd: {a: b}\n", 2, "'Syd' needs a pseudonym"),
    ("Syd: 'Söder\n", 1, "not valid YAML"),
])
def test_malformed_pseudonym_maps_name_file_and_line(tmp_path, text, line, fragment):
    path = tmp_path / "names.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QualcodeError) as info:
        load_pseudonyms(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: ") or message.startswith(f"{path}:"), message
    assert fragment in message
    if fragment != "not valid YAML":
        assert info.value.line == line
