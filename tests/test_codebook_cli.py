"""`qualcode codebook validate|show|load`: exit codes, one-line errors, nothing written on bad input."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import qualcode.cli  # noqa: F401  (registers every command)
from qualcode import store
from qualcode.cli.base import cli
from qualcode.project import init_project

BOOK = """\
name: Test
version: "1"
language: sv
themes:
  - id: readiness
    uuid: 6c1e0b7f-0000-4000-8000-000000000001
    label: {sv: Beredskap, en: Readiness}
codes:
  - id: warm-start
    uuid: 0b7f0000-0000-4000-8000-000000000001
    parent: readiness
    label: {sv: varmstart, en: warm start}
    shortcut: w
  - id: cold-start
    uuid: 0b7f0000-0000-4000-8000-000000000002
    parent: readiness
    label: {sv: kallstart}
"""


def run(*args, env=None):
    return CliRunner(env={"QUALCODE_PROJECT": "", **(env or {})}).invoke(cli, list(map(str, args)))


@pytest.fixture
def book(tmp_path) -> Path:
    path = tmp_path / "book.yaml"
    path.write_text(BOOK, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path):
    project = init_project(tmp_path / "p", coder="anna")
    project.close()
    return project


def test_validate_ok(book):
    result = run("codebook", "validate", book)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "OK: 1 themes, 2 codes"


def test_validate_prints_every_problem_and_exits_2(book):
    book.write_text(BOOK.replace("parent: readiness\n    label: {sv: kallstart}", "parent: nowhere\n    label: {en: cold}")
                    .replace("shortcut: w", 'shortcut: w\n    color: "#12"'), encoding="utf-8")
    result = run("codebook", "validate", book)
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines == [
        f"{book}:14: codes[warm-start].color: bad colour '#12': use #RGB or #RRGGBB",
        f"{book}:17: codes[cold-start].parent: unknown parent 'nowhere'",
        f"{book}:18: codes[cold-start].label: missing sv label (the codebook's language)",
    ]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content, message", [
    (None, "no such codebook file"),
    ("name: [x\n", "malformed YAML"),
])
def test_bad_files_are_one_line_exit_2(tmp_path, content, message):
    path = tmp_path / "x.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    for command in (["validate"], ["show"]):
        result = run("codebook", *command, path)
        assert result.exit_code == 2
        out = (result.stdout + result.stderr).strip().splitlines()
        assert len(out) == 1 and message in out[0] and str(path) in out[0]
        assert "Traceback" not in result.output


def test_validate_fix(book):
    book.write_text(BOOK.replace("    uuid: 0b7f0000-0000-4000-8000-000000000002\n", ""), encoding="utf-8")
    result = run("codebook", "validate", book)
    assert result.exit_code == 2 and "--fix" in result.stdout
    result = run("codebook", "validate", "--fix", book)
    assert result.exit_code == 0, result.output
    assert "added 1 uuid" in result.stderr
    assert result.stdout.strip() == "OK: 1 themes, 2 codes"


def test_show_file_outside_a_project(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("codebook", "show", book)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1:] == ["Beredskap  (readiness)", "  [w] varmstart  (warm-start)", "      kallstart  (cold-start)"]
    result = run("codebook", "show", book, "--json", "--language", "en")
    data = json.loads(result.stdout)
    assert [(c["id"], c["label"], c["parent"], c["codable"]) for c in data] == [
        ("readiness", "Readiness", None, False), ("warm-start", "warm start", "readiness", True),
        ("cold-start", "kallstart", "readiness", True)]
    assert data[1]["uuid"] == "0b7f0000-0000-4000-8000-000000000001" and data[1]["theme"] == "readiness"
    assert data[1]["shortcut"] == "w" and "codings" not in data[1]


def test_load_copies_into_the_project_and_show_counts(book, project):
    root = project.root
    result = run("--project", root, "codebook", "load", book)
    assert result.exit_code == 0, result.output
    assert "3 added" in result.stdout
    copied = root / "codebooks" / "book.yaml"
    assert copied.read_text(encoding="utf-8") == BOOK
    assert list((root / "codebooks").iterdir()) == [copied]  # no temporary file left
    db = store.open_db(root / store.DB_NAME)
    assert store.get_meta(db, "codebook") == "book.yaml"
    with store.transaction(db):
        db.execute("INSERT INTO transcripts (id, name, text, content_hash) VALUES (1, 't', 'I: hej', 'x')")
        store.ensure_coder(db, "anna")
        db.execute("INSERT INTO codings (transcript_id, start, \"end\", code_id, coder) VALUES (1, 0, 3, 'cold-start', 'anna')")
    db.close()
    result = run("--project", root, "codebook", "show", "--json")
    assert result.exit_code == 0, result.output
    assert {c["id"]: c["codings"] for c in json.loads(result.stdout)}["cold-start"] == 1
    result = run("--project", root, "codebook", "show")
    assert "kallstart  (cold-start)  1" in result.stdout

    # Removing the coded code is refused: one line, exit 2, the project's copy untouched.
    book.write_text(BOOK[: BOOK.index("  - id: cold-start")], encoding="utf-8")
    result = run("--project", root, "codebook", "load", book)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "cold-start (1 coding)" in result.stderr
    assert copied.read_text(encoding="utf-8") == BOOK
    assert list((root / "codebooks").iterdir()) == [copied]


def test_load_a_bad_codebook_writes_nothing(book, project):
    book.write_text(BOOK.replace("parent: readiness", "parent: nowhere", 1), encoding="utf-8")
    result = run("--project", project.root, "codebook", "load", book)
    assert result.exit_code == 2 and "unknown parent" in result.stderr
    assert list((project.root / "codebooks").iterdir()) == []
    db = store.open_db(project.root / store.DB_NAME)
    assert db.execute("SELECT count(*) FROM codes").fetchone()[0] == 0
    db.close()


def test_show_without_a_loaded_codebook(project):
    result = run("--project", project.root, "codebook", "show")
    assert result.exit_code == 2 and "qualcode codebook load" in result.stderr


@pytest.mark.parametrize("command", ["codebook", "codebook validate", "codebook show", "codebook load"])
def test_help_has_an_example(command):
    result = run(*command.split(), "--help")
    assert result.exit_code == 0 and "Example:" in result.output
