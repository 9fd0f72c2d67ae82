"""Prose per language: `definition: text` or `definition: {sv: ..., en: ...}`, read, checked, written, picked."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import qualcode.cli  # noqa: F401  (registers every command)
from qualcode.cli.base import cli
from qualcode.codebook import CodeDef, dump_text, load_codebook, validate_codebook
from qualcode.codebook_validate import parse_text

BOOK = """\
name: Test
version: "1"
language: sv
description:
  sv: En liten kodbok.
  en: A small codebook.
themes:
  - id: readiness
    uuid: 6c1e0b7f-0000-4000-8000-000000000001
    label: {sv: Beredskap, en: Readiness}
    description: Hur redo organisationen var.
codes:
  - id: warm-start
    uuid: 0b7f0000-0000-4000-8000-000000000001
    parent: readiness
    label: {sv: varmstart, en: warm start}
    definition:
      sv: Organisationen börjar redo.
      en: The organisation starts ready.
    inclusion: {sv: Tidigare erfarenhet., en: Prior experience.}
    exclusion: Inte kallstart.
  - id: cold-start
    uuid: 0b7f0000-0000-4000-8000-000000000002
    parent: readiness
    label: {sv: kallstart}
"""
SHIPPED = Path(__file__).resolve().parent.parent / "codebooks" / "implementation-theory.yaml"


def check(tmp_path: Path, text: str):
    path = tmp_path / "book.yaml"
    path.write_text(text, encoding="utf-8")
    return validate_codebook(path)


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_plain_text_is_the_codebook_language_and_a_mapping_holds_both():
    book, problems = parse_text(BOOK, "book.yaml")
    assert problems == []
    warm = book["warm-start"]
    assert warm.definition == {"sv": "Organisationen börjar redo.", "en": "The organisation starts ready."}
    assert warm.inclusion == {"sv": "Tidigare erfarenhet.", "en": "Prior experience."}
    assert warm.exclusion == {"sv": "Inte kallstart."}
    assert book["readiness"].description == {"sv": "Hur redo organisationen var."}
    assert book.description == {"sv": "En liten kodbok.", "en": "A small codebook."}


def test_text_picks_the_language_and_falls_back_like_labels():
    book, _ = parse_text(BOOK, "book.yaml")
    assert book.text("warm-start", "definition") == "Organisationen börjar redo."  # the codebook's language
    assert book.text("warm-start", "definition", "en") == "The organisation starts ready."
    assert book.text("warm-start", "exclusion", "en") == "Inte kallstart."  # no English: the Swedish
    assert book.text("cold-start", "definition", "en") == ""
    assert book.text("nope", "definition") == ""
    assert book.text(None, "description", "en") == "A small codebook."
    assert book.text(None, "description", "sv") == "En liten kodbok."
    assert book["warm-start"].text("inclusion", "en") == "Prior experience."
    # Without the asked language the fallback (the codebook's) wins over any other.
    assert CodeDef("x", definition={"en": "E", "sv": "S"}).text("definition", "de", "sv") == "S"


def test_prose_fields_are_mappings_not_strings():
    with pytest.raises(TypeError, match="language"):
        CodeDef("x", definition="only one text")


@pytest.mark.parametrize(
    "old, new, needle, field, message",
    [
        ("    exclusion: Inte kallstart.\n", "    exclusion: {sv: Inte kallstart., de: Nicht kalt.}\n", "de: Nicht",
         "codes[warm-start].exclusion.de", "unknown key 'de'"),
        ("      en: The organisation starts ready.\n", "      en: [The organisation, starts ready.]\n", "en: [The",
         "codes[warm-start].definition.en", "must be text"),
        ("    exclusion: Inte kallstart.\n", "    exclusion: [Inte, kallstart]\n", "exclusion: [Inte",
         "codes[warm-start].exclusion", "must be text or a mapping"),
        ("      sv: Organisationen börjar redo.\n", "", "    definition:",
         "codes[warm-start].definition", "missing sv text (the codebook's language)"),
        ("    inclusion: {sv: Tidigare erfarenhet., en: Prior experience.}\n", "    inclusion: {sv: Tidigare., en: }\n",
         "inclusion: {sv", "codes[warm-start].inclusion.en", "empty en text"),
        ("  en: A small codebook.\n", "  eng: A small codebook.\n", "eng: A small", "description.eng",
         "unknown key 'eng' (did you mean 'en'?)"),
        ("  sv: En liten kodbok.\n", "", "description:", "description", "missing sv text"),
        ("    description: Hur redo organisationen var.\n", "    description: {en: How ready.}\n", "description: {en",
         "themes[readiness].description", "missing sv text"),
    ],
)
def test_prose_problems_have_file_line_and_field(tmp_path, old, new, needle, field, message):
    assert old in BOOK
    text = BOOK.replace(old, new, 1)
    problems = check(tmp_path, text)
    assert len(problems) == 1, problems
    assert (problems[0].line, problems[0].field) == (line_of(text, needle), field)
    assert message in problems[0].message
    assert str(problems[0]).startswith(f"{tmp_path / 'book.yaml'}:{line_of(text, needle)}: {field}: ")


def test_dump_writes_a_plain_string_for_one_language_and_a_mapping_for_two():
    book, _ = parse_text(BOOK, "book.yaml")
    text = dump_text(book)
    assert "    exclusion: Inte kallstart.\n" in text
    assert "    description: Hur redo organisationen var.\n" in text
    assert "    definition:\n      sv: Organisationen börjar redo.\n      en: The organisation starts ready.\n" in text
    assert text.startswith("name: Test\nversion: \"1\"\nlanguage: sv\ndescription:\n  sv: En liten kodbok.\n")
    again, problems = parse_text(text, "again.yaml")
    assert problems == [] and again == book and dump_text(again) == text


def test_long_texts_are_blocks_inside_the_mapping():
    book, _ = parse_text(BOOK, "book.yaml")
    long_sv, long_en = "Organisationen börjar redo " * 6, "The organisation starts ready " * 6
    book["warm-start"].definition = {"en": long_en.strip(), "sv": long_sv.strip()}
    text = dump_text(book)
    assert "    definition:\n      sv: >-\n        Organisationen" in text
    assert "\n      en: >-\n        The organisation" in text
    assert max(map(len, text.splitlines())) <= 90  # folded over lines, not one long line
    again, problems = parse_text(text, "again.yaml")
    assert problems == [] and again == book
    assert list(again["warm-start"].definition) == ["sv", "en"]


@pytest.mark.skipif(not SHIPPED.exists(), reason="codebooks/implementation-theory.yaml not written yet")
def test_shipped_codebook_has_swedish_and_english_prose():
    book = load_codebook(SHIPPED)
    assert book.language == "sv"
    texts = [book.description] + [getattr(node, name) for node in book.nodes
                                  for name in ("definition", "inclusion", "exclusion", "description")
                                  if getattr(node, name)]
    assert len(texts) > 60
    assert all(set(t) == {"sv", "en"} and t["sv"] != t["en"] for t in texts)
    again, problems = parse_text(dump_text(book), str(SHIPPED))
    assert problems == [] and again == book


def test_show_json_gives_the_prose_in_the_chosen_language(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "book.yaml"
    path.write_text(BOOK, encoding="utf-8")
    runner = CliRunner(env={"QUALCODE_PROJECT": ""})
    rows = {}
    for language in ("sv", "en"):
        result = runner.invoke(cli, ["codebook", "show", str(path), "--json", "--language", language])
        assert result.exit_code == 0, result.output
        rows[language] = {row["id"]: row for row in json.loads(result.stdout)}
    assert rows["sv"]["warm-start"]["definition"] == "Organisationen börjar redo."
    assert rows["en"]["warm-start"]["definition"] == "The organisation starts ready."
    assert rows["en"]["warm-start"]["exclusion"] == "Inte kallstart."
    assert rows["en"]["readiness"]["description"] == "Hur redo organisationen var."
    assert "definition" not in rows["en"]["cold-start"]


def test_suggestion_profiles_read_every_language():
    from qualcode.suggest.profiles import _field_texts

    texts = _field_texts({"id": "c", "definition": "Redo.", "inclusion": {"sv": "Med.", "en": "In."},
                          "texts": {"definition": {"sv": "Redo.", "en": "Ready."}}})
    assert texts["definition"] == ["Redo.", "Ready."]  # the primary column's text once, then English
    assert texts["inclusion"] == ["Med.", "In."]
    assert _field_texts({"id": "c"})["definition"] == [""]
