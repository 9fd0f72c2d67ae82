"""Mirroring a codebook into the store: insert, update, rename, and never losing codings."""

import json
from pathlib import Path

import pytest

from qualcode import store
from qualcode.codebook import load_codebook
from qualcode.codes import code_exists, codebook_from_store, load_into_project
from qualcode.errors import QualcodeError
from qualcode.project import init_project

BOOK = """\
name: Test
version: "1"
language: sv
themes:
  - id: readiness
    uuid: 6c1e0b7f-0000-4000-8000-000000000001
    label: {sv: Beredskap, en: Readiness}
    description: A theme.
codes:
  - id: warm-start
    uuid: 0b7f0000-0000-4000-8000-000000000001
    parent: readiness
    label: {sv: varmstart, en: warm start}
    definition: Ready.
    examples: ["Vi var redo."]
    indicators:
      sv: [erfarenhet, "engagerad chef"]
    color: "#E45756"
    shortcut: w
  - id: cold-start
    uuid: 0b7f0000-0000-4000-8000-000000000002
    parent: readiness
    label: {sv: kallstart, en: cold start}
"""


@pytest.fixture
def project(tmp_path):
    project = init_project(tmp_path / "p", coder="anna")
    yield project
    project.close()


def write(project, text: str, name: str = "test.yaml") -> Path:
    path = Path(project.root) / "codebooks" / name
    path.write_text(text, encoding="utf-8")
    return path


def add_coding(project, code_id: str) -> None:
    db = project.db
    with store.transaction(db):
        if not db.execute("SELECT 1 FROM transcripts").fetchone():
            db.execute("INSERT INTO transcripts (id, name, text, content_hash) VALUES (1, 't', 'I: hej', 'x')")
        store.ensure_coder(db, "anna")
        db.execute("INSERT INTO codings (transcript_id, start, \"end\", code_id, coder) VALUES (1, 0, 3, ?, 'anna')", [code_id])


def codes(project) -> dict:
    return {row["id"]: row for row in project.db.query("SELECT * FROM codes")}


def test_insert_then_reload_changes_nothing(project):
    path = write(project, BOOK)
    summary = load_into_project(project, path)
    assert (summary.added, summary.updated, summary.removed) == (3, 0, 0)
    rows = codes(project)
    assert set(rows) == {"readiness", "warm-start", "cold-start"}
    warm = rows["warm-start"]
    assert json.loads(warm["labels"]) == {"sv": "varmstart", "en": "warm start"}
    assert json.loads(warm["indicators"]) == {"sv": ["erfarenhet", "engagerad chef"]}
    assert (warm["codable"], rows["readiness"]["codable"], warm["shortcut"], warm["parent"]) == (1, 0, "w", "readiness")
    assert [r["id"] for r in project.db.query("SELECT id FROM codes ORDER BY position")] == ["readiness", "warm-start", "cold-start"]
    assert project.setting("codebook") == "test.yaml"
    assert store.get_meta(project.db, "codebook_name") == "Test"
    assert store.get_meta(project.db, "codebook_version") == "1"
    assert project.codebook_path() == path
    again = load_into_project(project, path)
    assert (again.added, again.updated, again.removed) == (0, 0, 0)
    assert code_exists(project.db, "cold-start") and not code_exists(project.db, "nope")


def test_codebook_from_store_equals_the_file(project):
    path = write(project, BOOK)
    load_into_project(project, path)
    assert codebook_from_store(project.db) == load_codebook(path)


def test_update_keeps_codings(project):
    path = write(project, BOOK)
    load_into_project(project, path)
    add_coding(project, "warm-start")
    write(project, BOOK.replace("definition: Ready.", "definition: Ready to start.").replace("varmstart", "varm start"))
    summary = load_into_project(project, path)
    assert (summary.added, summary.updated, summary.removed) == (0, 1, 0)
    row = codes(project)["warm-start"]
    assert row["definition"] == "Ready to start."
    assert json.loads(row["labels"])["sv"] == "varm start"
    assert project.db.execute("SELECT count(*) FROM codings WHERE code_id = 'warm-start'").fetchone()[0] == 1


def test_rename_with_same_uuid_moves_codings(project):
    path = write(project, BOOK)
    load_into_project(project, path)
    add_coding(project, "cold-start")
    add_coding(project, "cold-start")
    write(project, BOOK.replace("id: cold-start", "id: unready-start"))
    summary = load_into_project(project, path)
    assert summary.renamed == [("cold-start", "unready-start")]
    assert (summary.added, summary.removed) == (0, 0)
    assert "cold-start" not in codes(project)
    assert codes(project)["unready-start"]["uuid"] == "0b7f0000-0000-4000-8000-000000000002"
    assert [r[0] for r in project.db.execute("SELECT code_id FROM codings")] == ["unready-start"] * 2


