"""The codebook model: loading, tree queries, and writing YAML that loads back equal."""

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.codebook import Codebook, CodeDef, dump_codebook, load_codebook, validate_codebook
from qualcode.codebook_validate import parse_text
from qualcode.errors import QualcodeError

VALID = """\
# Comments are fine anywhere.
name: Implementation theory
version: 1.0
language: sv
description: A small test codebook.
themes:
  - id: readiness
    uuid: 6c1e0b7f-0000-4000-8000-000000000001
    label: {sv: Beredskap, en: Readiness}
    color: "#4C78A8"
    description: How ready the organisation was.
  - id: drivers
    uuid: 6c1e0b7f-0000-4000-8000-000000000002
    label: {sv: Drivkrafter, en: Drivers}
codes:
  - id: warm-start
    uuid: 0b7f0000-0000-4000-8000-000000000001
    parent: readiness
    label: {sv: varmstart, en: warm start}
    definition: |
      The organisation starts ready.
      Prior experience, engaged leaders.
    source: Sandlund & Markström 2003
    inclusion: Talk of prior experience.
    exclusion: no
    examples: ["Vi hade ju jobbat så förut", "Chefen var med: från början"]
    indicators:
      sv: [erfarenhet, "engagerad chef", "implementer*", "=ACT"]
      en: [experience, "committed manager"]
    color: "#E45756"
    shortcut: w
  - id: cold-start
    uuid: 0b7f0000-0000-4000-8000-000000000002
    parent: readiness
    label: {sv: kallstart, en: cold start}
    color: "#abc"
    shortcut: k
  - id: cold-start-cuts
    uuid: 0b7f0000-0000-4000-8000-000000000003
    parent: cold-start
    label: {sv: nedskärningar}
  - id: driver-training
    uuid: 0b7f0000-0000-4000-8000-000000000004
    parent: drivers
    label: {sv: utbildning, en: training}
"""


