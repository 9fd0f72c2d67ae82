"""Codebook validation: every problem reported with file, line and field; `--fix` for uuids."""

from pathlib import Path

import pytest

from qualcode.codebook import Problem, load_codebook, validate_codebook
from qualcode.codebook_fix import fix_uuids

BASE = """\
name: Test
version: "1"
language: sv
themes:
  - id: theme-a
    uuid: 6c1e0b7f-0000-4000-8000-000000000001
    label: {sv: Tema A, en: Theme A}
codes:
  - id: code-a
    uuid: 0b7f0000-0000-4000-8000-000000000001
    parent: theme-a
    label: {sv: kod A, en: code A}
    color: "#E45756"
    shortcut: a
  - id: code-b
    uuid: 0b7f0000-0000-4000-8000-000000000002
    parent: theme-a
    label: {sv: kod B}
    indicators:
      sv: [ord, "två ord"]
"""


def check(tmp_path: Path, text: str) -> list[Problem]:
    path = tmp_path / "book.yaml"
    path.write_text(text, encoding="utf-8")
    return validate_codebook(path)


def line_of(text: str, needle: str, nth: int = 0) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[nth]


def test_base_is_valid(tmp_path):
    assert check(tmp_path, BASE) == []


@pytest.mark.parametrize(
    "old, new, needle, field, message",
    [
        ("  - id: code-b\n", "  - id: code-a\n", "  - id: code-a", "codes[code-a].id", "duplicate id 'code-a' (first on line 9)"),
        ("0b7f0000-0000-4000-8000-000000000002", "0b7f0000-0000-4000-8000-000000000001", "uuid: 0b7f0000-0000-4000-8000-000000000001",
         "codes[code-b].uuid", "duplicate uuid"),
        ("    parent: theme-a\n    label: {sv: kod B}", "    parent: theme-a\n    shortcut: a\n    label: {sv: kod B}", "shortcut: a",
         "codes[code-b].shortcut", "duplicate shortcut 'a'"),
        ("    parent: theme-a\n    label: {sv: kod B}", "    parent: them-a\n    label: {sv: kod B}", "parent: them-a",
         "codes[code-b].parent", "unknown parent 'them-a' (did you mean 'theme-a'?)"),
        ('color: "#E45756"', 'color: "#E4575"', "color:", "codes[code-a].color", "bad colour '#E4575'"),
        ('color: "#E45756"', "color: #E45756", "color:", "codes[code-a].color", "an unquoted # starts a YAML comment"),
        ('color: "#E45756"', "color: red", "color:", "codes[code-a].color", "use #RGB or #RRGGBB"),
        ("label: {sv: kod B}", "label: {en: code B}", "label: {en: code B}", "codes[code-b].label", "missing sv label"),
        ("label: {sv: kod B}", "label: {}", "label: {}", "codes[code-b].label", "missing label"),
        ("    label: {sv: kod B}\n", "", "  - id: code-b", "codes[code-b].label", "missing label"),
        ("    label: {sv: kod B}\n", "    label: {sv: kod B}\n    uuidd: x\n", "uuidd", "codes[code-b].uuidd",
         "unknown key 'uuidd' (did you mean 'uuid'?)"),
        ("  - id: code-b\n", "  - source: x\n", "  - source: x", "codes[2].id", "missing id"),
        ("  - id: code-b\n", "  - id: Code B\n", "Code B", "codes[2].id", "bad id 'Code B'"),
        ("  - id: code-b\n", "  - id: code_b\n", "code_b", "codes[2].id", "lowercase letters, digits and hyphens"),
        ("0b7f0000-0000-4000-8000-000000000002", "0b7f-nope", "0b7f-nope", "codes[code-b].uuid", "bad uuid"),
        ("    uuid: 0b7f0000-0000-4000-8000-000000000002\n", "", "  - id: code-b", "codes[code-b].uuid",
         "missing uuid; run `qualcode codebook validate --fix` to add"),
        ('    color: "#E45756"\n', '    defintion: typo\n', "defintion", "codes[code-a].defintion",
         "unknown key 'defintion' (did you mean 'definition'?)"),
        ("language: sv\n", "language: sv\nlanguages: [sv]\n", "languages", "languages", "did you mean 'language'?"),
        ("language: sv\n", "language: de\n", "language: de", "language", "unknown language 'de'"),
        ('version: "1"\n', "", "name: Test", "version", "missing version"),
        ('sv: [ord, "två ord"]', "sv: ord", "sv: ord", "codes[code-b].indicators.sv", "must be a list of strings"),
        ('sv: [ord, "två ord"]', "sv: [ord, [x]]", "sv: [ord, [x]]", "codes[code-b].indicators.sv", "must be text"),
        ('sv: [ord, "två ord"]', "sv: [ord, '']", "sv: [ord, '']", "codes[code-b].indicators.sv", "empty item"),
        ('sv: [ord, "två ord"]', "sv: [ord, '*ord']", "'*ord'", "codes[code-b].indicators.sv", "bad indicator"),
        ('      sv: [ord, "två ord"]', '      de: [Wort]', "de: [Wort]", "codes[code-b].indicators.de", "unknown key 'de'"),
        ("    indicators:\n      sv: [ord, \"två ord\"]\n", "    indicators: [ord]\n", "indicators: [ord]", "codes[code-b].indicators", "must be a mapping"),
        ("    label: {sv: kod B}\n", "    label: {sv: kod B}\n    label: {sv: kod C}\n", "kod C", "codes[code-b].label",
         "duplicate key 'label'"),
        ("    label: {sv: Tema A, en: Theme A}\n", "    label: {sv: Tema A, en: Theme A}\n    shortcut: t\n", "shortcut: t",
         "themes[theme-a].shortcut", "a theme is not codable"),
        ("    shortcut: a\n", "    shortcut: ab\n", "shortcut: ab", "codes[code-a].shortcut", "use one character"),
    ],
)
def test_each_problem_has_its_line_and_field(tmp_path, old, new, needle, field, message):
    assert old in BASE
    text = BASE.replace(old, new, 1)
    problems = check(tmp_path, text)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.line, problem.field) == (line_of(text, needle, -1 if "duplicate" in message else 0), field)
    assert message in problem.message
    assert str(problem) == f"{tmp_path / 'book.yaml'}:{problem.line}: {field}: {problem.message}"