def test_removing_a_coded_code_is_refused_and_nothing_changes(project):
    path = write(project, BOOK)
    load_into_project(project, path)
    add_coding(project, "cold-start")
    before = codes(project)
    cut = BOOK[: BOOK.index("  - id: cold-start")]
    write(project, cut.replace("Ready.", "Changed."), "other.yaml")
    with pytest.raises(QualcodeError) as info:
        load_into_project(project, Path(project.root) / "codebooks" / "other.yaml")
    assert "cold-start (1 coding)" in str(info.value)
    assert codes(project) == before  # the update of warm-start was rolled back too
    assert project.setting("codebook") == "test.yaml"
    assert project.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 1


def test_removing_uncoded_codes_is_fine(project):
    path = write(project, BOOK)
    load_into_project(project, path)
    add_coding(project, "warm-start")
    write(project, BOOK[: BOOK.index("  - id: cold-start")])
    summary = load_into_project(project, path)
    assert (summary.added, summary.updated, summary.removed) == (0, 0, 1)
    assert set(codes(project)) == {"readiness", "warm-start"}


def test_a_coded_code_cannot_become_a_theme(project):
    path = write(project, BOOK)
    load_into_project(project, path)
    add_coding(project, "cold-start")
    moved = BOOK[: BOOK.index("  - id: cold-start")].replace(
        "codes:\n", "  - id: cold-start\n    uuid: 0b7f0000-0000-4000-8000-000000000002\n    label: {sv: kallstart}\ncodes:\n")
    write(project, moved)
    with pytest.raises(QualcodeError, match="cold-start"):
        load_into_project(project, path)
    assert codes(project)["cold-start"]["codable"] == 1


def test_a_codebook_outside_the_project_is_recorded_by_absolute_path(project, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(BOOK, encoding="utf-8")
    load_into_project(project, outside)
    assert project.setting("codebook") == str(outside.resolve())
    assert project.codebook_path() == outside.resolve()


def test_init_project_with_a_codebook(tmp_path):
    source = tmp_path / "book.yaml"
    source.write_text(BOOK, encoding="utf-8")
    project = init_project(tmp_path / "q", codebook=source, coder="anna")
    try:
        assert set(codes(project)) == {"readiness", "warm-start", "cold-start"}
        assert project.setting("codebook") == "book.yaml"
    finally:
        project.close()


BILINGUAL = BOOK.replace("language: sv\n", "language: sv\ndescription: {sv: Om boken., en: About the book.}\n").replace(
    "    definition: Ready.\n",
    "    definition:\n      sv: Redo.\n      en: Ready.\n    inclusion: {sv: Erfarenhet., en: Experience.}\n",
).replace("    description: A theme.\n", "    description: {sv: Ett tema., en: A theme.}\n")


def test_every_language_is_stored_and_the_columns_keep_the_primary(project):
    path = write(project, BILINGUAL)
    load_into_project(project, path)
    rows = codes(project)
    warm = rows["warm-start"]
    assert (warm["definition"], warm["inclusion"], rows["readiness"]["description"]) == ("Redo.", "Erfarenhet.", "Ett tema.")
    assert json.loads(warm["texts"]) == {"definition": {"sv": "Redo.", "en": "Ready."},
                                         "inclusion": {"sv": "Erfarenhet.", "en": "Experience."}}
    assert json.loads(rows["cold-start"]["texts"]) == {}
    assert store.get_meta(project.db, "codebook_description") == "Om boken."
    book = codebook_from_store(project.db)
    assert book == load_codebook(path)
    assert book.description == {"sv": "Om boken.", "en": "About the book."}
    assert book.text("warm-start", "definition", "en") == "Ready."
    # Loading the same file again changes nothing; changing only the English updates the row.
    assert load_into_project(project, path).updated == 0
    write(project, BILINGUAL.replace("en: Ready.", "en: Ready to start."))
    assert load_into_project(project, path).updated == 1
    assert json.loads(codes(project)["warm-start"]["texts"])["definition"]["en"] == "Ready to start."


def test_the_tui_shows_prose_in_the_project_language(project):
    from qualcode.tui.codeinfo import load_codes

    load_into_project(project, write(project, BILINGUAL))
    assert load_codes(project.db).get("warm-start").definition == "Redo."
    with store.transaction(project.db):
        store.set_meta(project.db, "language", "en")
    codes_en = load_codes(project.db)
    assert (codes_en.get("warm-start").definition, codes_en.get("warm-start").inclusion) == ("Ready.", "Experience.")
    assert codes_en.label("warm-start") == "varmstart"  # labels keep following the codebook's language