def write(tmp_path: Path, text: str, name: str = "book.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def book(tmp_path) -> Codebook:
    return load_codebook(write(tmp_path, VALID))


def test_load_reads_fields_as_written(book):
    assert (book.name, book.version, book.language) == ("Implementation theory", "1.0", "sv")
    assert [n.id for n in book.nodes] == ["readiness", "drivers", "warm-start", "cold-start", "cold-start-cuts", "driver-training"]
    warm = book.get("warm-start")
    assert warm.codable and not book.get("readiness").codable
    assert warm.definition == {"sv": "The organisation starts ready.\nPrior experience, engaged leaders.\n"}
    assert warm.exclusion == {"sv": "no"}  # not YAML 1.1's boolean False; a plain string is the codebook's language
    assert warm.examples[1] == "Chefen var med: från början"
    assert warm.indicators["sv"][3] == "=ACT"
    assert warm.line == 16 and book.get("readiness").line == 7
    assert book.get("cold-start").color == "#abc"


def test_tree_queries(book):
    assert [n.id for n in book.roots()] == ["readiness", "drivers"]
    assert [n.id for n in book.children("readiness")] == ["warm-start", "cold-start"]
    assert book.path("cold-start-cuts") == ["readiness", "cold-start", "cold-start-cuts"]
    assert book.theme_of("cold-start-cuts") == "readiness"
    assert book.theme_of("drivers") == "drivers"
    assert [n.id for n in book.walk()] == ["readiness", "warm-start", "cold-start", "cold-start-cuts", "drivers", "driver-training"]
    assert book.depth("cold-start-cuts") == 2
    assert [n.id for n in book.codable()][:2] == ["warm-start", "cold-start"]
    assert book.get("nope") is None


def test_label_falls_back_to_the_other_language(book):
    assert book.label("warm-start") == "varmstart"
    assert book.label("warm-start", "en") == "warm start"
    assert book.label("cold-start-cuts", "en") == "nedskärningar"


def test_round_trip_load_dump_load(book, tmp_path):
    out = dump_codebook(book, tmp_path / "out" / "copy.yaml")
    again = load_codebook(out)
    assert again == book
    assert again.to_dict() == book.to_dict()
    text = out.read_text(encoding="utf-8")
    assert "definition: |" in text  # multi-line text as a literal block
    assert "Markström" in text  # allow_unicode, no \\xF6 escapes
    assert text.index("themes:") < text.index("codes:")
    entry = text[text.index("  - id: warm-start"):].split("\n\n")[0]
    keys = [line.split(":")[0].strip() for line in entry.splitlines() if line.startswith("    ") and not line.startswith("      ")]
    assert keys == ["uuid", "parent", "label", "definition", "source", "inclusion", "exclusion",
                    "examples", "indicators", "color", "shortcut"]


def test_round_trip_of_a_built_codebook(tmp_path):
    # Like `qdc import` will: build objects, write YAML, read it back.
    book = Codebook("Built", "2", "en", nodes=[
        CodeDef("theme", uuid="11111111-1111-4111-8111-111111111111", codable=False, labels={"en": "Theme: one"}),
        CodeDef("c", uuid="22222222-2222-4222-8222-222222222222", parent="theme", labels={"en": "yes", "sv": "ja"},
                definition={"en": "line\n  indented\n\ttab and trailing  "}, examples=["- dash", "#hash", "'q'"],
                indicators={"en": ["a*", "two words"]}, shortcut="1", color="#123456"),
    ])
    path = dump_codebook(book, tmp_path / "built.yaml")
    assert load_codebook(path) == book


def test_dump_refuses_to_overwrite(book, tmp_path):
    target = write(tmp_path, "keep me", "exists.yaml")
    with pytest.raises(QualcodeError, match="already exists"):
        dump_codebook(book, target)
    assert target.read_text() == "keep me"
    dump_codebook(book, target, overwrite=True)
    assert load_codebook(target) == book


def test_dump_refuses_an_invalid_codebook(book, tmp_path):
    book.nodes[3].parent = "nowhere"
    with pytest.raises(QualcodeError, match="unknown parent"):
        dump_codebook(book, tmp_path / "bad.yaml")
    assert not (tmp_path / "bad.yaml").exists()


def test_dumped_yaml_is_plain_yaml(book, tmp_path):
    data = yaml.safe_load(dump_codebook(book, tmp_path / "x.yaml").read_text(encoding="utf-8"))
    assert data["codes"][0]["label"] == {"sv": "varmstart", "en": "warm start"}
    assert data["version"] == "1.0"


def test_malformed_yaml_raises_with_line(tmp_path):
    path = write(tmp_path, "name: x\ncodes:\n  - id: a\n    label: [x\n")
    with pytest.raises(QualcodeError) as info:
        load_codebook(path)
    assert info.value.path == str(path) and info.value.line == 4
    assert "malformed YAML" in str(info.value)
    assert str(info.value).startswith(f"{path}:4: ")


def test_missing_file_raises(tmp_path):
    with pytest.raises(QualcodeError, match="no such codebook file"):
        load_codebook(tmp_path / "missing.yaml")
    with pytest.raises(QualcodeError):
        validate_codebook(tmp_path / "missing.yaml")


def test_not_utf8_raises(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Beredskap för förändring\n".encode("cp1252"))
    with pytest.raises(QualcodeError, match="UTF-8"):
        load_codebook(path)


def test_load_raises_the_first_problem(tmp_path):
    text = VALID.replace('color: "#abc"', 'color: "#abcd"').replace("parent: drivers", "parent: driverz")
    path = write(tmp_path, text)
    with pytest.raises(QualcodeError) as info:
        load_codebook(path)
    line = text.splitlines().index('    color: "#abcd"') + 1
    assert info.value.line == line
    assert "codes[cold-start].color" in str(info.value)


def test_a_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    assert load_codebook(path).name == "Implementation theory"


def test_string_label_is_the_codebook_language():
    book, problems = parse_text(VALID.replace("label: {sv: nedskärningar}", "label: nedskärningar"), "x.yaml")
    assert problems == []
    assert book.get("cold-start-cuts").labels == {"sv": "nedskärningar"}


SHIPPED = Path(__file__).resolve().parent.parent / "codebooks" / "implementation-theory.yaml"


@pytest.mark.skipif(not SHIPPED.exists(), reason="codebooks/implementation-theory.yaml not written yet")
def test_shipped_codebook_validates_and_round_trips(tmp_path):
    problems = validate_codebook(SHIPPED)
    assert problems == [], "\n".join(map(str, problems))
    book = load_codebook(SHIPPED)
    assert book.codable()
    assert load_codebook(dump_codebook(book, tmp_path / "copy.yaml")) == book


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
NONBLANK = TEXT.filter(lambda s: s.strip())


@settings(max_examples=150, deadline=None)
@given(definition=TEXT, label=NONBLANK, example=NONBLANK, english=NONBLANK,
       term=st.from_regex(r"[a-zåäö]{1,8}( [a-zåäö]{1,8})?\*?", fullmatch=True))
def test_dump_round_trips_any_text(tmp_path_factory, definition, label, example, english, term):
    def sv(text):
        return {"sv": text} if text else {}

    book = Codebook("Any", "1", "sv", description=definition, nodes=[
        CodeDef("c", uuid="22222222-2222-4222-8222-222222222222", labels={"sv": label}, definition=sv(definition),
                inclusion=sv(definition * 2), exclusion={"sv": label, "en": english}, examples=[example, definition if definition.strip() else "x"], indicators={"sv": [term]})])
    path = tmp_path_factory.mktemp("rt") / "book.yaml"
    assert load_codebook(dump_codebook(book, path)) == book


@pytest.mark.parametrize("text", ["x" * 90 + "\x85y", "a\nb\x85c", "rad\u2028rad", "a\n\u2029"])
def test_dump_keeps_unicode_line_breaks_inside_texts(tmp_path, text):
    # Found by the property test above: YAML reads NEL/LS/PS as line breaks in a block scalar.
    book = Codebook("Any", "1", "sv", nodes=[
        CodeDef("c", uuid="22222222-2222-4222-8222-222222222222", labels={"sv": "c"},
                definition={"sv": text}, examples=[text], indicators={"sv": ["ord"]})])
    assert load_codebook(dump_codebook(book, tmp_path / "book.yaml")) == book