def test_cycles_are_reported_once(tmp_path):
    text = BASE.replace("    parent: theme-a\n    label: {sv: kod A", "    parent: code-b\n    label: {sv: kod A").replace(
        "    parent: theme-a\n    label: {sv: kod B}", "    parent: code-a\n    label: {sv: kod B}")
    problems = check(tmp_path, text)
    assert [(p.line, p.field, p.message) for p in problems] == [
        (line_of(text, "parent: code-b"), "codes[code-a].parent", "cycle: code-a -> code-b -> code-a")]


def test_self_parent_is_a_cycle(tmp_path):
    text = BASE.replace("    parent: theme-a\n    label: {sv: kod B}", "    parent: code-b\n    label: {sv: kod B}")
    assert [p.message for p in check(tmp_path, text)] == ["cycle: code-b -> code-b"]


def test_every_problem_is_reported_in_line_order(tmp_path):
    text = (BASE.replace('color: "#E45756"', 'color: "#XYZ"')
            .replace("parent: theme-a\n    label: {sv: kod B}", "parent: nowhere\n    label: {sv: kod B}")
            .replace("name: Test\n", "name: Test\ntypo: 1\n"))
    problems = check(tmp_path, text)
    assert [p.field for p in problems] == ["typo", "codes[code-a].color", "codes[code-b].parent"]
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_malformed_yaml_is_one_problem_with_its_line(tmp_path):
    text = BASE.replace("    label: {sv: kod B}\n", "    label: {sv: kod B\n")
    problems = check(tmp_path, text)
    assert len(problems) == 1 and "malformed YAML" in problems[0].message
    assert line_of(text, "kod B") <= problems[0].line <= line_of(text, "kod B") + 2


@pytest.mark.parametrize("text, message", [("", "empty codebook"), ("- a\n- b\n", "a codebook is a mapping"),
                                            ("name: x\nversion: 1\nlanguage: sv\ncodes: 3\n", "must be a list")])
def test_wrong_shapes(tmp_path, text, message):
    problems = check(tmp_path, text)
    assert problems and message in problems[0].message


def test_fix_adds_uuids_in_place_keeping_comments(tmp_path):
    text = BASE.replace("    uuid: 0b7f0000-0000-4000-8000-000000000002\n", "").replace(
        "    uuid: 6c1e0b7f-0000-4000-8000-000000000001\n", "").replace("  - id: code-b\n", "  - id: code-b   # keep this\n")
    path = tmp_path / "book.yaml"
    path.write_text(text, encoding="utf-8")
    assert [p.field for p in validate_codebook(path)] == ["themes[theme-a].uuid", "codes[code-b].uuid"]
    assert fix_uuids(path) == 2
    fixed = path.read_text(encoding="utf-8")
    lines = fixed.splitlines()
    assert lines[lines.index("  - id: code-b   # keep this") + 1].startswith("    uuid: ")
    added = [line for line in lines if line not in text.splitlines()]
    assert len(added) == 2 and all(line.strip().startswith("uuid: ") for line in added)
    assert [line for line in lines if line not in added] == text.splitlines()  # nothing else changed
    assert validate_codebook(path) == []
    book = load_codebook(path)
    assert len({node.uuid for node in book.nodes}) == 3
    assert fix_uuids(path) == 0
    assert path.read_text(encoding="utf-8") == fixed


def test_fix_keeps_crlf_line_endings(tmp_path):
    text = BASE.replace("    uuid: 0b7f0000-0000-4000-8000-000000000002\n", "")
    path = tmp_path / "book.yaml"
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert fix_uuids(path) == 1
    raw = path.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n") == text.count("\n") + 1
    assert validate_codebook(path) == []
